"""The network's maturity and mapping aggregates, computed once per data version.

The network view, the mapping analysis and a hub's maturity page all start from every hub's latest
scores or every country's mapping answers: at Europe scale (2,000 hubs) recomputing them on each
request is what made these pages slow. Each aggregate here is kept in the default cache (Redis in
production, local memory on the embedded default) under a key holding the language and the data
version of what it reads (``core.pagecache.data_version``: any committed write to those apps gives
a new version), so a warm request reads it and the first request after a write recomputes it.
A process also keeps the last few values it read, under the same keys, to skip unpickling them.

Only aggregates the page's every permitted viewer sees the same are cached: permission checks
and per-user filtering (which peers a user may see named) happen in the views, after reading.
Values are shared between requests: callers must not modify them (copy a list before sorting).

Without a readable version store, or inside a transaction that has written something not yet
committed, the aggregate is computed every time and never stored.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from echos.assessment import analysis, benchmarks, charts, scoring
from echos.core import pagecache
from echos.core.charts import choropleth_spec
from echos.core.models import Country
from echos.questionnaires import engine

# What the aggregates read: responses, instruments, hubs, countries.
TOPICS = ("assessment", "questionnaires", "hubs", "core")
CACHE_SECONDS = 3600
LOCAL_ENTRIES = 16
MATURITY_COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
STALE_SHOWN = 200
MAPPING_PALETTE = [
    "#08306b",
    "#d94801",
    "#238b45",
    "#6a51a3",
    "#a50f15",
    "#fdae6b",
    "#74c476",
    "#9e9ac8",
    "#636363",
    "#fd8d3c",
    "#6baed6",
    "#c7e9c0",
]

_local: OrderedDict[str, Any] = OrderedDict()
_local_lock = threading.Lock()


def _uncommitted_writes() -> bool:
    """Whether this thread's open transaction has written rows not yet committed (their topics
    are bumped on commit: a value built now could show rows that are then rolled back)."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy
    pending = wrapper.__dict__.get("_echos_pagecache")
    return bool(wrapper.in_atomic_block and pending is not None and pending.topics)


def memo(name: str, build: Callable[[], Any], *parts: object) -> Any:
    """``build()``, kept per language, ``parts`` and data version of ``TOPICS``."""
    if _uncommitted_writes():
        return build()
    version = pagecache.data_version(TOPICS)
    if version is None:
        return build()
    digest = hashlib.sha256(repr((parts, get_language(), version)).encode()).hexdigest()[:40]
    key = f"echos:assessment:{name}:{digest}"
    with _local_lock:
        if key in _local:
            _local.move_to_end(key)
            return _local[key]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    with _local_lock:
        _local[key] = value
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return value


def fragment(source: dict, name: str, build: Callable[[], Any], *parts: object) -> Any:
    """``build()`` (e.g. rendered HTML) made from the aggregate ``source`` alone, kept as long as
    that aggregate: keyed by its ``token`` (new each time it is computed), never by a version read
    later, so a fragment can never pair newer keys with older rows."""
    if _uncommitted_writes():
        return build()
    digest = hashlib.sha256(repr((source["token"], parts, get_language())).encode()).hexdigest()
    key = f"echos:assessment:{name}:{digest[:40]}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def clear_local() -> None:
    """Forget the values this process kept (tests)."""
    with _local_lock:
        _local.clear()


def _dims(definition: dict) -> list[tuple[str, str]]:
    titles = scoring.dimension_titles(definition)
    return [
        (scoring.dimension_of(q), titles[scoring.dimension_of(q)])
        for q in scoring.dimension_questions(definition)
    ]


# --- the network view -------------------------------------------------------------------------

SORTS = {
    "country": lambda s: (s["country"], s["name"]),
    "name": lambda s: s["name"],
    "overall": lambda s: (-(s["overall"] or 0), s["name"]),
    "date": lambda s: s["submitted_at"],
}


def network(sort: str) -> dict:
    """Every hub's latest scores sorted by ``sort`` (a dimension code or one of ``SORTS``; unknown
    values sort by country, so they add no cache entry), each with its dimension ``cells`` in
    column order and its page's ``url``; the map, the distribution chart and the hubs not
    assessed for 12 months."""
    base = maturity()
    if sort not in SORTS and sort not in {c for c, _t in base["dims"]}:
        sort = "country"
    return memo("network", lambda: _network(base, sort), sort)


