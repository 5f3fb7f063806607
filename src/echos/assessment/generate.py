"""Synthetic assessments for ``echos generate-data`` (the assessment app's generator step).

Each generated hub gets three official maturity assessments, each superseding the one before, and
each country whose national hub was generated has answered the mapping survey. Same seed, same
rows (see ``hubs/generate.py`` for the run and its ``Context``).
"""

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import cast

from echos.assessment import scoring, services
from echos.assessment.models import Response
from echos.assessment.synthetic import answers_for, maturity_hint
from echos.core.reference import vocabulary_codes
from echos.core.synthetic import REFERENCE_DATE, insert, step
from echos.hubs.generate import Context
from echos.hubs.models import Level

# Per generated hub, oldest first: superseded, superseded, submitted (the current one). Hubs
# mature, so older assessments centre lower.
ASSESSMENT_DRIFT = (-0.8, -0.35, 0.0)
ASSESSMENT_ROUNDS = len(ASSESSMENT_DRIFT)
RECENT_SHARE = 0.85  # of hubs whose current assessment is at most 12 months old


def _assessment_times(rng: random.Random) -> list[datetime]:
    """Three submission moments over the ~3 years before the reference date, oldest first."""
    latest = rng.randint(7, 360) if rng.random() < RECENT_SHARE else rng.randint(370, 720)
    oldest = rng.randint(min(latest + 240, 1095), 1095)
    middle = rng.randint(latest + 60, oldest - 60)
    return [
        datetime.combine(REFERENCE_DATE - timedelta(days=ago), time(8, 0), tzinfo=UTC)
        + timedelta(minutes=rng.randrange(10 * 60))
        for ago in (oldest, middle, latest)
    ]


@step("assessments", after="memberships")
def generate_assessments(ctx: Context) -> int:
    """Maturity assessments of every generated hub, and each country's mapping survey answers.

    Each hub gets three official maturity responses over time, each superseding the one before;
    the last is the current (submitted) one. Each country whose national hub this run generated
    answers the mapping survey once, for that hub. Rows go in one round at a time, so the
    supersedes link of a round points at the round before it without any update.
    """
    rng = ctx.rng("assessments")
    maturity = services.current_instrument(services.MATURITY)
    mapping = services.current_instrument(services.MAPPING)
    options = vocabulary_codes()
    hubs = [h for h in ctx.hubs if h.generated]
    plans = [(maturity_hint(h.stage, rng), _assessment_times(rng)) for h in hubs]
    nationals = [h for h in hubs if h.level == Level.NATIONAL]
    total = ASSESSMENT_ROUNDS * len(hubs) + len(nationals)

    def maturity_rows(round_: int, previous: list[int | None]) -> Iterator[Response]:
        current = round_ == ASSESSMENT_ROUNDS - 1
        status = Response.Status.SUBMITTED if current else Response.Status.SUPERSEDED
        for hub, (hint, times), before in zip(hubs, plans, previous, strict=True):
            answers = answers_for(
                maturity.definition,
                rng,
                maturity_hint=hint + ASSESSMENT_DRIFT[round_],
                options=options,
            )
            yield Response(
                instrument=maturity,
                hub_id=hub.pk,
                country_id=hub.country,
                kind=Response.Kind.OFFICIAL,
                status=status,
                answers=answers,
                supersedes_id=before,
                overall_score=scoring.score(maturity.definition, answers)["overall"],
                is_demo=True,
                created_at=times[round_] - timedelta(days=rng.randint(1, 40)),
                submitted_at=times[round_],
            )

    previous: list[int | None] = [None] * len(hubs)
    created = 0
    for round_ in range(ASSESSMENT_ROUNDS):
        ids: list[int] = []
        created += insert(
            ctx,
            Response,
            "assessments",
            maturity_rows(round_, previous),
            total,
            cast(Callable[[list], None], lambda chunk, ids=ids: ids.extend(r.pk for r in chunk)),
            done_before=created,
        )
        previous = cast(list[int | None], ids)

    def mapping_rows() -> Iterator[Response]:
        for hub in nationals:
            when = datetime.combine(
                REFERENCE_DATE - timedelta(days=rng.randint(30, 400)), time(8, 0), tzinfo=UTC
            ) + timedelta(minutes=rng.randrange(10 * 60))
            yield Response(
                instrument=mapping,
                hub_id=hub.pk,
                country_id=hub.country,
                kind=Response.Kind.OFFICIAL,
                status=Response.Status.SUBMITTED,
                answers=answers_for(mapping.definition, rng, options=options),
                is_demo=True,
                created_at=when - timedelta(days=rng.randint(1, 40)),
                submitted_at=when,
            )

    created += insert(ctx, Response, "assessments", mapping_rows(), total, done_before=created)
    return created
