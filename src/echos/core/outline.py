"""A country's outline as an SVG path, from the Natural Earth map the site already ships
(``static/geo/europe.topo.json``), to place a point by clicking it.

The projection is plain equirectangular with the longitude scaled by the cosine of the middle
latitude (a country is small enough for that to look right), so a click turns back into latitude
and longitude with two multiplications in the browser: ``lon = west + x / (SCALE * k)``,
``lat = north - y / SCALE``. Islands far from the mainland (the Azores, more than ``NEAR`` degrees
from mainland Portugal) are left out to keep the mainland large enough to click.
"""

import json
import math
from dataclasses import dataclass
from functools import cache

from django import forms

from echos.core.charts import TOPOLOGY_PATH

SCALE = 100  # SVG units per degree of latitude
NEAR = 10.0  # degrees around the largest part within which other parts are drawn


@dataclass(frozen=True)
class Outline:
    """What the map needs: the path, its box and how to turn a point back into coordinates."""

    path: str
    width: float
    height: float
    west: float
    north: float
    k: float  # the longitude's scale, cos(middle latitude)
    centre_lat: float
    centre_lon: float

    def point(self, lat: float | None, lon: float | None) -> tuple[float, float] | None:
        """SVG coordinates of a latitude and longitude (None when either is missing)."""
        if lat is None or lon is None:
            return None
        return round((lon - self.west) * self.k * SCALE, 1), round((self.north - lat) * SCALE, 1)


@cache
def _topology() -> dict:
    return json.loads(TOPOLOGY_PATH.read_text())


def _arc(index: int) -> list[tuple[float, float]]:
    topo = _topology()
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    x = y = 0
    points = []
    for dx, dy in topo["arcs"][index if index >= 0 else ~index]:
        x, y = x + dx, y + dy
        points.append((x * sx + tx, y * sy + ty))
    return points if index >= 0 else points[::-1]


def _ring(indices: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = _arc(index)
        points.extend(arc[1:] if points else arc)
    return points


def _area_and_centre(ring) -> tuple[float, float, float]:
    """Absolute planar area and centroid (lon, lat) of a closed ring."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area / 2), cx / (3 * area), cy / (3 * area)


def _polygons(geometry: dict) -> list[list[list[tuple[float, float]]]]:
    if geometry["type"] == "Polygon":
        return [[_ring(r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[_ring(r) for r in polygon] for polygon in geometry["arcs"]]
    return []


def _box(rings) -> tuple[float, float, float, float]:
    lons = [x for ring in rings for x, _y in ring]
    lats = [y for ring in rings for _x, y in ring]
    return min(lons), min(lats), max(lons), max(lats)


@cache
def country_outline(code: str) -> Outline | None:
    """The outline of a country by ISO 3166-1 alpha-2 code; None when the map does not hold it
    (countries outside Europe's frame: Canada, New Zealand, the Republic of Korea...)."""
    geometry = next(
        (
            g
            for g in _topology()["objects"]["countries"]["geometries"]
            if g.get("id") == (code or "").upper()
        ),
        None,
    )
    polygons = _polygons(geometry) if geometry else []
    if not polygons:
        return None
    main = max(polygons, key=lambda p: _area_and_centre(p[0])[0])
    _area, centre_lon, centre_lat = _area_and_centre(main[0])
    w0, s0, e0, n0 = _box(main)
    near = [
        p
        for p in polygons
        if (box := _box(p))[0] <= e0 + NEAR
        and box[2] >= w0 - NEAR
        and box[1] <= n0 + NEAR
        and box[3] >= s0 - NEAR
    ]
    west, south, east, north = _box([ring for p in near for ring in p])
    k = math.cos(math.radians((north + south) / 2))

    def xy(lon: float, lat: float) -> str:
        return f"{(lon - west) * k * SCALE:.1f},{(north - lat) * SCALE:.1f}"

    path = " ".join(
        "M" + " L".join(xy(lon, lat) for lon, lat in ring) + " Z" for p in near for ring in p
    )
    return Outline(
        path=path,
        width=round((east - west) * k * SCALE, 1),
        height=round((north - south) * SCALE, 1),
        west=west,
        north=north,
        k=k,
        centre_lat=round(centre_lat, 5),
        centre_lon=round(centre_lon, 5),
    )


class PointOnMapInput(forms.NumberInput):
    """The longitude input followed by the country's outline: clicking the outline fills in the
    latitude (``lat_id``) and longitude; both stay visible, labelled fields to type in. Without
    an outline (a country off the map) it is the plain number input."""

    template_name = "core/widgets/point_on_map.html"

    def __init__(self, *, country_code: str, country_name: str, lat_id: str, attrs=None):
        super().__init__(attrs={"step": "any", **(attrs or {})})
        self.country_code = country_code
        self.country_name = country_name
        self.lat_id = lat_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        outline = country_outline(self.country_code)
        context["widget"] |= {
            "outline": outline,
            "marker": round(max(outline.width, outline.height) / 70, 1) if outline else 0,
            "country_name": self.country_name,
            "lat_id": self.lat_id,
            "scale": SCALE,
        }
        return context
