"""The hubs pages served to anonymous visitors from the shared page cache (``core.pagecache``).

The map, the directory, a hub and a country show panels of every app, so they depend on
everything (``"*"``) except registrations: no hubs page shows a registration or places left, and
at a fair hundreds of people register a minute (#18's fair day), which would otherwise empty these
pages from the cache with every one. Nor do they show a consultation's answers (participation sits
above hubs and puts no panel on them): during a campaign several people answer a second.
"""

from echos.core.pagecache import PageRule
from echos.hubs.forms import DirectoryFilterForm


def directory_params() -> list[str]:
    return [*DirectoryFilterForm.base_fields, "page"]


NO_REGISTRATIONS = (
    "events.registration",
    "participation.answer",
    "participation.answertally",
)

PAGES = {
    "hubs:home": PageRule(ignore=NO_REGISTRATIONS),
    "hubs:directory": PageRule(
        params="echos.hubs.pagecache.directory_params", ignore=NO_REGISTRATIONS
    ),
    "hubs:hub": PageRule(params=("members",), ignore=NO_REGISTRATIONS),
    "hubs:country": PageRule(params=("page",), ignore=NO_REGISTRATIONS),
    "api:list_hubs": PageRule(params="api", ignore=NO_REGISTRATIONS),
    "api:get_hub": PageRule(params="api", ignore=NO_REGISTRATIONS),
}
