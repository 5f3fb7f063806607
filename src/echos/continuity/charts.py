"""Vega-Lite specs of the continuity pages: projection, runway fan, heat map, scenarios, map."""

from django.utils.translation import gettext as _

from echos.core.charts import choropleth_spec, vega_lite_base


def projection_spec(rows: list[dict]) -> dict:
    """Balance per month (line) with income and costs; rows: month, balance, income, costs."""
    spec = vega_lite_base(rows)
    spec.update(
        height=260,
        mark={"type": "line", "point": False},
        encoding={
            "x": {
                "field": "month",
                "type": "ordinal",
                "title": _("Month"),
                "axis": {"labelAngle": -45},
            },
            "y": {"field": "balance", "type": "quantitative", "title": _("Balance (EUR)")},
        },
    )
    return spec


def fan_spec(rows: list[dict]) -> dict:
    """The runway fan: p10–p90 band and the median balance per month."""
    spec = vega_lite_base(rows)
    x = {"field": "month", "type": "ordinal", "title": _("Month"), "axis": {"labelAngle": -45}}
    spec.update(
        height=260,
        layer=[
            {
                "mark": {"type": "area", "opacity": 0.3, "color": "#2171b5"},
                "encoding": {
                    "x": x,
                    "y": {"field": "p10", "type": "quantitative", "title": _("Balance (EUR)")},
                    "y2": {"field": "p90"},
                },
            },
            {
                "mark": {"type": "line", "color": "#08306b"},
                "encoding": {"x": x, "y": {"field": "p50", "type": "quantitative"}},
            },
            {"mark": {"type": "rule", "color": "#d94801"}, "encoding": {"y": {"datum": 0}}},
        ],
    )
    return spec


def heat_spec(cells: list[dict]) -> dict:
    """5×5 likelihood × impact grid with the number of risks in each cell."""
    spec = vega_lite_base(cells)
    enc = {
        "x": {"field": "impact", "type": "ordinal", "title": _("Impact")},
        "y": {
            "field": "likelihood",
            "type": "ordinal",
            "sort": "descending",
            "title": _("Likelihood"),
        },
    }
    spec.update(
        height=240,
        layer=[
            {
                "mark": "rect",
                "encoding": {
                    **enc,
                    "color": {
                        "field": "score",
                        "type": "quantitative",
                        "scale": {"scheme": "orangered"},
                        "title": _("Likelihood × impact"),
                    },
                },
            },
            {
                "mark": {"type": "text"},
                "encoding": {**enc, "text": {"field": "count", "type": "quantitative"}},
            },
        ],
    )
    return spec


def scenarios_spec(rows: list[dict]) -> dict:
    """Runway in months per scenario."""
    spec = vega_lite_base(rows)
    spec.update(
        height=200,
        mark="bar",
        encoding={
            "y": {"field": "name", "type": "nominal", "title": _("Scenario"), "sort": None},
            "x": {"field": "runway", "type": "quantitative", "title": _("Runway (months)")},
        },
    )
    return spec


def score_map_spec(rows: list[dict]) -> dict:
    """Europe coloured by the mean continuity score of each country's hubs."""
    bands = [_("0–39"), _("40–59"), _("60–79"), _("80–100")]

    def band(score: int) -> str:
        return str(bands[0 if score < 40 else 1 if score < 60 else 2 if score < 80 else 3])

    return choropleth_spec(
        [{**r, "category": band(r["score"]), "detail": r["score"]} for r in rows],
        title=_("Continuity score"),
        domain=[str(b) for b in bands],
        colours=["#d94801", "#fdae6b", "#9ecae1", "#08519c"],
        detail_title=_("Mean score"),
    )
