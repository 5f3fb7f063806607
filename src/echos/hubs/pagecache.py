"""The hubs pages served to anonymous visitors from the shared page cache (``core.pagecache``).

The map, the directory, a hub and a country show panels of every app, so they depend on
everything (``"*"``).
"""

from echos.core.pagecache import PageRule
from echos.hubs.forms import DirectoryFilterForm


def directory_params() -> list[str]:
    return [*DirectoryFilterForm.base_fields, "page"]


PAGES = {
    "hubs:home": PageRule(),
    "hubs:directory": PageRule(params="echos.hubs.pagecache.directory_params"),
    "hubs:hub": PageRule(params=("members",)),
    "hubs:country": PageRule(params=("page",)),
    "api:list_hubs": PageRule(params="api"),
    "api:get_hub": PageRule(params="api"),
}
