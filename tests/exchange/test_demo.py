"""The demo loads once: Malta's roadmap and real dialogue, the Oslo and Utrecht exchanges with their
challenges and commitments, a roadmap that offers a stage, twinnings and requests — sources named."""

import json

import pytest

from echos.exchange import demo, roadmap
from echos.exchange.models import Commitment, ExchangeSession, Roadmap, SupportRequest, Twinning


@pytest.fixture
def loaded(db):
    from echos.core.reference import load_reference
    from echos.hubs import demo as hubs_demo

    load_reference()
    hubs_demo.load_reference_hubs()
    hubs_demo.load_demo()
    return demo.load_demo()


def test_demo_loads_once(loaded):
    # Malta's demo roadmap is skipped: the registry now holds Malta's real, launched hub (CRIHM).
    assert loaded["sessions"] == 3 and loaded["roadmaps"] == 1
    assert loaded["twinnings"] == 2 and loaded["requests"] == 3
    assert demo.load_demo() == {"skipped": True}


def test_demo_facts_and_sources(loaded):
    data = json.loads(demo.DATA.read_text())
    assert {s["key"] for s in data["sources"]} == {
        "malta-pre-inception",
        "oslo-exchange",
        "utrecht-exchange",
    }
    malta = ExchangeSession.objects.get(kind="inception_dialogue")
    assert (
        malta.event.country_id == "MT"
        and malta.event.local_start.date().isoformat() == "2024-07-10"
    )
    assert "European Observatory" in malta.event.description
    oslo = ExchangeSession.objects.get(event__title__contains="Oslo")
    assert oslo.countries.count() == 9
    utrecht = ExchangeSession.objects.get(event__title__contains="Utrecht")
    assert utrecht.countries.count() == 8 and "funding" in utrecht.challenges
    assert Commitment.objects.overdue().exists()
    assert all(c.owner.startswith("Demo owner") for c in Commitment.objects.all())


def test_demo_roadmaps(loaded):
    from echos.core.models import Country

    malta = Country.objects.get(pk="MT")
    assert not roadmap.eligible(malta) and not Roadmap.objects.filter(country=malta).exists()
    czech = Roadmap.objects.get(country_id="CZ")
    assert roadmap.stage_offer(czech).stage == "establishment"


def test_demo_twinnings_and_requests(loaded):
    done = Twinning.objects.get(status="completed")
    assert done.levels_after and done.levels_before
    answered = SupportRequest.objects.get(status="answered")
    assert answered.hours_to_first_answer == 20.0
    assert SupportRequest.objects.filter(visibility="private").exists()
