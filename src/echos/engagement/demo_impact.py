"""Demo impact models (labelled demo) for two national demo hubs, for ``echos demo``.

Runs after the engagement records demo: the computed indicators count those records, so they show
figures at once and change as records are added. Titles end in "(demo)", every row has
``is_demo=True``, the hand-entered figures are invented, and no person is named.
"""

from datetime import date

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from echos.engagement import impact, indicators
from echos.engagement.models import LogicElement
from echos.hubs.models import Hub

# stage, title, description, indicators: (name, unit, baseline, target, computation, parameter,
# hand-entered values per half-year, oldest first, or None for computed indicators; accumulation,
# "" for the default: cumulative when computed, per period when entered). Cumulative indicators run
# from the start of the quarter a year ago, when the demo records begin.
IndicatorSpec = tuple[str, str, float, float, str, str, list[float] | None, str]
MODEL: list[tuple[str, str, str, list[IndicatorSpec]]] = [
    (
        "inputs",
        "Coordination team and seed funding",
        "A small secretariat hosted by a member, funded for three years.",
        [("Coordination staff", "FTE", 1, 3, "", "", [1, 1.5, 2], "")],
    ),
    (
        "activities",
        "Citizen dialogues in the regions",
        "Open evenings where citizens discuss the Mission's objectives with the hub.",
        [
            ("Citizen dialogues held", "dialogues", 0, 20, "citizen_dialogues_held", "", None, ""),
            (
                "Citizen dialogues per quarter",
                "dialogues",
                0,
                2,
                "citizen_dialogues_held",
                "",
                None,
                "per_period",
            ),
        ],
    ),
    (
        "outputs",
        "Patients and citizens engaged",
        "Patient organisations and citizens take part in the hub's work, not only hear of it.",
        [
            (
                "Patient organisations engaged at 'involve' or above",
                "organisations",
                0,
                6,
                "patient_organisations_involved",
                "",
                None,
                "",
            ),
            (
                "Citizens taking part",
                "participants",
                0,
                1000,
                "participants_from_group",
                "citizens",
                None,
                "",
            ),
            (
                "Engagements reaching patients",
                "records",
                0,
                20,
                "records_reaching_group",
                "patients",
                None,
                "",
            ),
            (
                "Organisations engaged",
                "organisations",
                0,
                15,
                "organisations_engaged",
                "",
                None,
                "",
            ),
        ],
    ),
    (
        "outcomes",
        "Hub priorities shaped by patients",
        "The hub's yearly priorities are decided together with patient organisations.",
        [
            (
                "Priorities co-decided with patient organisations",
                "priorities",
                0,
                8,
                "",
                "",
                [1, 2, 2],
                "cumulative",  # each half-year's entry counts the priorities decided in it
            )
        ],
    ),
    (
        "impact",
        "More equitable access to screening",
        "The gap in screening participation between the country's regions narrows.",
        [
            (
                "Gap in screening participation between regions",
                "percentage points",
                12,
                6,
                "",
                "",
                [12, 11, 10],
                "",  # a level measured each half-year: per period
            )
        ],
    ),
]


def _half_years(today: date, n: int) -> list[tuple[date, date]]:
    """The ``n`` complete half-years before ``today``, oldest first."""
    end_year, first_half = today.year, today.month <= 6
    periods = []
    year, half = (end_year - 1, 2) if first_half else (end_year, 1)
    for _i in range(n):
        start = date(year, 1 if half == 1 else 7, 1)
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        periods.append((start, end))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return periods[::-1]


def demo_hubs() -> list[Hub]:
    """Two national demo hubs, those with the most demo engagement records first."""
    return list(
        Hub.objects.filter(is_demo=True, level="national")
        .annotate(n=Count("engagement_records"))
        .order_by("-n", "pk")[:2]
    )


@transaction.atomic
def load_demo() -> dict[str, int]:
    """An impact model with computed and hand-entered indicators on two demo hubs (idempotent)."""
    today = timezone.localdate()
    since = indicators.quarter_start(date.fromordinal(today.toordinal() - 365))
    counts = {"impact_elements": 0, "impact_indicators": 0, "impact_values": 0}
    for hub in demo_hubs():
        if LogicElement.objects.filter(hub=hub, is_demo=True).exists():
            continue
        for position, (stage, title, description, items) in enumerate(MODEL):
            element = impact.save_element(
                actor=None,
                hub=hub,
                stage=stage,
                title=f"{title} (demo)",
                description=f"Demo element with invented content. {description}",
                position=position,
                is_demo=True,
            )
            counts["impact_elements"] += 1
            for i, spec in enumerate(items):
                name, unit, baseline, target, code, parameter, values, accumulation = spec
                indicator = impact.save_indicator(
                    actor=None,
                    element=element,
                    name=f"{name} (demo)",
                    unit=unit,
                    baseline=baseline,
                    target=target,
                    target_date=date(today.year + 1, 12, 31),
                    computation=code,
                    parameter=parameter,
                    accumulation=accumulation,
                    baseline_date=since if code else None,
                    position=i,
                    is_demo=True,
                )
                counts["impact_indicators"] += 1
                for (start, end), actual in zip(
                    _half_years(today, len(values or [])), values or [], strict=True
                ):
                    impact.save_value(
                        actor=None,
                        indicator=indicator,
                        period_start=start,
                        period_end=end,
                        actual=actual,
                        note="Invented demo figure.",
                    )
                    counts["impact_values"] += 1
    return counts