def _network(base: dict, sort: str) -> dict:
    definition, dims = base["definition"], base["dims"]
    codes = [c for c, _t in dims]
    scores = [
        {
            **s,
            "cells": [s["dimensions"].get(c) for c in codes],
            "url": reverse("assessment:hub", args=[s["hub_id"]]),
        }
        for s in base["scores"]
    ]
    if sort in SORTS:
        scores.sort(key=SORTS[sort])
    else:
        scores.sort(key=lambda s: (-(s["dimensions"].get(sort) or 0), s["name"]))
    national = {s["country"]: s for s in scores if s["level"] == "national"}
    labels = [f"{i} – {i + 1}" if i < 5 else "5" for i in range(1, 6)]
    map_rows = []
    for country in Country.objects.all():
        s = national.get(country.code)
        bucket = labels[min(int(s["overall"]), 5) - 1] if s and s["overall"] is not None else None
        map_rows.append(
            {
                "code": country.code,
                "country": country.display_name,
                "category": bucket or _("Not assessed"),
                "detail": s["name"] if s else "",
                "url": s["url"] if s else "",
            }
        )
    stale = benchmarks.not_assessed_since(12)
    return {
        "token": secrets.token_hex(16),
        "definition": definition,
        "dims": dims,
        "scores": scores,
        "sort": sort,
        "map_rows": map_rows,
        "map_spec": choropleth_spec(
            map_rows,
            title=_("Overall maturity of the national hub"),
            domain=[_("Not assessed"), *labels],
            colours=["#fdd0a2", *MATURITY_COLOURS],
            detail_title=_("National hub"),
        ),
        "distribution": charts.distribution_spec(benchmarks.level_distribution(scores, definition)),
        "stale": [
            {
                "pk": h.pk,
                "name_en": h.name_en,
                "country_id": h.country_id,
                "url": reverse("assessment:hub", args=[h.pk]),
            }
            for h in stale[:STALE_SHOWN]
        ],
        "stale_count": len(stale),
    }


# --- a hub's maturity page --------------------------------------------------------------------


def maturity() -> dict:
    """The maturity model's dimensions, every hub's latest scores (``by_hub``: index of a hub's
    row) and the published medians of the network and of each stage (None where too few hubs)."""
    return memo("maturity", _maturity)


def _maturity() -> dict:
    definition = benchmarks.maturity_definition()
    dims = _dims(definition)
    codes = [c for c, _t in dims]
    scores = benchmarks.latest_scores()
    stages = {s["stage"] for s in scores}
    return {
        "definition": definition,
        "dims": dims,
        "scores": scores,
        "by_hub": {s["hub_id"]: i for i, s in enumerate(scores)},
        "network": scoring.medians(scores, codes),
        "stages": {
            stage: scoring.medians([s for s in scores if s["stage"] == stage], codes)
            for stage in stages
        },
    }


# --- the mapping analysis ---------------------------------------------------------------------


def mapping(selected: str) -> dict:
    """The mapping survey's distributions, common and unique traits, clusters and choice
    questions, with each country's answer to the ``selected`` one (the first when unknown, so an
    unknown value adds no cache entry) on a map."""
    base = memo("mapping", _mapping)
    codes = [q.code for q in base["questions"]]
    if selected not in codes:
        selected = codes[0] if codes else ""
    # Keyed by the base's token: the answers are always those of the rows they are shown with.
    return {**base, **fragment(base, "mapping-answer", lambda: _answers(base, selected), selected)}


def _mapping() -> dict:
    definition, rows = benchmarks.mapping_rows()
    dists = analysis.distributions(definition, rows)
    return {
        "token": secrets.token_hex(16),
        "definition": definition,
        "rows": rows,
        "countries": len(rows),
        "distributions": dists,
        "traits": analysis.common_and_unique(dists, len(rows)),
        "clusters": analysis.cluster(definition, rows, seed=0),
        "questions": [
            q for q in engine.questions(definition) if q.type in {"single", "multiple", "scale"}
        ],
        "names": dict(Country.objects.values_list("code", "name")),
    }


def _answers(base: dict, selected: str) -> dict:
    names = base["names"]
    by_country = (
        analysis.answers_by_country(base["definition"], base["rows"], selected) if selected else []
    )
    question = next((q for q in base["questions"] if q.code == selected), None)
    labels = [label for _v, label in question.options] if question else []
    map_rows = [
        {
            "code": r["code"],
            "country": names.get(r["code"], r["code"]),
            "category": r["label"],
            "detail": r["label"],
            "url": "",
        }
        for r in by_country
    ]
    categories = sorted(
        {r["category"] for r in map_rows}, key=lambda c: (labels.index(c) if c in labels else 99, c)
    )
    return {
        "selected": selected,
        "by_country": by_country,
        "map_spec": choropleth_spec(
            map_rows,
            title=_("Answer"),
            domain=categories,
            colours=(MAPPING_PALETTE * 4)[: len(categories)],
            detail_title=_("Answer"),
        ),
    }
