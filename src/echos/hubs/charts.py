"""Vega-Lite specifications for the Europe map and the regional map of a hub."""

import json
from pathlib import Path

from django.templatetags.static import static
from django.utils.translation import gettext as _

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
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
VEGA_SCHEMA = "https://vega.github.io/schema/vega/v6.json"
TOPOLOGY_PATH = Path(__file__).resolve().parent.parent / "static" / "geo" / "europe.topo.json"


def _map_codes() -> frozenset[str]:
    """ISO alpha-2 codes drawn on the shipped Europe map (others are listed beside it)."""
    topo = json.loads(TOPOLOGY_PATH.read_text())
    return frozenset(g["id"] for g in topo["objects"]["countries"]["geometries"])


MAP_CODES = _map_codes()


def _topology() -> dict:
    return {
        "url": static("geo/europe.topo.json"),
        "format": {"type": "topojson", "feature": "countries"},
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


def choropleth_spec(
    rows: list[dict], *, title: str, domain: list[str], colours: list[str], detail_title: str
) -> dict:
    """Europe with MS/AC countries coloured by ``category``; rows carry code, country, detail, url."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "width": "container",
        "height": 560,
        "autosize": {"type": "fit", "contains": "padding"},
        "projection": {"type": "conicConformal", "parallels": [35, 65], "rotate": [-10, 0]},
        "layer": [
            {
                "data": _topology(),
                "mark": {
                    "type": "geoshape",
                    "fill": "#cfcfcf",
                    "stroke": "#ffffff",
                    "strokeWidth": 0.5,
                },
            },
            {
                "data": _topology(),
                "transform": [
                    {
                        "lookup": "id",
                        "from": {
                            "data": {"values": rows},
                            "key": "code",
                            "fields": ["country", "category", "detail", "url"],
                        },
                    },
                    {"filter": "datum.category != null"},
                ],
                "mark": {
                    "type": "geoshape",
                    "stroke": "#333333",
                    "strokeWidth": 0.6,
                    "cursor": "pointer",
                },
                "encoding": {
                    "color": {
                        "field": "category",
                        "type": "nominal",
                        "title": title,
                        "scale": {"domain": domain, "range": colours},
                        "legend": {"orient": "top-left", "labelLimit": 220},
                    },
                    "tooltip": [
                        {"field": "country", "title": _("Country")},
                        {"field": "category", "title": title},
                        {"field": "detail", "title": detail_title},
                    ],
                    "href": {"field": "url"},
                },
            },
        ],
        # The container is the image (role=img with a label) and a table carries the data.
        "config": {
            "aria": False,
            "view": {"stroke": None},
            "legend": {"titleFontSize": 13, "labelFontSize": 12},
        },
    }


def country_map_spec(country_code: str, points: list[dict]) -> dict:
    """One country's outline with its regional and local hubs as points."""
    layers = [
        {
            "data": _topology(),
            "transform": [{"filter": {"field": "id", "equal": country_code}}],
            "mark": {"type": "geoshape", "fill": "#deebf7", "stroke": "#333333"},
        }
    ]
    if points:
        layers.append(
            {
                "data": {"values": points},
                "mark": {
                    "type": "circle",
                    "size": 120,
                    "stroke": "#ffffff",
                    "strokeWidth": 1,
                    "cursor": "pointer",
                },
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
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
            }
        )
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "width": "container",
        "height": 360,
        "autosize": {"type": "fit", "contains": "padding"},
        "projection": {"type": "mercator"},
        "layer": layers,
        "config": {"aria": False, "view": {"stroke": None}},
    }
