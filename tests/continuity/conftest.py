"""Fixtures of the continuity tests: a model for Norway with streams and costs."""

from decimal import Decimal

import pytest


@pytest.fixture
def norway_model(hubs):
    """Norway: balance 10,000 from 2027-01; a committed grant, an uncertain one, one staff cost."""
    from echos.continuity import services

    hub = hubs["norway"]
    services.save_settings(
        actor=None, hub=hub, start="2027-01", months=36, balance=Decimal("10000")
    )
    grant = services.save_line(
        actor=None,
        kind="stream",
        hub=hub,
        name="Ministry grant",
        source_type="national_public",
        amount=Decimal("12000"),
        currency="EUR",
        period="year",
        start="2027-01",
        end="2027-12",
    )
    maybe = services.save_line(
        actor=None,
        kind="stream",
        hub=hub,
        name="Foundation",
        source_type="philanthropy",
        amount=Decimal("20000"),
        currency="EUR",
        period="once",
        start="2027-06",
        end="",
        probability=Decimal("0.5"),
    )
    cost = services.save_line(
        actor=None,
        kind="cost",
        hub=hub,
        name="Coordinator",
        category="staff",
        role="Coordinator",
        fte=Decimal("0.5"),
        amount=Decimal("1500"),
        currency="EUR",
        period="month",
        start="2027-01",
        end="",
    )
    return {"hub": hub, "grant": grant, "maybe": maybe, "cost": cost}
