"""Vega-Lite specifications of the participation gap dashboard; every chart has a table beside it."""

from django.utils.translation import gettext as _

from echos.core.charts import choropleth_spec, vega_lite_base

# Orange for the public, dark blue for professionals: distinct for common colour-vision deficiencies,
# and the tables beside the charts carry every number anyway.
PUBLIC_COLOUR = "#d94801"
PROFESSIONAL_COLOUR = "#08306b"
NOT_STATED_COLOUR = "#bdbdbd"
ATTENDED_COLOUR = "#238b45"
BAR_HEIGHT = 26


# The page draws each chart's legend as a list above it (``legend``): a legend drawn by Vega
# starts where the bars start, after the longest label, and ran past a phone's edge.
def legend(key: str) -> list[tuple[str, str]]:
    """(label, CSS class of the swatch) of the legend of the chart ``key``."""
    if key == "audience":
        return [(_("Registrations"), "swatch-professionals"), (_("Attended"), "swatch-attended")]
    return [
        (_("The public"), "swatch-public"),
        (_("Professionals"), "swatch-professionals"),
        (_("Not stated"), "swatch-not-stated"),
    ]


def _number(value) -> int | None:
    """A count for a chart, or None for one published as "<N" (the chart leaves it out)."""
    return value if isinstance(value, int) else None


def _split_values(rows) -> tuple[list[dict], list[str], list[str]]:
    """Long-form values (one per row and audience group) with the group domain and colours."""
    groups = [
        (_("The public"), "public", PUBLIC_COLOUR),
        (_("Professionals"), "professionals", PROFESSIONAL_COLOUR),
        (_("Not stated"), "not_stated", NOT_STATED_COLOUR),
    ]
    values = [
        {"label": r.label, "group": name, "rank": rank, "value": _number(getattr(r, attr))}
        for r in rows
        for rank, (name, attr, _colour) in enumerate(groups)
    ]
    return values, [g[0] for g in groups], [g[2] for g in groups]


def month_spec(rows) -> dict:
    """Registrations per month, stacked: the public, professionals, not stated."""
    values, domain, colours = _split_values(rows)
    return {
        **vega_lite_base(values),
        "height": 260,
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {
                "field": "label",
                "type": "ordinal",
                "sort": [r.label for r in rows],
                "title": _("Month"),
                "axis": {"labelAngle": -45},
            },
            "y": {"field": "value", "type": "quantitative", "title": _("Registrations")},
            "color": {
                "field": "group",
                "type": "nominal",
                "title": _("Participants"),
                "scale": {"domain": domain, "range": colours},
                "legend": None,
            },
            "order": {"field": "rank", "type": "ordinal"},
            "tooltip": [
                {"field": "label", "title": _("Month")},
                {"field": "group", "title": _("Participants")},
                {"field": "value", "title": _("Registrations")},
            ],
        },
    }


def split_spec(rows) -> dict:
    """Registrations per category (objective, language...), stacked by audience group."""
    values, domain, colours = _split_values(rows)
    return {
        **vega_lite_base(values),
        "height": max(BAR_HEIGHT * len(rows), 60),
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": [r.label for r in rows],
                "title": None,
                "axis": {"labelLimit": 180},
            },
            "x": {"field": "value", "type": "quantitative", "title": _("Registrations")},
            "color": {
                "field": "group",
                "type": "nominal",
                "title": _("Participants"),
                "scale": {"domain": domain, "range": colours},
                "legend": None,
            },
            "order": {"field": "rank", "type": "ordinal"},
            "tooltip": [
                {"field": "label", "title": ""},
                {"field": "group", "title": _("Participants")},
                {"field": "value", "title": _("Registrations")},
            ],
        },
    }


def attendance_spec(rows) -> dict:
    """Registrations beside attendance for each audience, as paired horizontal bars."""
    registered, attended = _("Registrations"), _("Attended")
    values = [
        {"label": r.label, "measure": name, "value": value}
        for r in rows
        for name, value in (
            (registered, _number(r.registrations)),
            (attended, _number(r.attendance)),
        )
    ]
    return {
        **vega_lite_base(values),
        "height": max(2 * BAR_HEIGHT * len(rows), 60),
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": [r.label for r in rows],
                "title": None,
                "axis": {"labelLimit": 180},
            },
            "yOffset": {"field": "measure", "sort": [registered, attended]},
            "x": {"field": "value", "type": "quantitative", "title": _("Participants")},
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [registered, attended],
                    "range": [PROFESSIONAL_COLOUR, ATTENDED_COLOUR],
                },
                "legend": None,
            },
            "tooltip": [
                {"field": "label", "title": _("Audience")},
                {"field": "measure", "title": ""},
                {"field": "value", "title": _("Participants")},
            ],
        },
    }


def map_spec(rows: list[dict], categories: list[str], colours: list[str]) -> dict:
    """Europe coloured by the number of citizen events in each MS/AC country."""
    return choropleth_spec(
        rows,
        title=_("Citizen events"),
        domain=categories,
        colours=colours,
        detail_title=_("Citizen events"),
    )
