"""The coordinators' privacy page finds, exports and erases people who never had an account.

A citizen registers for events, answers a consultation, proposes, supports and comments through the
public pages with only an e-mail address; the network coordinator must find all of it by address
(any case) or by name, download it, and erase it — with the same functions as ``echos privacy``.
"""

import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from echos.core.models import ActionLog
from echos.events.models import Registration
from echos.participation import services as participation
from echos.participation.models import Answer, Comment, Proposal, Support
from echos.site.privacy import people as privacy_people
from tests.events.conftest import make_event  # noqa: F401
from tests.participation.conftest import GOOD_ANSWERS, consultation, post_data  # noqa: F401

pytestmark = pytest.mark.django_db

EMAIL = "Ana.Citizen@example.invalid"
NAME = "Ana Citizen"
SHOWN = "Ana from Tromsø"
PERSONAL = [EMAIL.lower(), NAME.lower(), SHOWN.lower()]


def _confirm_participation(client) -> None:
    """Click the confirmation link of the last participation e-mail (POST, as the page asks)."""
    token = re.search(r"/participate/confirm/([^/\s]+)/", mail.outbox[-1].body).group(1)
    assert client.post(f"/participate/confirm/{token}/").status_code == 200


@pytest.fixture
def other_proposal(hubs, personas):
    return participation.submit_proposal(
        hub=hubs["norway"],
        title="Screening bus in the north",
        body="A mobile screening unit visiting small towns.",
        user=personas["member_no"],
        display_name="Kari",
    )


@pytest.fixture
def footprint(
    login,
    hubs,
    make_event,  # noqa: F811
    consultation,  # noqa: F811
    other_proposal,
    django_capture_on_commit_callbacks,
):
    """Ana, without an account, takes part everywhere through the public pages."""
    client = login(None)
    open_event = make_event(title="Open dialogue")
    full_event = make_event(title="Full dialogue", capacity=1)
    Registration.objects.create(event=full_event, name="Bo Other", email="bo@example.invalid")
    for event in (open_event, full_event):
        response = client.post(
            reverse("events:register", args=[event.pk]),
            {"name": NAME, "email": EMAIL, "audience": "citizens", "consent": "on"},
        )
        assert response.status_code == 302
    assert Registration.objects.get(event=full_event, name=NAME).status == "waitlisted"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            consultation.get_absolute_url(), post_data(GOOD_ANSWERS, email=EMAIL)
        )
    assert response.status_code == 302
    _confirm_participation(client)

    new = f"/participate/hubs/{hubs['norway'].pk}/proposals/new/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new,
            {
                "title": "Evening screening hours",
                "body": "Open the screening centre after work.",
                "display_name": SHOWN,
                "email": EMAIL,
            },
        )
    assert response.status_code == 302
    _confirm_participation(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/participate/proposals/{other_proposal.pk}/support/", {"email": EMAIL}
        )
    assert response.status_code == 302
    _confirm_participation(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/participate/proposals/{other_proposal.pk}/comment/",
            {"body": "The bus should stop in Alta.", "display_name": SHOWN, "email": EMAIL},
        )
    assert response.status_code == 302
    _confirm_participation(client)
    # A second comment she never confirmed: still hers, still found, still erased.
    client.post(
        f"/participate/proposals/{other_proposal.pk}/comment/",
        {"body": "And in Kautokeino.", "email": EMAIL.upper()},
    )
    assert Answer.objects.filter(confirmed_at__isnull=False).count() == 1
    assert Proposal.objects.filter(title="Evening screening hours").get().is_confirmed
    assert Support.objects.get().is_confirmed
    assert Comment.objects.count() == 2
    return {"open": open_event, "full": full_event}


def _personal_leftovers() -> list[str]:
    """Every text value in every table that still names Ana or holds her address."""
    found = []
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not fields:
            continue
        for row in model.objects.values_list("pk", *fields):
            text = json.dumps(row[1:], ensure_ascii=False, default=str).lower()
            for needle in PERSONAL:
                if needle in text:
                    found.append(f"{model._meta.label} #{row[0]}: {needle}")
    return found


