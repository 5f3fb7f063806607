"""Monte Carlo: reproducible with a seed, and in agreement with the exact probability."""

import itertools
import math
from decimal import Decimal

import pytest

from echos.continuity.engine import (
    Cost,
    Model,
    ModelInvalid,
    Stream,
    parse_month,
    project,
    report,
    simulate,
)

JAN = parse_month("2027-01", "start")
D = Decimal


def small_model(months=36):
    """Costs of 1,000 a month against 500 committed, from 5,000 in the bank; three uncertain
    streams may rescue it (exact coverage 0.82, 0.76 and 0.70 at 12, 24 and 36 months)."""
    return Model(
        JAN,
        months,
        D("5000"),
        "EUR",
        (
            Stream("core", "national_public", D("500"), "month", JAN, None, 1.0),
            Stream("eu", "eu_grant", D("6000"), "year", JAN + 3, None, 0.7),
            Stream("city", "regional_public", D("4000"), "once", JAN + 9, None, 0.4),
            Stream("gift", "philanthropy", D("3000"), "once", JAN + 14, None, 0.5, 2),
        ),
        (Cost("staff", "staff", D("1000"), "month", JAN, None),),
    )


def exact(model, within, forced=None):
    """The exact coverage probability by enumerating every outcome of the uncertain streams."""
    uncertain = [s for s in model.streams if s.probability < 1]
    total = 0.0
    for outcome in itertools.product([False, True], repeat=len(uncertain)):
        weight = 1.0
        for s, happens in zip(uncertain, outcome, strict=True):
            if forced and s.id in forced:
                if happens != forced[s.id]:
                    weight = 0.0
                continue
            weight *= s.probability if happens else 1 - s.probability
        include = [s.id for s, happens in zip(uncertain, outcome, strict=True) if happens]
        rows = project(model, include=include).months[:within]
        if all(r.balance >= 0 for r in rows):
            total += weight
    return total


def test_same_seed_gives_identical_figures():
    a = simulate(small_model(), runs=5000, seed=7)
    b = simulate(small_model(), runs=5000, seed=7)
    assert a == b
    assert report(small_model(), 2000, 3) == report(small_model(), 2000, 3)


def test_different_seeds_give_different_draws():
    assert simulate(small_model(), 5000, 1).coverage != simulate(small_model(), 5000, 2).coverage


RUNS = 40_000
# The standard error of a proportion over RUNS runs is at most sqrt(0.25 / RUNS) = 0.0025;
# five standard errors (0.0125) is missed by chance with probability below one in a million.
TOLERANCE = 5 * math.sqrt(0.25 / RUNS)


def test_coverage_agrees_with_the_exact_probability():
    model = small_model()
    sim = simulate(model, runs=RUNS, seed=11)
    assert set(sim.coverage) == {12, 24, 36}
    for within in (12, 24, 36):
        expected = exact(model, within)
        assert abs(sim.coverage[within] - expected) < TOLERANCE, (within, expected)
    # The case is not trivial: coverage is strictly between 0 and 1 and falls with time.
    assert [exact(model, h) for h in (12, 24, 36)] == pytest.approx([0.82, 0.76, 0.70])


def test_importance_agrees_with_the_exact_conditional_probabilities():
    model = small_model()
    sim = simulate(model, runs=RUNS, seed=5)
    for item in sim.importance:
        assert item.within == 24
        assert abs(item.coverage_with - exact(model, 24, {item.stream: True})) < 2 * TOLERANCE
        assert abs(item.coverage_without - exact(model, 24, {item.stream: False})) < 2 * TOLERANCE
    differences = [i.difference for i in sim.importance]
    assert differences == sorted(differences, reverse=True)
    assert sim.importance[0].stream == "eu"


def test_cliff_distribution_and_no_cliff_add_up_to_one():
    model = small_model()
    sim = simulate(model, runs=10_000, seed=1)
    assert sum(sim.cliffs.values()) + sim.no_cliff == pytest.approx(1.0)
    assert sim.no_cliff == pytest.approx(sim.coverage[36])  # horizon is 36
    assert all(JAN <= month < JAN + 36 for month in sim.cliffs)


def test_without_uncertain_streams_the_simulation_is_the_baseline():
    model = Model(
        JAN,
        24,
        D("100.50"),
        "EUR",
        (Stream("a", "eu_grant", D("1000"), "year", JAN, None, 1.0),),
        (Cost("c", "staff", D("90"), "month", JAN, None),),
    )
    sim = simulate(model, runs=100, seed=0)
    baseline = project(model)
    assert [f.p10 for f in sim.fan] == [r.balance for r in baseline.months]
    assert [f.p90 for f in sim.fan] == [r.balance for r in baseline.months]
    assert sim.coverage == {12: 1.0, 24: 0.0} and sim.importance == []
    assert list(sim.cliffs) == [baseline.cliff]


def test_a_balance_of_exactly_zero_is_covered():
    model = Model(
        JAN,
        12,
        D("0.10"),
        "EUR",
        (Stream("a", "eu_grant", D("0.30"), "month", JAN, None, 0.5),),
        (
            Cost("c", "staff", D("0.10"), "month", JAN, None),
            Cost("d", "other", D("0.20"), "month", JAN, None),
            Cost("e", "other", D("0.10"), "once", JAN, None),
        ),
    )
    # With the stream the balance is exactly 0.00 every month (0.10 + 0.30 - 0.40, then
    # + 0.30 - 0.30), which sums of binary floats of euros would miss; without it, below zero.
    sim = simulate(model, runs=4000, seed=2)
    assert abs(sim.coverage[12] - 0.5) < 5 * math.sqrt(0.25 / 4000)
    assert sim.importance[0].coverage_with == 1.0 and sim.importance[0].coverage_without == 0.0


def test_coverage_beyond_the_horizon_is_left_out():
    sim = simulate(small_model(months=18), runs=100, seed=0)
    assert set(sim.coverage) == {12}
    assert report(small_model(months=18), 100, 0)["coverage"] == {
        "12": sim.coverage[12],
        "24": None,
        "36": None,
    }
    assert simulate(small_model(months=18), runs=100, seed=0).importance[0].within == 18


@pytest.mark.parametrize("runs", [0, -1, 100_001, True, 1.5])
def test_run_count_out_of_range_is_refused(runs):
    with pytest.raises(ModelInvalid) as err:
        simulate(small_model(), runs=runs)
    assert err.value.field == "runs"


def test_report_has_the_json_shape_of_the_command():
    out = report(small_model(), runs=1000, seed=1)
    assert set(out) == {"months", "cliff", "runway_months", "coverage"}
    assert out["months"][0] == {
        "month": "2027-01",
        "income": "500.00",
        "costs": "1000.00",
        "balance": "4500.00",
    }
    assert out["cliff"] == "2027-11" and out["runway_months"] == 10
    assert set(out["coverage"]) == {"12", "24", "36"}
