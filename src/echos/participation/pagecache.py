"""The participation pages served to anonymous visitors from the shared page cache.

See ``core.pagecache``. A consultation page holds its form (with the visitor's own CSRF token on
every hit); a form sent with errors is a POST, never cached.

Answers and their tallies are topics of their own: during a campaign several people answer a
second, and only participation's own pages (which keep ``"*"``) show them; the pages of the apps
below (map, hubs, calendar, events) ignore them, so an answer does not empty those.
"""

from echos.core.pagecache import PageRule

PAGES = {
    "participation:index": PageRule(),
    "participation:hub": PageRule(params=("status", "page")),
    "participation:consultation": PageRule(),
    "participation:results": PageRule(),
    "participation:proposals": PageRule(params=("hub", "consultation", "status", "order", "page")),
    "participation:proposal": PageRule(),
    "api:list_consultations": PageRule(params="api"),
    "api:get_consultation": PageRule(params="api"),
    "api:consultation_results": PageRule(params="api"),
    "api:list_proposals": PageRule(params="api"),
    "api:get_proposal": PageRule(params="api"),
}
SEPARATE = ("answer", "answertally")
