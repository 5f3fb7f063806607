"""Library resources in the site-wide search (core.search), through the library's own search:
accents and case ignored, only what the user may see."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from echos.core.search import COUNT_CAP, Hit, Section
from echos.library.search import search


def find(user, query: str, limit: int) -> list[Section]:
    page = search(query, user=user, per_page=limit, count_cap=COUNT_CAP)
    hits = [
        Hit(
            r.resource.title,
            r.resource.get_absolute_url(),
            strip_tags(str(r.snippet)),
            r.resource.get_type_display(),
        )
        for r in page.results
    ]
    return [
        Section(
            _("Library"),
            hits,
            min(page.count, COUNT_CAP),
            reverse("library:index") + "?" + urlencode({"q": query}),
            capped=page.more,
        )
    ]
