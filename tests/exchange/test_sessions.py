"""Sessions are calendar events with exchange fields; inception dialogues check that every key group
is invited and offer the hub's stage change; commitments need an owner and a date and go overdue."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from echos.core.exceptions import RuleViolation
from echos.core.models import ActionLog
from echos.events.models import Event
from echos.exchange import notify, sessions
from echos.exchange.models import KEY_GROUPS, Commitment, ExchangeSession
from tests.exchange.helpers import make_session


def test_a_session_is_one_calendar_event(hubs):
    s = make_session(
        hubs["norway"],
        kind="study_visit",
        co_hosts=[hubs["vestland"].pk],
        participating_hubs=[hubs["portugal"].pk],
        countries=["PT", "NO"],
        objectives=["prevention"],
        dimensions=["governance"],
        challenges=["trust", "funding"],
    )
    assert Event.objects.count() == 1
    assert s.event.type == "knowledge_exchange"
    assert list(s.event.co_organisers.all()) == [hubs["vestland"]]
    assert s.challenges == ["funding", "trust"]  # the vocabulary's order
    assert ActionLog.objects.filter(action="exchange.session.created").exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("challenges", ["weather"]),
        ("dimensions", ["charisma"]),
        ("objectives", ["nothing"]),
        ("countries", ["XX"]),
        ("participating_hubs", [999999]),
    ],
)
def test_bad_exchange_fields_name_the_field_and_leave_nothing(hubs, field, value):
    with pytest.raises(RuleViolation) as err:
        make_session(hubs["norway"], **{field: value})
    assert err.value.field == field
    assert not Event.objects.exists() and not ExchangeSession.objects.exists()


def test_a_refused_event_leaves_no_session(hubs):
    with pytest.raises(RuleViolation) as err:
        make_session(hubs["norway"], title="")
    assert err.value.field == "title"
    assert not ExchangeSession.objects.exists()


def _invite_all_but(session, *left_out):
    for code in KEY_GROUPS:
        if code not in left_out:
            sessions.invite(actor=None, session=session, group=code, name=f"Invitee {code}")


def test_hold_names_the_missing_key_groups(hubs):
    s = make_session(hubs["portugal"], kind="inception_dialogue")
    _invite_all_but(s, "industry", "citizens")
    assert [t.code for t in sessions.missing_groups(s)] == ["citizens", "industry"]
    with pytest.raises(RuleViolation) as err:
        sessions.hold_dialogue(actor=None, session=s)
    assert err.value.field == "invitations"
    assert "Industry" in err.value.message and "Citizens" in err.value.message
    s.refresh_from_db()
    assert s.dialogue_status == "planned"


def test_recorded_dialogue_offers_the_inception_stage_through_the_lifecycle(hubs, monkeypatch):
    from echos.exchange.roadmap import create_roadmap
    from echos.hubs import services as hub_services

    calls = []
    real = hub_services.record_stage_change
    monkeypatch.setattr(
        hub_services, "record_stage_change", lambda **kw: calls.append(kw) or real(**kw)
    )
    roadmap = create_roadmap(actor=None, country=hubs["portugal"].country)
    s = make_session(hubs["portugal"], kind="inception_dialogue")
    _invite_all_but(s)
    assert sessions.dialogue_stage_offer(s) is None  # not held yet
    with pytest.raises(RuleViolation):
        sessions.record_dialogue(actor=None, session=s, conclusions="x", next_steps="")
    sessions.hold_dialogue(actor=None, session=s)
    sessions.record_dialogue(
        actor=None, session=s, conclusions="Set up a hub.", next_steps="Draft terms."
    )
    assert sessions.dialogue_stage_offer(s) == hubs["portugal"]
    change = sessions.record_dialogue_stage(actor=None, session=s)
    assert calls and calls[0]["stage"] == "inception_dialogue"
    assert "Set up a hub." in change.evidence
    assert change.link.endswith(s.get_absolute_url())
    hubs["portugal"].refresh_from_db()
    assert hubs["portugal"].stage == "inception_dialogue"
    assert roadmap.steps.get(code="inception_dialogue").status == "done"
    assert sessions.dialogue_stage_offer(s) is None


def test_a_knowledge_exchange_is_no_dialogue(hubs):
    s = make_session(hubs["norway"])
    with pytest.raises(RuleViolation) as err:
        sessions.invite(actor=None, session=s, group="citizens", name="x")
    assert err.value.field == "kind"


@pytest.mark.parametrize(
    "missing, field",
    [("owner", "owner"), ("due", "due"), ("what", "what"), ("hub", "hub")],
)
def test_commitment_without_owner_or_date_names_the_field(hubs, missing, field):
    s = make_session(hubs["norway"])
    data = {
        "hub": hubs["portugal"],
        "owner": "Demo owner",
        "what": "Share the ToR",
        "due": date(2026, 1, 1),
    }
    data.pop(missing)
    with pytest.raises(RuleViolation) as err:
        sessions.add_commitment(actor=None, session=s, **data)
    assert err.value.field == field
    assert not Commitment.objects.exists()


def test_overdue_commitments_are_flagged_once_to_their_hub(hubs, personas, settings):
    personas["coord_pt"].email = "pt@example.invalid"
    personas["coord_pt"].save()
    s = make_session(hubs["norway"])
    today = timezone.localdate()
    late = sessions.add_commitment(
        actor=None,
        session=s,
        hub=hubs["portugal"],
        owner="Demo owner",
        what="Send the ToR",
        due=today - timedelta(days=2),
    )
    sessions.add_commitment(
        actor=None,
        session=s,
        hub=hubs["portugal"],
        owner="Demo owner",
        what="Later",
        due=today + timedelta(days=5),
    )
    assert list(Commitment.objects.overdue()) == [late]
    assert late.is_overdue
    mail.outbox.clear()
    assert notify.flag_overdue() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pt@example.invalid"]
    assert "Send the ToR" in mail.outbox[0].body
    assert notify.flag_overdue() == 0  # once per commitment
    sessions.update_commitment(actor=None, commitment=late, status="done")
    late.refresh_from_db()
    assert not late.is_overdue and late.done_on == today
    assert not Commitment.objects.overdue().exists()


def test_hub_panel_flags_overdue_commitments_to_the_team(hubs, personas, login):
    s = make_session(hubs["norway"])
    sessions.add_commitment(
        actor=None,
        session=s,
        hub=hubs["portugal"],
        owner="Demo owner",
        what="Overdue thing",
        due=date(2025, 1, 1),
    )
    url = hubs["portugal"].get_absolute_url()
    assert "Overdue thing" in login(personas["coord_pt"]).get(url).content.decode()
    assert "Overdue thing" not in login(personas["coord_no"]).get(url).content.decode()
    assert "Overdue thing" not in login(None).get(url).content.decode()


def test_invitation_status_by_organisers_only(hubs, personas, token_client, login):
    import json

    s = make_session(hubs["norway"], kind="inception_dialogue")
    invitation = sessions.invite(actor=None, session=s, group="citizens", name="Citizens' panel")
    url = f"/api/v1/exchange/invitations/{invitation.pk}"
    body = json.dumps({"status": "attended"})
    denied = token_client(personas["coord_pt"]).patch(
        url, data=body, content_type="application/json"
    )
    assert denied.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "invited"
    ok = token_client(personas["coord_no"]).patch(url, data=body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["invitations"][0]["status"] == "attended"
    response = login(personas["coord_no"]).post(
        f"/exchange/invitations/{invitation.pk}/status/", {"status": "declined"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "declined"
