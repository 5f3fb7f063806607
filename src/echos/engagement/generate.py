"""Synthetic engagement records for ``echos generate-data`` (the engagement app's generator step).

Records spread over the two years before the reference day, over every generated hub weighted by
its country's size. Levels and groups are drawn with uneven weights, as hubs really engage: many
records inform or consult patients and care providers, few empower anyone, and some groups (EU
institutions, media, regulators) are rarely reached, so the coverage table has gaps to show.

Rows are streamed: each batch of records is written, then the batch's many-to-many rows (groups,
organisations, objectives, policy areas), and nothing but the current batch is held in memory.
Organisations are drawn from those generated in the hub's country; no person is named.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from itertools import accumulate
from typing import Any, cast

from django.db import connection

from echos.core.languages import COUNTRY_LANGUAGE
from echos.core.models import Term
from echos.core.synthetic import REFERENCE_DATE, apportion, insert, step
from echos.engagement.models import EngagementRecord, Format
from echos.hubs.generate import Context

DAYS = 730
LEVEL_WEIGHTS = {"inform": 34, "consult": 28, "involve": 18, "collaborate": 13, "empower": 7}
GROUP_WEIGHTS = {
    "citizens": 14,
    "patients": 18,
    "healthcare_providers": 16,
    "research": 12,
    "industry": 6,
    "authorities": 10,
    "regulators_hta": 2,
    "funders": 4,
    "civil_society": 8,
    "eu_institutions": 1,
    "beyond_health": 4,
    "media": 2,
}
FORMAT_WEIGHTS = {
    Format.MEETING: 30,
    Format.WORKSHOP: 24,
    Format.SURVEY: 10,
    Format.PUBLIC_EVENT: 16,
    Format.ONLINE: 16,
    Format.OTHER: 4,
}
# (smallest, largest) number of participants by format.
PARTICIPANTS = {
    Format.MEETING: (4, 40),
    Format.WORKSHOP: (8, 60),
    Format.SURVEY: (20, 3000),
    Format.PUBLIC_EVENT: (30, 800),
    Format.ONLINE: (10, 400),
    Format.OTHER: (3, 100),
}
TOPICS = [
    "cancer screening uptake",
    "life after cancer treatment",
    "return to work of survivors",
    "health literacy in schools",
    "access to clinical trials",
    "the national cancer plan",
    "palliative care at home",
    "tobacco and alcohol prevention",
    "cancer data and registries",
    "equal access to care in rural areas",
]


def _link_sql(descriptor) -> str:
    """An INSERT of (record id, other id) pairs into a many-to-many table.

    About six links per record: at Europe scale that is six million rows, which model instances
    and ``bulk_create`` would take several times longer to write than one prepared statement.
    """
    through = descriptor.through._meta
    record, other = (f.column for f in through.fields if f.is_relation)
    quote = connection.ops.quote_name
    return (
        f"INSERT INTO {quote(through.db_table)} ({quote(record)}, {quote(other)}) VALUES (%s, %s)"
    )


def _weighted(codes: dict[str, int], pk_of: dict[str, int]) -> tuple[list[int], list[int]]:
    """Term ids and cumulative weights for ``rng.choices``, vocabulary codes missing skipped."""
    known = [(pk_of[c], w) for c, w in codes.items() if c in pk_of]
    return [pk for pk, _w in known], list(accumulate(w for _pk, w in known))


@step("engagement_records", after="consultation_answers")
def generate_engagement(ctx: Context) -> int:
    """Engagement records of the generated hubs, with their groups, organisations and tags."""
    total = getattr(ctx.scale, "engagement_records", 0)
    hubs = [h for h in ctx.hubs if h.generated]
    if not total or not hubs:
        return 0
    rng = ctx.rng("engagement_records")
    vocab = {
        v: dict(Term.objects.filter(vocabulary=v).values_list("code", "pk"))
        for v in ("engagement_levels", "stakeholder_groups", "objectives", "policy_areas")
    }
    level_ids, level_cw = _weighted(LEVEL_WEIGHTS, vocab["engagement_levels"])
    group_ids, group_cw = _weighted(GROUP_WEIGHTS, vocab["stakeholder_groups"])
    formats, format_cw = list(FORMAT_WEIGHTS), list(accumulate(FORMAT_WEIGHTS.values()))
    objectives = sorted(vocab["objectives"].values())
    areas = sorted(vocab["policy_areas"].values())
    shares = apportion(total, [ctx.country_weight(h.country) for h in hubs])

    def rows() -> Iterator[EngagementRecord]:
        n = 0
        for hub, share in zip(hubs, shares, strict=True):
            language = COUNTRY_LANGUAGE.get(hub.country, "en")
            orgs = ctx.org_ids.get(hub.country) or []
            regions = ctx.top_regions.get(hub.country) or []
            for _ in range(share):
                n += 1
                fmt = rng.choices(formats, cum_weights=format_cw)[0]
                day = REFERENCE_DATE - timedelta(days=rng.randrange(DAYS))
                topic = rng.choice(TOPICS)
                kind = fmt.replace("_", " ")  # the code, not the (lazily translated) label
                low, high = PARTICIPANTS[fmt]
                record = EngagementRecord(
                    hub_id=hub.pk,
                    title=f"Synthetic {kind} {n} on {topic} ({hub.country})",
                    description=f"Synthetic engagement record generated for scale tests: "
                    f"a {kind} on {topic}.",
                    date=day,
                    end_date=day + timedelta(days=rng.randint(7, 42))
                    if fmt == Format.SURVEY
                    else None,
                    level_id=rng.choices(level_ids, cum_weights=level_cw)[0],
                    participants=rng.randint(low, high) if rng.random() < 0.85 else None,
                    format=fmt,
                    language=language,
                    region_id=rng.choice(regions) if regions and rng.random() < 0.3 else None,
                    outcomes="Synthetic outcome: follow-up agreed with the participants."
                    if rng.random() < 0.5
                    else "",
                    is_demo=True,
                    created_at=datetime.combine(day, time(17, 0), tzinfo=UTC),
                )
                # Many-to-many ids ride on the instance until its batch is written.
                cast(Any, record)._links = (
                    sorted(set(rng.choices(group_ids, cum_weights=group_cw, k=rng.randint(1, 3)))),
                    sorted(rng.sample(orgs, min(len(orgs), rng.randint(0, 3)))),
                    sorted(rng.sample(objectives, rng.randint(1, 2))),
                    sorted(rng.sample(areas, rng.randint(0, 2))),
                )
                yield record

    links = [
        _link_sql(EngagementRecord.stakeholder_groups),
        _link_sql(EngagementRecord.organisations),
        _link_sql(EngagementRecord.objectives),
        _link_sql(EngagementRecord.policy_areas),
    ]

    def link(chunk: list[EngagementRecord]) -> None:
        with connection.cursor() as cursor:
            for i, sql in enumerate(links):
                cursor.executemany(
                    sql, [(r.pk, other) for r in chunk for other in cast(Any, r)._links[i]]
                )

    return insert(ctx, EngagementRecord, "engagement records", rows(), total, on_batch=link)
