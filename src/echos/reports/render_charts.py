"""Charts of the reports rendered on the server (vl-convert: Vega-Lite to SVG, no browser).

The page charts are Vega-Lite specs shown by vega-embed; a PDF cannot run JavaScript, so the same
kind of spec is rendered here to SVG with vl-convert's embedded engine. Specs get a fixed width
(no container to fit) and inline data (the map's TopoJSON is read from the package, never a URL).
"""

from __future__ import annotations

import base64
import json
from functools import cache

import vl_convert as vlc
from django.conf import settings
from django.test.utils import override_settings

from echos.core import charts as core_charts
from echos.hubs.charts import STAGE_COLOURS
from echos.hubs.models import Stage

PLAIN_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
FONT = "DejaVu Sans"
BLUE = "#1f4e8c"
GREY = "#9aa5b1"


@cache
def _topology() -> dict:
    return json.loads(core_charts.TOPOLOGY_PATH.read_text())


def _inline(spec: dict, *, width: int) -> dict:
    """A page spec made printable: fixed width, inline map data, the report's font."""
    spec = json.loads(json.dumps(spec))  # deep copy, lazily translated strings made text
    spec["width"] = width
    spec.pop("autosize", None)
    for layer in spec.get("layer", []):
        data = layer.get("data", {})
        if "url" in data and data.get("format", {}).get("type") == "topojson":
            layer["data"] = {"values": _topology(), "format": data["format"]}
        encoding = layer.get("encoding", {})
        encoding.pop("href", None)
        encoding.pop("tooltip", None)
        if isinstance(layer.get("mark"), dict):
            layer["mark"].pop("cursor", None)
    config = spec.setdefault("config", {})
    config["font"] = FONT
    config["background"] = "white"
    return spec


def svg(spec: dict, *, width: int = 620) -> str:
    """The SVG text of a Vega-Lite spec."""
    return vlc.vegalite_to_svg(_inline(spec, width=width))


def data_uri(svg_text: str) -> str:
    """An SVG as a data URI for an ``<img>`` of the PDF's HTML."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode()).decode()


def europe_map(rows: list[dict], *, title: str, detail_title: str) -> str:
    """Europe coloured by each MS/AC country's national-hub stage (the page map's spec)."""
    values = [{**r, "category": r["stage_label"], "detail": r["hub"], "url": ""} for r in rows]

    def build() -> dict:
        return core_charts.choropleth_spec(
            values,
            title=title,
            domain=[str(s.label) for s in Stage],
            colours=[STAGE_COLOURS[s] for s in Stage],
            detail_title=detail_title,
        )

    try:
        spec = build()
    except ValueError:
        # The page spec names the map's static URL; a worker whose static files were never
        # collected (manifest storage) cannot resolve it. The URL is replaced by the inline
        # topology below anyway, so resolve it with the plain storage.
        plain = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STORAGE}}
        with override_settings(STORAGES=plain):
            spec = build()
    spec["height"] = 520
    spec["layer"][1]["encoding"]["color"]["legend"] = {
        "orient": "top-left",
        "labelLimit": 240,
        "titleLimit": 300,
        "fillColor": "white",
        "padding": 6,
    }
    return svg(spec, width=620)


def bar_chart(figures: list[tuple[str, float]], *, unit: str) -> str:
    """Horizontal bars of a KPI's breakdown, labelled with their values."""
    values = [{"label": label, "value": value} for label, value in figures]
    spec = core_charts.vega_lite_base(values)
    y = {"field": "label", "type": "nominal", "sort": None, "title": None,
         "axis": {"labelLimit": 230}}  # fmt: skip
    x = {"field": "value", "type": "quantitative", "title": unit}
    spec.update(
        height=max(40, 22 * len(values)),
        layer=[
            {"mark": {"type": "bar", "color": BLUE}, "encoding": {"y": y, "x": x}},
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
                "encoding": {"y": y, "x": x, "text": {"field": "value", "type": "quantitative"}},
            },
        ],
    )
    return svg(spec, width=470)


def line_chart(points: list[tuple[str, float]], *, unit: str) -> str:
    """A KPI's monthly series (month as YYYY-MM, value)."""
    values = [{"month": month, "value": value} for month, value in points]
    spec = core_charts.vega_lite_base(values)
    spec.update(
        height=140,
        mark={"type": "line", "point": True, "color": BLUE},
        encoding={
            "x": {"field": "month", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": unit},
        },
    )
    return svg(spec, width=470)
