"""Response schemas of the synergies API: initiatives, activities, links, suggestions, matching."""

from ninja import Schema


class InitiativeOut(Schema):
    key: str
    name: str
    acronym: str
    programme: str
    description: str
    # The language name and description are written in, and every translation (#17).
    source_language: str
    translations: dict[str, dict[str, str]]
    objectives: list[str]
    policy_areas: list[str]
    start: str
    end: str
    website: str
    url: str


class ActivityOut(Schema):
    id: int
    hub: int
    title: str
    description: str
    # The language title and description are written in, and every translation (#17).
    source_language: str
    # The same code under its v1 name (v1 changes are additive only).
    language: str
    translations: dict[str, dict[str, str]]
    start: str | None
    end: str | None
    objectives: list[str]
    policy_areas: list[str]
    url: str


class LinkOut(Schema):
    id: int
    hub: int
    activity: int
    initiative: str | None
    other_activity: int | None
    status: str
    notes: str
    score: float | None
    status_changed_at: str


class DecisionOut(Schema):
    verdict: str
    link: LinkOut | None


class WhyOut(Schema):
    """What a suggestion rests on: shared concepts, objectives and policy areas."""

    concepts: list[str]
    objectives: list[str]
    policy_areas: list[str]


class InitiativeSuggestionOut(Schema):
    initiative: str
    score: float
    why: WhyOut
    verdict: str | None


class ActivitySuggestionOut(Schema):
    activity: int
    hub: int
    score: float
    why: WhyOut
    verdict: str | None


class SuggestionsOut(Schema):
    activity: int
    initiatives: list[InitiativeSuggestionOut]
    activities: list[ActivitySuggestionOut]


class MatchOut(Schema):
    """One match of a batch; ``why`` only with ``explain``."""

    initiative: str | int
    score: float
    why: WhyOut | None = None


class MatchRowOut(Schema):
    """An activity of a batch and its best initiatives; ``truncated`` when its text was cut."""

    activity: str | int
    matches: list[MatchOut]
    truncated: bool | None = None


class ProgressOut(Schema):
    done: int
    total: int
    percent: int


class MatchJobOut(Schema):
    """A background match: ``result`` once done, ``error`` once failed."""

    id: str
    status: str
    url: str
    progress: ProgressOut
    created_at: str
    finished_at: str | None
    result: list[MatchRowOut] | None = None
    error: str | None = None
