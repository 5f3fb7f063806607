"""Response schemas of the assessment API: instruments, responses, rounds, maturity, analysis."""

from typing import Any

from ninja import Schema

# Levels and scores are whole numbers or fractions; a union keeps 3 as 3 (a float would give 3.0).
Number = int | float


class InstrumentOut(Schema):
    code: str
    version: int
    kind: str
    title: str
    current: bool


class InstrumentOptionOut(Schema):
    value: str
    label: str


class InstrumentLevelOut(Schema):
    value: int
    label: str
    descriptor: str


class InstrumentQuestionOut(Schema):
    code: str
    type: str
    required: bool
    text: str
    help: str
    unit: str
    options: list[InstrumentOptionOut] | None = None
    levels: list[InstrumentLevelOut] | None = None


class InstrumentSectionOut(Schema):
    code: str
    title: str
    description: str
    questions: list[InstrumentQuestionOut]


class InstrumentDetailOut(InstrumentOut):
    """``definition`` as authored (every language it carries); the texts in ``language`` beside."""

    language: str
    description: str
    sections: list[InstrumentSectionOut]
    definition: dict[str, Any]


class ResponseOut(Schema):
    id: int
    instrument: str
    version: int
    hub: int | None
    country: str | None
    kind: str
    status: str
    answers: dict[str, Any]
    is_public: bool
    overall_score: Number | None
    submitted_at: str | None
    supersedes: int | None


class HistoryPointOut(Schema):
    date: str
    overall: Number | None
    dimensions: dict[str, Number | None]


class PeerOut(Schema):
    hub_id: int
    name: str
    level: Number


class RecommendationOut(Schema):
    dimension: str
    question: str
    level: Number
    median: Number | None
    goal_level: Number | None
    goal_label: str
    goal: str
    peers: list[PeerOut]


class HubMaturityOut(Schema):
    hub: int
    overall: Number | None
    level: int | None
    dimensions: dict[str, Number | None]
    network_median: dict[str, Number | None]
    stage_median: dict[str, Number | None]
    median_min_hubs: int
    history: list[HistoryPointOut]
    recommendations: list[RecommendationOut]


class HubScoresOut(Schema):
    """One hub's latest official maturity scores (a row of the network view)."""

    hub_id: int
    name: str
    country: str
    level: str
    stage: str
    overall: Number | None
    overall_level: int | None
    dimensions: dict[str, Number | None]
    submitted_at: str | None
    response_id: int
    is_public: bool


class MappingAnalysisOut(Schema):
    """The mapping survey across countries; ``by_country`` only when a question is asked for."""

    countries: int
    distributions: list[dict[str, Any]]
    traits: dict[str, Any]
    clusters: dict[str, Any]
    by_country: list[dict[str, Any]] | None = None


class SpreadOut(Schema):
    dimension: str
    question: str
    values: list[Number]
    min: Number | None
    max: Number | None
    median: Number | None
    spread: Number | None
    flag: str | None


class RoundOut(Schema):
    id: int
    hub: int
    status: str
    opened_at: str
    consensus: int | None
    spread: list[SpreadOut]


class EvidenceOut(Schema):
    id: int
    question: str
    link: str
    file: str
