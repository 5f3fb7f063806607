"""The library pages served to anonymous visitors from the shared page cache.

See ``core.pagecache``.
"""

from echos.core.pagecache import PageRule
from echos.library.forms import FilterForm
from echos.library.models import Vocabulary


def index_params() -> list[str]:
    return [*FilterForm.base_fields, *(f"tag_{v}" for v in Vocabulary.values), "page"]


PAGES = {
    "library:index": PageRule(params="echos.library.pagecache.index_params"),
    "library:resource": PageRule(),
    "api:list_resources": PageRule(params="api"),
    "api:get_resource": PageRule(params="api"),
}
