"""``echos demo`` loads every app's declared demo data, in INSTALLED_APPS order."""

import pytest
from django.core.management import call_command

from echos.assessment.demo import load_demo as load_assessment_demo
from echos.consortium.demo import load_demo as load_consortium_demo
from echos.consortium.demo import load_reference_consortium
from echos.continuity.demo import load_demo as load_continuity_demo
from echos.core import registry
from echos.core.reference import load_reference
from echos.engagement.demo import load_demo as load_engagement_demo
from echos.engagement.demo_impact import load_demo as load_impact_demo
from echos.engagement.demo_network import load_demo as load_network_demo
from echos.engagement.demo_register import load_demo as load_register_demo
from echos.events.demo import load_demo as load_events_demo
from echos.exchange.demo import load_demo as load_exchange_demo
from echos.hubs.demo import load_demo, load_reference_hubs
from echos.library.demo import load_demo as load_library_demo
from echos.participation.demo import load_demo as load_participation_demo
from echos.site.management.commands import demo
from echos.synergies.demo import load_demo as load_synergies_demo


def test_the_demo_loaders_are_every_apps_in_order():
    assert registry.demo_loaders() == [
        load_reference,
        load_reference_hubs,
        load_demo,
        load_assessment_demo,
        load_synergies_demo,
        load_events_demo,
        load_participation_demo,
        load_engagement_demo,
        load_register_demo,
        load_network_demo,
        load_impact_demo,
        load_library_demo,
        load_continuity_demo,
        load_exchange_demo,
        load_reference_consortium,
        load_consortium_demo,
    ]


@pytest.mark.django_db
def test_demo_runs_each_loader_once_into_an_empty_database(monkeypatch, capsys):
    ran = []
    monkeypatch.setattr(
        registry, "demo_loaders", lambda: [lambda: ran.append("a"), lambda: ran.append("b")]
    )
    monkeypatch.setattr(demo, "call_command", lambda *args, **kwargs: None)
    call_command("demo", no_serve=True)
    assert ran == ["a", "b"]
    assert "Loading reference data" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_does_not_reload_when_hubs_exist(monkeypatch, hubs, capsys):
    monkeypatch.setattr(registry, "demo_loaders", lambda: pytest.fail("loaded again"))
    monkeypatch.setattr(demo, "call_command", lambda *args, **kwargs: None)
    call_command("demo", no_serve=True)
    assert "Data already present" in capsys.readouterr().out
