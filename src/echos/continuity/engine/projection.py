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
cycle cut short by ``end`` pays only its rounded months. The arithmetic runs on whole cents
(Python integers, exact) and the rows come out as Decimal with two decimals.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from itertools import accumulate
from typing import overload

from .model import Cost, Model, Stream

ZERO = Decimal("0.00")


@dataclass(slots=True)
class MonthRow:
    """One month of a projection."""

    month: int
    income: Decimal
    costs: Decimal
    balance: Decimal


class Rows(Sequence[MonthRow]):
    """The month rows of a projection, made on first use: the network view projects 2,000 hubs
    and reads only their cliffs and runways."""

    __slots__ = ("_start", "_cents", "_rows")

    def __init__(self, start: int, income: list[int], costs: list[int], balances: list[int]):
        self._start = start
        self._cents = (income, costs, balances)
        self._rows: list[MonthRow] | None = None

    def _list(self) -> list[MonthRow]:
        if self._rows is None:
            income, costs, balances = self._cents
            self._rows = [
                MonthRow(self._start + k, from_cents(i), from_cents(c), from_cents(b))
                for k, (i, c, b) in enumerate(zip(income, costs, balances, strict=True))
            ]
        return self._rows

    @overload
    def __getitem__(self, index: int) -> MonthRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[MonthRow]: ...

    def __getitem__(self, index: int | slice) -> MonthRow | list[MonthRow]:
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._cents[0])

    def __iter__(self) -> Iterator[MonthRow]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._list() == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return repr(self._list())


@dataclass(slots=True)
class Projection:
    """Month rows, the cliff month (or None) and the runway in whole months."""

    months: Sequence[MonthRow]
    cliff: int | None
    runway_months: int


def cents(amount: Decimal) -> int:
    """An amount in whole cents (amounts carry at most two decimals; more are rounded half-even)."""
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_EVEN))


@lru_cache(maxsize=65536)
def from_cents(value: int) -> Decimal:
    """Whole cents back to a Decimal with two decimals."""
    return Decimal(value).scaleb(-2)


def _window(line: Stream | Cost, start: int, months: int) -> tuple[int, int, int]:
    """(first payment month after the slip, first and last month paid within the horizon)."""
    slip = line.slip_months if isinstance(line, Stream) else 0
    first = line.start + slip
    horizon_end = start + months - 1
    last = horizon_end if line.end is None else min(line.end + slip, horizon_end)
    return first, max(first, start), last


def _rates(line: Stream | Cost) -> tuple[int, int]:
    """(cents paid in an ordinary month, cents paid in the twelfth month of a yearly cycle)."""
    amount = cents(line.amount)
    if line.period != "year":
        return amount, amount
    monthly, rest = divmod(amount, 12)
    if 2 * rest > 12 or (2 * rest == 12 and monthly % 2):  # half-even, as Decimal.quantize
        monthly += 1
    return monthly, amount - 11 * monthly


def _twelfths(first: int, lo: int, hi: int) -> range:
    """The months in ``lo..hi`` that close a twelve-month cycle begun in ``first``."""
    return range(first + 11 + 12 * -((first + 11 - lo) // 12), hi + 1, 12)


def schedule_cents(line: Stream | Cost, start: int, months: int) -> list[int]:
    """The payments of one line in each of ``months`` months from ``start``, in cents."""
    out = [0] * months
    first, lo, hi = _window(line, start, months)
    if line.period == "once":
        if start <= first <= start + months - 1:
            out[first - start] = cents(line.amount)
        return out
    if hi < lo:
        return out
    monthly, twelfth = _rates(line)
    out[lo - start : hi - start + 1] = [monthly] * (hi - lo + 1)
    if twelfth != monthly:
        for m in _twelfths(first, lo, hi):
            out[m - start] = twelfth
    return out


def paid_cents(line: Stream | Cost, start: int, months: int) -> int:
    """What one line pays over the horizon in total, in cents (the sum of its schedule)."""
    first, lo, hi = _window(line, start, months)
    if line.period == "once":
        return cents(line.amount) if start <= first <= start + months - 1 else 0
    if hi < lo:
        return 0
    monthly, twelfth = _rates(line)
    return (hi - lo + 1) * monthly + len(_twelfths(first, lo, hi)) * (twelfth - monthly)


def schedule(line: Stream | Cost, start: int, months: int) -> list[Decimal]:
    """The payments of one stream or cost line in each of ``months`` months from ``start``."""
    return [from_cents(c) for c in schedule_cents(line, start, months)]


def totals_cents(lines: Iterable[Stream | Cost], start: int, months: int) -> list[int]:
    """The sum of the schedules of ``lines``, month by month, in cents."""
    schedules = [schedule_cents(line, start, months) for line in lines]
    if not schedules:
        return [0] * months
    return list(map(sum, zip(*schedules, strict=True)))


def totals(lines: Iterable[Stream | Cost], start: int, months: int) -> list[Decimal]:
    """The sum of the schedules of ``lines``, month by month."""
    return [from_cents(c) for c in totals_cents(lines, start, months)]


def run(start: int, balance: int, income: list[int], costs: list[int]) -> Projection:
    """The balance recurrence, the cliff and the runway over monthly totals in cents."""
    balances = list(
        accumulate((i - c for i, c in zip(income, costs, strict=True)), initial=balance)
    )
    del balances[0]
    cliff = next((start + k for k, b in enumerate(balances) if b < 0), None)
    rows = Rows(start, income, costs, balances)
    return Projection(rows, cliff, len(rows) if cliff is None else cliff - start)


def paid(line: Stream | Cost, start: int, months: int) -> Decimal:
    """What one line pays over the horizon in total (the sum of its schedule, without the list)."""
    return from_cents(paid_cents(line, start, months))


def project(model: Model, *, include: Iterable[str] | None = None) -> Projection:
    """The baseline projection: committed streams (probability 1) only.

    ``include`` names uncertain streams to count as if they happened (used to enumerate outcomes).
    """
    chosen = set(include or ())
    streams = [s for s in model.streams if s.probability >= 1 or s.id in chosen]
    income = totals_cents(streams, model.start, model.months)
    costs = totals_cents(model.costs, model.start, model.months)
    return run(model.start, cents(model.balance), income, costs)


def cumulative_gap(projection: Projection) -> Decimal:
    """The sum over the months of how far the balance is below zero (money x months short)."""
    return sum((-row.balance for row in projection.months if row.balance < 0), ZERO)
