"""Which stakeholder groups a hub reaches, and how deeply: records counted by level × group.

A record that reached three groups counts once in each group's row. A group with no record in the
period is a coverage gap; the deepest level is the highest IAP2 level any record reached it at.

Public functions (stable; other modules such as the impact model call them):

- ``last_twelve_months(today)`` and ``parse_period(start, end, today=...)``: the period of a page
  or an API call, bounded to ``MAX_PERIOD_DAYS``; bad input raises ``RuleViolation`` naming
  ``start`` or ``end``.
- ``hub_coverage(hub, start=, end=)``: the level × group matrix (``Coverage``).
- ``network_coverage(start=, end=)``: the same matrix over every hub (``Coverage``).
- ``sector_balance(hub, start=, end=)``: group reaches per Penta Helix sector and quarter.
- ``regional_spread(hub, start=, end=)``: records per region of the hub's country.
- ``quarterly_trend(hub, start=, end=)``: records and participants per quarter.
- ``coverage_report(hub, start=, end=)``: all of the above for one hub (``CoverageReport``).

Each runs a fixed number of aggregate queries, whatever the number of records. Counts only: no
organisation or person is named by any of them. Cancelled and planned records are left out of
every figure (an engagement counts once it was held).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.core.models import Region, Term
from echos.engagement.models import EngagementRecord, RecordStatus, Sector
from echos.engagement.sectors import sector_of
from echos.hubs.models import Hub

EARLIEST_YEAR = 1900
MAX_PERIOD_DAYS = 10 * 366  # ten years: about 40 quarters at most on one page


@dataclass
class GroupRow:
    """One stakeholder group: counts per engagement level, in the levels' order."""

    group: Term
    counts: list[int]
    total: int
    deepest: Term | None


@dataclass
class Coverage:
    """Counts by engagement level × stakeholder group for one hub and period."""

    start: date
    end: date
    levels: list[Term]
    rows: list[GroupRow] = field(default_factory=list)
    records: int = 0

    @property
    def gaps(self) -> list[Term]:
        """Groups the hub did not engage at all in the period."""
        return [r.group for r in self.rows if r.total == 0]

    @property
    def level_totals(self) -> list[int]:
        """Group reaches per level (a record reaching two groups counts twice)."""
        return [sum(r.counts[i] for r in self.rows) for i in range(len(self.levels))]

    @property
    def reaches(self) -> int:
        """Records × groups reached, over every level."""
        return sum(r.total for r in self.rows)


def last_twelve_months(today: date) -> tuple[date, date]:
    """The 12 months up to and including ``today``."""
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + timedelta(days=1), today


def check_in_range(value: date, name: str, *, today: date) -> None:
    """Refuse, naming ``name``, a date before 1900 or more than a year after ``today``.

    Records are dated from 1900 on and no held record lies in the future: a period beyond a year
    from today says nothing (and dates near year 9999 overflow date arithmetic).
    """
    if value.year < EARLIEST_YEAR or value > today + timedelta(days=366):
        raise RuleViolation(
            _("Choose dates from %(year)d to one year from today.") % {"year": EARLIEST_YEAR},
            name,
        )


def parse_period(
    start: str | date | None, end: str | date | None, *, today: date
) -> tuple[date, date]:
    """The period asked for: ISO dates, each defaulting to the last 12 months up to ``today``.

    Refused, naming the field: a date that is not YYYY-MM-DD or outside 1900 to a year from
    today, an end before the start, a period longer than ten years.
    """
    default_start, default_end = last_twelve_months(today)

    def parse(value, default: date, name: str) -> date:
        if value in (None, ""):
            return default
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise RuleViolation(
                _("%(value)r is not a date: write it as YYYY-MM-DD.") % {"value": str(value)[:40]},
                name,
            ) from None

    first = parse(start, default_start, "start")
    last = parse(end, default_end, "end")
    check_in_range(first, "start", today=today)
    check_in_range(last, "end", today=today)
    if last < first:
        raise RuleViolation(_("The end of the period lies before its start."), "end")
    if (last - first).days > MAX_PERIOD_DAYS:
        raise RuleViolation(_("Choose a period of at most ten years."), "start")
    return first, last


def _held(prefix: str = "") -> Q:
    """Held records (and records of the old kind, which are all held)."""
    return Q(**{f"{prefix}status": RecordStatus.HELD})


def _reaches(hub, start: date, end: date):
    """Rows of the record × group link of the hub's held records in the period."""
    through = EngagementRecord.stakeholder_groups.through
    qs = through.objects.filter(
        _held("engagementrecord__"),
        engagementrecord__date__gte=start,
        engagementrecord__date__lte=end,
    )
    if hub is not None:
        qs = qs.filter(engagementrecord__hub=hub)
    return qs


