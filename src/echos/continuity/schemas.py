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


class CliffHubOut(Schema):
    hub: int
    name: str
    country: str
    cliff: str
    runway_months: int


class DependentHubOut(Schema):
    hub: int
    name: str
    country: str
    funder: str
    share: float  # of the hub's expected income, 0–1


class MixOut(Schema):
    source_type: str
    label: str
    expected_income: str  # EUR, a decimal string
    share_percent: float  # one decimal, as the page shows


class CountryScoreOut(Schema):
    country: str
    score: int


class NetworkOut(Schema):
    """The network view (issue #12 item 8): cliffs, single-funder dependence, mix, scores."""

    month: str
    hubs: int
    cliffs: list[CliffHubOut]
    dependent: list[DependentHubOut]
    mix: list[MixOut]
    countries: list[CountryScoreOut]


class NetworkModelOut(Schema):
    start: str
    months: int
    balance: str
    secretariat_costs: str
    shared_services: str
    eu_funding: str
    eu_funding_end: str
    eu_probability: str
    formula: str
    contribution_total: str
    contribution_probability: str
    stopping_hubs: int


class ComparisonRowOut(Schema):
    name: str
    runway: int
    runway_delta: int
    cliff: str | None
    coverage_24: float | None
    gap: str
    gap_delta: str


class ScenarioErrorOut(Schema):
    name: str
    field: str | None
    message: str


class NetworkProjectionOut(Schema):
    """The network model's baseline, its Monte Carlo and its "N hubs stop" what-if."""

    currency: str
    hubs: int
    runs: int
    seed: int
    months: list[MonthOut]
    cliff: str | None
    runway_months: int
    coverage: dict[str, float | None]
    fan: list[FanOut]
    comparison: list[ComparisonRowOut]


class NetworkScenarioOut(Schema):
    id: int
    name: str
    description: str
    changes: list[dict]
    stopping_hubs: int


class NetworkCompareOut(Schema):
    rows: list[ComparisonRowOut]
    errors: list[ScenarioErrorOut]


class RateOut(Schema):
    currency: str
    units_per_eur: str
    updated_at: str
