"""The network operations model: contributions by formula and hubs that stop contributing."""

from decimal import Decimal

import pytest

from echos.continuity.engine import (
    Cost,
    HubInput,
    ModelInvalid,
    Stream,
    contributions,
    network_model,
    parse_month,
    project,
    simulate,
    without_hubs,
)

JAN = parse_month("2027-01", "start")
D = Decimal
HUBS = [
    HubInput("NO", 5_500_000, D("200000")),
    HubInput("PT", 10_300_000, D("100000")),
    HubInput("PL", 36_700_000, D("100000")),
]


def test_flat_shares_add_up_to_the_cent():
    shares = contributions(HUBS, "flat", D("100"))
    assert shares == {"NO": D("33.34"), "PT": D("33.33"), "PL": D("33.33")}
    assert sum(shares.values()) == D(100)


def test_population_and_income_shares():
    shares = contributions(HUBS, "population", D("52500"))
    assert shares == {"NO": D("5500"), "PT": D("10300"), "PL": D("36700")}
    shares = contributions(HUBS, "income", D("1000"))
    assert shares == {"NO": D("500"), "PT": D("250"), "PL": D("250")}


def test_bad_formula_and_no_weights_are_refused():
    with pytest.raises(ModelInvalid) as err:
        contributions(HUBS, "by_mood", D(1))
    assert err.value.field == "formula"
    with pytest.raises(ModelInvalid) as err:
        contributions([HubInput("X", 0, D(0))], "income", D(1))
    assert err.value.field == "formula"
    assert contributions([], "flat", D(100)) == {}


def network(probability=1.0):
    return network_model(
        start=JAN,
        months=36,
        balance=D("20000"),
        currency="EUR",
        secretariat_costs=[Cost("secretariat", "staff", D("60000"), "year", JAN, None)],
        shared_services=[Cost("platform", "operations", D("500"), "month", JAN, None)],
        eu_funding=[Stream("eu", "eu_grant", D("30000"), "year", JAN, JAN + 11, 1.0)],
        hubs=HUBS,
        formula="income",
        total_contribution=D("48000"),
        contribution_probability=probability,
    )


def test_network_model_is_an_ordinary_model():
    model = network()
    assert [s.id for s in model.streams] == ["eu", "hub:NO", "hub:PT", "hub:PL"]
    assert model.streams[1].amount == D(24000) and model.streams[1].type == "membership_fees"
    p = project(model)
    # Income 2500 + 4000 = 6500 a month, costs 5000 + 500: +1000 in the first year, then -1500.
    assert p.months[11].balance == D(32000)
    assert p.cliff == JAN + 12 + 21 and p.runway_months == 33


def test_without_the_largest_hubs():
    model = without_hubs(network(), 1)
    assert [s.id for s in model.streams] == ["eu", "hub:PT", "hub:PL"]
    assert project(model).cliff < project(network()).cliff
    assert without_hubs(network(), 0) == network()
    with pytest.raises(ModelInvalid) as err:
        without_hubs(network(), 4)
    assert err.value.field == "n"


def test_uncertain_contributions_for_monte_carlo():
    sim = simulate(network(0.5), runs=20_000, seed=1)
    # The network lasts 24 months only if all three hubs pay: 0.5 ** 3. Five standard errors
    # of 20,000 runs is 0.012.
    assert sim.coverage[24] == pytest.approx(0.125, abs=0.012)
    assert {i.stream for i in sim.importance} == {"hub:NO", "hub:PT", "hub:PL"}
    assert all(i.difference == pytest.approx(0.25, abs=0.02) for i in sim.importance)
    assert simulate(network(1.0), runs=100, seed=1).coverage[24] == 1.0
    with pytest.raises(ModelInvalid) as err:
        network(1.5)
    assert err.value.field == "contribution_probability"
