"""Participation gap dashboard: who registers for and attends the hubs' events, and where no
citizen event took place. Only aggregates are computed here; no name or e-mail ever leaves."""

import hashlib
import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

import pycountry
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from echos.core.models import Country, Term, localized_iso_name
from echos.core.spreadsheets import SafeWriter
from echos.events import gap_charts
from echos.events.models import (
    PUBLIC_AUDIENCES,
    Audience,
    Event,
    EventType,
    Registration,
)
from echos.hubs.models import Hub

RECORDED_STATUSES = (Registration.Status.ATTENDED, Registration.Status.NO_SHOW)
PUBLIC_CODES = sorted(str(a) for a in PUBLIC_AUDIENCES)
PROFESSIONAL_CODES = sorted(str(a) for a in Audience if a not in PUBLIC_AUDIENCES)
CITIZEN_EVENT_TYPES = (EventType.CITIZEN_DIALOGUE, EventType.AWARENESS_DAY, EventType.MISSION_FAIR)
# Bounds of the period filter: wide enough for any real event, narrow enough for a month axis.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MAX_MONTHS = 120
PUBLIC, PROFESSIONALS, NOT_STATED = "public", "professionals", "not_stated"


def _months_before(day: date, months: int) -> date:
    """The first day of the month ``months`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _month_span(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass(frozen=True)
class GapFilters:
    """The period (both days included) and optional country and objective of the dashboard."""

    start: date
    end: date
    country: str = ""
    objective: str = ""

    @classmethod
    def default(cls, today: date | None = None) -> "GapFilters":
        """The last 12 months: this month so far and the 11 complete months before it."""
        today = today or timezone.localdate()
        return cls(start=_months_before(today, 11), end=today)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the site's time zone."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )

    def months(self) -> list[date]:
        """First day of every month the period touches."""
        first = self.start.replace(day=1)
        return [_months_before(first, -i) for i in range(_month_span(self.start, self.end))]

    def query(self) -> str:
        """The filters as a query string (for the CSV link and the map's links)."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.country:
            params["country"] = self.country
        if self.objective:
            params["objective"] = self.objective
        return urlencode(params)


class GapFilterForm(forms.Form):
    """The dashboard's GET filters; an invalid value is reported and then ignored."""

    to = forms.DateField(label=gettext_lazy("To"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    objective = forms.ChoiceField(label=gettext_lazy("Mission objective"), required=False)

    def __init__(self, data, *, countries: list[Country], objectives: list[Term]):
        super().__init__(data)
        # "from" is a Python keyword, so the field is added here rather than declared.
        self.fields = {"from": forms.DateField(label=_("From"), required=False), **self.fields}
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code, c.display_name) for c in countries
        ]
        self.fields["objective"].choices = [("", _("All objectives"))] + [
            (t.code, t.display) for t in objectives
        ]

    def clean(self):
        data = super().clean()
        for name in ("from", "to"):
            day = data.get(name)
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Choose a date between %(first)s and %(last)s.")
                    % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
                )
        start, end = data.get("from"), data.get("to")
        if start and end:
            if start > end:
                self.add_error("to", _("The end of the period is before its start."))
            elif _month_span(start, end) > MAX_MONTHS:
                self.add_error(
                    "to", _("Choose a period of at most %(n)d months.") % {"n": MAX_MONTHS}
                )
        return data


