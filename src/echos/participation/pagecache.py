"""The participation pages served to anonymous visitors from the shared page cache.

See ``core.pagecache``. A consultation page holds its form (with the visitor's own CSRF token on
every hit); a form sent with errors is a POST, never cached.
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