def hub_coverage(hub, *, start: date, end: date, levels=None, groups=None) -> Coverage:
    """Counts of the hub's held records in [start, end] by level × stakeholder group.

    ``hub=None`` counts every hub's records (see ``network_coverage``).
    Two queries, plus one per vocabulary not passed in.
    """
    if levels is None:
        levels = list(Term.objects.of(Term.Vocabulary.ENGAGEMENT_LEVELS))
    if groups is None:
        groups = list(Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS))
    pairs = (
        _reaches(hub, start, end)
        .values_list("term_id", "engagementrecord__level_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(group_id, level_id): n for group_id, level_id, n in pairs}
    coverage = Coverage(start=start, end=end, levels=levels)
    for group in groups:
        row = [counts.get((group.pk, level.pk), 0) for level in levels]
        reached = [level for level, n in zip(levels, row, strict=True) if n]
        coverage.rows.append(
            GroupRow(
                group=group, counts=row, total=sum(row), deepest=reached[-1] if reached else None
            )
        )
    records = EngagementRecord.objects.filter(_held()).between(start, end)
    coverage.records = (records.filter(hub=hub) if hub is not None else records).count()
    return coverage


def network_coverage(*, start: date, end: date, levels=None, groups=None) -> Coverage:
    """The level × group matrix over every hub's held records in [start, end] (public counts)."""
    return hub_coverage(None, start=start, end=end, levels=levels, groups=groups)


# Quarters ------------------------------------------------------------------------------------


def quarters(start: date, end: date) -> list[tuple[int, int]]:
    """(year, quarter) from the one holding ``start`` to the one holding ``end``."""
    y, q = start.year, (start.month - 1) // 3 + 1
    last = (end.year, (end.month - 1) // 3 + 1)
    out = []
    while (y, q) <= last:
        out.append((y, q))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def quarter_label(year: int, quarter: int) -> str:
    return f"{year} Q{quarter}"


# Penta Helix balance -------------------------------------------------------------------------


SECTORS = list(Sector)


@dataclass
class QuarterSectors:
    """Group reaches per sector in one quarter, in ``SECTORS`` order, and their shares (0-1)."""

    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def shares(self) -> list[float]:
        return [n / self.total if self.total else 0.0 for n in self.counts]

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(count, whole percentage) per sector, for tables."""
        return [(n, round(s * 100)) for n, s in zip(self.counts, self.shares, strict=True)]


@dataclass
class SectorBalance:
    """The Penta Helix balance: records × stakeholder groups reached, by sector and quarter."""

    start: date
    end: date
    sectors: list[Sector]
    quarters: list[QuarterSectors]
    totals: list[int]

    @property
    def total(self) -> int:
        return sum(self.totals)

    @property
    def shares(self) -> list[float]:
        return [n / self.total if self.total else 0.0 for n in self.totals]

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(count, whole percentage) per sector over the period, for tables."""
        return [(n, round(s * 100)) for n, s in zip(self.totals, self.shares, strict=True)]

    def share_of(self, sector: str) -> float:
        return self.shares[[s.value for s in self.sectors].index(sector)]


def _quarter_filters(start: date, end: date, field: str) -> list[tuple[tuple[int, int], Q]]:
    """Per quarter of the period, a filter on ``field`` for its days inside [start, end].

    The quarters are counted with conditional aggregates (``Count(filter=...)``) in one query:
    plain date comparisons, which every database runs natively (SQLite has no native date
    extraction, and its emulation per row costs more than the whole count).
    """
    out = []
    for y, q in quarters(start, end):
        first = max(start, date(y, 3 * q - 2, 1))
        last = min(
            end,
            date(y, 12, 31) if q == 4 else date(y, 3 * q + 1, 1) - timedelta(days=1),
        )
        out.append(((y, q), Q(**{f"{field}__gte": first, f"{field}__lte": last})))
    return out


def sector_balance(hub, *, start: date, end: date) -> SectorBalance:
    """Group reaches of the hub's held records per Penta Helix sector and quarter (one query).

    A group's sector comes from ``engagement.sectors`` (records reach groups, not register
    entries, so the register's overrides do not apply here).
    """
    parts = _quarter_filters(start, end, "engagementrecord__date")
    rows = (
        _reaches(hub, start, end)
        .values_list("term__code")
        .annotate(**{f"q{i}": Count("id", filter=f) for i, (_yq, f) in enumerate(parts)})
        .order_by()
    )
    index = {s.value: i for i, s in enumerate(SECTORS)}
    by_quarter = [[0] * len(SECTORS) for _ in parts]
    for code, *counts in rows:
        for i, n in enumerate(counts):
            by_quarter[i][index[sector_of(code)]] += n
    totals = [sum(c[i] for c in by_quarter) for i in range(len(SECTORS))]
    return SectorBalance(
        start=start,
        end=end,
        sectors=SECTORS,
        quarters=[
            QuarterSectors(quarter_label(*yq), c)
            for (yq, _f), c in zip(parts, by_quarter, strict=True)
        ],
        totals=totals,
    )


# Regional spread -----------------------------------------------------------------------------


@dataclass
class RegionRow:
    region: Region
    records: int
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class RegionalSpread:
    """Held records per region of the hub's country; ``unplaced``: records naming no region.

    ``rows`` lists the regions the hub covers (the sub-regions of a regional hub's region, else
    the country's top-level regions) with their counts, zero included, and then any other region
    a record named. A region is placed on the map at the mean position of the hubs located in it.
    """

    rows: list[RegionRow]
    unplaced: int

    @property
    def never_reached(self) -> list[Region]:
        return [r.region for r in self.rows if r.records == 0]

    @property
    def reached(self) -> list[RegionRow]:
        return [r for r in self.rows if r.records]


def _covered_regions(hub):
    regions = Region.objects.filter(country_id=hub.country_id)
    if hub.region_id:
        children = regions.filter(parent_id=hub.region_id)
        return children if children.exists() else regions.filter(pk=hub.region_id)
    return regions.filter(parent__isnull=True)


def regional_spread(hub, *, start: date, end: date) -> RegionalSpread:
    """Records of the hub per region (four queries whatever the data size)."""
    counts = dict(
        EngagementRecord.objects.filter(_held(), hub=hub)
        .between(start, end)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    unplaced = counts.pop(None, 0)
    covered = list(_covered_regions(hub))
    extra_codes = set(counts) - {r.pk for r in covered}
    extra = list(Region.objects.filter(pk__in=extra_codes)) if extra_codes else []
    positions = {
        code: (lat, lon)
        for code, lat, lon in Hub.objects.filter(
            country_id=hub.country_id,
            region__isnull=False,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .values_list("region_id")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
        .values_list("region_id", "lat", "lon")
        .order_by()
    }
    rows = []
    for region in covered + sorted(extra, key=lambda r: r.name):
        lat, lon = positions.get(region.pk, (None, None))
        rows.append(RegionRow(region, counts.get(region.pk, 0), lat, lon))
    rows.sort(key=lambda r: (-r.records, r.region.name))
    return RegionalSpread(rows=rows, unplaced=unplaced)


# Trend by quarter ----------------------------------------------------------------------------


@dataclass
class QuarterTrend:
    label: str
    records: int
    participants: int
    by_level: list[int]


@dataclass
class Trend:
    levels: list[Term]
    quarters: list[QuarterTrend]


def quarterly_trend(hub, *, start: date, end: date, levels=None) -> Trend:
    """Held records and participants per quarter, and records per level (one query)."""
    if levels is None:
        levels = list(Term.objects.of(Term.Vocabulary.ENGAGEMENT_LEVELS))
    position = {t.pk: i for i, t in enumerate(levels)}
    parts = _quarter_filters(start, end, "date")
    aggregates: dict[str, Count | Sum] = {}
    for i, (_yq, f) in enumerate(parts):
        aggregates[f"n{i}"] = Count("id", filter=f)
        aggregates[f"p{i}"] = Sum("participants", filter=f)
    rows = (
        EngagementRecord.objects.filter(_held(), hub=hub)
        .between(start, end)
        .values_list("level_id")
        .annotate(**aggregates)
        .order_by()
    )
    table = [QuarterTrend(quarter_label(*yq), 0, 0, [0] * len(levels)) for yq, _f in parts]
    for level_id, *figures in rows:
        for i, row in enumerate(table):
            n, p = figures[2 * i], figures[2 * i + 1]
            row.records += n
            row.participants += p or 0
            if level_id in position:
                row.by_level[position[level_id]] += n
    return Trend(levels=levels, quarters=table)


# Everything for one hub ----------------------------------------------------------------------


@dataclass
class CoverageReport:
    hub: Hub
    start: date
    end: date
    matrix: Coverage
    balance: SectorBalance
    regions: RegionalSpread
    trend: Trend


def coverage_report(hub, *, start: date, end: date) -> CoverageReport:
    """The coverage page's figures for one hub: about ten queries whatever the data size."""
    levels = list(Term.objects.of(Term.Vocabulary.ENGAGEMENT_LEVELS))
    groups = list(Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS))
    return CoverageReport(
        hub=hub,
        start=start,
        end=end,
        matrix=hub_coverage(hub, start=start, end=end, levels=levels, groups=groups),
        balance=sector_balance(hub, start=start, end=end),
        regions=regional_spread(hub, start=start, end=end),
        trend=quarterly_trend(hub, start=start, end=end, levels=levels),
    )