def parse_filters(
    params, *, countries: list[Country], objectives: list[Term], today: date | None = None
) -> tuple[GapFilters, list[str]]:
    """Filters from a query string and the messages for values that were ignored."""
    form = GapFilterForm(params, countries=countries, objectives=objectives)
    form.is_valid()
    valid = form.cleaned_data
    messages = [
        _("%(field)s: %(error)s The filter was ignored.")
        % {"field": form.fields[name].label if name in form.fields else name, "error": error}
        for name, errors in form.errors.items()
        for error in errors
    ]
    default = GapFilters.default(today)
    start, end = valid.get("from"), valid.get("to")
    # One date alone moves the period while keeping its default length of 12 months.
    if start and not end:
        try:
            next_year = start.replace(year=start.year + 1)
        except ValueError:  # 29 February
            next_year = date(start.year + 1, 3, 1)
        end = min(next_year - timedelta(days=1), LATEST)
    elif end and not start:
        start = _months_before(end, 11)
    filters = GapFilters(
        start=start or default.start,
        end=end or default.end,
        country=valid.get("country") or "",
        objective=valid.get("objective") or "",
    )
    return filters, messages


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


class Small:
    """A count from 1 to ``threshold - 1``, published as "<threshold" so that no table, chart or
    CSV of the public dashboard singles out a handful of people."""

    def __init__(self, threshold: int):
        self.threshold = threshold

    def __str__(self) -> str:
        return f"<{self.threshold}"

    def __eq__(self, other) -> bool:
        return isinstance(other, Small) and other.threshold == self.threshold

    __hash__ = None


class Withheld:
    """A count of ``threshold`` or more withheld beside a small one (secondary suppression), so
    that the small count cannot be worked out from a total minus the counts published beside it."""

    def __str__(self) -> str:
        return "x"

    def __eq__(self, other) -> bool:
        return isinstance(other, Withheld)

    __hash__ = None


@dataclass(frozen=True)
class ShownRow:
    """A row as published: every count an int, ``Small`` below the threshold, or ``Withheld``."""

    code: str
    label: str
    registrations: "int | Small | Withheld"
    public: "int | Small | Withheld"
    professionals: "int | Small | Withheld"
    not_stated: "int | Small | Withheld"
    attendance: "int | Small | Withheld"
    recorded: "int | Small | Withheld"
    rate: float | None
    # The rate exists but would reveal a count that is not published.
    rate_hidden: bool = False


# The counts of a published row, in the order of the tables and the CSV.
SHOWN_METRICS = ("registrations", "public", "professionals", "not_stated", "attendance", "recorded")
GROUP_CODES = {PUBLIC: PUBLIC_CODES, PROFESSIONALS: PROFESSIONAL_CODES, NOT_STATED: [NOT_STATED]}

# A cell of the published tables: (table key, row code, metric).
Cell = tuple[str, str, str]


def _sums(tables: dict[str, list[Row]]) -> tuple[dict[Cell, int], list[list[tuple[Cell, int]]]]:
    """Every cell's value and every linear relation a reader can use between published cells.

    A relation is a list of (cell, sign) whose signed values sum to zero: within each row,
    registrations = public + professionals + not stated; down each column of a table whose rows
    add up to the total (months, audiences and countries always; objectives, languages and regions
    whenever they happen to, since a reader may guess it); the groups from the audiences; the
    regions of a country to the country where they add up to it.
    """
    values: dict[Cell, int] = {}
    for key, rows in tables.items():
        for r in rows:
            for m in SHOWN_METRICS:
                values[(key, r.code, m)] = getattr(r, m)
    relations: list[list[tuple[Cell, int]]] = []

    def column(parts: list[Cell], whole: Cell) -> None:
        if whole in values and sum(values[c] for c in parts) == values[whole]:
            relations.append([*((c, 1) for c in parts), (whole, -1)])

    for key, rows in tables.items():
        for r in rows:
            relations.append(
                [((key, r.code, "registrations"), 1)]
                + [((key, r.code, m), -1) for m in ("public", "professionals", "not_stated")]
            )
        parts = [r.code for r in rows if key != "group" or r.code != "total"]
        for m in SHOWN_METRICS:
            column([(key, code, m) for code in parts], ("group", "total", m))
    audience = [r.code for r in tables.get("audience", [])]
    regions = [r.code for r in tables.get("region", [])]
    for m in SHOWN_METRICS:
        for group, codes in GROUP_CODES.items():
            column([("audience", c, m) for c in audience if c in codes], ("group", group, m))
        for country in {code.split("-")[0] for code in regions}:
            inside = [("region", c, m) for c in regions if c.split("-")[0] == country]
            column(inside, ("country", country, m))
    return values, relations


