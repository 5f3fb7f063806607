"""Vega-Lite specifications for the Europe map and the regional map of a hub."""

from django.utils.translation import gettext as _

from echos.core import charts as core_charts
from echos.core.charts import choropleth_spec
from echos.hubs.models import Level, Stage

# Pale orange marks a country left behind; blues darken as a hub matures. Each stage is one clear
# step darker than the one before (CIE L* 93, 83, 71, 59, 47, 34, 21), so neighbouring stages
# stay apart in greyscale and for colour-blind readers; echos.css uses the same colours.
STAGE_COLOURS = {
    Stage.NO_STRUCTURE: "#fee6ce",
    Stage.EXPLORING: "#bad1ea",
    Stage.INCEPTION_DIALOGUE: "#90b0d9",
    Stage.ESTABLISHMENT: "#6391c7",
    Stage.LAUNCHED: "#2773b6",
    Stage.OPERATIONAL: "#165190",
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
