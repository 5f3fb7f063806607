"""No hub reaches "sustained" without passing the continuity guard: not a demo hub, not through the
demo loaders (the continuity demo moves its hubs there itself, after recording their plan)."""

import json

import pytest

from echos.continuity import guards
from echos.continuity.models import HubModel
from echos.core.exceptions import RuleViolation
from echos.hubs import services as hub_services
from echos.hubs.models import Hub, Stage, StageChange


@pytest.fixture
def demo_hubs(db):
    from echos.hubs.demo import load_demo

    load_demo()


def test_hubs_demo_alone_stops_its_sustained_hubs_at_operational(demo_hubs):
    denmark = Hub.objects.get(is_demo=True, level="national", country_id="DK")
    assert denmark.stage == Stage.OPERATIONAL
    assert not StageChange.objects.filter(stage=Stage.SUSTAINED).exists()


def test_a_demo_hub_without_a_plan_is_refused(demo_hubs):
    denmark = Hub.objects.get(is_demo=True, level="national", country_id="DK")
    assert not HubModel.objects.filter(hub=denmark).exists()
    assert guards.sustained(denmark, Stage.SUSTAINED, denmark.stage_since)
    with pytest.raises(RuleViolation) as refused:
        hub_services.record_stage_change(
            actor=None, hub=denmark, stage=Stage.SUSTAINED, date=denmark.stage_since
        )
    assert refused.value.field == "stage"
    assert "named successor" in str(refused.value.message)
    denmark.refresh_from_db()
    assert denmark.stage == Stage.OPERATIONAL


def test_a_demo_hub_without_a_plan_is_refused_through_the_api(demo_hubs, make_user, token_client):
    hub = Hub.objects.get(is_demo=True, level="national", country_id="DK")
    network = make_user("continuity-network", is_network_coordinator=True)
    response = token_client(network).post(
        f"/api/v1/hubs/{hub.pk}/stage-changes",
        json.dumps({"stage": "sustained", "date": str(hub.stage_since)}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "named successor" in response.json()["detail"]
    assert not StageChange.objects.filter(hub=hub, stage=Stage.SUSTAINED).exists()


def test_continuity_demo_records_the_plan_then_moves_the_hub_to_sustained(demo_hubs):
    from echos.continuity.demo import load_demo

    load_demo()
    denmark = Hub.objects.get(is_demo=True, level="national", country_id="DK")
    assert denmark.stage == Stage.SUSTAINED
    assert guards.sustained(denmark, Stage.SUSTAINED, denmark.stage_since) == []
    plan = HubModel.objects.get(hub=denmark)
    assert plan.continuity_plan and plan.mandate and plan.successor
    change = StageChange.objects.get(hub=denmark, stage=Stage.SUSTAINED)
    operational = StageChange.objects.get(hub=denmark, stage=Stage.OPERATIONAL)
    assert operational.date < change.date
    # Every sustained hub of the demo passes the guard.
    for hub in Hub.objects.filter(stage=Stage.SUSTAINED):
        assert guards.sustained(hub, Stage.SUSTAINED, hub.stage_since) == []
    # Loading again changes nothing.
    load_demo()
    assert StageChange.objects.filter(hub=denmark, stage=Stage.SUSTAINED).count() == 1


def test_generated_sustained_hubs_hold_a_plan(db):
    from echos.site.generate import generate

    generate(scale="small", seed=5, batch=97, hubs=70, organisations=300, memberships=900)
    sustained = Hub.objects.filter(stage=Stage.SUSTAINED)
    assert sustained.exists()
    for hub in sustained:
        assert guards.sustained(hub, Stage.SUSTAINED, hub.stage_since) == []
