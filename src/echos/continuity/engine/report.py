"""The JSON answer of ``echos continuity project`` and ``POST /api/v1/continuity/project``, and
currency conversion."""

from decimal import ROUND_HALF_EVEN, Decimal

from django.utils.translation import gettext_lazy as _

from .errors import ModelInvalid
from .model import CENT, Model
from .montecarlo import COVERAGE_MONTHS, DEFAULT_RUNS, simulate
from .months import format_month
from .projection import project

BASE_CURRENCY = "EUR"


def money(value: Decimal) -> str:
    """A Decimal as a string with two decimals (``"50000.00"``)."""
    return str(value.quantize(CENT))


def report(model: Model, runs: int = DEFAULT_RUNS, seed: int | None = None) -> dict[str, object]:
    """``{"months": [...], "cliff", "runway_months", "coverage": {"12", "24", "36"}}``.

    ``months`` is the baseline with amounts as decimal strings; ``cliff`` is ``"YYYY-MM"`` or null;
    a coverage beyond the horizon is null; coverages are rounded to four decimals.
    """
    baseline = project(model)
    simulation = simulate(model, runs=runs, seed=seed, importance=False)
    return {
        "months": [
            {
                "month": format_month(row.month),
                "income": money(row.income),
                "costs": money(row.costs),
                "balance": money(row.balance),
            }
            for row in baseline.months
        ],
        "cliff": None if baseline.cliff is None else format_month(baseline.cliff),
        "runway_months": baseline.runway_months,
        "coverage": {
            str(h): (round(simulation.coverage[h], 4) if h in simulation.coverage else None)
            for h in COVERAGE_MONTHS
        },
    }


def convert(amount: Decimal, currency: str, rates: dict[str, Decimal]) -> Decimal:
    """``amount`` in ``currency`` converted to EUR, rounded half-even to the cent.

    ``rates[currency]`` is how many units of ``currency`` one euro buys (the ECB's convention:
    ``{"NOK": Decimal("11.50")}`` means 1 EUR = 11.50 NOK), so EUR = amount / rate. EUR needs
    no rate; a missing or non-positive rate raises ModelInvalid naming the currency.
    """
    if currency == BASE_CURRENCY:
        return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
    rate = rates.get(currency)
    if rate is None:
        raise ModelInvalid("currency", _("no exchange rate for %(code)s"), code=currency)
    if rate <= 0:
        raise ModelInvalid(
            "currency", _("the exchange rate for %(code)s must be positive"), code=currency
        )
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
