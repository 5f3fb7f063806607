"""The operations model as plain frozen data, and ``parse_model`` for its JSON form.

Invariants after parsing: amounts are non-negative ``Decimal`` with at most two decimal places and
at most ``MAX_AMOUNT``; months are integer indexes (see ``months``); ``end`` is ``None`` or not
before ``start``; ``0 <= probability <= 1``; ids are unique among streams and among costs.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pycountry
from django.utils.translation import gettext_lazy as _

from .errors import ModelInvalid
from .months import parse_month

PERIODS = ("month", "year", "once")
STREAM_TYPES = (
    "eu_grant",
    "national_public",
    "regional_public",
    "membership_fees",
    "in_kind",
    "philanthropy",
    "industry",
    "service_income",
)
COST_CATEGORIES = ("staff", "events", "operations", "other")
MAX_MONTHS = 120
MAX_SLIP = 120
MAX_LINES = 500
MAX_ID = 100
MAX_AMOUNT = Decimal("1000000000000")  # a trillion: far above any hub, and exact in float cents
CENT = Decimal("0.01")
CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies)


@dataclass(frozen=True)
class Stream:
    """A funding stream: ``amount`` per ``period`` from ``start`` to ``end`` (inclusive)."""

    id: str
    type: str
    amount: Decimal
    period: str
    start: int
    end: int | None
    probability: float
    slip_months: int = 0


@dataclass(frozen=True)
class Cost:
    """A cost line: ``amount`` per ``period`` from ``start`` to ``end`` (inclusive); always paid."""

    id: str
    category: str
    amount: Decimal
    period: str
    start: int
    end: int | None


@dataclass(frozen=True)
class Model:
    """A hub's (or the network's) money: ``months`` months from ``start``, opening ``balance``."""

    start: int
    months: int
    balance: Decimal
    currency: str
    streams: tuple[Stream, ...] = ()
    costs: tuple[Cost, ...] = ()


def parse_amount(value: object, field: str, *, allow_negative: bool = False) -> Decimal:
    """An exact Decimal from a string or a number (never through a binary float's digits)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ModelInvalid(field, _("must be a number or a decimal string"))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ModelInvalid(field, _("must be a finite number"))
        value = repr(value)  # the shortest digits that read back as this float: 0.1 -> "0.1"
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError):
        raise ModelInvalid(field, _("must be a number or a decimal string")) from None
    if not amount.is_finite():
        raise ModelInvalid(field, _("must be a finite number"))
    if amount < 0 and not allow_negative:
        raise ModelInvalid(field, _("must not be negative"))
    if abs(amount) > MAX_AMOUNT:
        raise ModelInvalid(field, _("must be at most %(max)s"), max=MAX_AMOUNT)
    if amount != amount.quantize(CENT):
        raise ModelInvalid(field, _("must have at most two decimal places"))
    return amount.quantize(CENT)


