"""Demo continuity data: three demo hubs telling three stories (all amounts invented, labelled demo).

- the first national demo hub is healthy: several committed sources, years of runway;
- the second falls off a cliff when its EU grant ends within the year;
- the third depends on one national funder for most of its income.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from echos.continuity import services
from echos.continuity.engine.months import format_month
from echos.continuity.models import FundingStream, HubModel
from echos.hubs.demo import DEMO_HUBS, DEMO_SUBHUBS_OF_REAL, STAGE_EVIDENCE
from echos.hubs.models import Hub, Membership, Stage
from echos.hubs.services import record_stage_change


def _month(offset: int) -> str:
    today = timezone.localdate()
    return format_month(today.year * 12 + today.month - 1 + offset)


def _line(kind: str, hub: Hub, **fields) -> int:
    row = services.save_line(actor=None, kind=kind, hub=hub, is_demo=True, **fields)
    return row.pk


def _costs(hub: Hub, scale: int) -> int:
    _line(
        "cost",
        hub,
        name="Coordinator (demo)",
        category="staff",
        role="Hub coordinator",
        fte=Decimal("1.0"),
        amount=Decimal(5200 * scale),
        currency="EUR",
        period="month",
        start=_month(-6),
        end="",
    )
    _line(
        "cost",
        hub,
        name="Events (demo)",
        category="events",
        amount=Decimal(18000 * scale),
        currency="EUR",
        period="year",
        start=_month(-6),
        end="",
    )
    return _line(
        "cost",
        hub,
        name="Office and tools (demo)",
        category="operations",
        amount=Decimal(900 * scale),
        currency="EUR",
        period="month",
        start=_month(-6),
        end="",
    )


def _healthy(hub: Hub) -> None:
    services.save_settings(
        actor=None,
        hub=hub,
        start=_month(0),
        months=60,
        balance=Decimal("120000"),
        continuity_plan="Demo plan: multi-year ministry agreement and member fees.",
        mandate="Demo: ministerial decision (invented).",
        successor="Deputy coordinator (demo)",
        canvas_published=True,
    )
    _costs(hub, 1)
    _line(
        "stream",
        hub,
        name="Ministry of Health core grant (demo)",
        source_type="national_public",
        amount=Decimal("45000"),
        currency="EUR",
        period="year",
        start=_month(-6),
        end=_month(54),
    )
    _line(
        "stream",
        hub,
        name="Regional council (demo)",
        source_type="regional_public",
        amount=Decimal("35000"),
        currency="EUR",
        period="year",
        start=_month(-6),
        end="",
    )
    _line(
        "stream",
        hub,
        name="Membership fees (demo)",
        source_type="membership_fees",
        amount=Decimal("1500"),
        currency="EUR",
        period="month",
        start=_month(-6),
        end="",
    )
    _line(
        "stream",
        hub,
        name="Foundation project (demo)",
        source_type="philanthropy",
        amount=Decimal("40000"),
        currency="EUR",
        period="once",
        start=_month(9),
        end="",
        probability=Decimal("0.6"),
    )
    _line(
        "risk",
        hub,
        title="Ministry priorities change after elections (demo)",
        category="mandate",
        likelihood=2,
        impact=4,
        owner="Hub coordinator",
        mitigation="Cross-party briefings.",
        status="mitigating",
        review_date=timezone.localdate() + timedelta(days=90),
    )


def _cliff(hub: Hub) -> None:
    services.save_settings(
        actor=None, hub=hub, start=_month(0), months=60, balance=Decimal("15000")
    )
    cost = _costs(hub, 1)
    eu = _line(
        "stream",
        hub,
        name="EU grant (demo)",
        source_type="eu_grant",
        amount=Decimal("9000"),
        currency="EUR",
        period="month",
        start=_month(-18),
        end=_month(5),
    )
    _line(
        "stream",
        hub,
        name="Follow-up EU call (demo)",
        source_type="eu_grant",
        amount=Decimal("80000"),
        currency="EUR",
        period="year",
        start=_month(7),
        end=_month(30),
        probability=Decimal("0.4"),
    )
    _line(
        "stream",
        hub,
        name="In-kind host support (demo)",
        source_type="in_kind",
        amount=Decimal("800"),
        currency="EUR",
        period="month",
        start=_month(-18),
        end="",
    )
    _line(
        "risk",
        hub,
        title="No funding after the EU grant ends (demo)",
        category="funding",
        likelihood=4,
        impact=5,
        owner="Hub coordinator",
        mitigation="",
        status="open",
        review_date=timezone.localdate() - timedelta(days=20),
    )
    _line(
        "risk",
        hub,
        title="Coordinator leaves with the grant (demo)",
        category="dependency",
        likelihood=3,
        impact=4,
        owner="Steering group",
        mitigation="Document procedures.",
        status="open",
        review_date=timezone.localdate() + timedelta(days=60),
    )
    services.save_line(
        actor=None,
        kind="scenario",
        hub=hub,
        is_demo=True,
        name="Member fees and a smaller office (demo)",
        description="Invented: add membership fees and cut office costs by half.",
        changes=[
            {
                "op": "add_membership_fees",
                "line": {"id": "fees", "amount": "3000", "period": "month", "start": _month(3)},
            },
            {"op": "scale_cost", "cost": str(cost), "factor": "0.5"},
            {"op": "delay_stream", "stream": str(eu), "months": 0 + 1},
        ],
    )


def _single_funder(hub: Hub) -> None:
    services.save_settings(
        actor=None, hub=hub, start=_month(0), months=60, balance=Decimal("40000")
    )
    _costs(hub, 1)
    funder = Membership.objects.filter(hub=hub).select_related("organisation").first()
    _line(
        "stream",
        hub,
        name="Single national funder (demo)",
        source_type="national_public",
        funder=funder.organisation if funder else None,
        amount=Decimal("95000"),
        currency="EUR",
        period="year",
        start=_month(-12),
        end="",
    )
    _line(
        "stream",
        hub,
        name="Small sponsorship (demo)",
        source_type="industry",
        amount=Decimal("6000"),
        currency="EUR",
        period="year",
        start=_month(-12),
        end="",
    )
    _line(
        "risk",
        hub,
        title="The one funder withdraws (demo)",
        category="dependency",
        likelihood=3,
        impact=5,
        owner="Hub coordinator",
        mitigation="",
        status="open",
    )


def load_demo() -> dict:
    """Streams, costs, risks, a scenario and a canvas on the first three national demo hubs."""
    hubs = list(Hub.objects.filter(is_demo=True, level="national").order_by("pk")[:3])
    if len(hubs) < 3 or FundingStream.objects.filter(is_demo=True).exists():
        return {"continuity hubs": 0}
    for hub, story in zip(hubs, (_healthy, _cliff, _single_funder), strict=True):
        story(hub)
        members = list(
            Membership.objects.current()
            .filter(hub=hub)
            .values_list("organisation_id", flat=True)[:3]
        )
        services.save_canvas(
            actor=None,
            hub=hub,
            is_demo=True,
            value_proposition="Demo: one place where every cancer stakeholder of the country meets.",
            stakeholder_segments=["patients", "research", "healthcare_providers"],
            key_partners=members,
            key_activities="Demo: coordination group, annual mission fair, citizen dialogues.",
            key_resources="Demo: a coordinator, a host organisation, member networks.",
            channels="Demo: website, newsletter, events.",
            cost_structure="Demo: staff, events, office.",
            revenue_streams="Demo: public grants, membership fees.",
        )
    for hub in sustained_demo_hubs():
        plan = HubModel.objects.filter(hub=hub).first()
        if plan is None or not (plan.continuity_plan and plan.mandate and plan.successor):
            services.save_settings(
                actor=None,
                hub=hub,
                continuity_plan="Demo: continuity plan approved (invented).",
                mandate="Demo: founding agreement (invented).",
                successor="Deputy coordinator (demo)",
            )
        # Dated as hubs.demo dates the last stage of a walk; through the service, so the guard runs.
        record_stage_change(
            actor=None,
            hub=hub,
            stage=Stage.SUSTAINED,
            date=date.today() - timedelta(days=150 + hub.pk % 30),
            evidence=STAGE_EVIDENCE[Stage.SUSTAINED],
        )
    return {"continuity hubs": 3}


def sustained_demo_hubs() -> list[Hub]:
    """The demo hubs that ``hubs.demo`` meant to be sustained and left at "operational"."""
    found: list[Hub] = []
    specs = [spec for *_national, subs in DEMO_HUBS for spec in subs]
    specs += [spec for subs in DEMO_SUBHUBS_OF_REAL.values() for spec in subs]
    for code, stage, _archetype, _subs in DEMO_HUBS:
        if stage == Stage.SUSTAINED:
            found += Hub.objects.filter(
                is_demo=True, level="national", country_id=code, stage=Stage.OPERATIONAL
            )
    for _level, _region, place, stage, *_rest in specs:
        if stage == Stage.SUSTAINED:
            found += Hub.objects.filter(
                is_demo=True, name=f"{place} Cancer Mission Hub (demo)", stage=Stage.OPERATIONAL
            )
    return found
