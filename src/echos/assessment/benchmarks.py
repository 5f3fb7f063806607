"""Read models over submitted maturity assessments, each built from a fixed number of queries."""

import math
from datetime import timedelta

from django.utils import timezone

from echos.assessment import permissions as perms
from echos.assessment import scoring
from echos.assessment.models import Response
from echos.assessment.services import MAPPING, MATURITY, current_instrument
from echos.hubs.models import Hub
from echos.questionnaires.models import Instrument


def latest_scores() -> list[dict]:
    """Every hub's current official maturity scores (two queries, no JSON definition per row)."""
    definitions = dict(Instrument.objects.filter(code=MATURITY).values_list("pk", "definition"))
    dimension_of = {
        pk: {q.code: q.dimension for q in scoring.dimension_questions(definition)}
        for pk, definition in definitions.items()
    }
    rows = (
        Response.objects.submitted()
        .official()
        .filter(instrument__code=MATURITY, hub__isnull=False)
        .order_by("hub__country_id", "hub__name_en")
        .values_list(
            "pk",
            "hub_id",
            "hub__name_en",
            "hub__country_id",
            "hub__level",
            "hub__stage",
            "instrument_id",
            "answers",
            "overall_score",
            "submitted_at",
            "is_public",
        )
    )
    out = []
    for (
        pk,
        hub_id,
        name,
        country,
        level,
        stage,
        instrument_id,
        answers,
        overall,
        submitted_at,
        public,
    ) in rows:
        dims = {dim: answers.get(code) for code, dim in dimension_of[instrument_id].items()}
        out.append(
            {
                "hub_id": hub_id,
                "name": name,
                "country": country,
                "level": level,
                "stage": stage,
                "overall": overall,
                "overall_level": math.floor(overall) if overall is not None else None,
                "dimensions": dims,
                "submitted_at": submitted_at,
                "response_id": pk,
                "is_public": public,
            }
        )
    return out


def peers_visible_to(user, scores: list[dict], hub: Hub) -> list[dict]:
    """Other hubs' latest scores that may be named to ``user`` (as peers to learn from).

    Public results always; private ones only to those who may see that hub's private results
    (its team, the coordinators above it, the network).
    """
    visible = perms.hubs_with_visible_private_scores(user)
    return [
        s
        for s in scores
        if s["hub_id"] != hub.pk and (s["is_public"] or visible is None or s["hub_id"] in visible)
    ]


def _score(questions: list[tuple[str, str | None]], answers: dict) -> dict:
    """``scoring.score`` from a definition's dimension questions as (code, dimension) pairs, read
    once per definition when scoring many responses."""
    dims = {dimension: answers.get(code) for code, dimension in questions}
    values = [v for v in dims.values() if isinstance(v, int | float)]
    complete = bool(dims) and len(values) == len(dims)
    return {
        "dimensions": dims,
        "overall": round(sum(values) / len(values), 2) if complete else None,
    }


def hub_history(hub: Hub, user) -> list[dict]:
    """The hub's official maturity assessments over time that ``user`` may see, oldest first,
    with the change per dimension since the previous one shown.

    Outside the hub's team and the network only public assessments are listed: a hub that
    publishes its current result does not publish the earlier ones it kept private.
    """
    rows = (
        Response.objects.official()
        .filter(hub=hub, instrument__code=MATURITY)
        .exclude(status=Response.Status.DRAFT)
        .order_by("submitted_at")
    )
    if not perms.can_view_private_scores(user, hub):
        rows = rows.filter(is_public=True)
    # Lean rows, and each instrument version's definition read once (not decoded per row).
    found = list(
        rows.values_list("pk", "submitted_at", "answers", "instrument_id", "instrument__version")
    )
    definitions = dict(
        Instrument.objects.filter(pk__in={r[3] for r in found}).values_list("pk", "definition")
    )
    # A definition's dimension questions as (code, dimension), in the definition's order.
    questions = {
        pk: [(q.code, q.dimension) for q in scoring.dimension_questions(definition)]
        for pk, definition in definitions.items()
    }
    history: list[dict] = []
    previous = None
    for pk, submitted_at, answers, instrument_id, version in found:
        s = _score(questions[instrument_id], answers)
        change = {
            d: (v - previous[d])
            if previous and isinstance(v, int) and isinstance(previous.get(d), int)
            else None
            for d, v in s["dimensions"].items()
        }
        history.append(
            {
                "response_id": pk,
                "date": submitted_at,
                "overall": s["overall"],
                "dimensions": s["dimensions"],
                "change": change,
                "version": version,
            }
        )
        previous = s["dimensions"]
    return history


def not_assessed_since(months: int = 12) -> list[Hub]:
    """Hubs without a submitted official maturity assessment in the last ``months`` (two queries)."""
    since = timezone.now() - timedelta(days=int(months * 30.44))
    recent = (
        Response.objects.official()
        .filter(instrument__code=MATURITY, submitted_at__gte=since)
        .exclude(status=Response.Status.DRAFT)
        .values("hub_id")
    )
    return list(Hub.objects.exclude(pk__in=recent).select_related("country").in_hierarchy_order())


def maturity_definition() -> dict:
    """The current maturity model's definition."""
    return current_instrument(MATURITY).definition


def level_distribution(scores: list[dict], definition: dict) -> list[dict]:
    """How many hubs sit at each level of each dimension (for the network's bar charts)."""
    titles = scoring.dimension_titles(definition)
    rows = []
    for q in scoring.dimension_questions(definition):
        for level in q.levels:
            value = int(level["value"])
            rows.append(
                {
                    "dimension": titles.get(scoring.dimension_of(q), scoring.dimension_of(q)),
                    "level": value,
                    "label": f"{value} {level['label']}",
                    "hubs": sum(1 for s in scores if s["dimensions"].get(q.dimension) == value),
                }
            )
    return rows


def mapping_rows() -> tuple[dict, list[tuple[str, dict]]]:
    """The current mapping survey and each country's latest submitted answers (one query)."""
    instrument = current_instrument(MAPPING)
    rows = (
        Response.objects.submitted()
        .official()
        .filter(instrument__code=MAPPING)
        .order_by("country_id", "-submitted_at")
        .values_list("country_id", "answers")
    )
    seen, out = set(), []
    for code, answers in rows:
        if code not in seen:
            seen.add(code)
            out.append((code, answers))
    return instrument.definition, out


__all__ = ["Instrument"]
