"""The KPI catalogue (issue #15): one written definition and one function per figure.

Every app that owns a capability declares its KPIs in a module named by ``kpis`` on its
``AppConfig`` (``KPIS = [Kpi(...), ...]``); an app that is not installed lists none, so a KPI whose
capability is absent is never shown. The same ``compute`` feeds the dashboards, the reports, the
API and the open data: a figure cannot differ between two places.

Periods are whole months: ``parse_period("2026-01", "2026-06")`` gives ``(2026-01-01,
2026-06-30)`` (the end is cut to today while the month runs), refuses an end before the start, an
end month in the future and more than ``MAX_MONTHS`` months, each with a ``PeriodError`` naming the
field. ``previous_period`` is the period of the same length just before; ``monthly`` is the series
of one KPI month by month over a period (at most ``MAX_MONTHS`` months).

A KPI may also declare ``monthly_function`` for the series in one grouped query (``TruncMonth`` in
the site's time zone, ``month_of`` to read the months back); a test checks it equals ``compute``
month by month.

Functions receive ``hub`` None for the network, or a hub: the hub and every hub below it
(``scope_ids``). Flow KPIs count what happened in ``[start, end]``; stock KPIs give the state on
``end``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from echos.core import registry

Number = int | float | Decimal

# The longest period of a dashboard, a report or a monthly series: three years of months.
MAX_MONTHS = 36


@dataclass(frozen=True)
class Kpi:
    """A key performance indicator and its written definition.

    ``function`` is the dotted path of ``(start, end, hub) -> list[Figure]``: the figures over the
    period ``[start, end]`` (both days included) for the whole network (``hub`` None) or one hub
    (and its sub-hubs). It runs aggregate queries only: a query count independent of data size.
    ``breakdown`` names what the figures are split by (stages, levels...), empty for one figure.
    ``additive``: the figures add up to a meaningful total (False for medians, or for events
    counted once under each of their audiences). ``public``: anyone may read the figures (at network
    scope, and at hub scope for a hub they may see); otherwise only network coordinators (network)
    and the hub's team (hub) may.
    """

    code: str
    name: Any
    definition: Any
    numerator: Any
    denominator: Any
    unit: Any
    owner: str
    function: str
    breakdown: Any = ""
    scopes: tuple[Literal["network", "hub"], ...] = ("network", "hub")
    # "flow": counted over the period (records held); "stock": the state on the period's last day.
    kind: Literal["flow", "stock"] = "flow"
    additive: bool = True
    public: bool = False
    # Optional dotted path of ``(start, end, hub) -> {first day of month: list[Figure]}``: the
    # monthly series in one grouped query, with every month of the period present. Without it,
    # ``monthly`` computes month by month.
    monthly_function: str = ""


@dataclass(frozen=True)
class Figure:
    """One figure of a KPI: a breakdown row (``key`` a stable code) or the single total (key '')."""

    key: str
    label: str
    value: Number | None


@dataclass
class Result:
    """The figures of one KPI over one period and scope."""

    kpi: Kpi
    start: date
    end: date
    hub_id: int | None
    figures: list[Figure] = field(default_factory=list)

    @property
    def total(self) -> Number | None:
        """The sum of the figures; None when they do not add up (``Kpi.additive``) or are empty."""
        if not self.kpi.additive:
            return None
        values = [f.value for f in self.figures if f.value is not None]
        return sum(values) if values else None

    def value(self, key: str) -> Number | None:
        """The figure of one breakdown key (None when absent)."""
        return next((f.value for f in self.figures if f.key == key), None)


class UnknownKpi(LookupError):
    """No installed app declares this KPI code."""


class PeriodError(ValueError):
    """A period that cannot be used; ``field`` names the offending parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def catalogue(scope: str | None = None) -> list[Kpi]:
    """Every installed app's KPIs, in ``INSTALLED_APPS`` order (optionally one scope's)."""
    kpis = [kpi for module in registry.kpi_modules() for kpi in module.KPIS]
    return [k for k in kpis if scope is None or scope in k.scopes]


def get(code: str) -> Kpi:
    """The KPI with this code (``UnknownKpi`` when no installed app declares it)."""
    for kpi in catalogue():
        if kpi.code == code:
            return kpi
    raise UnknownKpi(code)


def compute(code: str | Kpi, start: date, end: date, hub=None) -> Result:
    """The figures of one KPI over a period, for the network or a hub."""
    kpi = code if isinstance(code, Kpi) else get(code)
    function: Callable[..., list[Figure]] = import_string(kpi.function)
    return Result(kpi, start, end, getattr(hub, "pk", None), list(function(start, end, hub)))


# Periods ------------------------------------------------------------------------------------


