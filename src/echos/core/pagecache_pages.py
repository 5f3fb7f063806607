"""Core's part of the shared page cache (``core.pagecache``): the reference-data API lists.

The audit log and API tokens are shown on no cached page (a token's ``last_used_at`` is written
while it is used); accounts are a topic of their own, so that the vocabularies are not
invalidated when someone edits their profile.
"""

from echos.core.pagecache import PageRule

PAGES = {
    "api:list_countries": PageRule(params="api"),
    "api:get_country": PageRule(params="api"),
    "api:list_regions": PageRule(params="api"),
    "api:list_terms": PageRule(params="api", topics=("core",), ignore=("core.user",)),
}
SEPARATE = ("user",)
PRIVATE = ("apitoken", "actionlog", "userpreference")
