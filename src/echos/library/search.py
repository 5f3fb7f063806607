"""Finding resources: full-text search with snippets, and the plain filtered list.

Both apply the reader's visibility and the filters (language, type, tags) in the database, and
show each translation group once: the resource in the reader's language when the group has one,
else the best match (search) or the newest (list); the others are named as its translations.
The words are matched by the database index (``index``), never by reading rows in Python.
"""

import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.library import index
from echos.library.models import Resource, ResourceQuerySet
from echos.library.text import HIT_END, HIT_START, words

MIN_QUERY_CHARS = 2
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_PER_PAGE = 100
COUNT_CAP = 1000  # past this, the list page says "more than 1,000" instead of counting on


@dataclass
class SearchResult:
    """One hit: the resource shown for its translation group, the marked snippet, the rank
    (higher is better) and the group's other resources the reader may see."""

    resource: Resource
    snippet: SafeString
    rank: float
    translations: list[Resource] = field(default_factory=list)


@dataclass
class SearchPage:
    """One page of results and the number of translation groups found."""

    results: list[SearchResult]
    count: int
    page: int
    per_page: int
    count_cap: int | None = None

    @property
    def more(self) -> bool:
        """Whether ``count`` stopped at the cap: there are more than ``count_cap`` groups."""
        return self.count_cap is not None and self.count > self.count_cap

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.per_page))


def check_query(query: str, field: str = "q") -> list[str]:
    """The folded words of a query, refused when it is empty, one character or too long."""
    text = (query or "").strip()
    if len(text) < MIN_QUERY_CHARS:
        raise RuleViolation(_("Type at least two characters to search."), field)
    if len(text) > MAX_QUERY_CHARS:
        raise RuleViolation(
            _("The search is too long (at most %(n)s characters).") % {"n": MAX_QUERY_CHARS}, field
        )
    terms = list(dict.fromkeys(words(text)))[:MAX_TERMS]
    if not terms or sum(len(t) for t in terms) < MIN_QUERY_CHARS:
        raise RuleViolation(_("Type at least two letters or digits to search."), field)
    return terms


def filtered(
    user,
    *,
    language: str | None = None,
    type: str | None = None,
    tags: Iterable[tuple[str, str]] = (),
) -> ResourceQuerySet:
    """The resources ``user`` may read, narrowed by language, type and tags (all tags required)."""
    qs = Resource.objects.visible_to(user)
    if language:
        qs = qs.in_language(language)
    if type:
        qs = qs.of_type(type)
    for vocabulary, code in tags:
        qs = qs.tagged(vocabulary, code)
    return qs


def mark(fragment: str, span: str) -> SafeString:
    """HTML of a snippet: the original ``span`` escaped, with ``<mark>`` where the database marked
    hits in ``fragment`` (its fold). If they do not line up, the fragment itself is shown."""
    plain = [c for c in fragment if c not in (HIT_START, HIT_END, index.ELLIPSIS)]
    source = span if len(span) == len(plain) else "".join(plain)
    out: list[str] = []
    at = 0
    for char in fragment:
        if char == HIT_START:
            out.append("<mark>")
        elif char == HIT_END:
            out.append("</mark>")
        elif char == index.ELLIPSIS:
            out.append("…")
        else:
            original = source[at]
            at += 1
            out.append(" " if original.isspace() else html.escape(original))
    return mark_safe(" ".join("".join(out).split()))  # noqa: S308  every character is escaped


def _translations(user, shown: Sequence[Resource]) -> dict[str, list[Resource]]:
    """The other readable resources of each shown resource's translation group."""
    groups = {r.translation_group for r in shown}
    ids = {r.pk for r in shown}
    found: dict[str, list[Resource]] = defaultdict(list)
    # The group's index first (a database without statistics would rather scan by visibility).
    candidates = list(
        Resource.objects.filter(translation_group__in=groups)
        .exclude(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if not candidates:
        return found
    others = (
        Resource.objects.visible_to(user)
        .filter(pk__in=candidates)
        .only("pk", "title", "language", "translation_group")
        .order_by("language")
    )
    for other in others:
        found[str(other.translation_group)].append(other)
    return found


def _page_bounds(page: int, per_page: int) -> tuple[int, int]:
    if per_page < 1 or per_page > MAX_PER_PAGE:
        raise RuleViolation(
            _("Between 1 and %(n)s results per page.") % {"n": MAX_PER_PAGE}, "per_page"
        )
    if page < 1:
        raise RuleViolation(_("Pages are numbered from 1."), "page")
    return per_page, (page - 1) * per_page


def search(
    query: str,
    *,
    user,
    language: str | None = None,
    type: str | None = None,
    tags: Iterable[tuple[str, str]] = (),
    page: int = 1,
    per_page: int = 20,
    offset: int | None = None,
    prefer_language: str = "",
    count_cap: int | None = None,
) -> SearchPage:
    """Resources matching every word of ``query`` (accents and case ignored), best first.

    ``offset`` (the API's) overrides ``page``. A query of fewer than two characters is a
    ``RuleViolation`` on ``q``, never a list of everything. With ``count_cap``, groups are counted
    up to one more than the cap (``SearchPage.more``), which is cheaper for a common word.
    """
    terms = check_query(query)
    limit, start = _page_bounds(page, per_page)
    if offset is not None:
        if offset < 0:
            raise RuleViolation(_("The offset must not be negative."), "offset")
        start = offset
    visible = filtered(user, language=language, type=type, tags=tags).order_by().values("pk")
    sql, params = visible.query.sql_with_params()
    count, hits = index.find(
        terms,
        (sql, tuple(params)),
        prefer_language=prefer_language,
        limit=limit,
        offset=start,
        count_cap=count_cap,
    )
    resources = Resource.objects.select_related("hub", "organisation").in_bulk(
        [pk for pk, _rank in hits]
    )
    shown = [resources[pk] for pk, _rank in hits if pk in resources]
    marks = index.snippets(terms, [r.pk for r in shown])
    groups = _translations(user, shown)
    results = [
        SearchResult(
            resource=resources[pk],
            snippet=mark(*marks.get(pk, ("", ""))),
            rank=-rank,
            translations=groups.get(str(resources[pk].translation_group), []),
        )
        for pk, rank in hits
        if pk in resources
    ]
    return SearchPage(results=results, count=count, page=page, per_page=limit, count_cap=count_cap)


def browse(
    *,
    user,
    language: str | None = None,
    type: str | None = None,
    tags: Iterable[tuple[str, str]] = (),
    prefer_language: str = "",
) -> ResourceQuerySet:
    """The filtered list, newest first, each translation group once (in ``prefer_language`` when
    the group has it)."""
    qs = filtered(user, language=language, type=type, tags=tags)
    preferred = Case(
        When(language=prefer_language, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    first = qs.annotate(
        n=Window(
            RowNumber(),
            partition_by=[F("translation_group")],
            order_by=[preferred.asc(), F("created_at").desc(), F("pk").desc()],
        )
    ).filter(n=1)
    return Resource.objects.filter(pk__in=first.values("pk")).order_by("-created_at", "-pk")


def translations_of(user, shown: Sequence[Resource]) -> dict[str, list[Resource]]:
    """For a page of the list: each shown resource's readable translations by group."""
    return _translations(user, shown)
