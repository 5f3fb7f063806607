"""The continuity score, 0-100, component by component (issue #12 item 7).

Components, their weights (out of 100) and how each earns its points:

============  ======  ==============================================================
code          weight  points
============  ======  ==============================================================
runway        25      weight x min(runway, 24) / 24 (24 months of runway = full points)
coverage      25      weight x coverage probability at 24 months (none simulated = 0)
diversity     15      weight x min(1, diversity / (2/3)); diversity = 1 - HHI of the
                      source-type shares of expected income, 2/3 = three equal sources
committed     15      weight x share of expected income that is committed (probability 1)
risks         10      weight x max(0, 1 - open high risks / 3) (three or more = none)
maturity      10      weight x (level - 1) / 4 for the "funding and resources" level 1-5
============  ======  ==============================================================

When the maturity level is not assessed, its 10 points are shared among the other five in
proportion to their weights (each weight x 100/90), so the total still ranges over 0-100.
``best_change`` names the component with the most points still missing: raising that one
component to its best value raises the total most.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .model import Model
from .projection import from_cents, paid_cents

RUNWAY_TARGET = 24
DIVERSITY_TARGET = 2 / 3
RISKS_LIMIT = 3
WEIGHTS = {
    "runway": 25.0,
    "coverage": 25.0,
    "diversity": 15.0,
    "committed": 15.0,
    "risks": 10.0,
    "maturity": 10.0,
}


def herfindahl(shares: Iterable[float | Decimal]) -> float:
    """The Herfindahl-Hirschman index (sum of squared shares) of non-negative values.

    Values are normalised by their total first, so amounts may be given instead of shares; with
    nothing (a zero total) the index is 1.0, maximum concentration.
    """
    values = [float(s) for s in shares]
    if any(v < 0 for v in values):
        raise ValueError("shares must not be negative")
    total = sum(values)
    if total <= 0:
        return 1.0
    return sum((v / total) ** 2 for v in values)


def diversity(income_by_type: Mapping[str, Decimal | float]) -> float:
    """1 - HHI of the source-type shares of expected income (0 = one source type or none)."""
    return 1.0 - herfindahl(income_by_type.values())


def expected_income_by_type(model: Model) -> dict[str, Decimal]:
    """Expected income over the horizon per source type: sum of payments x probability."""
    out: dict[str, Decimal] = {}
    for stream in model.streams:
        paid = from_cents(paid_cents(stream, model.start, model.months))
        expected = paid * Decimal(repr(stream.probability))
        out[stream.type] = out.get(stream.type, Decimal(0)) + expected
    return out


def committed_share(model: Model) -> float:
    """Committed income over the horizon as a share of expected income (0 when there is none)."""
    committed = Decimal(0)
    expected = Decimal(0)
    for stream in model.streams:
        paid = from_cents(paid_cents(stream, model.start, model.months))
        expected += paid * Decimal(repr(stream.probability))
        if stream.probability >= 1:
            committed += paid
    return float(committed / expected) if expected > 0 else 0.0


@dataclass(frozen=True)
class ScoreInputs:
    """What the score is computed from (the caller gathers it from models and simulations)."""

    runway_months: int
    horizon: int
    coverage_24: float | None
    income_by_type: Mapping[str, Decimal | float]
    committed_share: float
    open_high_risks: int
    maturity_funding_level: int | None


@dataclass(frozen=True)
class Component:
    """One line of the score: its value, weight (after redistribution) and points earned.

    ``explanation`` is written (and translated) only when read: the network view scores 2,000
    hubs and shows none of them.
    """

    code: str
    label: Promise
    value: float | int | None
    weight: float
    points: float
    inputs: ScoreInputs = field(repr=False, compare=False)

    @property
    def explanation(self) -> str:
        """One sentence saying where the points come from, in the active language."""
        return _explain(self.code, self.inputs, self.value)


@dataclass(frozen=True)
class Score:
    """The total (0-100), its components and the one change that would raise it most."""

    total: int
    components: list[Component]
    best_change: str
    best_component: str | None = None


def _explain(code: str, inputs: ScoreInputs, value: float | int | None) -> str:
    if code == "runway":
        if inputs.runway_months >= inputs.horizon:
            return str(_("No funding cliff within the %(horizon)d months projected.")) % {
                "horizon": inputs.horizon
            }
        return str(_("The committed money lasts %(months)d months; 24 earns full points.")) % {
            "months": inputs.runway_months
        }
    if code == "coverage":
        if value is None:
            return str(_("Not simulated: the projection is shorter than 24 months."))
        return str(
            _("In %(percent)d%% of simulated futures the balance stays above zero for 24 months.")
        ) % {"percent": round(float(value) * 100)}
    if code == "diversity":
        return str(
            _(
                "Funding diversity is %(value).2f (1 minus the Herfindahl index of source types); "
                "0.67, three equal sources, earns full points."
            )
        ) % {"value": float(value or 0)}
    if code == "committed":
        return str(_("%(percent)d%% of the expected income is committed.")) % {
            "percent": round(float(value or 0) * 100)
        }
    if code == "risks":
        return ngettext(
            "%(count)d open high risk; each of the first three costs a third of the points.",
            "%(count)d open high risks; each of the first three costs a third of the points.",
            inputs.open_high_risks,
        ) % {"count": inputs.open_high_risks}
    if value is None:
        return str(_("Not assessed: its weight is shared among the other components."))
    return str(
        _("The maturity self-assessment rates funding and resources at level %(level)d of 5.")
    ) % {"level": int(value)}


def _advice(code: str) -> str:
    return str(
        {
            "runway": _("Secure committed funding for at least 24 months of runway."),
            "coverage": _(
                "Make the uncertain funding more likely, or plan costs so that the balance "
                "stays above zero in more futures."
            ),
            "diversity": _(
                "Spread income over more types of source, so that no single type dominates."
            ),
            "committed": _("Turn expected income into committed income (signed agreements)."),
            "risks": _("Mitigate or close the open high risks in the risk register."),
            "maturity": _("Reach the next level of funding and resources in the maturity model."),
        }[code]
    )


LABELS: dict[str, Promise] = {
    "runway": _("Runway"),
    "coverage": _("Coverage probability at 24 months"),
    "diversity": _("Funding diversity"),
    "committed": _("Committed income"),
    "risks": _("Open high risks"),
    "maturity": _("Maturity: funding and resources"),
}


def continuity_score(inputs: ScoreInputs) -> Score:
    """The score of ``inputs`` with each component explained (weights in the module docstring)."""
    level = inputs.maturity_funding_level
    values: dict[str, float | int | None] = {
        "runway": inputs.runway_months,
        "coverage": inputs.coverage_24,
        "diversity": round(diversity(inputs.income_by_type), 4),
        "committed": round(inputs.committed_share, 4),
        "risks": inputs.open_high_risks,
        "maturity": level,
    }
    fractions = {
        "runway": min(max(inputs.runway_months, 0), RUNWAY_TARGET) / RUNWAY_TARGET,
        "coverage": float(inputs.coverage_24 or 0.0),
        "diversity": min(1.0, diversity(inputs.income_by_type) / DIVERSITY_TARGET),
        "committed": min(max(inputs.committed_share, 0.0), 1.0),
        "risks": max(0.0, 1 - max(inputs.open_high_risks, 0) / RISKS_LIMIT),
        "maturity": 0.0 if level is None else (min(max(level, 1), 5) - 1) / 4,
    }
    weights = dict(WEIGHTS)
    if level is None:
        share = 100 / (100 - weights.pop("maturity"))
        weights = {code: w * share for code, w in weights.items()}
    components = [
        Component(
            code,
            LABELS[code],
            values[code],
            round(weight, 2),
            round(weight * fractions[code], 1),
            inputs,
        )
        for code, weight in weights.items()
    ]
    total = round(sum(weights[c] * fractions[c] for c in weights))
    missing = {c: weights[c] * (1 - fractions[c]) for c in weights}
    best = max(missing, key=lambda c: (missing[c], -list(weights).index(c)))
    if missing[best] <= 0:
        best_change = str(_("Nothing: every component already earns its full points."))
        return Score(total, components, best_change, None)
    best_change = str(_("%(advice)s This can add up to %(points)d points.")) % {
        "advice": _advice(best),
        "points": round(missing[best]),
    }
    return Score(total, components, best_change, best)