def parse_probability(value: object, field: str) -> float:
    """A probability between 0 and 1 from a number or a numeric string."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ModelInvalid(field, _("must be a number between 0 and 1"))
    try:
        p = float(value)
    except ValueError:
        raise ModelInvalid(field, _("must be a number between 0 and 1")) from None
    if not math.isfinite(p) or not 0 <= p <= 1:
        raise ModelInvalid(field, _("must be between 0 and 1"))
    return p


def parse_int(value: object, field: str, low: int, high: int) -> int:
    """A whole number in ``low..high``; booleans and fractions are refused."""
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        if not math.isfinite(value) or value != int(value):
            raise ModelInvalid(field, _("must be a whole number"))
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelInvalid(field, _("must be a whole number"))
    if not low <= value <= high:
        raise ModelInvalid(field, _("must be between %(low)s and %(high)s"), low=low, high=high)
    return value


def parse_currency(value: object, field: str) -> str:
    """An ISO 4217 code (upper case)."""
    if not isinstance(value, str) or value.upper() not in CURRENCIES:
        raise ModelInvalid(field, _("must be an ISO 4217 currency code"))
    return value.upper()


def _choice(value: object, field: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ModelInvalid(field, _("must be one of %(choices)s"), choices=", ".join(choices))
    return value


def _id(value: object, field: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ModelInvalid(field, _("must be a non-empty text"))
    if len(value) > MAX_ID:
        raise ModelInvalid(field, _("must be at most %(max)s characters"), max=MAX_ID)
    return value


def _span(item: Mapping[str, object], where: str, default_start: int) -> tuple[int, int | None]:
    raw_start = item.get("start")
    start = default_start if raw_start is None else parse_month(raw_start, f"{where}.start")
    raw_end = item.get("end")
    end = None if raw_end is None else parse_month(raw_end, f"{where}.end")
    if end is not None and end < start:
        raise ModelInvalid(f"{where}.end", _("must not be before start"))
    return start, end


def _items(data: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    raw = data.get(key, [])
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ModelInvalid(key, _("must be a list"))
    if len(raw) > MAX_LINES:
        raise ModelInvalid(key, _("must have at most %(max)s entries"), max=MAX_LINES)
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ModelInvalid(f"{key}[{i}]", _("must be an object"))
    return raw


def parse_stream(item: Mapping[str, object], where: str, default_start: int) -> Stream:
    """One stream of the JSON form; errors name ``where`` + the field."""
    start, end = _span(item, where, default_start)
    slip = item.get("slip_months")
    return Stream(
        id=_id(item.get("id"), f"{where}.id"),
        type=_choice(item.get("type"), f"{where}.type", STREAM_TYPES),
        amount=parse_amount(item.get("amount"), f"{where}.amount"),
        period=_choice(item.get("period"), f"{where}.period", PERIODS),
        start=start,
        end=end,
        probability=parse_probability(item.get("probability", 1), f"{where}.probability"),
        slip_months=0 if slip is None else parse_int(slip, f"{where}.slip_months", 0, MAX_SLIP),
    )


def parse_cost(item: Mapping[str, object], where: str, default_start: int) -> Cost:
    """One cost line of the JSON form; errors name ``where`` + the field."""
    start, end = _span(item, where, default_start)
    return Cost(
        id=_id(item.get("id"), f"{where}.id"),
        category=_choice(item.get("category"), f"{where}.category", COST_CATEGORIES),
        amount=parse_amount(item.get("amount"), f"{where}.amount"),
        period=_choice(item.get("period"), f"{where}.period", PERIODS),
        start=start,
        end=end,
    )


def parse_model(data: object) -> Model:
    """The Model of the JSON body of ``echos continuity project`` and the API (issue #12 item 10).

    A missing ``start`` of a stream or cost means the model's start; a missing ``probability``
    means 1 (committed); ``end`` and ``slip_months`` may be missing or null.
    """
    if not isinstance(data, dict):
        raise ModelInvalid("model", _("must be an object"))
    start = parse_month(data.get("start"), "start")
    months = parse_int(data.get("months"), "months", 1, MAX_MONTHS)
    balance = parse_amount(data.get("balance", 0), "balance", allow_negative=True)
    currency = parse_currency(data.get("currency"), "currency")
    streams = tuple(
        parse_stream(item, f"streams[{i}]", start) for i, item in enumerate(_items(data, "streams"))
    )
    costs = tuple(
        parse_cost(item, f"costs[{i}]", start) for i, item in enumerate(_items(data, "costs"))
    )
    for key, ids in (("streams", [s.id for s in streams]), ("costs", [c.id for c in costs])):
        seen: set[str] = set()
        for i, line_id in enumerate(ids):
            if line_id in seen:
                raise ModelInvalid(f"{key}[{i}].id", _("is used twice"))
            seen.add(line_id)
    return Model(start, months, balance, currency, streams, costs)
