"""Herfindahl index, diversity, currency conversion and the continuity score."""

from decimal import Decimal

import pytest

from echos.continuity.engine import (
    Cost,
    Model,
    ModelInvalid,
    ScoreInputs,
    Stream,
    committed_share,
    continuity_score,
    convert,
    diversity,
    expected_income_by_type,
    herfindahl,
    parse_month,
)

JAN = parse_month("2027-01", "start")
D = Decimal


def test_herfindahl_of_shares_and_of_amounts():
    assert herfindahl([1.0]) == 1.0
    assert herfindahl([0.5, 0.5]) == pytest.approx(0.5)
    assert herfindahl([D(30), D(70)]) == pytest.approx(0.09 + 0.49)
    assert herfindahl([0.25] * 4) == pytest.approx(0.25)
    assert herfindahl([]) == 1.0 and herfindahl([0, 0]) == 1.0
    with pytest.raises(ValueError):
        herfindahl([1, -1])


def test_diversity_is_one_minus_hhi_of_source_types():
    assert diversity({"eu_grant": D(100)}) == 0.0
    assert diversity({"eu_grant": D(50), "membership_fees": D(50)}) == pytest.approx(0.5)
    assert diversity({}) == 0.0


def test_expected_income_weighs_amounts_by_probability_over_the_horizon():
    model = Model(
        JAN,
        12,
        D(0),
        "EUR",
        (
            Stream("a", "eu_grant", D("1200"), "year", JAN, None, 1.0),
            Stream("b", "eu_grant", D("100"), "month", JAN, JAN + 5, 0.5),
            Stream("c", "philanthropy", D("1000"), "once", JAN + 12, None, 1.0),  # beyond
            Stream("d", "industry", D("400"), "once", JAN, None, 0.25),
        ),
        (Cost("x", "staff", D(1), "month", JAN, None),),
    )
    assert expected_income_by_type(model) == {
        "eu_grant": D(1200) + D(300),
        "philanthropy": D(0),
        "industry": D(100),
    }
    assert committed_share(model) == pytest.approx(1200 / 1600)


def test_conversion_to_euro():
    rates = {"NOK": D("11.50"), "USD": D("1.08")}
    assert convert(D("1150"), "NOK", rates) == D("100.00")
    assert convert(D("1"), "USD", rates) == D("0.93")  # 0.9259... rounded to the cent
    assert convert(D("12.345"), "EUR", {}) == D("12.34")  # half-even
    with pytest.raises(ModelInvalid) as err:
        convert(D(1), "CHF", rates)
    assert "CHF" in str(err.value) and err.value.field == "currency"
    with pytest.raises(ModelInvalid, match="SEK"):
        convert(D(1), "SEK", {"SEK": D(0)})


def inputs(**kw):
    base = dict(
        runway_months=24,
        horizon=60,
        coverage_24=1.0,
        income_by_type={"eu_grant": 1, "national_public": 1, "membership_fees": 1},
        committed_share=1.0,
        open_high_risks=0,
        maturity_funding_level=5,
    )
    base.update(kw)
    return ScoreInputs(**base)


def test_full_marks():
    score = continuity_score(inputs())
    assert score.total == 100 and score.best_component is None
    assert [c.code for c in score.components] == [
        "runway",
        "coverage",
        "diversity",
        "committed",
        "risks",
        "maturity",
    ]
    assert sum(c.weight for c in score.components) == 100


def test_components_are_computed_by_their_documented_rules():
    score = continuity_score(
        inputs(
            runway_months=12,
            coverage_24=0.5,
            income_by_type={"eu_grant": 1},
            committed_share=0.4,
            open_high_risks=1,
            maturity_funding_level=3,
        )
    )
    points = {c.code: c.points for c in score.components}
    assert points == {
        "runway": 12.5,
        "coverage": 12.5,
        "diversity": 0.0,
        "committed": 6.0,
        "risks": pytest.approx(6.7),
        "maturity": 5.0,
    }
    assert score.total == round(12.5 + 12.5 + 6 + 10 * 2 / 3 + 5)
    # Diversity misses all its 15 points, more than any other component.
    assert score.best_component == "diversity"
    assert "15 points" in score.best_change
    assert all(c.explanation for c in score.components)


def test_maturity_not_assessed_shares_its_weight_in_proportion():
    score = continuity_score(inputs(maturity_funding_level=None))
    weights = {c.code: c.weight for c in score.components}
    assert "maturity" not in weights
    assert weights["runway"] == pytest.approx(25 * 100 / 90, abs=0.01)
    assert weights["risks"] == pytest.approx(10 * 100 / 90, abs=0.01)
    assert score.total == 100
    half = continuity_score(inputs(maturity_funding_level=None, coverage_24=0.0))
    assert half.total == round(100 - 25 * 100 / 90)
    assert half.best_component == "coverage"


def test_coverage_not_simulated_scores_nothing_and_says_why():
    score = continuity_score(inputs(coverage_24=None, horizon=12, runway_months=12))
    coverage = next(c for c in score.components if c.code == "coverage")
    assert coverage.points == 0 and "shorter than 24 months" in coverage.explanation


def test_best_change_is_the_single_change_that_raises_the_total_most():
    base = inputs(runway_months=6, open_high_risks=3, coverage_24=0.9)
    score = continuity_score(base)
    gains = {}
    for code, better in {
        "runway": {"runway_months": 24},
        "coverage": {"coverage_24": 1.0},
        "risks": {"open_high_risks": 0},
    }.items():
        gains[code] = continuity_score(inputs(**{**base.__dict__, **better})).total - score.total
    assert score.best_component == max(gains, key=gains.get) == "runway"
