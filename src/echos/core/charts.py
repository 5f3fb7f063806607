"""Vega and Vega-Lite building blocks shared by every app's charts: schemas and the Europe maps."""

import json
from pathlib import Path

from django.templatetags.static import static
from django.utils.translation import gettext as _

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


def vega_lite_base(values: list[dict]) -> dict:
    """A container-wide Vega-Lite chart over ``values``, with no ARIA of its own."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        # The container is the image (role=img with a label); the table beside it has the data.
        "config": {"aria": False, "view": {"stroke": None}},
    }


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
                        # Above the map, one entry per line: inside the map's corner it covered
                        # countries, and a long label ran past a phone's edge.
                        "legend": {
                            "orient": "top",
                            "direction": "vertical",
                            "labelLimit": 220,
                            "symbolType": "square",
                            "symbolStrokeColor": "#333333",
                            "symbolStrokeWidth": 1,
                        },
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


def country_map_spec(country_code: str, points: list[dict], *, encoding: dict) -> dict:
    """One country's outline with ``points`` (longitude, latitude) drawn with ``encoding``."""
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
                    **encoding,
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
