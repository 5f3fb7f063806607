"""Small counts on the public dashboard: below ``ECHOS_SMALL_COUNT`` a count is published as
"<n", and a count that would give a hidden one back (a total minus the cells beside it) is
withheld as "x" (``publish``, used by the page, its charts and the CSV alike)."""

import math
from dataclasses import dataclass

from django.conf import settings

from echos.events.gap.tallies import (
    NOT_STATED,
    PROFESSIONAL_CODES,
    PROFESSIONALS,
    PUBLIC,
    PUBLIC_CODES,
    Row,
)


class Small:
    """A count from 1 to ``threshold - 1``, published as "<threshold" so that no table, chart or
    CSV of the public dashboard singles out a handful of people."""

    def __init__(self, threshold: int):
        self.threshold = threshold

    def __str__(self) -> str:
        return f"<{self.threshold}"

    def __eq__(self, other) -> bool:
        return isinstance(other, Small) and other.threshold == self.threshold

    __hash__ = None  # type: ignore[assignment]  # unhashable: typeshed has no type for that


class Withheld:
    """A count of ``threshold`` or more withheld beside a small one (secondary suppression), so
    that the small count cannot be worked out from a total minus the counts published beside it."""

    def __str__(self) -> str:
        return "x"

    def __eq__(self, other) -> bool:
        return isinstance(other, Withheld)

    __hash__ = None  # type: ignore[assignment]  # unhashable: typeshed has no type for that


@dataclass(frozen=True)
class ShownRow:
    """A row as published: every count an int, ``Small`` below the threshold, or ``Withheld``."""

    code: str
    label: str
    registrations: "int | Small | Withheld"
    public: "int | Small | Withheld"
    professionals: "int | Small | Withheld"
    not_stated: "int | Small | Withheld"
    attendance: "int | Small | Withheld"
    recorded: "int | Small | Withheld"
    rate: float | None
    # The rate exists but would reveal a count that is not published.
    rate_hidden: bool = False


# The counts of a published row, in the order of the tables and the CSV.
SHOWN_METRICS = ("registrations", "public", "professionals", "not_stated", "attendance", "recorded")

GROUP_CODES = {PUBLIC: PUBLIC_CODES, PROFESSIONALS: PROFESSIONAL_CODES, NOT_STATED: [NOT_STATED]}

# A cell of the published tables: (table key, row code, metric).
Cell = tuple[str, str, str]


def _sums(tables: dict[str, list[Row]]) -> tuple[dict[Cell, int], list[list[tuple[Cell, int]]]]:
    """Every cell's value and every linear relation a reader can use between published cells.

    A relation is a list of (cell, sign) whose signed values sum to zero: within each row,
    registrations = public + professionals + not stated; down each column of a table whose rows
    add up to the total (months, audiences and countries always; objectives, languages and regions
    whenever they happen to, since a reader may guess it); the groups from the audiences; the
    regions of a country to the country where they add up to it.
    """
    values: dict[Cell, int] = {}
    for key, rows in tables.items():
        for r in rows:
            for m in SHOWN_METRICS:
                values[(key, r.code, m)] = getattr(r, m)
    relations: list[list[tuple[Cell, int]]] = []

    def column(parts: list[Cell], whole: Cell) -> None:
        if whole in values and sum(values[c] for c in parts) == values[whole]:
            relations.append([*((c, 1) for c in parts), (whole, -1)])

    for key, rows in tables.items():
        for r in rows:
            relations.append(
                [((key, r.code, "registrations"), 1)]
                + [((key, r.code, m), -1) for m in ("public", "professionals", "not_stated")]
            )
        parts = [r.code for r in rows if key != "group" or r.code != "total"]
        for m in SHOWN_METRICS:
            column([(key, code, m) for code in parts], ("group", "total", m))
    audience = [r.code for r in tables.get("audience", [])]
    regions = [r.code for r in tables.get("region", [])]
    for m in SHOWN_METRICS:
        for group, codes in GROUP_CODES.items():
            column([("audience", c, m) for c in audience if c in codes], ("group", group, m))
        for country in {code.split("-")[0] for code in regions}:
            inside = [("region", c, m) for c in regions if c.split("-")[0] == country]
            column(inside, ("country", country, m))
    return values, relations


