"""The two extension points that let higher apps add to lower apps' pages and rules."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from echos.core.exceptions import RuleViolation
from echos.hubs import services
from echos.hubs.models import Stage
from echos.hubs.services import stages

pytestmark = pytest.mark.django_db


def test_a_stage_guard_refuses_the_change_and_names_what_is_missing(monkeypatch, hubs, personas):
    hub, network_user = hubs["portugal"], personas["network"]
    monkeypatch.setattr(
        stages,  # where record_stage_change looks the guards up
        "stage_guards",
        lambda: [
            lambda hub, stage, date: ["a named successor"] if stage == Stage.SUSTAINED else []
        ],
    )
    with pytest.raises(RuleViolation, match="a named successor") as caught:
        services.record_stage_change(
            actor=network_user, hub=hub, stage=Stage.SUSTAINED, date=datetime.date(2025, 1, 1)
        )
    assert caught.value.field == "stage"
    assert not hub.stage_changes.filter(stage=Stage.SUSTAINED).exists()
    # The twin: a stage the guard does not concern goes through.
    services.record_stage_change(
        actor=network_user, hub=hub, stage=Stage.EXPLORING, date=datetime.date(2025, 1, 1)
    )


def test_panels_render_what_each_higher_app_returns(monkeypatch):
    from echos.core.templatetags import echos_panels

    monkeypatch.setattr(
        echos_panels,
        "panel_functions",
        lambda slot: [lambda request, obj: f"<p>{slot}:{obj}</p>", lambda request, obj: ""],
    )
    html = Template('{% load echos_panels %}{% panels "hub" x %}').render(
        Context({"request": RequestFactory().get("/"), "x": 7})
    )
    assert html == "<p>hub:7</p>"
