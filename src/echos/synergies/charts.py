"""Vega-Lite heatmap of the "Cancer in all" matrix and a Vega force graph of synergy links."""

from django.utils.translation import gettext as _

from echos.core.charts import VEGA_LITE_SCHEMA, VEGA_SCHEMA
from echos.core.multilingual import shown


def matrix_spec(cells: list[dict]) -> dict:
    """Activities per (objective, policy area); an empty cell is white with a dashed border and an
    italic bold 0, so it stands out without colour (greyscale print, colour blindness)."""
    zero = "datum.count === 0"
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "data": {"values": cells},
        "width": "container",
        "height": 260,
        "encoding": {
            "x": {
                "field": "area",
                "type": "nominal",
                "title": _("Policy area"),
                "sort": None,
                "axis": {"labelAngle": -50, "labelLimit": 160},
            },
            "y": {
                "field": "objective",
                "type": "nominal",
                "title": _("Mission objective"),
                "sort": None,
                # The title sits level above the labels: turned along the axis it ran into the
                # longest label.
                "axis": {
                    "labelLimit": 150,
                    "titleAngle": 0,
                    "titleAlign": "right",
                    "titleBaseline": "bottom",
                    "titleX": 0,
                    "titleY": -8,
                },
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#999"},
                "encoding": {
                    "color": {
                        "condition": {"test": zero, "value": "#ffffff"},
                        "field": "count",
                        "type": "quantitative",
                        "title": _("Activities"),
                        "scale": {"scheme": "blues", "domainMin": 0},
                    },
                    "stroke": {"condition": {"test": zero, "value": "#8a4b00"}, "value": "#999"},
                    "strokeWidth": {"condition": {"test": zero, "value": 2}, "value": 1},
                    "strokeDash": {"condition": {"test": zero, "value": [5, 3]}, "value": [1, 0]},
                    "tooltip": [{"field": "objective"}, {"field": "area"}, {"field": "count"}],
                },
            },
            {
                "transform": [{"filter": f"!({zero})"}],
                "mark": {"type": "text", "fontSize": 12},
                "encoding": {
                    "text": {"field": "count", "type": "quantitative"},
                    "color": {
                        "condition": {"test": "datum.count > 5", "value": "white"},
                        "value": "#222",
                    },
                },
            },
            {
                "transform": [{"filter": zero}],
                "mark": {
                    "type": "text",
                    "fontSize": 13,
                    "fontWeight": "bold",
                    "fontStyle": "italic",
                    "color": "#8a4b00",
                },
                "encoding": {"text": {"field": "count", "type": "quantitative"}},
            },
        ],
        "config": {"aria": False, "view": {"stroke": None}},
    }


def graph_spec(links) -> dict:
    """Nodes: hubs, activities, initiatives; edges: hub–activity and activity–target (force layout)."""
    nodes: list[dict] = []
    index: dict[str, int] = {}
    edges: list[dict] = []

    def node(key, name, group, url):
        if key not in index:
            index[key] = len(nodes)
            nodes.append({"name": name, "group": group, "url": url})
        return index[key]

    for link in links:
        h = node(f"h{link.hub_id}", link.hub.name_en, "hub", link.hub.get_absolute_url())
        a = node(
            f"a{link.activity_id}",
            str(shown(link.activity, "title")),
            "activity",
            link.activity.get_absolute_url(),
        )
        edges.append({"source": h, "target": a})
        target = link.initiative or link.other_activity
        group = "initiative" if link.initiative else "activity"
        label = str(shown(target, "name" if link.initiative else "title"))
        t = node(f"{group[0]}{target.pk}", label, group, target.get_absolute_url())
        edges.append({"source": a, "target": t})
    return {
        "$schema": VEGA_SCHEMA,
        "width": 760,
        "height": 520,
        "autosize": "none",
        "signals": [{"name": "cx", "update": "width / 2"}, {"name": "cy", "update": "height / 2"}],
        "data": [{"name": "node-data", "values": nodes}, {"name": "link-data", "values": edges}],
        "scales": [
            {
                "name": "color",
                "type": "ordinal",
                "domain": ["hub", "activity", "initiative"],
                "range": ["#08306b", "#6baed6", "#d94801"],
            }
        ],
        "legends": [{"fill": "color", "orient": "top-left", "title": _("Kind")}],
        "marks": [
            {
                "name": "nodes",
                "type": "symbol",
                "zindex": 1,
                "from": {"data": "node-data"},
                "encode": {
                    "enter": {
                        "fill": {"scale": "color", "field": "group"},
                        "stroke": {"value": "white"},
                        "size": {"value": 160},
                        "tooltip": {"field": "name"},
                        "href": {"field": "url"},
                        "cursor": {"value": "pointer"},
                    }
                },
                "transform": [
                    {
                        "type": "force",
                        "iterations": 200,
                        "static": True,
                        "signal": "force",
                        "forces": [
                            {"force": "center", "x": {"signal": "cx"}, "y": {"signal": "cy"}},
                            {"force": "collide", "radius": 10},
                            {"force": "nbody", "strength": -25},
                            {"force": "link", "links": "link-data", "distance": 45},
                        ],
                    }
                ],
            },
            {
                "type": "path",
                "from": {"data": "link-data"},
                "interactive": False,
                "encode": {"update": {"stroke": {"value": "#bbb"}, "strokeWidth": {"value": 1}}},
                "transform": [
                    {
                        "type": "linkpath",
                        "require": {"signal": "force"},
                        "shape": "line",
                        "sourceX": "datum.source.x",
                        "sourceY": "datum.source.y",
                        "targetX": "datum.target.x",
                        "targetY": "datum.target.y",
                    }
                ],
            },
        ],
        "config": {"aria": False},
    }
