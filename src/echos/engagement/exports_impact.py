"""Export of a hub's impact model: one row per indicator per period, the figures of the page.

Public like the page: aims, indicators and counts, never a person. The rows come from
``impact.impact_model`` itself, so the file and the page cannot disagree; numbers stay numbers
(XLSX cells are numeric), text that would start a formula is neutralised by ``write``
(``echos.core.spreadsheets``).
"""

from collections.abc import Iterator
from decimal import Decimal

from echos.engagement import exports_register, impact
from echos.hubs.models import Hub

HEADER = [
    "stage",
    "element",
    "indicator",
    "unit",
    "baseline",
    "target",
    "target_date",
    "computation",
    "parameter",
    "accumulation",
    "baseline_date",
    "period_start",
    "period_end",
    "actual",
    "cumulative",
    "percent_of_target",
]


def number(value: Decimal | None) -> int | float | None:
    """A whole number as an int, other amounts as floats (two decimals at most), empty as None."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def rows(model: impact.ImpactModel) -> Iterator[list]:
    """Per indicator, one row per period (an indicator without any period gets one row)."""
    for column in model.columns:
        for element_view in column.elements:
            for view in element_view.indicators:
                i = view.indicator
                head = [
                    column.stage,
                    element_view.element.title,
                    i.name,
                    i.unit,
                    number(i.baseline),
                    number(i.target),
                    i.target_date.isoformat() if i.target_date else "",
                    i.computation,
                    i.parameter,
                    i.accumulation,
                    i.baseline_date.isoformat() if i.baseline_date else "",
                ]
                if not view.periods:
                    yield [*head, "", "", None, None, None]
                for p in view.periods:
                    yield [
                        *head,
                        p.start.isoformat(),
                        p.end.isoformat(),
                        number(p.actual),
                        number(p.cumulative),
                        p.percent,
                    ]


def export(hub: Hub, fmt: str) -> bytes:
    """The hub's impact model as CSV or XLSX bytes (``fmt`` "csv" or "xlsx")."""
    model = impact.impact_model(hub)
    if fmt == "xlsx":  # empty cells stay empty; "" would be a text cell
        cells = ([None if v == "" else v for v in row] for row in rows(model))
    else:
        cells = (["" if v is None else v for v in row] for row in rows(model))
    return exports_register.write(HEADER, cells, fmt, "indicators")


CONTENT_TYPES = exports_register.CONTENT_TYPES


def filename(hub: Hub, fmt: str) -> str:
    return f"impact-model-hub-{hub.pk}.{fmt}"