def _bounds(cell: Cell, values: dict[Cell, int], hidden: dict, threshold: int):
    """What a reader knows of a cell: its value if published, else the range its marker allows."""
    if cell not in hidden:
        return values[cell], values[cell]
    if isinstance(hidden[cell], Small):
        return 1, threshold - 1
    return threshold, math.inf


class _Sum:
    """A sum of numbers some of which may be infinite (of one sign), less any one of them."""

    def __init__(self, numbers: list[float]):
        self.finite = sum(n for n in numbers if math.isfinite(n))
        self.infinite = [n for n in numbers if not math.isfinite(n)]

    def without(self, number: float) -> float:
        rest = len(self.infinite) - (not math.isfinite(number))
        if rest:
            return self.infinite[0]
        return self.finite - (number if math.isfinite(number) else 0)


def _exposed(relation, values: dict[Cell, int], hidden: dict, threshold: int) -> bool:
    """True when one relation pins a hidden cell to a single value: a lone hidden cell (the total
    minus the others), or hidden cells whose ranges leave one value only (two "<5" adding up to 2)."""
    unknown = [(c, sign) for c, sign in relation if c in hidden]
    if not unknown:
        return False
    if len(unknown) == 1:
        return True
    # Each cell is the signed sum of the others: sum the ranges of all cells once (as seen from
    # a cell of sign +1), then take the cell's own share back out. Withheld counts have no upper
    # bound, so infinite shares are counted apart from the finite sum.
    shares = []
    for c, sign in relation:
        a, b = _bounds(c, values, hidden, threshold)
        shares.append((-b, -a) if sign > 0 else (a, b))
    low = _Sum([lo for lo, _hi in shares])
    high = _Sum([hi for _lo, hi in shares])
    for (cell, sign), (own_low, own_high) in zip(relation, shares, strict=True):
        if cell not in hidden:
            continue
        others = (low.without(own_low), high.without(own_high))
        if sign < 0:  # the cell is on the other side: cell = -(others as seen from +1)
            others = (-others[1], -others[0])
        a, b = _bounds(cell, values, hidden, threshold)
        if max(others[0], a) == min(others[1], b):
            return True
    return False


def publish(
    tables: dict[str, list[Row]], threshold: int | None = None
) -> dict[str, list[ShownRow]]:
    """The tables as published by the page, its charts and the CSV alike.

    Counts from 1 to ``threshold - 1`` become ``Small`` (primary suppression). Then, while any
    relation between cells (``_sums``) would give a hidden count back exactly — a total minus the
    published cells beside it, or ranges that leave one value — the smallest count of that relation
    still published is withheld too (secondary suppression). An attendance rate is withheld with
    either of its counts.
    """
    if threshold is None:
        threshold = settings.ECHOS_SMALL_COUNT
    values, relations = _sums(tables)
    hidden: dict[Cell, Small | Withheld] = {
        c: Small(threshold) for c, v in values.items() if 0 < v < threshold
    }
    changed = bool(hidden)
    while changed:
        changed = False
        for relation in relations:
            if not _exposed(relation, values, hidden, threshold):
                continue
            candidates = [c for c, _sign in relation if c not in hidden]
            counts = [c for c in candidates if values[c] > 0]
            if counts:
                hidden[min(counts, key=lambda c: values[c])] = Withheld()
                changed = True
            elif candidates:
                # Only zeros left (every count of the relation is small): "<5" is true of 0 too,
                # and a zero shown so leaves a reader unable to tell how the small counts split.
                hidden[candidates[0]] = Small(threshold)
                changed = True
    out: dict[str, list[ShownRow]] = {}
    for key, rows in tables.items():
        out[key] = []
        for r in rows:
            cells = {m: hidden.get((key, r.code, m), getattr(r, m)) for m in SHOWN_METRICS}
            hidden_rate = r.rate is not None and (
                (key, r.code, "attendance") in hidden or (key, r.code, "recorded") in hidden
            )
            out[key].append(
                ShownRow(
                    r.code,
                    r.label,
                    **cells,
                    rate=None if hidden_rate else r.rate,
                    rate_hidden=hidden_rate,
                )
            )
    return out


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
    "event__region_id",
    "event__region__name",
    "event__objectives",
    "event__languages",
    "event__start",
)


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
        _event, country, country_name, region, region_name, objectives, languages, start = row[
            :width
        ]
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
            out.region_names[region] = (region_name, country_name)
        month = month_of.get(start)
        if month is None:
            month = month_of[start] = timezone.localtime(start).date().replace(day=1)
        out.months.add(month, totals)
        for code in {c for c in (objectives or "").split(",") if c}:
            out.objectives.add(code, totals)
        for code in {c for c in (languages or "").split(",") if c}:
            out.languages.add(code, totals)
    return out


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
    """Regions given on events (events without a region are left out), most registrations first."""
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


