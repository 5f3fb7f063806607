"""Response schemas of the engagement API: records and the activity a record became."""

from ninja import Schema


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
