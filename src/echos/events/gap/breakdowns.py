"""The report's tables (by audience, group, country, region, objective, language, month) and
the coverage of citizen events per country and region (where none took place)."""

from dataclasses import dataclass

import pycountry
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from echos.core.models import Country, Term, localized_iso_name
from echos.events.gap.filters import GapFilters
from echos.events.gap.tallies import (
    NOT_STATED,
    PROFESSIONAL_CODES,
    PROFESSIONALS,
    PUBLIC,
    PUBLIC_CODES,
    Aggregates,
    Row,
)
from echos.events.models import (
    Audience,
    Event,
    EventType,
)
from echos.hubs.models import Hub

CITIZEN_EVENT_TYPES = (EventType.CITIZEN_DIALOGUE, EventType.AWARENESS_DAY, EventType.MISSION_FAIR)


def _most_first(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (-r.registrations, r.label))


def by_audience(agg: Aggregates) -> list[Row]:
    """One row per audience the participants gave, in the vocabulary's order."""
    labels = dict(Audience.choices)
    rows = [agg.audiences.row(code, code, str(labels[code])) for code in Audience.values]
    if "" in agg.audiences.sums:
        rows.append(agg.audiences.row("", NOT_STATED, _("Not stated")))
    return rows


def by_group(audience_rows: list[Row]) -> list[Row]:
    """The public (citizens, patients and carers, youth) against professionals, plus the total."""
    groups = {
        PUBLIC: Row(PUBLIC, _("The public")),
        PROFESSIONALS: Row(PROFESSIONALS, _("Professionals")),
        NOT_STATED: Row(NOT_STATED, _("Not stated")),
    }
    total = Row("total", _("All participants"))
    for row in audience_rows:
        if row.code in PUBLIC_CODES:
            groups[PUBLIC].add(row)
        elif row.code in PROFESSIONAL_CODES:
            groups[PROFESSIONALS].add(row)
        else:
            groups[NOT_STATED].add(row)
        total.add(row)
    return [*groups.values(), total]


def by_country(agg: Aggregates) -> list[Row]:
    """Countries where events took place, most registrations first."""
    return _most_first(
        [
            agg.countries.row(code, code, localized_iso_name("iso3166-1", agg.country_names[code]))
            for code in agg.countries.sums
        ]
    )


def by_region(agg: Aggregates) -> list[Row]:
    """Regions of the events (given on the event, else its hub's; events of national hubs without
    one are left out), most registrations first."""
    rows = []
    for region_id, (name, country_name) in agg.region_names.items():
        label = "{} ({})".format(
            localized_iso_name("iso3166-2", name), localized_iso_name("iso3166-1", country_name)
        )
        rows.append(agg.regions.row(region_id, region_id, label))
    return _most_first(rows)


def by_objective(agg: Aggregates, objectives: list[Term]) -> list[Row]:
    """Registrations per Mission objective; an event with two objectives counts for both."""
    return [agg.objectives.row(t.code, t.code, t.display) for t in objectives]


def language_label(code: str) -> str:
    """A language's name in the active language where Django knows it, else its English name."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        record = pycountry.languages.get(alpha_2=code)
        return record.name if record else code


def by_language(agg: Aggregates) -> list[Row]:
    """Registrations per language of the event, for the languages the events in scope use."""
    return _most_first(
        [agg.languages.row(code, code, language_label(code)) for code in agg.languages.sums]
    )


def by_month(agg: Aggregates, filters: GapFilters) -> list[Row]:
    """One row per month of the period, months without events included."""
    return [
        agg.months.row(m, m.strftime("%Y-%m"), date_format(m, "YEAR_MONTH_FORMAT"))
        for m in filters.months()
    ]


def citizen_events(filters: GapFilters):
    """Published or postponed events in the period aimed at the public or of a public format."""
    start, end = filters.bounds
    audience = Q(type__in=CITIZEN_EVENT_TYPES)
    for code in PUBLIC_CODES:
        audience |= Q(audiences__contains=f",{code},")
    qs = Event.objects.counted().filter(audience, start__gte=start, start__lt=end).order_by()
    return qs.filter(country_id=filters.country) if filters.country else qs


# Map categories: the first one marks a country left behind.
MAP_BUCKETS = ((0, 0), (1, 4), (5, None))

MAP_COLOURS = ["#fdd0a2", "#9ecae1", "#2171b5"]


def map_categories() -> list[str]:
    return [_("No citizen event"), _("1–4 citizen events"), _("5 or more citizen events")]


def _category(n: int) -> str:
    labels = map_categories()
    for (low, high), label in zip(MAP_BUCKETS, labels, strict=True):
        if n >= low and (high is None or n <= high):
            return label
    return labels[-1]


@dataclass
class PlaceRow:
    """Citizen events in one country or one region with hubs."""

    code: str
    label: str
    citizen_events: int
    category: str
    country_code: str = ""
    hubs: int = 0


def country_coverage(filters: GapFilters, countries: list[Country]) -> list[PlaceRow]:
    """Every MS/AC country (or the chosen one) with its number of citizen events."""
    counts = dict(
        citizen_events(filters)
        .values("country_id")
        .annotate(n=Count("id"))
        .values_list("country_id", "n")
    )
    return [
        PlaceRow(c.code, c.display_name, counts.get(c.code, 0), _category(counts.get(c.code, 0)))
        for c in countries
        if not filters.country or c.code == filters.country
    ]


def region_coverage(filters: GapFilters) -> list[PlaceRow]:
    """Regions that have a hub, with citizen events held there (the event's region, or else the
    region of its organising hub)."""
    counts = dict(
        citizen_events(filters)
        .annotate(place=Coalesce("region_id", "hub__region_id"))
        .values("place")
        .annotate(n=Count("id"))
        .values_list("place", "n")
    )
    hubs = Hub.objects.filter(region__isnull=False)
    if filters.country:
        hubs = hubs.filter(region__country_id=filters.country)
    rows = [
        PlaceRow(
            r["region_id"],
            "{} ({})".format(
                localized_iso_name("iso3166-2", r["region__name"]),
                localized_iso_name("iso3166-1", r["region__country__name"]),
            ),
            counts.get(r["region_id"], 0),
            _category(counts.get(r["region_id"], 0)),
            country_code=r["region__country_id"],
            hubs=r["hubs"],
        )
        for r in hubs.order_by()
        .values("region_id", "region__name", "region__country_id", "region__country__name")
        .annotate(hubs=Count("id"))
    ]
    return sorted(rows, key=lambda r: (r.citizen_events, r.label))
