"""Vega and Vega-Lite specifications for maturity pictures."""

from django.utils.translation import gettext as _

from echos.core.charts import VEGA_LITE_SCHEMA, VEGA_SCHEMA

SERIES_COLOURS = ["#08306b", "#d94801", "#238b45"]


def radar_spec(dimensions: list[tuple[str, str]], series: list[tuple[str, dict]]) -> dict:
    """A radar (Vega) of levels 0–5 per dimension; ``series`` = [(name, {dimension: level})].

    A missing level (None: not scored, or a median withheld over too few hubs) is left out rather
    than drawn as 0.
    """
    values = [
        {"key": title, "value": float(levels[code]), "category": name}
        for name, levels in series
        for code, title in dimensions
        if levels.get(code) is not None
    ]
    return {
        "$schema": VEGA_SCHEMA,
        "width": 300,
        "height": 300,
        "autosize": {"type": "none", "contains": "content"},
        "padding": {"left": 150, "right": 150, "top": 40, "bottom": 40},
        "signals": [{"name": "radius", "update": "width / 2"}],
        "data": [
            {"name": "table", "values": values},
            {"name": "keys", "values": [{"key": title} for _code, title in dimensions]},
            {"name": "rings", "values": [{"r": r} for r in range(1, 6)]},
        ],
        "scales": [
            {
                "name": "angular",
                "type": "point",
                "range": {"signal": "[-PI, PI]"},
                "padding": 0.5,
                "domain": [title for _code, title in dimensions],
            },
            {
                "name": "radial",
                "type": "linear",
                "range": {"signal": "[0, radius]"},
                "zero": True,
                "nice": False,
                "domain": [0, 5],
            },
            {
                "name": "color",
                "type": "ordinal",
                "domain": [name for name, _levels in series],
                "range": SERIES_COLOURS[: len(series)],
            },
        ],
        "encode": {"enter": {"x": {"signal": "radius"}, "y": {"signal": "radius"}}},
        "marks": [
            {
                "type": "group",
                "name": "categories",
                "zindex": 1,
                "from": {"facet": {"data": "table", "name": "facet", "groupby": ["category"]}},
                "marks": [
                    {
                        "type": "line",
                        "name": "category-line",
                        "from": {"data": "facet"},
                        "encode": {
                            "enter": {
                                "interpolate": {"value": "linear-closed"},
                                "x": {
                                    "signal": "scale('radial', datum.value) * cos(scale('angular', datum.key))"
                                },
                                "y": {
                                    "signal": "scale('radial', datum.value) * sin(scale('angular', datum.key))"
                                },
                                "stroke": {"scale": "color", "field": "category"},
                                "strokeWidth": {"value": 2},
                                "fill": {"scale": "color", "field": "category"},
                                "fillOpacity": {"value": 0.08},
                            }
                        },
                    },
                    {
                        "type": "symbol",
                        "from": {"data": "facet"},
                        "encode": {
                            "enter": {
                                "x": {
                                    "signal": "scale('radial', datum.value) * cos(scale('angular', datum.key))"
                                },
                                "y": {
                                    "signal": "scale('radial', datum.value) * sin(scale('angular', datum.key))"
                                },
                                "fill": {"scale": "color", "field": "category"},
                                "size": {"value": 40},
                                "tooltip": {
                                    "signal": "datum.category + ' — ' + datum.key + ': ' + datum.value"
                                },
                            }
                        },
                    },
                ],
            },
            {
                "type": "rule",
                "from": {"data": "keys"},
                "zindex": 0,
                "encode": {
                    "enter": {
                        "x": {"value": 0},
                        "y": {"value": 0},
                        "x2": {"signal": "radius * cos(scale('angular', datum.key))"},
                        "y2": {"signal": "radius * sin(scale('angular', datum.key))"},
                        "stroke": {"value": "#999"},
                        "strokeWidth": {"value": 1},
                    }
                },
            },
            {
                "type": "symbol",
                "from": {"data": "rings"},
                "zindex": 0,
                "encode": {
                    "enter": {
                        "x": {"value": 0},
                        "y": {"value": 0},
                        "shape": {"value": "circle"},
                        "size": {"signal": "pow(2 * scale('radial', datum.r), 2)"},
                        "fill": {"value": None},
                        "stroke": {"value": "#ddd"},
                    }
                },
            },
            {
                "type": "text",
                "from": {"data": "keys"},
                "zindex": 1,
                "encode": {
                    "enter": {
                        "x": {"signal": "(radius + 8) * cos(scale('angular', datum.key))"},
                        "y": {"signal": "(radius + 8) * sin(scale('angular', datum.key))"},
                        "text": {"field": "key"},
                        "fontSize": {"value": 11},
                        "limit": {"value": 145},
                        "align": [
                            {"test": "abs(scale('angular', datum.key)) > PI / 2", "value": "right"},
                            {"value": "left"},
                        ],
                        "baseline": [
                            {"test": "scale('angular', datum.key) > 0", "value": "top"},
                            {"test": "scale('angular', datum.key) == 0", "value": "middle"},
                            {"value": "bottom"},
                        ],
                        "fill": {"value": "#222"},
                    }
                },
            },
        ],
        "config": {"aria": False},
    }


def radar_legend(series: list[tuple[str, dict]]) -> list[dict]:
    """Name and colour of each radar series, for the HTML legend beside the chart."""
    return [
        {"name": name, "colour": colour}
        for (name, _levels), colour in zip(series, SERIES_COLOURS, strict=False)
    ]


def distribution_spec(rows: list[dict]) -> dict:
    """Hubs per level, one small bar chart per dimension (Vega-Lite facets)."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "data": {"values": rows},
        "facet": {"field": "dimension", "type": "nominal", "title": None, "sort": None},
        "columns": 4,
        "spec": {
            "width": 170,
            "height": 110,
            "mark": {"type": "bar", "color": "#2171b5"},
            "encoding": {
                "x": {"field": "level", "type": "ordinal", "title": _("Level")},
                "y": {"field": "hubs", "type": "quantitative", "title": _("Hubs")},
                "tooltip": [
                    {"field": "label", "title": _("Level")},
                    {"field": "hubs", "title": _("Hubs")},
                ],
            },
        },
        "config": {"aria": False},
    }
