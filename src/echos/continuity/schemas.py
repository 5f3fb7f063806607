"""Response schemas of the continuity API."""

from ninja import Schema


class StreamOut(Schema):
    id: int
    hub: int
    name: str
    source_type: str
    funder: int | None
    amount: str
    currency: str
    period: str
    start: str
    end: str | None
    probability: str
    slip_months: int
    restrictions: str


class CostOut(Schema):
    id: int
    hub: int
    name: str
    category: str
    role: str
    fte: str | None
    amount: str
    currency: str
    period: str
    start: str
    end: str | None


class RiskOut(Schema):
    id: int
    hub: int
    title: str
    category: str
    likelihood: int
    impact: int
    score: int
    high: bool
    owner: str
    mitigation: str
    status: str
    review_date: str | None


class ScenarioOut(Schema):
    id: int
    hub: int
    name: str
    description: str
    changes: list[dict]


class CanvasOut(Schema):
    hub: int
    number: int
    created_at: str
    value_proposition: str
    stakeholder_segments: list[str]
    relationships: str
    channels: str
    key_partners: list[int]
    key_activities: str
    key_resources: str
    cost_structure: str
    revenue_streams: str


class MonthOut(Schema):
    month: str
    income: str
    costs: str
    balance: str


class ProjectionOut(Schema):
    hub: int
    currency: str
    months: list[MonthOut]
    cliff: str | None
    runway_months: int


class FanOut(Schema):
    month: str
    p10: str
    p50: str
    p90: str


class ImportanceOut(Schema):
    stream: str
    coverage_with: float
    coverage_without: float


class SimulationOut(Schema):
    hub: int
    runs: int
    seed: int
    coverage: dict[str, float | None]
    no_cliff: float
    fan: list[FanOut]
    importance: list[ImportanceOut]


class ComponentOut(Schema):
    code: str
    label: str
    value: float | None
    weight: float
    points: float
    explanation: str


class ScoreOut(Schema):
    hub: int
    total: int
    components: list[ComponentOut]
    best_change: str


class ReportOut(Schema):
    """The JSON of ``echos continuity project`` (issue #12 item 10)."""

    months: list[MonthOut]
    cliff: str | None
    runway_months: int
    coverage: dict[str, float | None]
