"""Reading the calendar: filters kept in the URL, text search and the month grid."""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.utils import timezone

from echos.core.dates import zone, zone_or_none
from echos.core.models import Country, Region
from echos.events.models import Audience, Event, EventType, Format

FILTERS = ("country", "region", "hub", "type", "audience", "objective", "language", "format")

# The largest id the database stores (a 64-bit integer): a bigger one cannot name anything.
MAX_ID = 2**63 - 1
# The days a date filter may name: the month view's years. Any real event falls inside, and a day
# beyond them (0001-01-01, 9999-12-31) cannot be widened by a day or a time zone without overflow.
EARLIEST = date(1901, 1, 1)
LATEST = date(2199, 12, 31)


def parse_id(value) -> int | None:
    """A database id from a query parameter (``"12"``), or None for anything else."""
    value = str(value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


@dataclass
class Filters:
    country: str = ""
    region: str = ""
    hub: str = ""
    type: str = ""
    audience: str = ""
    objective: str = ""
    language: str = ""
    format: str = ""
    q: str = ""
    start: date | None = None
    end: date | None = None
    past: bool = False
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> "Filters":
        """Read filters from a query dict; values that cannot be right are dropped, never a 500."""
        values: dict[str, Any] = {name: (params.get(name) or "").strip()[:100] for name in FILTERS}
        f = cls(**values)
        f.q = (params.get("q") or "").strip()[:200]
        f.start = parse_date(params.get("from"))
        f.end = parse_date(params.get("to"))
        f.past = params.get("when") == "past"
        for name, given in (("from", f.start), ("to", f.end)):
            if (params.get(name) or "").strip() and given is None:
                f.ignored.append(name)
        if f.type and f.type not in EventType.values:
            f.drop("type")
        if f.audience and f.audience not in Audience.values:
            f.drop("audience")
        if f.format and f.format not in Format.values:
            f.drop("format")
        if f.hub and parse_id(f.hub) is None:
            f.drop("hub")
        for name in ("language", "objective"):
            value = getattr(f, name)
            if value and ("," in value or not value.replace("_", "").isalnum()):
                f.drop(name)
        # A country or region that names none would quietly show no event at all.
        if f.country and not Country.objects.filter(pk=f.country.upper()).exists():
            f.drop("country")
        if f.region and not Region.objects.filter(pk=f.region).exists():
            f.drop("region")
        return f

    def drop(self, name: str) -> None:
        """Ignore a filter whose value cannot be right (and remember it, to say so)."""
        setattr(self, name, "")
        self.ignored.append(name)

    def apply(self, qs, *, now=None, upcoming_default: bool = True, viewer=None):
        """The events matching the filters; ``viewer`` decides which venues text search reads
        (none but public ones for the anonymous public and the feeds)."""
        now = now or timezone.now()
        if self.country:
            qs = qs.filter(country_id=self.country.upper())
        if self.region:
            qs = qs.filter(region_id=self.region)
        if self.hub:
            qs = qs.filter(Q(hub_id=int(self.hub)) | Q(co_organisers__id=int(self.hub))).distinct()
        if self.type:
            qs = qs.filter(type=self.type)
        if self.format:
            qs = qs.filter(format=self.format)
        if self.audience:
            qs = qs.with_tag("audiences", self.audience)
        if self.objective:
            qs = qs.with_tag("objectives", self.objective)
        if self.language:
            qs = qs.with_tag("languages", self.language.lower())
        if self.q:
            qs = qs.search(self.q, viewer=viewer)
        tz = zone(settings.TIME_ZONE)
        if self.start:
            since = datetime.combine(self.start, time.min, tz)
            qs = qs.ending_from(since)
        if self.end:
            qs = qs.filter(start__lt=datetime.combine(self.end + timedelta(days=1), time.min, tz))
        if not (self.start or self.end) and upcoming_default:
            qs = qs.past(now) if self.past else qs.upcoming(now)
        return qs.order_by("-start", "-id") if self.past else qs.order_by("start", "id")

    def is_active(self) -> bool:
        return any(getattr(self, n) for n in (*FILTERS, "q", "start", "end"))


def parse_date(value, earliest: date = EARLIEST, latest: date = LATEST) -> date | None:
    """A day from a query parameter (``"2026-05-20"``) between ``earliest`` and ``latest``, or None
    for anything else."""
    try:
        day = date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return day if earliest <= day <= latest else None


def public_events():
    """The public calendar's events with what a page shows of them (their folded search text,
    every language of every text, is only filtered on, never read)."""
    return Event.objects.public().select_related("hub", "country", "region").defer("search_text")


PER_DAY = 4  # events named in a day's cell; the rest are counted and linked


@lru_cache(maxsize=16384)  # a month's spans are read twice (month_spans, then month_grid)
def _local_days(start, end, tz_name, default_tz) -> tuple[date, date]:
    """First and last day an event covers, read in its own time zone (the day shown with it)."""
    tz = zone_or_none(tz_name) or default_tz
    return start.astimezone(tz).date(), (end - timedelta(seconds=1)).astimezone(tz).date()


def _aware(value) -> datetime:
    """A datetime read by a raw cursor: PostgreSQL gives it aware; SQLite stores UTC, given back
    naive (or as text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def spans_of(queryset) -> list[tuple]:
    """(id, start, end, time_zone) of every event of ``queryset``, in order, read with a raw
    cursor: a month across Europe is 4,400 events, and Django's per-value converters took as long
    as the query itself."""
    query = queryset.values_list("pk", "start", "end", "time_zone")
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(pk, _aware(start), _aware(end), tz) for pk, start, end, tz in rows]


def month_spans(year: int, month: int, spans, tz_name: str | None = None) -> list[tuple]:
    """The spans (id, start, end[, time_zone]) with at least one local day in the month.

    The month's query is widened by a day on each side (``month_bounds(..., margin=True)``) so that
    an event on 1 February in Helsinki (still 31 January in Brussels) is found; this keeps only
    those whose own local days fall in the month.
    """
    default = zone(tz_name or settings.TIME_ZONE)
    first, last = date(year, month, 1), date(year, month, pycalendar.monthrange(year, month)[1])
    out = []
    for span in spans:
        pk, start, end, *rest = span
        day, end_day = _local_days(start, end, rest[0] if rest else None, default)
        if day <= last and end_day >= first:
            out.append(span)
    return out


def month_grid(year: int, month: int, spans, tz_name: str | None = None) -> list[list[dict]]:
    """Weeks (Monday first) of days with the ids of the events on each day.

    ``spans`` are (id, start, end) or (id, start, end, time_zone) of every event of the month, in
    order; an event is placed on the days of its own time zone (``tz_name``, by default the site's,
    when a span has none). Each day keeps the first ``PER_DAY`` ids in ``ids`` and the number of
    events in ``count``.
    """
    default = zone(tz_name or settings.TIME_ZONE)
    by_day: dict[date, list[int]] = {}
    first, last = date(year, month, 1), date(year, month, pycalendar.monthrange(year, month)[1])
    for pk, start, end, *rest in spans:
        day, end_day = _local_days(start, end, rest[0] if rest else None, default)
        day, end_day = max(day, first), min(end_day, last)
        while day <= end_day:
            by_day.setdefault(day, []).append(pk)
            day += timedelta(days=1)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for d in week:
            ids = by_day.get(d, [])
            row.append(
                {
                    "date": d,
                    "in_month": d.month == month,
                    "ids": ids[:PER_DAY],
                    "count": len(ids),
                    "more": max(0, len(ids) - PER_DAY),
                }
            )
        weeks.append(row)
    return weeks


def fill_grid(weeks: list[list[dict]], events: dict[int, Event]) -> None:
    """Replace each day's ids by the events themselves."""
    for week in weeks:
        for day in week:
            day["events"] = [events[pk] for pk in day.pop("ids") if pk in events]


def month_bounds(
    year: int, month: int, tz_name: str | None = None, *, margin: bool = False
) -> tuple[datetime, datetime]:
    """The month in ``tz_name`` (the site's zone); with ``margin``, a day wider on each side so
    that events whose own local date is in the month (in any time zone) are found too."""
    tz = zone(tz_name or settings.TIME_ZONE)
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    if margin:
        start, end = start - timedelta(days=1), end + timedelta(days=1)
    return start, end
