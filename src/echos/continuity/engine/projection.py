"""The deterministic month-by-month projection (issue #12 item 3).

Rules: a ``month`` amount is paid every month from start to end inclusive; a ``year`` amount is
spread over its months; ``once`` is paid whole in its start month; a stream's slip moves its start
and its end that many months later; ``balance(m) = balance(m-1) + income(m) - costs(m)``. The
cliff is the first month whose balance is below zero; the runway is the number of whole months
before the cliff (the horizon when there is none). The baseline counts only streams with
probability 1.

Rounding of ``year`` amounts: each twelve-month cycle counted from the (slipped) start pays
``amount / 12`` rounded half-even to the cent in its first eleven months and the remainder in its
twelfth, so every whole year pays exactly ``amount`` (1000.00 a year: 11 x 83.33 then 83.37). A
cycle cut short by ``end`` pays only its rounded months. All figures stay exact Decimal cents.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from .model import CENT, Cost, Model, Stream

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MonthRow:
    """One month of a projection."""

    month: int
    income: Decimal
    costs: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Projection:
    """Month rows, the cliff month (or None) and the runway in whole months."""

    months: list[MonthRow]
    cliff: int | None
    runway_months: int


def schedule(line: Stream | Cost, start: int, months: int) -> list[Decimal]:
    """The payments of one stream or cost line in each of ``months`` months from ``start``."""
    slip = line.slip_months if isinstance(line, Stream) else 0
    first = line.start + slip
    last = start + months - 1 if line.end is None else line.end + slip
    out = [ZERO] * months
    if line.period == "once":
        if start <= first < start + months:
            out[first - start] = line.amount
        return out
    if line.period == "month":
        monthly, remainder = line.amount, line.amount
    else:
        monthly = (line.amount / 12).quantize(CENT, rounding=ROUND_HALF_EVEN)
        remainder = line.amount - 11 * monthly
    for m in range(max(first, start), min(last, start + months - 1) + 1):
        out[m - start] = remainder if (m - first) % 12 == 11 else monthly
    return out


def totals(lines: Iterable[Stream | Cost], start: int, months: int) -> list[Decimal]:
    """The sum of the schedules of ``lines``, month by month."""
    out = [ZERO] * months
    for line in lines:
        for i, amount in enumerate(schedule(line, start, months)):
            if amount:
                out[i] += amount
    return out


def run(start: int, balance: Decimal, income: list[Decimal], costs: list[Decimal]) -> Projection:
    """The balance recurrence, the cliff and the runway over given monthly totals."""
    rows: list[MonthRow] = []
    cliff: int | None = None
    for i, (inc, cost) in enumerate(zip(income, costs, strict=True)):
        balance = balance + inc - cost
        rows.append(MonthRow(start + i, inc, cost, balance))
        if cliff is None and balance < 0:
            cliff = start + i
    runway = len(rows) if cliff is None else cliff - start
    return Projection(rows, cliff, runway)


def project(model: Model, *, include: Iterable[str] | None = None) -> Projection:
    """The baseline projection: committed streams (probability 1) only.

    ``include`` names uncertain streams to count as if they happened (used to enumerate outcomes).
    """
    chosen = set(include or ())
    streams = [s for s in model.streams if s.probability >= 1 or s.id in chosen]
    income = totals(streams, model.start, model.months)
    costs = totals(model.costs, model.start, model.months)
    return run(model.start, model.balance, income, costs)


def cumulative_gap(projection: Projection) -> Decimal:
    """The sum over the months of how far the balance is below zero (money x months short)."""
    return sum((-row.balance for row in projection.months if row.balance < 0), ZERO)