def _export_cli(email: str) -> dict:
    out = StringIO()
    call_command("privacy", "export", "--email", email, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def _without_time(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "generated_at"}


# --- finding ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [EMAIL, EMAIL.upper(), f"  {EMAIL.lower()}  ", NAME, "ana.cit"])
def test_search_finds_a_person_without_account(footprint, personas, login, query):
    page = login(personas["network"]).get("/privacy/people/", {"q": query}).content.decode()
    assert "Nobody matches" not in page
    link = f"?email={EMAIL.lower().replace('@', '%40')}"
    assert link in page and "no account" in page and "Event registrations (2)" in page
    if "@" in query:
        assert "Consultation answers (1)" in page and "Comments (2)" in page


def test_search_function_groups_every_capability_by_address(footprint):
    (person,) = privacy_people.search_people(EMAIL.upper())
    assert person.email == EMAIL.lower() and person.username == ""
    assert NAME in person.names and SHOWN in person.names
    assert {"events.registrations", "participation.proposals", "participation.supports"} <= set(
        person.where
    )


def test_person_page_shows_every_record_per_capability(footprint, personas, login):
    page = (
        login(personas["network"])
        .get("/privacy/people/", {"email": EMAIL.upper()})
        .content.decode()
    )
    for line in [
        "Event registrations: 2",
        "Consultation answers: 1",
        "Proposals: 1",
        "Supports: 1",
        "Comments: 2",
    ]:
        assert line in page
    assert "Evening screening hours" in page and "The bus should stop in Alta." in page
    assert "contact-person records only" not in page


# --- export and erasure ---------------------------------------------------------------------------


def test_export_on_the_page_is_the_commands_export(footprint, personas, login):
    client = login(personas["network"])
    response = client.post("/privacy/people/export/", {"email": EMAIL.upper()})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    registrations = data["events"]["registrations"]
    assert sorted(r["event"] for r in registrations) == ["Full dialogue", "Open dialogue"]
    assert {r["status"] for r in registrations} == {"registered", "waitlisted"}
    part = data["participation"]
    assert part["consultation_answers"][0]["answers"]["idea"] == GOOD_ANSWERS["idea"]
    assert [p["title"] for p in part["proposals"]] == ["Evening screening hours"]
    assert [s["proposal"] for s in part["supports"]] == ["Screening bus in the north"]
    assert sorted(c["body"] for c in part["comments"]) == [
        "And in Kautokeino.",
        "The bus should stop in Alta.",
    ]
    assert "Bo Other" not in response.content.decode() and "Kari" not in response.content.decode()
    cli = _export_cli(EMAIL.upper())
    assert _without_time(cli) == _without_time(data)
    assert ActionLog.objects.filter(
        action="core.person.exported", actor=personas["network"]
    ).exists()


def test_erase_on_the_page_leaves_nothing_personal(footprint, personas, login, other_proposal):
    client = login(personas["network"])
    confirm = client.post("/privacy/people/erase/", {"email": EMAIL.lower()})
    body = confirm.content.decode()
    assert confirm.status_code == 200 and "Erase permanently" in body
    assert "Unconfirmed comments deleted" in body and "pending_comments_deleted" not in body
    assert "Event registrations kept without name, e-mail or answers" in body
    assert Registration.objects.filter(name=NAME).count() == 2  # the first POST only asks

    done = client.post("/privacy/people/erase/", {"email": EMAIL.lower(), "confirmed": "yes"})
    assert done.status_code == 302

    assert _personal_leftovers() == []
    erased = ActionLog.objects.get(action="core.person.erased")
    assert erased.actor == personas["network"]
    # What the network counts stays: both places, the answer, the proposal, the support.
    assert Registration.objects.filter(event=footprint["full"], status="waitlisted").exists()
    assert Answer.objects.filter(confirmed_at__isnull=False).count() == 1
    other_proposal.refresh_from_db()
    assert other_proposal.support_count == 1
    assert Proposal.objects.filter(title="Evening screening hours").exists()

    page = client.get("/privacy/people/", {"q": EMAIL}).content.decode()
    assert "Nobody matches" in page
    assert privacy_people.search_people(NAME) == []
    assert _export_cli(EMAIL)["events"]["registrations"] == []


def test_erase_also_removes_what_she_wrote_when_cancelling(footprint, personas, login):
    """Her own words (a cancellation reason naming her) are in the registration and the audit log."""
    from echos.events import services as events

    mine = Registration.objects.get(event=footprint["full"], name=NAME)
    link = reverse("events:registration", args=[events.personal_token(mine)])
    anonymous = login(None)
    anonymous.post(link, {"action": "cancel", "reason": f"{NAME} is ill"})
    mine.refresh_from_db()
    assert mine.status == "cancelled" and NAME in mine.cancel_reason
    assert NAME in ActionLog.objects.get(action="registration.cancel").data["reason"]

    login(personas["network"]).post("/privacy/people/erase/", {"email": EMAIL, "confirmed": "yes"})
    assert _personal_leftovers() == []
    mine.refresh_from_db()
    assert mine.status == "cancelled"  # the cancellation still counts


# --- one person, account and anonymous records ------------------------------------------------------


def test_account_and_anonymous_records_make_one_person(footprint, personas, login, make_user):
    make_user("ana", email=EMAIL.lower(), first_name="Ana", last_name="Citizen")
    client = login(personas["network"])
    people = privacy_people.search_people(EMAIL)
    assert [(p.username, p.email) for p in people] == [("ana", EMAIL.lower())]
    (by_name,) = privacy_people.search_people("ana citizen")  # the account's full name too
    assert by_name.username == "ana" and by_name.where["events.registrations"] == 2
    page = client.get("/privacy/people/", {"q": EMAIL}).content.decode()
    assert page.count("?user=ana") == 1 and "?email=" not in page
    shown = client.get("/privacy/people/", {"user": "ana"}).content.decode()
    assert "Account details" in shown or ">ana<" in shown
    assert "Event registrations: 2" in shown and "Proposals: 1" in shown
    data = json.loads(client.post("/privacy/people/export/", {"user": "ana"}).content)
    assert data["accounts"]["account"]["username"] == "ana"
    assert len(data["events"]["registrations"]) == 2


# --- denied -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coord_no", "coord_pt", "member_no", "anonymous"])
def test_nobody_else_reaches_the_page_the_export_or_the_erasure(footprint, personas, login, who):
    client = login(personas[who])
    for response in [
        client.get("/privacy/people/", {"q": EMAIL}),
        client.get("/privacy/people/", {"email": EMAIL}),
        client.post("/privacy/people/export/", {"email": EMAIL}),
        client.post("/privacy/people/erase/", {"email": EMAIL, "confirmed": "yes"}),
    ]:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
        assert NAME not in response.content.decode()
    assert Registration.objects.filter(name=NAME).count() == 2
    assert not ActionLog.objects.filter(action__startswith="core.person.").exists()
