"""Scenarios change a copy of the baseline; their deltas are hand-computed."""

from decimal import Decimal

import pytest

from echos.continuity.engine import (
    AddCost,
    AddStream,
    Cost,
    DelayStream,
    Model,
    ModelInvalid,
    RemoveCost,
    RemoveStream,
    ScaleCost,
    ScaleStream,
    SetCostAmount,
    SetStreamAmount,
    Stream,
    apply_changes,
    compare,
    membership_fees,
    parse_changes,
    parse_month,
    project,
)

JAN = parse_month("2027-01", "start")
D = Decimal


def baseline():
    """1,000 in the bank, 600 a month of costs, a 500 a month grant ending after June 2027."""
    return Model(
        JAN,
        12,
        D("1000"),
        "EUR",
        (
            Stream("grant", "eu_grant", D("500"), "month", JAN, JAN + 5, 1.0),
            Stream("fund", "philanthropy", D("2400"), "once", JAN + 8, None, 0.5),
        ),
        (
            Cost("staff", "staff", D("500"), "month", JAN, None),
            Cost("rent", "operations", D("100"), "month", JAN, None),
        ),
    )


def test_baseline_figures():
    p = project(baseline())
    # -100 a month for six months (400 left), then -600: below zero in the seventh month.
    assert p.months[5].balance == D(400) and p.cliff == JAN + 6 and p.runway_months == 6


def test_remove_stream():
    p = project(apply_changes(baseline(), [RemoveStream("grant")]))
    assert p.cliff == JAN + 1 and p.runway_months == 1  # 1000 - 600 - 600 < 0


def test_delay_stream_moves_start_and_end():
    changed = apply_changes(baseline(), [DelayStream("grant", 3)])
    grant = changed.streams[0]
    assert (grant.start, grant.end) == (JAN + 3, JAN + 8)
    assert project(changed).months[2].balance == D(1000 - 3 * 600)  # -800: cliff in month 2
    assert project(changed).cliff == JAN + 1


def test_scale_and_set_amounts():
    changed = apply_changes(
        baseline(), [ScaleCost("staff", D("0.8")), ScaleStream("grant", D("1.5"))]
    )
    assert changed.costs[0].amount == D("400.00") and changed.streams[0].amount == D("750.00")
    p = project(changed)
    assert p.months[0].balance == D(1000 + 750 - 500)
    changed = apply_changes(
        baseline(), [SetCostAmount("rent", D(0)), SetStreamAmount("grant", D(600))]
    )
    assert project(changed).months[5].balance == D(1000 + 6 * 100)


def test_cut_cost_and_add_cost():
    p = project(apply_changes(baseline(), [RemoveCost("rent")]))
    assert p.months[5].balance == D(1000) and p.cliff == JAN + 8
    extra = Cost("fair", "events", D("300"), "once", JAN, None)
    p = project(apply_changes(baseline(), [AddCost(extra)]))
    assert p.months[0].balance == D(1000 - 100 - 300)


def test_add_membership_fees():
    change = membership_fees("fees", D("1200"), "year", JAN)
    assert change.line.type == "membership_fees"
    p = project(apply_changes(baseline(), [change]))
    assert (
        p.months[0].income == D(600)
        and p.months[11].balance == D(1000) + 12 * 100 - 12 * 600 + 6 * 500
    )


def test_baseline_is_left_untouched():
    model = baseline()
    apply_changes(
        model,
        [RemoveStream("grant"), AddStream(Stream("x", "industry", D(1), "month", JAN, None, 1.0))],
    )
    assert model == baseline()


def test_change_naming_an_unknown_stream_names_the_change():
    with pytest.raises(ModelInvalid) as err:
        apply_changes(baseline(), [RemoveCost("rent"), RemoveStream("gone")])
    assert str(err.value).startswith("changes[1].stream: ")
    with pytest.raises(ModelInvalid) as err:
        apply_changes(baseline(), [RemoveStream("grant"), DelayStream("grant", 2)])
    assert err.value.field == "changes[1].stream"  # deleted by the change before
    with pytest.raises(ModelInvalid) as err:
        apply_changes(baseline(), [ScaleCost("gone", D(1))])
    assert err.value.field == "changes[0].cost"


