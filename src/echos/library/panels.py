"""What the library adds to lower apps' pages (``core.registry`` panels): each returns HTML or "".

- ``next_steps`` fills the ``maturity_next_steps`` slot: for one recommendation of the maturity
  results (``r["dimension"]``), up to ``NEXT_STEPS`` resources tagged with that dimension that the
  viewer may read, one per translation group, the viewer's language first.
- ``hub_publications`` fills the ``hub`` slot: the hub's own resources the viewer may read.

Each panel runs one bounded query (visibility is ``Resource.objects.visible_to``, the one rule).
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import Case, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language

from echos.core import memo
from echos.core.roles import is_network_coordinator
from echos.library.models import Resource, ResourceQuerySet, Vocabulary

NEXT_STEPS = 5
# Rows read to pick NEXT_STEPS distinct translation groups (a group has at most one per language).
CANDIDATES = 60
HUB_PUBLICATIONS = 10
# What the readable resources depend on: the library, hub roles and the hub tree, users.
TOPICS = ("library", "hubs", "core")


def _viewer(request: HttpRequest | None) -> tuple[Any, str]:
    user = getattr(request, "user", None)
    language = getattr(request, "LANGUAGE_CODE", None) or get_language() or "en"
    return user, language.split("-")[0].lower()


def _own_language_first(qs: ResourceQuerySet, language: str) -> ResourceQuerySet:
    return qs.annotate(
        _foreign=Case(
            When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("_foreign", "-published", "-created_at", "-pk")


def one_per_group(resources: list[Resource], limit: int) -> list[Resource]:
    """The first resource of each translation group, in order, at most ``limit``."""
    seen: set = set()
    picked = []
    for resource in resources:
        if resource.translation_group not in seen:
            seen.add(resource.translation_group)
            picked.append(resource)
            if len(picked) == limit:
                break
    return picked


def _scope(user: Any) -> str:
    """Who reads the same resources as ``user``: the whole network, the public, or this user."""
    if is_network_coordinator(user):
        return "network"
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return "public"
    return f"user:{user.pk}"


def _by_dimension(
    user: Any, language: str, dimensions: list[str] | None = None
) -> dict[str, list[Resource]]:
    """``_read_by_dimension``, kept per reader scope, language and dimensions until a committed
    write to the library, the hubs or the users (at Europe scale its window over every tagged
    resource was most of a maturity page)."""
    return memo.memo(
        "library-next-steps",
        TOPICS,
        lambda: _read_by_dimension(user, language, dimensions),
        _scope(user),
        language,
        sorted(dimensions) if dimensions is not None else None,
    )


def _read_by_dimension(
    user: Any, language: str, dimensions: list[str] | None = None
) -> dict[str, list[Resource]]:
    """Up to ``CANDIDATES`` readable resources per maturity dimension (of ``dimensions`` when
    given: those the page shows next steps for), in one query.

    The maturity page shows several next steps; reading every dimension's candidates at once (a
    row number per dimension) keeps the page at one library query however many steps it shows.
    """
    foreign = Case(
        When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    found = Resource.objects.visible_to(user).filter(tags__vocabulary=Vocabulary.DIMENSIONS)
    if dimensions is not None:
        found = found.filter(tags__code__in=dimensions)
    rows = (
        # Only what the panel shows and picks by: up to CANDIDATES rows per dimension are built.
        found.only("pk", "title", "language", "type", "visibility", "translation_group")
        .annotate(
            _dimension=F("tags__code"),
            _rank=Window(
                RowNumber(),
                partition_by=[F("tags__code")],
                order_by=[
                    foreign.asc(),
                    F("published").desc(nulls_last=True),
                    F("created_at").desc(),
                    F("pk").desc(),
                ],
            ),
        )
        .filter(_rank__lte=CANDIDATES)
        .order_by("_dimension", "_rank")
    )
    grouped: dict[str, list[Resource]] = {}
    for resource in rows:
        grouped.setdefault(resource._dimension, []).append(resource)
    return grouped


def next_steps(request: HttpRequest | None, recommendation: Mapping[str, Any]) -> str:
    """Resources for one maturity "next step", or "" when there are none the viewer may read."""
    dimension = str(recommendation.get("dimension") or "")
    if not dimension:
        return ""
    user, language = _viewer(request)
    grouped = getattr(request, "_library_next_steps", None)
    if grouped is None:
        # "page_dimensions": every dimension the page shows a next step for, read at once.
        page_dimensions = recommendation.get("page_dimensions")
        grouped = _by_dimension(
            user, language, [str(d) for d in page_dimensions] if page_dimensions else None
        )
        if request is not None:
            request._library_next_steps = grouped  # type: ignore[attr-defined]
    resources = one_per_group(grouped.get(dimension, []), NEXT_STEPS)
    if not resources:
        return ""
    return render_to_string(
        "library/panels/next_steps.html",
        {"resources": resources, "dimension": dimension},
        request=request,
    )


def hub_publications(request: HttpRequest | None, hub: Any) -> str:
    """The hub's own resources the viewer may read (newest first), or ""."""
    user, _language = _viewer(request)
    qs = Resource.objects.visible_to(user).filter(hub_id=hub.pk)
    rows = list(qs.order_by("-published", "-created_at", "-pk")[: HUB_PUBLICATIONS + 1])
    if not rows:
        return ""
    return render_to_string(
        "library/panels/hub.html",
        {"resources": rows[:HUB_PUBLICATIONS], "more": len(rows) > HUB_PUBLICATIONS, "hub": hub},
        request=request,
    )
