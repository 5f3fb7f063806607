"""Projection arithmetic on hand-computed cases, cliff and runway edges, and properties."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from echos.continuity.engine import (
    Cost,
    Model,
    Stream,
    cumulative_gap,
    parse_month,
    project,
    schedule,
)
from echos.continuity.engine.projection import paid_cents, schedule_cents

JAN = parse_month("2027-01", "start")
D = Decimal


def m(text):
    return parse_month(text, "m")


def stream(id="s", amount="0", period="month", start=JAN, end=None, probability=1.0, slip=0):
    return Stream(id, "eu_grant", D(amount), period, start, end, probability, slip)


def cost(id="c", amount="0", period="month", start=JAN, end=None):
    return Cost(id, "staff", D(amount), period, start, end)


def model(streams=(), costs=(), months=12, balance="0"):
    return Model(JAN, months, D(balance), "EUR", tuple(streams), tuple(costs))


def test_yearly_stream_starting_mid_year_is_spread_by_twelfths():
    p = project(model([stream(amount="1200", period="year", start=m("2027-07"))]))
    assert [r.income for r in p.months] == [D(0)] * 6 + [D(100)] * 6
    assert p.months[-1].balance == D(600)


def test_yearly_rounding_puts_the_remainder_in_the_twelfth_month_of_each_cycle():
    s = stream(amount="1000", period="year", start=m("2027-07"))
    paid = schedule(s, JAN, 36)
    assert paid[6:17] == [D("83.33")] * 11
    assert paid[17] == D("83.37")  # 2028-06, the twelfth month from 2027-07
    assert sum(paid[6:18]) == D("1000.00")
    assert sum(paid[18:30]) == D("1000.00")
    # A cycle cut short by the horizon pays only its rounded months.
    assert sum(paid[30:36]) == D("83.33") * 6


def test_slip_moves_start_and_end():
    s = stream(amount="500", start=m("2027-02"), end=m("2027-04"), slip=2)
    p = project(model([s]))
    assert [r.income for r in p.months][:8] == [0, 0, 0, 500, 500, 500, 0, 0]


def test_once_is_paid_whole_in_its_start_month_only_within_the_horizon():
    p = project(
        model(
            [
                stream("a", "3000", "once", m("2027-03")),
                stream("b", "9000", "once", m("2026-12")),  # before the horizon
                stream("c", "7000", "once", m("2027-11"), slip=3),  # slipped past it
            ]
        )
    )
    assert [r.income for r in p.months] == [0, 0, 3000] + [0] * 9


def test_end_month_is_inclusive():
    p = project(model([stream(amount="10", end=m("2027-03"))], [cost(amount="1")]))
    assert [r.income for r in p.months] == [10, 10, 10] + [0] * 9
    assert [r.balance for r in p.months][:5] == [9, 18, 27, 26, 25]


def test_yearly_cost_and_balance_recurrence():
    p = project(model([], [cost(amount="2400", period="year")], balance="1000"))
    assert [r.costs for r in p.months] == [D(200)] * 12
    assert p.months[0].balance == D(800) and p.months[4].balance == D(0)
    assert p.cliff == m("2027-06") and p.runway_months == 5


def test_baseline_counts_only_committed_streams():
    p = project(model([stream("sure", "100"), stream("maybe", "1000", probability=0.99)]))
    assert all(r.income == D(100) for r in p.months)
    assert project(model([stream("maybe", "1000", probability=0.5)]), include=["maybe"]).months[
        0
    ].income == D(1000)


def test_no_cliff_means_runway_is_the_horizon():
    p = project(model([stream(amount="10")], [cost(amount="10")], months=24))
    assert p.cliff is None and p.runway_months == 24
    assert all(r.balance == 0 for r in p.months)  # zero is not below zero


def test_cliff_in_the_first_month():
    p = project(model([], [cost(amount="100.01")], balance="100"))
    assert p.cliff == JAN and p.runway_months == 0
    assert p.months[0].balance == D("-0.01")


def test_cliff_in_the_last_month():
    p = project(model([], [cost(amount="1200", period="once", start=m("2027-12"))], balance="1000"))
    assert p.cliff == m("2027-12") and p.runway_months == 11


def test_negative_opening_balance_is_a_cliff_in_the_first_month_without_income():
    p = project(model([stream(amount="50")], balance="-100"))
    assert p.cliff == JAN and p.months[1].balance == D(0) and p.months[2].balance == D(50)


def test_cumulative_gap_sums_how_far_the_balance_is_below_zero():
    p = project(model([], [cost(amount="100")], months=4, balance="150"))
    assert [r.balance for r in p.months] == [50, -50, -150, -250]
    assert cumulative_gap(p) == D(450)


amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False)
lines = st.tuples(
    amounts,
    st.sampled_from(["month", "year", "once"]),
    st.integers(-24, 36),
    st.one_of(st.none(), st.integers(0, 48)),
    st.integers(0, 12),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(lines, max_size=6), st.lists(lines, max_size=6), amounts, st.integers(1, 60))
def test_balance_recurrence_and_cliff_hold(stream_specs, cost_specs, balance, months):
    streams = [
        stream(f"s{i}", a, p, JAN + s, None if e is None else JAN + s + e, 1.0, slip)
        for i, (a, p, s, e, slip) in enumerate(stream_specs)
    ]
    costs = [
        cost(f"c{i}", a, p, JAN + s, None if e is None else JAN + s + e)
        for i, (a, p, s, e, _) in enumerate(cost_specs)
    ]
    p = project(model(streams, costs, months=months, balance=balance))
    previous = balance
    for row in p.months:
        assert row.balance == previous + row.income - row.costs
        assert row.balance == row.balance.quantize(D("0.01"))
        previous = row.balance
    negatives = [r.month for r in p.months if r.balance < 0]
    assert p.cliff == (negatives[0] if negatives else None)
    assert p.runway_months == (p.cliff - JAN if p.cliff is not None else months)


@settings(max_examples=60, deadline=None)
@given(amounts, st.integers(1, 5))
def test_every_whole_year_of_a_yearly_amount_pays_exactly_the_amount(amount, years):
    paid = schedule(stream(amount=amount, period="year"), JAN, 12 * years)
    for y in range(years):
        assert sum(paid[12 * y : 12 * y + 12]) == amount


def naive_schedule(line, start, months):
    """The rules of item 3 month by month in Decimal, written as plainly as possible."""
    slip = getattr(line, "slip_months", 0)
    first = line.start + slip
    last = None if line.end is None else line.end + slip
    monthly = (line.amount / 12).quantize(D("0.01"), rounding="ROUND_HALF_EVEN")
    out = []
    for m in range(start, start + months):
        paid = D(0)
        if line.period == "once":
            paid = line.amount if m == first else D(0)
        elif m >= first and (last is None or m <= last):
            if line.period == "month":
                paid = line.amount
            else:
                paid = line.amount - 11 * monthly if (m - first) % 12 == 11 else monthly
        out.append(paid)
    return out


@settings(max_examples=200, deadline=None)
@given(lines, st.integers(1, 120))
def test_schedule_follows_the_plain_rules_and_its_total(spec, months):
    amount, period, start, end, slip = spec
    line = stream(
        "s", amount, period, JAN + start, None if end is None else JAN + start + end, 1.0, slip
    )
    assert schedule(line, JAN, months) == naive_schedule(line, JAN, months)
    assert paid_cents(line, JAN, months) == sum(schedule_cents(line, JAN, months))
