"""Monte Carlo continuity (issue #12 item 4), vectorised over runs x months.

Each stream with probability below 1 happens as a whole (all its payments) or not at all,
independently. With ``U`` the runs x k matrix of uniform draws and ``P`` the k x months matrix of
the uncertain streams' payments, run r's income is ``(U < p)[r] @ P`` plus the committed net flow;
the balances are a cumulative sum along the months. Money enters as whole cents in float64, which
is exact for any sum under 2**53 cents, so "below zero" is decided without rounding noise; the
results go back out as Decimal (fan) and plain probabilities.

Importance of an uncertain stream: coverage at 24 months (or the horizon when shorter) with the
stream forced to happen minus with it forced not to happen, on the same draws of every other
stream (common random numbers), sorted by that difference, largest first.
"""

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext_lazy as _

from .errors import ModelInvalid
from .model import CENT, Model
from .projection import cents, schedule_cents, totals_cents

MAX_RUNS = 100_000
DEFAULT_RUNS = 10_000
COVERAGE_MONTHS = (12, 24, 36)


@dataclass(frozen=True)
class FanRow:
    """Percentiles of the balance at the end of one month, across runs."""

    month: int
    p10: Decimal
    p50: Decimal
    p90: Decimal


@dataclass(frozen=True)
class Importance:
    """How much one uncertain stream moves the coverage at ``within`` months."""

    stream: str
    probability: float
    coverage_with: float
    coverage_without: float
    within: int

    @property
    def difference(self) -> float:
        """Coverage with the stream minus coverage without it."""
        return self.coverage_with - self.coverage_without


@dataclass(frozen=True)
class Simulation:
    """Figures of one Monte Carlo run of a model.

    ``coverage`` maps 12/24/36 (only those within the horizon) to the share of runs whose balance
    never goes below zero in that many months; ``cliffs`` maps a month to the share of runs whose
    cliff is that month; ``no_cliff`` is the share of runs without a cliff over the horizon.
    """

    runs: int
    seed: int | None
    coverage: dict[int, float]
    cliffs: dict[int, float]
    no_cliff: float
    fan: list[FanRow]
    importance: list[Importance]


def check_runs(runs: object) -> int:
    """The run count, refused (field ``runs``) outside 1..100,000."""
    if isinstance(runs, bool) or not isinstance(runs, int) or not 1 <= runs <= MAX_RUNS:
        raise ModelInvalid("runs", _("must be a whole number between 1 and %(max)s"), max=MAX_RUNS)
    return runs


def matrices(model: Model) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(committed net flow per month, uncertain payments k x months, probabilities, balance) in cents."""
    certain = [s for s in model.streams if s.probability >= 1]
    uncertain = [s for s in model.streams if s.probability < 1]
    net = np.array(totals_cents(certain, model.start, model.months), dtype=np.float64)
    net -= np.array(totals_cents(model.costs, model.start, model.months), dtype=np.float64)
    payments = np.zeros((len(uncertain), model.months), dtype=np.float64)
    for i, s in enumerate(uncertain):
        payments[i] = schedule_cents(s, model.start, model.months)
    probabilities = np.array([s.probability for s in uncertain], dtype=np.float64)
    return net, payments, probabilities, float(cents(model.balance))


def _covered(balances: np.ndarray, within: int) -> np.ndarray:
    """Per run: the balance never went below zero in the first ``within`` months."""
    return np.asarray(balances[:, :within].min(axis=1) >= 0)


def simulate(
    model: Model,
    runs: int = DEFAULT_RUNS,
    seed: int | None = None,
    *,
    importance: bool = True,
) -> Simulation:
    """Monte Carlo figures of ``model`` over ``runs`` runs; the same seed gives the same figures.

    ``importance=False`` skips the per-stream importance (its list is then empty).
    """
    runs = check_runs(runs)
    net, payments, probabilities, opening = matrices(model)
    uncertain = [s for s in model.streams if s.probability < 1]
    rng = np.random.default_rng(seed)
    happens = rng.random((runs, len(uncertain))) < probabilities  # runs x k booleans
    flows = happens.astype(np.float64) @ payments  # runs x months
    flows += net
    balances = np.cumsum(flows, axis=1, out=flows)
    balances += opening

    negative = balances < 0
    has_cliff = negative.any(axis=1)
    first = np.where(has_cliff, negative.argmax(axis=1), -1)
    counts = np.bincount(first[has_cliff], minlength=model.months)
    cliffs = {model.start + int(i): float(counts[i]) / runs for i in np.flatnonzero(counts)}

    coverage = {
        h: float(_covered(balances, h).mean()) for h in COVERAGE_MONTHS if h <= model.months
    }
    quantiles = np.percentile(balances, [10, 50, 90], axis=0) / 100
    fan = [
        FanRow(
            model.start + i,
            Decimal(repr(float(quantiles[0, i]))).quantize(CENT),
            Decimal(repr(float(quantiles[1, i]))).quantize(CENT),
            Decimal(repr(float(quantiles[2, i]))).quantize(CENT),
        )
        for i in range(model.months)
    ]

    within = min(24, model.months)
    base = np.ascontiguousarray(balances[:, :within])
    covered = base.min(axis=1) >= 0
    ranked = []
    for i, stream in enumerate(uncertain if importance else []):
        # Forcing the stream only changes the runs where the draw went the other way: add its
        # cumulative payments where it did not happen, remove them where it did.
        paid = np.cumsum(payments[i, :within])
        did = happens[:, i]
        on = int(covered[did].sum()) + int(((base[~did] + paid).min(axis=1) >= 0).sum())
        off = int(covered[~did].sum()) + int(((base[did] - paid).min(axis=1) >= 0).sum())
        ranked.append(Importance(stream.id, stream.probability, on / runs, off / runs, within))
    ranked.sort(key=lambda x: (-x.difference, x.stream))
    return Simulation(
        runs=runs,
        seed=seed,
        coverage=coverage,
        cliffs=cliffs,
        no_cliff=float((~has_cliff).mean()),
        fan=fan,
        importance=ranked,
    )
