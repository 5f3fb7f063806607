"""Vega-Lite specs of the coverage page: Penta Helix balance, trend by quarter, regional map.

Each chart has a table beside it on the page with the same figures (the chart is an image).
"""

from django.utils.translation import gettext as _

from echos.core import charts
from echos.engagement.coverage import RegionalSpread, SectorBalance, Trend

SECTOR_COLOURS = ["#1b6ca8", "#7b3294", "#d95f02", "#1b9e77", "#e7298a"]


def balance_spec(balance: SectorBalance) -> dict:
    """Stacked bars: each quarter's group reaches split by sector, as shares of 100 %."""
    values = [
        {"quarter": q.label, "sector": str(s.label), "reaches": n}
        for q in balance.quarters
        for s, n in zip(balance.sectors, q.counts, strict=True)
    ]
    return {
        **charts.vega_lite_base(values),
        "height": 260,
        "mark": "bar",
        "encoding": {
            "x": {"field": "quarter", "type": "ordinal", "title": _("Quarter"), "sort": None},
            "y": {
                "aggregate": "sum",
                "field": "reaches",
                "type": "quantitative",
                "stack": "normalize",
                "title": _("Share of the stakeholder groups reached"),
                "axis": {"format": "%"},
            },
            "color": {
                "field": "sector",
                "type": "nominal",
                "title": _("Penta Helix sector"),
                "sort": [str(s.label) for s in balance.sectors],
                "scale": {
                    "domain": [str(s.label) for s in balance.sectors],
                    "range": SECTOR_COLOURS,
                },
                "legend": {"orient": "bottom", "columns": 2},
            },
            "tooltip": [
                {"field": "quarter", "title": _("Quarter")},
                {"field": "sector", "title": _("Penta Helix sector")},
                {"field": "reaches", "title": _("Group reaches")},
            ],
        },
    }


def trend_spec(trend: Trend) -> dict:
    """Records per quarter, stacked by engagement level."""
    values = [
        {"quarter": q.label, "level": level.display, "records": n}
        for q in trend.quarters
        for level, n in zip(trend.levels, q.by_level, strict=True)
    ]
    order = [t.display for t in trend.levels]
    return {
        **charts.vega_lite_base(values),
        "height": 240,
        "mark": "bar",
        "encoding": {
            "x": {"field": "quarter", "type": "ordinal", "title": _("Quarter"), "sort": None},
            "y": {
                "aggregate": "sum",
                "field": "records",
                "type": "quantitative",
                "title": _("Records held"),
            },
            "color": {
                "field": "level",
                "type": "ordinal",
                "title": _("Engagement level"),
                "sort": order,
                "scale": {"domain": order, "scheme": "blues"},
                "legend": {"orient": "bottom", "columns": 3},
            },
            "tooltip": [
                {"field": "quarter", "title": _("Quarter")},
                {"field": "level", "title": _("Engagement level")},
                {"field": "records", "title": _("Records held")},
            ],
        },
    }


def regions_spec(hub, spread: RegionalSpread) -> dict:
    """The country's outline with a circle per located region, sized by its records."""
    points = [
        {
            "region": r.region.display_name,
            "records": r.records,
            "latitude": r.latitude,
            "longitude": r.longitude,
        }
        for r in spread.rows
        if r.latitude is not None and r.longitude is not None
    ]
    return charts.country_map_spec(
        hub.country_id,
        points,
        encoding={
            "size": {
                "field": "records",
                "type": "quantitative",
                "title": _("Records held"),
                "scale": {"range": [40, 900]},
            },
            "color": {
                "condition": {"test": "datum.records == 0", "value": "#d7301f"},
                "value": "#1b6ca8",
            },
            "tooltip": [
                {"field": "region", "title": _("Region")},
                {"field": "records", "title": _("Records held")},
            ],
        },
    )