def test_bad_changes_are_refused():
    with pytest.raises(ModelInvalid) as err:
        apply_changes(baseline(), [ScaleStream("grant", D(-1))])
    assert err.value.field == "changes[0].factor"
    with pytest.raises(ModelInvalid) as err:
        apply_changes(baseline(), [DelayStream("grant", 0)])
    assert err.value.field == "changes[0].months"
    with pytest.raises(ModelInvalid) as err:
        apply_changes(baseline(), [AddStream(baseline().streams[0])])
    assert err.value.field == "changes[0].stream"


def test_parse_changes_from_json():
    changes = parse_changes(
        [
            {"op": "remove_stream", "stream": "fund"},
            {"op": "delay_stream", "stream": "grant", "months": 2},
            {"op": "scale_cost", "cost": "staff", "factor": "0.5"},
            {
                "op": "add_membership_fees",
                "line": {"id": "fees", "amount": "100", "period": "month"},
            },
            {
                "op": "add_cost",
                "line": {"id": "x", "category": "other", "amount": 5, "period": "once"},
            },
        ],
        baseline(),
    )
    assert changes[1] == DelayStream("grant", 2)
    assert changes[2] == ScaleCost("staff", D("0.50"))
    assert changes[3].line == Stream("fees", "membership_fees", D(100), "month", JAN, None, 1.0)
    assert isinstance(apply_changes(baseline(), changes), Model)


@pytest.mark.parametrize(
    "data,field",
    [
        ("remove", "changes"),
        ([["remove_stream"]], "changes[0]"),
        ([{"op": "explode"}], "changes[0].op"),
        ([{"op": "remove_stream"}], "changes[0].stream"),
        ([{"op": "delay_stream", "stream": "grant", "months": 500}], "changes[0].months"),
        ([{"op": "scale_cost", "cost": "staff", "factor": "lots"}], "changes[0].factor"),
        (
            [
                {},
                {
                    "op": "add_stream",
                    "line": {
                        "id": "x",
                        "type": "eu_grant",
                        "amount": 1,
                        "period": "month",
                        "probability": 2,
                    },
                },
            ],
            "changes[0].op",
        ),
        (
            [
                {
                    "op": "add_stream",
                    "line": {
                        "id": "x",
                        "type": "eu_grant",
                        "amount": 1,
                        "period": "month",
                        "probability": 2,
                    },
                }
            ],
            "changes[0].line.probability",
        ),
        ([{"op": "add_cost", "line": "x"}], "changes[0].line"),
    ],
)
def test_parse_changes_names_the_field(data, field):
    with pytest.raises(ModelInvalid) as err:
        parse_changes(data, baseline())
    assert err.value.field == field


def test_compare_side_by_side():
    base = baseline()
    rows = compare(
        [
            ("baseline", base),
            ("no rent", apply_changes(base, [RemoveCost("rent")])),
            ("two years", Model(JAN, 24, D(100), "EUR", (), ())),
        ],
        runs=2000,
        seed=1,
    )
    assert [r.name for r in rows] == ["baseline", "no rent", "two years"]
    assert rows[0].runway_months == 6 and rows[1].runway_months == 8
    assert rows[0].coverage_24 is None  # a 12-month horizon has no 24-month coverage
    assert rows[2].coverage_24 == 1.0 and rows[2].cliff is None
    # Baseline balances from the seventh month: -200, -800, -1400, -2000, -2600, -3200.
    assert rows[0].cumulative_gap == D(200 + 800 + 1400 + 2000 + 2600 + 3200)
    # Without rent: 1000 after six months, then -500 a month: 500, 0, -500, -1000, -1500, -2000.
    assert rows[1].cumulative_gap == D(500 + 1000 + 1500 + 2000)
    assert rows[2].cumulative_gap == 0
