"""Vega-Lite bar charts of consultation results, one per choice or scale question."""

from django.utils.translation import gettext as _

from echos.core.charts import VEGA_LITE_SCHEMA


def question_spec(result: dict) -> dict:
    """Horizontal bars: answers per option of one question, with the share in the tooltip."""
    values = [
        {"label": row["label"], "count": row["count"], "share": row["share"]}
        for row in result["rows"]
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "data": {"values": values},
        "width": "container",
        "height": max(60, 28 * len(values)),
        "mark": {"type": "bar", "color": "#2171b5"},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 260},
            },
            "x": {
                "field": "count",
                "type": "quantitative",
                "title": _("Answers"),
                "axis": {"tickMinStep": 1},
            },
            "tooltip": [
                {"field": "label", "title": _("Option")},
                {"field": "count", "title": _("Answers")},
                {"field": "share", "title": _("Share of respondents (%)")},
            ],
        },
        "config": {"aria": False},
    }
