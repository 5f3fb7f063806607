"""Which stakeholder groups a hub reaches, and how deeply: records counted by level × group.

A record that reached three groups counts once in each group's row. A group with no record in the
period is a coverage gap; the deepest level is the highest IAP2 level any record reached it at.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count

from echos.core.models import Term
from echos.engagement.models import EngagementRecord


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


def hub_coverage(hub, *, start: date, end: date, levels=None, groups=None) -> Coverage:
    """Counts of the hub's records in [start, end] by level × stakeholder group.

    Two queries, plus one per vocabulary not passed in.
    """
    if levels is None:
        levels = list(Term.objects.of(Term.Vocabulary.ENGAGEMENT_LEVELS))
    if groups is None:
        groups = list(Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS))
    through = EngagementRecord.stakeholder_groups.through
    pairs = (
        through.objects.filter(
            engagementrecord__hub=hub,
            engagementrecord__date__gte=start,
            engagementrecord__date__lte=end,
        )
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
    coverage.records = EngagementRecord.objects.filter(hub=hub).between(start, end).count()
    return coverage