@dataclass
class GapReport:
    """Everything the dashboard and its CSV show, for one set of filters."""

    filters: GapFilters
    groups: list[Row]
    audiences: list[Row]
    months: list[Row]
    objectives: list[Row]
    languages: list[Row]
    countries: list[Row]
    regions: list[Row]
    country_coverage: list[PlaceRow]
    region_coverage: list[PlaceRow]
    messages: list[str] = field(default_factory=list)
    computed_at: datetime | None = None
    # Reference data for the filter form, read once with the figures.
    all_countries: list[Country] = field(default_factory=list)
    all_objectives: list[Term] = field(default_factory=list)

    @property
    def country_gaps(self) -> list[PlaceRow]:
        return [r for r in self.country_coverage if not r.citizen_events]

    @property
    def region_gaps(self) -> list[PlaceRow]:
        return [r for r in self.region_coverage if not r.citizen_events]

    def tables(self) -> list[tuple[str, str, list[Row]]]:
        """(key, title, rows) of the tables of registrations, in the page's order."""
        return [
            ("group", _("The public and professionals"), self.groups),
            ("month", _("By month"), self.months),
            ("audience", _("By audience"), self.audiences),
            ("objective", _("By Mission objective"), self.objectives),
            ("language", _("By language of the event"), self.languages),
            ("country", _("By country"), self.countries),
            ("region", _("By region"), self.regions),
        ]


def build_report(
    filters: GapFilters, countries: list[Country], objectives: list[Term]
) -> GapReport:
    """All aggregates of the dashboard in a fixed number of queries, whatever the data size."""
    agg = aggregate(event_tallies(filters))
    audiences = by_audience(agg)
    return GapReport(
        filters=filters,
        groups=by_group(audiences),
        audiences=audiences,
        months=by_month(agg, filters),
        objectives=by_objective(agg, objectives),
        languages=by_language(agg),
        countries=by_country(agg),
        regions=by_region(agg),
        country_coverage=country_coverage(filters, countries),
        region_coverage=region_coverage(filters),
        all_countries=countries,
        all_objectives=objectives,
    )


CACHE_SECONDS = 600


def report_for_request(params) -> GapReport:
    """The report for a query string, invalid filter values reported and ignored.

    Reports are kept in the shared cache for ``CACHE_SECONDS`` per filters and language: at Europe
    scale one takes seconds to compute, and the page says how fresh its figures are.
    """
    countries = list(Country.objects.order_by("name"))
    objectives = list(Term.objects.of("objectives"))
    filters, messages = parse_filters(params, countries=countries, objectives=objectives)
    key = (
        "echos:gap:"
        + hashlib.sha256(
            repr((filters.bounds, filters.country, filters.objective, get_language())).encode()
        ).hexdigest()
    )
    report = cache.get(key)
    if report is None:
        report = build_report(filters, countries, objectives)
        report.computed_at = timezone.now()
        cache.set(key, report, CACHE_SECONDS)
    report.messages = messages
    return report


