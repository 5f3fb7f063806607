"""The synergies pages served to anonymous visitors from the shared page cache.

See ``core.pagecache``.
"""

from echos.core.pagecache import PageRule

PAGES = {
    "synergies:catalogue": PageRule(params=("programme", "objective", "q", "page")),
    "synergies:initiative": PageRule(),
    "synergies:matrix": PageRule(params=("country",)),
    "api:list_initiatives": PageRule(params="api"),
    "api:get_initiative": PageRule(params="api"),
}
