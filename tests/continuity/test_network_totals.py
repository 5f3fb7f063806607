"""The network view's stream totals come from ``engine.projection.paid`` and match the schedules."""

from decimal import Decimal

import pytest

from echos.continuity import analysis, compute
from echos.continuity.engine.projection import paid, schedule


@pytest.fixture
def demo(db):
    from echos.continuity.demo import load_demo as continuity_demo
    from echos.hubs.demo import load_demo as hubs_demo

    hubs_demo()
    continuity_demo()


def test_paid_is_the_sum_of_the_schedule_for_every_demo_line(demo):
    from echos.hubs.models import Hub

    hubs = Hub.objects.filter(funding_streams__isnull=False).distinct()
    assert hubs.count() >= 3
    for hub in hubs:
        model = compute.hub_model(hub)
        for line in (*model.streams, *model.costs):
            expected = sum(schedule(line, model.start, model.months), Decimal("0"))
            assert paid(line, model.start, model.months) == expected


def test_network_view_figures_unchanged(demo, make_user, login):
    """Each row's expected income, mix and yearly income, recomputed from the schedules."""
    from echos.hubs.models import Hub

    rows = {r.hub_id: r for r in analysis._network_rows()}
    checked = 0
    for hub in Hub.objects.filter(funding_streams__isnull=False).distinct():
        model = compute.hub_model(hub)
        mix: dict[str, Decimal] = {}
        for line in model.streams:
            total = sum(schedule(line, model.start, model.months), Decimal("0"))
            expected = total * Decimal(repr(line.probability))
            mix[line.type] = mix.get(line.type, Decimal("0")) + expected
        row = rows[hub.pk]
        assert row.mix == mix
        assert row.income == sum(mix.values(), Decimal("0"))
        assert row.yearly_income == (row.income * 12 / model.months).quantize(Decimal("0.01"))
        checked += 1
    assert checked >= 3
    network = make_user("continuity-network", is_network_coordinator=True)
    page = login(network).get("/continuity/network/")
    assert page.status_code == 200
