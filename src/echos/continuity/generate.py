"""Synthetic funding models for ``echos generate-data``: every generated hub gets settings, three to
six funding streams and three cost lines, so the network view can be measured at 2,000 hubs.

Amounts are invented and scaled by hub level; some hubs lose an EU grant early (a cliff within the
year), some lean on one national funder, most are mixed. No funder organisation and no person is
named; every row is in EUR.
"""

from collections.abc import Iterator
from decimal import Decimal

from echos.continuity.engine.months import format_month
from echos.continuity.models import CostLine, FundingStream, HubModel
from echos.core.synthetic import REFERENCE_DATE, insert, step
from echos.hubs.generate import Context

START = REFERENCE_DATE.year * 12 + REFERENCE_DATE.month - 1
LEVEL_SCALE = {"national": 4, "regional": 2, "local": 1}
SUSTAINED_PLAN = {
    "continuity_plan": "Synthetic: continuity plan approved.",
    "mandate": "Synthetic: founding agreement.",
    "successor": "Synthetic deputy coordinator",
}
TYPES = ["national_public", "regional_public", "membership_fees", "philanthropy", "industry"]


@step("continuity_models", after="engagement_records")
def generate_continuity(ctx: Context) -> int:
    """Settings, streams and costs of every generated hub."""
    hubs = [h for h in ctx.hubs if h.generated]
    if not hubs:
        return 0
    rng = ctx.rng("continuity_models")
    plans = []
    for hub in hubs:
        scale = LEVEL_SCALE.get(hub.level, 1)
        story = rng.choices(["mixed", "cliff", "single"], [6, 2, 2])[0]
        plans.append((hub, scale, story, rng.randint(0, 5), rng.random()))

    def settings() -> Iterator[HubModel]:
        for hub, scale, _story, _n, _r in plans:
            yield HubModel(
                hub_id=hub.pk,
                start=format_month(START),
                months=60,
                balance=Decimal(5000 * scale),
                currency="EUR",
                # A generated sustained hub holds what the sustained-stage guard asks for.
                **(SUSTAINED_PLAN if hub.stage == "sustained" else {}),
            )

    def streams() -> Iterator[FundingStream]:
        for hub, scale, story, extra, draw in plans:
            yearly = Decimal(20000 * scale)
            end = format_month(START + (4 if story == "cliff" else 36))
            yield FundingStream(
                hub_id=hub.pk,
                name="Synthetic EU grant",
                source_type="eu_grant",
                amount=yearly,
                currency="EUR",
                period="year",
                start=format_month(START - 12),
                end=end,
            )
            main = yearly * (3 if story == "single" else 1) / 2
            yield FundingStream(
                hub_id=hub.pk,
                name="Synthetic national funding",
                source_type="national_public",
                amount=main.quantize(Decimal("1")),
                currency="EUR",
                period="year",
                start=format_month(START - 12),
                end="",
            )
            for i in range(extra if story != "single" else 1):
                yield FundingStream(
                    hub_id=hub.pk,
                    name=f"Synthetic source {i + 1}",
                    source_type=TYPES[i % 5],
                    amount=Decimal(3000 * scale),
                    currency="EUR",
                    period="year",
                    start=format_month(START + i),
                    end="",
                    probability=Decimal("1") if draw < 0.5 else Decimal("0.6"),
                )

    def costs() -> Iterator[CostLine]:
        for hub, scale, _story, _n, _r in plans:
            start = format_month(START - 12)
            yield CostLine(
                hub_id=hub.pk,
                name="Synthetic coordinator",
                category="staff",
                role="Coordinator",
                fte=Decimal("0.5") * scale,
                amount=Decimal(1600 * scale),
                currency="EUR",
                period="month",
                start=start,
                end="",
            )
            yield CostLine(
                hub_id=hub.pk,
                name="Synthetic events",
                category="events",
                amount=Decimal(6000 * scale),
                currency="EUR",
                period="year",
                start=start,
                end="",
            )
            yield CostLine(
                hub_id=hub.pk,
                name="Synthetic operations",
                category="operations",
                amount=Decimal(250 * scale),
                currency="EUR",
                period="month",
                start=start,
                end="",
            )

    made = insert(ctx, HubModel, "continuity settings", settings(), len(plans))
    made += insert(ctx, FundingStream, "funding streams", streams(), len(plans) * 4)
    made += insert(ctx, CostLine, "cost lines", costs(), len(plans) * 3)
    return made