def month_index(day: date) -> int:
    """Months since year 0: consecutive months differ by one."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    """The first day of a month index."""
    return date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    """The last day of a month index."""
    return month_start(index + 1) - timedelta(days=1)


def month_count(start: date, end: date) -> int:
    """How many calendar months ``[start, end]`` touches."""
    return month_index(end) - month_index(start) + 1


def _parse_month(value: Any, field: str) -> int:
    text = str(value or "").strip()
    try:
        year, month = text.split("-")
        if len(year) != 4 or not 1 <= int(month) <= 12 or len(month) != 2:
            raise ValueError
        return int(year) * 12 + int(month) - 1
    except ValueError:
        raise PeriodError(
            field, _("%(field)s: give a month as YYYY-MM, e.g. 2026-01.") % {"field": field}
        ) from None


def parse_period(
    start: Any,
    end: Any,
    *,
    today: date | None = None,
    start_field: str = "start",
    end_field: str = "end",
) -> tuple[date, date]:
    """Two ``YYYY-MM`` months as the period's first and last day (the last cut to today).

    Refused, with a ``PeriodError`` naming the field: a value that is not a month, an end before
    the start, an end month after the current one, more than ``MAX_MONTHS`` months.
    """
    today = today or timezone.localdate()
    first = _parse_month(start, start_field)
    last = _parse_month(end, end_field)
    if last < first:
        raise PeriodError(
            end_field, _("%(field)s: the period ends before it starts.") % {"field": end_field}
        )
    if last > month_index(today):
        raise PeriodError(
            end_field, _("%(field)s: the period cannot end in the future.") % {"field": end_field}
        )
    if last - first + 1 > MAX_MONTHS:
        raise PeriodError(
            start_field,
            _("%(field)s: a period covers at most %(n)s months.")
            % {"field": start_field, "n": MAX_MONTHS},
        )
    return month_start(first), min(month_end(last), today)


def default_period(today: date | None = None, months: int = 12) -> tuple[date, date]:
    """The last ``months`` months: this month so far and the complete months before it."""
    today = today or timezone.localdate()
    return month_start(month_index(today) - months + 1), today


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of as many whole months just before ``[start, end]``."""
    n = month_count(start, end)
    first = month_index(start) - n
    return month_start(first), month_end(first + n - 1)


def period_label(start: date, end: date) -> str:
    """``2026-01 – 2026-06`` (one month: ``2026-01``)."""
    a, b = f"{start:%Y-%m}", f"{end:%Y-%m}"
    return a if a == b else f"{a} – {b}"


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes ``[start 00:00, end + 1 day 00:00)`` in the site's time zone, for filters on
    date-time fields."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def scope_ids(hub) -> list[int] | None:
    """The hub and every hub below it (None for the network); read once per hub object."""
    if hub is None:
        return None
    found = getattr(hub, "_kpi_scope_ids", None)
    if found is None:
        found = sorted({hub.pk, *hub.descendant_ids()})
        hub._kpi_scope_ids = found
    return found


def monthly(code: str | Kpi, start: date, end: date, hub=None) -> list[Result]:
    """One result per calendar month of ``[start, end]`` (the last cut to ``end``).

    At most ``MAX_MONTHS`` months (``PeriodError`` on ``start`` otherwise). Each month is
    ``compute`` over that month, so a month of the series equals the KPI over that month anywhere.
    """
    kpi = code if isinstance(code, Kpi) else get(code)
    if end < start:
        raise PeriodError("end", _("end: the period ends before it starts."))
    if month_count(start, end) > MAX_MONTHS:
        raise PeriodError(
            "start", _("start: a period covers at most %(n)s months.") % {"n": MAX_MONTHS}
        )
    grouped = import_string(kpi.monthly_function)(start, end, hub) if kpi.monthly_function else None
    results = []
    for index in range(month_index(start), month_index(end) + 1):
        first = max(month_start(index), start)
        last = min(month_end(index), end)
        if grouped is None:
            results.append(compute(kpi, first, last, hub))
        else:
            figures = list(grouped[month_start(index)])
            results.append(Result(kpi, first, last, getattr(hub, "pk", None), figures))
    return results


def month_starts(start: date, end: date) -> list[date]:
    """The first day of every month that ``[start, end]`` touches."""
    return [month_start(i) for i in range(month_index(start), month_index(end) + 1)]


def month_of(value: date | datetime) -> date:
    """The first day of the month of a date, or of an aware date-time in the site's time zone
    (what ``TruncMonth`` gives back)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return value.replace(day=1)


@dataclass(frozen=True)
class Change:
    """A figure against the previous period of the same length."""

    key: str
    label: str
    value: Number | None
    previous: Number | None

    @property
    def difference(self) -> Number | None:
        if self.value is None or self.previous is None:
            return None
        if isinstance(self.value, Decimal) or isinstance(self.previous, Decimal):
            return Decimal(str(self.value)) - Decimal(str(self.previous))
        return self.value - self.previous


def changes(current: Result, previous: Result) -> list[Change]:
    """Each figure of ``current`` with the same key's figure in ``previous``."""
    return [Change(f.key, f.label, f.value, previous.value(f.key)) for f in current.figures]
