"""Counting: one grouped pass over the registrations holding a place (one row per event),
summed into every dimension of the report (``aggregate``)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from echos.events.gap.filters import GapFilters
from echos.events.models import (
    PUBLIC_AUDIENCES,
    Audience,
    Event,
    Registration,
)

RECORDED_STATUSES = (Registration.Status.ATTENDED, Registration.Status.NO_SHOW)

PUBLIC_CODES = sorted(str(a) for a in PUBLIC_AUDIENCES)

PROFESSIONAL_CODES = sorted(str(a) for a in Audience if a not in PUBLIC_AUDIENCES)

PUBLIC, PROFESSIONALS, NOT_STATED = "public", "professionals", "not_stated"


@dataclass
class Row:
    """Registrations, attendance and the public/professional split of one group."""

    code: str
    label: str
    registrations: int = 0
    public: int = 0
    professionals: int = 0
    attendance: int = 0
    # Registrations at events where attendance was recorded: the rate's denominator.
    recorded: int = 0

    @property
    def rate(self) -> float | None:
        """Attendance as a percentage of registrations at events that recorded attendance."""
        return round(100 * self.attendance / self.recorded, 1) if self.recorded else None

    @property
    def not_stated(self) -> int:
        return self.registrations - self.public - self.professionals

    def add(self, other: "Row") -> None:
        for name in ("registrations", "public", "professionals", "attendance", "recorded"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


METRICS = ("registrations", "public", "professionals", "attendance", "recorded")


def counted_registrations(filters: GapFilters):
    """Registrations holding a place (not waitlisted or cancelled) at non-draft events that start
    in the period."""
    start, end = filters.bounds
    qs = (
        Registration.objects.holding_place()
        .filter(event__start__gte=start, event__start__lt=end)
        .exclude(event__status=Event.Status.DRAFT)
    )
    if filters.country:
        qs = qs.filter(event__country_id=filters.country)
    if filters.objective:
        qs = qs.filter(event__objectives__contains=f",{filters.objective},")
    return qs.order_by()


# The audiences a participant can give, and "" for none: one pair of counts each per event.
AUDIENCE_CODES = [*Audience.values, ""]

EVENT_FIELDS = (
    "event_id",
    "event__country_id",
    "event__country__name",
    "place_region",
    "place_region_name",
    "place_region_country_name",
    "event__objectives",
    "event__languages",
    "event__start",
)

# An event's region is the one it gives, or else its organising hub's (as for the coverage of
# citizen events): most events leave the field empty, and the table by region stayed empty.
PLACE = {
    "place_region": Coalesce("event__region_id", "event__hub__region_id"),
    "place_region_name": Coalesce("event__region__name", "event__hub__region__name"),
    "place_region_country_name": Coalesce(
        "event__region__country__name", "event__hub__region__country__name"
    ),
}


def event_tallies(filters: GapFilters):
    """One row per event in scope: its attributes, then registrations and attendance for every
    audience code, then the registrations whose attendance was recorded (attended or no-show).

    A single grouped pass over the registrations; every table of the report is summed from these
    rows, so the report costs one scan however many tables it shows.
    """
    counts = {}
    for i, code in enumerate(AUDIENCE_CODES):
        counts[f"r{i}"] = Count("id", filter=Q(audience=code))
        counts[f"a{i}"] = Count("id", filter=Q(audience=code, status=Registration.Status.ATTENDED))
    counts["recorded"] = Count("id", filter=Q(status__in=RECORDED_STATUSES))
    return (
        counted_registrations(filters)
        .annotate(**PLACE)
        .values(*EVENT_FIELDS)
        .annotate(**counts)
        .values_list(*EVENT_FIELDS, *counts)
    )


class Tally:
    """Sums of the five metrics per key, in insertion order."""

    def __init__(self):
        self.sums: dict = {}

    def add(self, key, values) -> None:
        total = self.sums.get(key)
        if total is None:
            self.sums[key] = list(values)
        else:
            for i, v in enumerate(values):
                total[i] += v

    def row(self, key, code: str, label: str) -> Row:
        return Row(code, label, *self.sums.get(key, (0,) * len(METRICS)))


@dataclass
class Aggregates:
    """The report's registration tables, before labels and ordering."""

    audiences: Tally = field(default_factory=Tally)
    countries: Tally = field(default_factory=Tally)
    regions: Tally = field(default_factory=Tally)
    months: Tally = field(default_factory=Tally)
    objectives: Tally = field(default_factory=Tally)
    languages: Tally = field(default_factory=Tally)
    country_names: dict = field(default_factory=dict)
    region_names: dict = field(default_factory=dict)


def aggregate(rows) -> Aggregates:
    """Sum per-event tallies into every dimension of the report.

    A registration counts once in each table; an event with two objectives (or languages) counts
    for both. Months follow the event's start in the site's time zone.
    """
    public = [code in PUBLIC_CODES for code in AUDIENCE_CODES]
    professional = [code in PROFESSIONAL_CODES for code in AUDIENCE_CODES]
    n_codes = len(AUDIENCE_CODES)
    width = len(EVENT_FIELDS)
    out = Aggregates()
    month_of: dict[datetime, date] = {}
    for row in rows:
        (
            _event,
            country,
            country_name,
            region,
            region_name,
            region_country_name,
            objectives,
            languages,
            start,
        ) = row[:width]
        counts = row[width:]
        recorded = counts[-1] > 0
        totals = [0, 0, 0, 0, 0]
        for i in range(n_codes):
            registered, attended = counts[2 * i], counts[2 * i + 1]
            if not registered:
                continue
            values = (
                registered,
                registered if public[i] else 0,
                registered if professional[i] else 0,
                attended,
                registered if recorded else 0,
            )
            out.audiences.add(AUDIENCE_CODES[i], values)
            for j in range(5):
                totals[j] += values[j]
        out.countries.add(country, totals)
        out.country_names[country] = country_name
        if region is not None:
            out.regions.add(region, totals)
            out.region_names[region] = (region_name, region_country_name)
        month = month_of.get(start)
        if month is None:
            month = month_of[start] = timezone.localtime(start).date().replace(day=1)
        out.months.add(month, totals)
        for code in {c for c in (objectives or "").split(",") if c}:
            out.objectives.add(code, totals)
        for code in {c for c in (languages or "").split(",") if c}:
            out.languages.add(code, totals)
    return out
