"""The site-wide search from the header (issue #16): every app answers for its own objects.

An app declares ``search`` on its ``AppConfig``: the dotted path of a function
``(user, query, limit) -> list[Section]``: per kind of object, at most ``limit`` hits the user may
see and how many there are in all (counted up to ``COUNT_CAP``, then "more than"). The site page asks
every app in ``INSTALLED_APPS`` order and links to each app's own search for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from echos.core import registry
from echos.core.exceptions import RuleViolation

MIN_QUERY = 2
MAX_QUERY = 200
MAX_WORDS = 8
COUNT_CAP = 100


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    summary: str = ""
    meta: str = ""


@dataclass
class Section:
    """One kind of object: its label, the first hits, how many match and where to see them all."""

    label: Any
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    capped: bool = False


def check_query(query: str) -> str:
    """The query stripped and bounded, or a RuleViolation on ``q`` naming the limit."""
    query = " ".join((query or "").replace("\x00", " ").split())
    if len(query) < MIN_QUERY:
        raise RuleViolation(_("Type at least %(n)d characters to search.") % {"n": MIN_QUERY}, "q")
    if len(query) > MAX_QUERY:
        raise RuleViolation(_("A search has at most %(n)d characters.") % {"n": MAX_QUERY}, "q")
    if len(query.split()) > MAX_WORDS:
        raise RuleViolation(_("A search has at most %(n)d words.") % {"n": MAX_WORDS}, "q")
    return query


def section(
    label, queryset, to_hit: Callable[[Any], Hit], limit: int, more_url: str = ""
) -> Section:
    """A section from an ordered queryset: its first ``limit`` rows and a capped count."""
    total = queryset[: COUNT_CAP + 1].count()
    hits = [to_hit(obj) for obj in queryset[:limit]] if total else []
    return Section(label, hits, min(total, COUNT_CAP), more_url, capped=total > COUNT_CAP)


def words_filter(query: str, *fields: str):
    """A Q object: every word of ``query`` in at least one of ``fields`` (case ignored)."""
    from django.db.models import Q  # lazy: keeps this module importable before apps load

    condition = Q()
    for word in query.split():
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def providers() -> list[Callable[..., list[Section]]]:
    return [import_string(app.search) for app in registry.echos_apps() if app.search]


def search_everything(user, query: str, limit: int = 5) -> list[Section]:
    """Every app's section for ``query`` (checked first), empty sections left out."""
    query = check_query(query)
    sections = [s for provider in providers() for s in provider(user, query, limit)]
    return [s for s in sections if s.total]
