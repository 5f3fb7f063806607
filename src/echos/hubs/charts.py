"""Vega-Lite specifications for the Europe map and the regional map of a hub."""

from django.utils.translation import gettext as _

from echos.core import charts as core_charts
from echos.core.charts import choropleth_spec
from echos.hubs.models import Level, Stage

# Light orange marks a country left behind; blues darken as a hub matures.
STAGE_COLOURS = {
    Stage.NO_STRUCTURE: "#fdd0a2",
    Stage.EXPLORING: "#deebf7",
    Stage.INCEPTION_DIALOGUE: "#c6dbef",
    Stage.ESTABLISHMENT: "#9ecae1",
    Stage.LAUNCHED: "#6baed6",
    Stage.OPERATIONAL: "#2171b5",
    Stage.SUSTAINED: "#08306b",
}


def europe_map_spec(rows: list[dict]) -> dict:
    """Europe coloured by each MS/AC country's national-hub stage; other countries grey."""
    return choropleth_spec(
        [{**r, "category": r["stage_label"], "detail": r["hub"]} for r in rows],
        title=_("Stage of the national hub"),
        domain=[str(s.label) for s in Stage],
        colours=[STAGE_COLOURS[s] for s in Stage],
        detail_title=_("National hub"),
    )


def country_map_spec(country_code: str, points: list[dict]) -> dict:
    """One country's outline with its regional and local hubs as points."""
    return core_charts.country_map_spec(
        country_code,
        points,
        encoding={
            "color": {
                "field": "level_label",
                "type": "nominal",
                "title": _("Level"),
                "scale": {
                    "domain": [str(level.label) for level in Level],
                    "range": ["#08306b", "#d94801", "#238b45"],
                },
            },
            "tooltip": [
                {"field": "name", "title": _("Hub")},
                {"field": "level_label", "title": _("Level")},
            ],
            "href": {"field": "url"},
        },
    )
