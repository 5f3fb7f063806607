"""Synthetic activities for ``echos generate-data`` (the synergies app's generator step).

Five activities per generated hub, recombined from the synergy evaluation texts in the hub's
language (no vectors yet), tagged with objectives and policy areas. Same seed, same rows (see
``hubs/generate.py`` for the run and its ``Context``).
"""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from echos.core.languages import COUNTRY_LANGUAGE
from echos.core.models import Term
from echos.core.multilingual import refresh_search_text
from echos.core.synthetic import REFERENCE_DATETIME, chunks, insert, random_day, step
from echos.hubs.generate import Context
from echos.synergies import services as synergies
from echos.synergies.models import Activity, Initiative

EVALUATION = Path(__file__).resolve().parent / "data" / "evaluation.json"
ACTIVITIES_PER_HUB = 5


@step("activities", after="assessments")
def generate_activities(ctx: Context) -> int:
    """Activities of every generated hub, recombined from the synergy evaluation texts (no vectors yet).

    Also loads the real initiatives catalogue, so the synergy pages have something to match against.
    """
    if not Initiative.objects.exists():
        synergies.load_initiatives()
    rng = ctx.rng("activities")
    evaluation = json.loads(EVALUATION.read_text(encoding="utf-8"))["activities"]
    sentences: dict[str, list[str]] = {}
    for a in evaluation:
        parts = [s.strip() for s in a["description"].split(".") if len(s.strip()) > 15]
        sentences.setdefault(a["language"], []).extend(parts)
    english = sentences["en"]
    objectives = list(Term.objects.of("objectives").values_list("pk", flat=True))
    areas = list(Term.objects.of("policy_areas").values_list("pk", flat=True))
    hubs = [h for h in ctx.hubs if h.generated]
    total = len(hubs) * ACTIVITIES_PER_HUB
    tags: list[tuple[list[int], list[int]]] = []

    def rows() -> Iterator[Activity]:
        for hub in hubs:
            language = COUNTRY_LANGUAGE.get(hub.country, "en")
            pool = sentences.get(language) or english
            for i in range(ACTIVITIES_PER_HUB):
                text = ". ".join(rng.sample(pool, min(3, len(pool)))) + "."
                tags.append(
                    (
                        rng.sample(objectives, rng.randint(1, 2)),
                        rng.sample(areas, rng.randint(1, 2)),
                    )
                )
                activity = Activity(
                    hub_id=hub.pk,
                    title=f"Synthetic activity {hub.pk}-{i + 1} ({hub.country})",
                    description=text,
                    source_language=language if pool is not english else "en",
                    start=random_day(rng, date(2024, 1, 1), date(2025, 12, 31)),
                    is_demo=True,
                    created_at=REFERENCE_DATETIME,
                )
                # bulk_create skips save(): the folded search text is filled here (#17).
                refresh_search_text([activity])
                yield activity

    made: list[int] = []
    count = insert(
        ctx,
        Activity,
        "activities",
        rows(),
        total,
        on_batch=lambda chunk: made.extend(a.pk for a in chunk),
    )
    through_o, through_p = Activity.objectives.through, Activity.policy_areas.through
    for ids in chunks(zip(made, tags, strict=True), ctx.batch):
        through_o.objects.bulk_create(
            [through_o(activity_id=pk, term_id=t) for pk, (o, _p) in ids for t in o]
        )
        through_p.objects.bulk_create(
            [through_p(activity_id=pk, term_id=t) for pk, (_o, p) in ids for t in p]
        )
    return count
