"""Response schemas of the engagement API: records, participant counts, follow-ups, coverage,
suggestions, and the activity a record became."""

from ninja import Schema


class ParticipantCountOut(Schema):
    """Participants of one stakeholder group at a record (a count, never who)."""

    group: str
    count: int


class EngagementRecordOut(Schema):
    id: int
    hub: int
    title: str
    description: str
    date: str
    end_date: str | None
    level: str
    stakeholder_groups: list[str]
    organisations: list[int]
    participants: int | None
    participant_counts: list[ParticipantCountOut]
    status: str
    format: str
    language: str
    region: str | None
    objectives: list[str]
    policy_areas: list[str]
    outcomes: str
    is_demo: bool
    created_at: str
    updated_at: str
    url: str


class RecordActivityOut(Schema):
    """The synergy activity a record became; ``created`` is false when it was refreshed."""

    activity: int
    url: str
    created: bool
    record: int


class FollowUpOut(Schema):
    """A follow-up action (hub team only: it names its owner's account)."""

    id: int
    record: int
    hub: int
    title: str
    owner: int | None
    owner_name: str | None
    due_date: str
    status: str
    overdue: bool
    done_at: str | None
    is_demo: bool
    created_at: str
    updated_at: str


class CoverageRowOut(Schema):
    group: str
    counts: dict[str, int]
    total: int
    deepest: str | None


class SectorQuarterOut(Schema):
    quarter: str
    counts: dict[str, int]
    total: int


class RegionCountOut(Schema):
    region: str
    name: str
    records: int


class QuarterTrendOut(Schema):
    quarter: str
    records: int
    participants: int
    by_level: dict[str, int]


class CoverageOut(Schema):
    """Coverage of one hub (or the network, ``hub`` null) over a period: counts only."""

    hub: int | None
    start: str
    end: str
    records: int
    levels: list[str]
    matrix: list[CoverageRowOut]
    gaps: list[str]
    sector_totals: dict[str, int] | None
    sector_quarters: list[SectorQuarterOut] | None
    regions: list[RegionCountOut] | None
    records_without_region: int | None
    trend: list[QuarterTrendOut] | None


class EngagementSuggestionOut(Schema):
    rule: str
    description: str
    text: str
    figures: dict


class EngagementSuggestionsOut(Schema):
    hub: int
    start: str
    end: str
    items: list[EngagementSuggestionOut]
