"""Maturity dimensions and hubs' latest self-rated levels, read through the assessment app."""

from echos.assessment import benchmarks, scoring
from echos.assessment import permissions as assessment_perms
from echos.assessment.models import Response
from echos.assessment.services import MATURITY
from echos.hubs.models import Hub


def dimension_titles() -> dict[str, str]:
    """Code → title of the current maturity model's dimensions (loads the shipped model once)."""
    return scoring.dimension_titles(benchmarks.maturity_definition())


def latest_levels(hub: Hub) -> dict[str, int | None]:
    """The hub's dimension levels in its latest submitted official maturity assessment ({} if none).

    Used by twinnings for "before" and "after": a self-rating read once, not shown to others.
    """
    response = (
        Response.objects.submitted()
        .official()
        .filter(hub=hub, instrument__code=MATURITY)
        .select_related("instrument")
        .order_by("-submitted_at")
        .first()
    )
    if response is None:
        return {}
    dims = scoring.score(response.instrument.definition, response.answers)["dimensions"]
    return {d: (int(v) if isinstance(v, int | float) else None) for d, v in dims.items()}


def strong_hubs(user, hub: Hub, dimension: str, *, limit: int = 5) -> list[dict]:
    """Hubs at level 4 or more on ``dimension`` whose results ``user`` may see, strongest first.

    Private results are used only for hubs whose private scores the user may see (the privacy of
    scores: a hub that keeps its self-assessment private is never named from it).
    """
    scores = benchmarks.peers_visible_to(user, benchmarks.latest_scores(), hub)
    found = [
        {"hub_id": s["hub_id"], "name": s["name"], "level": s["dimensions"].get(dimension)}
        for s in scores
        if isinstance(s["dimensions"].get(dimension), int | float)
        and s["dimensions"][dimension] >= 4
    ]
    found.sort(key=lambda s: (-s["level"], s["name"]))
    return found[:limit]


def can_see_levels(user, hub: Hub) -> bool:
    """Whether ``user`` may see the hub's private self-rated levels."""
    return assessment_perms.can_view_private_scores(user, hub)