CSV_HEADER = [
    "table",
    "code",
    "label",
    "registrations",
    "public",
    "professionals",
    "not_stated",
    "attended",
    "registrations_at_events_with_attendance_recorded",
    "attendance_rate_percent",
    "citizen_events",
    "category",
]


def write_csv(report: GapReport) -> str:
    """The page's tables as one CSV, one line per row of each table."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(CSV_HEADER)
    tables = published(report)
    for key, _title, _rows in report.tables():
        for r in tables[key]:
            rate = "" if r.rate is None else r.rate
            writer.writerow(
                [key, r.code, r.label, r.registrations, r.public, r.professionals]
                + [r.not_stated, r.attendance, r.recorded, rate, "", ""]
            )
    for key, rows in (
        ("citizen_events_country", report.country_coverage),
        ("citizen_events_region", report.region_coverage),
    ):
        for p in rows:
            writer.writerow([key, p.code, p.label, *[""] * 7, p.citizen_events, p.category])
    return out.getvalue()


def _map_rows(report: GapReport) -> list[dict]:
    base = reverse("events:gap")
    query = report.filters
    return [
        {
            "code": p.code,
            "country": p.label,
            "category": p.category,
            "detail": str(p.citizen_events),
            "url": f"{base}?{GapFilters(query.start, query.end, p.code, query.objective).query()}",
        }
        for p in report.country_coverage
    ]


def published(report: GapReport) -> dict[str, list[ShownRow]]:
    """The report's tables as the page, its charts and the CSV publish them (``publish``)."""
    return publish({key: rows for key, _title, rows in report.tables()})


def _sections(report: GapReport) -> list[dict]:
    """The tables of registrations in page order, each with its chart where it has one."""
    tables = published(report)
    charts = {
        "month": (
            gap_charts.month_spec(tables["month"]),
            _(
                "Stacked bars of registrations per month by the public and professionals; "
                "the table below has the same numbers."
            ),
        ),
        "audience": (
            gap_charts.attendance_spec(tables["audience"]),
            _(
                "Bars of registrations and attendance for each audience; "
                "the table below has the same numbers."
            ),
        ),
        "objective": (
            gap_charts.split_spec(tables["objective"]),
            _(
                "Bars of registrations per Mission objective by the public and professionals; "
                "the table below has the same numbers."
            ),
        ),
        "language": (
            gap_charts.split_spec(tables["language"]),
            _(
                "Bars of registrations per language of the event by the public and "
                "professionals; the table below has the same numbers."
            ),
        ),
    }
    sections = []
    for key, title, rows in report.tables():
        spec, label = charts.get(key, (None, ""))
        rows = tables[key]
        sections.append(
            {
                "key": key,
                "title": title,
                "rows": rows,
                "spec": spec,
                "spec_id": f"gap-{key}-spec",
                "chart_label": label,
            }
        )
    return sections


def gap(request):
    """The public participation gap dashboard."""
    report = report_for_request(request.GET)
    return render(
        request,
        "events/gap.html",
        {
            "report": report,
            "filters": report.filters,
            "csv_query": report.filters.query(),
            "sections": _sections(report),
            "small_count": settings.ECHOS_SMALL_COUNT,
            "map_spec": gap_charts.map_spec(_map_rows(report), map_categories(), MAP_COLOURS),
        },
    )


def gap_csv(request):
    """The dashboard's tables as CSV, for the same filters."""
    report = report_for_request(request.GET)
    response = HttpResponse(write_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participation-gap.csv"'
    return response


urlpatterns = [
    path("gap/", gap, name="gap"),
    path("gap.csv", gap_csv, name="gap_csv"),
]