def _bounds(cell: Cell, values: dict[Cell, int], hidden: dict, threshold: int):
    """What a reader knows of a cell: its value if published, else the range its marker allows."""
    if cell not in hidden:
        return values[cell], values[cell]
    if isinstance(hidden[cell], Small):
        return 1, threshold - 1
    return threshold, math.inf


class _Sum:
    """A sum of numbers some of which may be infinite (of one sign), less any one of them."""

    def __init__(self, numbers: list[float]):
        self.finite = sum(n for n in numbers if math.isfinite(n))
        self.infinite = [n for n in numbers if not math.isfinite(n)]

    def without(self, number: float) -> float:
        rest = len(self.infinite) - (not math.isfinite(number))
        if rest:
            return self.infinite[0]
        return self.finite - (number if math.isfinite(number) else 0)


def _exposed(relation, values: dict[Cell, int], hidden: dict, threshold: int) -> bool:
    """True when one relation pins a hidden cell to a single value: a lone hidden cell (the total
    minus the others), or hidden cells whose ranges leave one value only (two "<5" adding up to 2)."""
    unknown = [(c, sign) for c, sign in relation if c in hidden]
    if not unknown:
        return False
    if len(unknown) == 1:
        return True
    # Each cell is the signed sum of the others: sum the ranges of all cells once (as seen from
    # a cell of sign +1), then take the cell's own share back out. Withheld counts have no upper
    # bound, so infinite shares are counted apart from the finite sum.
    shares = []
    for c, sign in relation:
        a, b = _bounds(c, values, hidden, threshold)
        shares.append((-b, -a) if sign > 0 else (a, b))
    low = _Sum([lo for lo, _hi in shares])
    high = _Sum([hi for _lo, hi in shares])
    for (cell, sign), (own_low, own_high) in zip(relation, shares, strict=True):
        if cell not in hidden:
            continue
        others = (low.without(own_low), high.without(own_high))
        if sign < 0:  # the cell is on the other side: cell = -(others as seen from +1)
            others = (-others[1], -others[0])
        a, b = _bounds(cell, values, hidden, threshold)
        if max(others[0], a) == min(others[1], b):
            return True
    return False


def publish(
    tables: dict[str, list[Row]], threshold: int | None = None
) -> dict[str, list[ShownRow]]:
    """The tables as published by the page, its charts and the CSV alike.

    Counts from 1 to ``threshold - 1`` become ``Small`` (primary suppression). Then, while any
    relation between cells (``_sums``) would give a hidden count back exactly — a total minus the
    published cells beside it, or ranges that leave one value — the smallest count of that relation
    still published is withheld too (secondary suppression). An attendance rate is withheld with
    either of its counts.
    """
    if threshold is None:
        threshold = settings.ECHOS_SMALL_COUNT
    values, relations = _sums(tables)
    hidden: dict[Cell, Small | Withheld] = {
        c: Small(threshold) for c, v in values.items() if 0 < v < threshold
    }
    changed = bool(hidden)
    while changed:
        changed = False
        for relation in relations:
            if not _exposed(relation, values, hidden, threshold):
                continue
            candidates = [c for c, _sign in relation if c not in hidden]
            counts = [c for c in candidates if values[c] > 0]
            if counts:
                hidden[min(counts, key=lambda c: values[c])] = Withheld()
                changed = True
            elif candidates:
                # Only zeros left (every count of the relation is small): "<5" is true of 0 too,
                # and a zero shown so leaves a reader unable to tell how the small counts split.
                hidden[candidates[0]] = Small(threshold)
                changed = True
    out: dict[str, list[ShownRow]] = {}
    for key, rows in tables.items():
        out[key] = []
        for r in rows:
            cells = {m: hidden.get((key, r.code, m), getattr(r, m)) for m in SHOWN_METRICS}
            hidden_rate = r.rate is not None and (
                (key, r.code, "attendance") in hidden or (key, r.code, "recorded") in hidden
            )
            out[key].append(
                ShownRow(
                    r.code,
                    r.label,
                    **cells,
                    rate=None if hidden_rate else r.rate,
                    rate_hidden=hidden_rate,
                )
            )
    return out
