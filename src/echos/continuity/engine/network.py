"""The network operations model: how the European network of hubs pays for itself (item 8).

The network's model is an ordinary ``Model``: the secretariat's costs and shared services as cost
lines, EU funding as streams, and one yearly stream of type ``membership_fees`` per hub (id
``hub:<hub id>``) whose amount is the hub's share of ``total_contribution`` (a yearly total) by
the chosen formula:

- ``flat``: equal shares;
- ``population``: in proportion to the population the hub serves;
- ``income``: in proportion to the hub's own yearly income.

Shares are rounded to the cent by the largest-remainder method, so they add up exactly to the
total. "What if N hubs stop contributing" comes in two forms: ``without_hubs`` removes the N
largest contributions (the worst case for N hubs, deterministic), and
``network_model(..., contribution_probability=p)`` makes every contribution an uncertain stream,
so ``simulate`` gives the coverage when each hub pays with probability p independently.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext_lazy as _

from .errors import ModelInvalid
from .model import CENT, Cost, Model, Stream

FORMULAS = ("flat", "population", "income")
HUB_PREFIX = "hub:"


@dataclass(frozen=True)
class HubInput:
    """A hub as the contribution formula sees it: id, population served, yearly income."""

    id: str
    population: int
    income: Decimal


def contributions(
    hubs: Sequence[HubInput], formula: str, total_contribution: Decimal
) -> dict[str, Decimal]:
    """Each hub's yearly contribution, by ``formula``; the amounts add up to the total exactly."""
    if formula not in FORMULAS:
        raise ModelInvalid("formula", _("must be one of %(choices)s"), choices=", ".join(FORMULAS))
    if total_contribution < 0:
        raise ModelInvalid("total_contribution", _("must not be negative"))
    if not hubs:
        return {}
    if formula == "flat":
        weights = [Decimal(1)] * len(hubs)
    elif formula == "population":
        weights = [Decimal(max(h.population, 0)) for h in hubs]
    else:
        weights = [max(h.income, Decimal(0)) for h in hubs]
    whole = sum(weights, Decimal(0))
    if whole <= 0:
        raise ModelInvalid(
            "formula", _("no hub has a %(formula)s to share the contribution by"), formula=formula
        )
    cents = int(total_contribution.quantize(CENT) * 100)
    exact = [Decimal(cents) * w / whole for w in weights]
    floors = [int(x.to_integral_value(rounding=ROUND_DOWN)) for x in exact]
    left = cents - sum(floors)
    # Largest remainders first; ties go to the hub listed first.
    order = sorted(range(len(hubs)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return {h.id: Decimal(c) / 100 for h, c in zip(hubs, floors, strict=True)}


def network_model(
    *,
    start: int,
    months: int,
    balance: Decimal,
    currency: str,
    secretariat_costs: Sequence[Cost],
    shared_services: Sequence[Cost],
    eu_funding: Sequence[Stream],
    hubs: Sequence[HubInput],
    formula: str,
    total_contribution: Decimal,
    contribution_probability: float = 1.0,
) -> Model:
    """The network's Model: costs, EU funding and one yearly contribution stream per hub."""
    if not 0 <= contribution_probability <= 1:
        raise ModelInvalid("contribution_probability", _("must be between 0 and 1"))
    shares = contributions(hubs, formula, total_contribution)
    hub_streams = tuple(
        Stream(
            f"{HUB_PREFIX}{hub_id}",
            "membership_fees",
            amount,
            "year",
            start,
            None,
            contribution_probability,
        )
        for hub_id, amount in shares.items()
        if amount > 0
    )
    return Model(
        start=start,
        months=months,
        balance=balance,
        currency=currency,
        streams=tuple(eu_funding) + hub_streams,
        costs=tuple(secretariat_costs) + tuple(shared_services),
    )


def without_hubs(model: Model, n: int) -> Model:
    """``model`` with the ``n`` largest hub contributions removed (the worst case for n hubs)."""
    if n < 0:
        raise ModelInvalid("n", _("must not be negative"))
    hub_streams = [s for s in model.streams if s.id.startswith(HUB_PREFIX)]
    if n > len(hub_streams):
        raise ModelInvalid("n", _("must be at most %(n)s, the number of hubs"), n=len(hub_streams))
    dropped = {s.id for s in sorted(hub_streams, key=lambda s: (-s.amount, s.id))[:n]}
    return replace(model, streams=tuple(s for s in model.streams if s.id not in dropped))
