"""Personal data: export, erasure (command and coordinators' page), the notice and retention."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from echos.assessment.models import Evidence, Response
from echos.core.audit import log_action
from echos.core.models import ActionLog, ApiToken, User
from echos.hubs.models import HubRole, Person
from echos.synergies.models import Activity

EMAIL = "mona.member@example.invalid"


def run(*args) -> str:
    out = StringIO()
    call_command("privacy", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def instrument(db):
    from echos.assessment import services

    services.load_instruments()
    return services.current_instrument(services.MATURITY)


@pytest.fixture
def mona(personas, hubs, instrument):
    """The stakeholder member with data in every capability."""
    user = personas["member_no"]
    user.first_name, user.last_name, user.email = "Mona", "Member", EMAIL
    user.save()
    Person.objects.create(organisation=hubs["occ"], name="Mona Member", email=EMAIL.upper())
    ApiToken.issue(user, "laptop")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = Response.objects.create(
        instrument=instrument,
        hub=hubs["norway"],
        country=hubs["norway"].country,
        respondent=user,
        status=Response.Status.SUBMITTED,
        answers={"governance": 3},
        submitted_at=timezone.now(),
    )
    Evidence.objects.create(
        response=response, question="governance", filename="plan.pdf", uploaded_by=user
    )
    Activity.objects.create(
        hub=hubs["norway"],
        title="School visits",
        description="Talks",
        source_language="no",
        created_by=user,
    )
    log_action(
        actor=user,
        action="hubs.hub.updated",
        target=hubs["norway"],
        data={"changed": {"mission": ["", "Call Mona Member at mona.member@example.invalid."]}},
    )
    AccessLog.objects.create(
        username="member-no", ip_address="192.0.2.7", user_agent="Firefox", http_accept="*/*"
    )
    return user


def test_export_has_every_section_and_no_password(mona, tmp_path):
    target = tmp_path / "mona.json"
    run("export", "--user", "member-no", "--output", str(target))
    text = target.read_text()
    data = json.loads(text)
    assert mona.password not in text and '"password"' not in text
    assert {
        "generated_at",
        "explanation",
        "accounts",
        "hubs",
        "assessment",
        "synergies",
        "audit",
    } <= set(data)
    assert data["accounts"]["account"]["email"] == EMAIL
    assert [t["prefix"] for t in data["accounts"]["api_tokens"]] == [mona.tokens.get().prefix]
    assert "digest" not in data["accounts"]["api_tokens"][0]
    assert data["accounts"]["two_factor_devices"][0]["name"] == "phone"
    assert TOTPDevice.objects.get(user=mona).key not in text
    assert data["accounts"]["sign_ins"][0]["ip_address"] == "192.0.2.7"
    assert data["hubs"]["roles"][0]["role"] == "member"
    # Linked to the account and matched by e-mail (case-insensitively).
    assert sorted(p["name"] for p in data["hubs"]["contact_people"]) == [
        "Member person",
        "Mona Member",
    ]
    assert data["assessment"]["responses"][0]["answers"] == {"governance": 3}
    assert data["assessment"]["evidence"][0]["file_name"] == "plan.pdf"
    assert data["synergies"]["activities"][0]["title"] == "School visits"
    assert data["audit"]["entries"][0]["action"] == "hubs.hub.updated"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    # Exporting is itself recorded, without personal data.
    entry = ActionLog.objects.get(action="core.person.exported")
    assert EMAIL not in json.dumps(entry.data)


def test_export_by_email_of_a_contact_without_account(hubs):
    data = json.loads(run("export", "--email", "contact@example.invalid"))
    assert data["accounts"]["account"] is None
    assert [p["name"] for p in data["hubs"]["contact_people"]] == ["Test Contact"]


def test_erase_dry_run_changes_nothing(mona):
    out = run("erase", "--user", "member-no")
    assert "Dry run" in out and "--yes" in out
    mona.refresh_from_db()
    assert mona.username == "member-no" and mona.email == EMAIL
    assert Person.objects.filter(email__iexact=EMAIL).exists()
    assert not ActionLog.objects.filter(action="core.person.erased").exists()


def test_erase_removes_anonymises_keeps_aggregates_and_is_idempotent(mona, hubs):
    response = Response.objects.get(respondent=mona)
    audit = ActionLog.objects.get(action="hubs.hub.updated", actor=mona)
    run("erase", "--user", "member-no", "--yes")

    assert not Person.objects.filter(user=mona).exists()
    assert not Person.objects.filter(email__iexact=EMAIL).exists()
    assert not ApiToken.objects.filter(user=mona).exists()
    assert not HubRole.objects.filter(user=mona).exists()
    assert not TOTPDevice.objects.filter(user=mona).exists()
    assert not AccessLog.objects.filter(username="member-no").exists()
    mona.refresh_from_db()
    assert mona.username == f"erased-{mona.pk}"
    assert (mona.first_name, mona.last_name, mona.email) == ("", "", "")
    assert not mona.has_usable_password() and not mona.is_active

    response.refresh_from_db()
    assert response.respondent is None and response.answers == {"governance": 3}
    assert Evidence.objects.get(response=response).uploaded_by is None
    assert Activity.objects.get(title="School visits").created_by is None
    audit.refresh_from_db()
    assert audit.actor is None
    text = json.dumps(audit.data)
    assert "Mona Member" not in text and EMAIL not in text and "[erased]" in text
    erased = ActionLog.objects.get(action="core.person.erased")
    assert "Mona" not in json.dumps(erased.data) and EMAIL not in json.dumps(erased.data)
    assert Person.objects.filter(name="Test Contact").exists()  # others untouched

    # Again, by the old name or the new one: nothing left to do, nothing written.
    assert "Nothing to erase" in run("erase", "--user", "member-no", "--yes")
    assert "Nothing to erase" in run("erase", "--user", f"erased-{mona.pk}", "--yes")
    assert "Nothing to erase" in run("erase", "--email", EMAIL, "--yes")
    assert ActionLog.objects.filter(action="core.person.erased").count() == 1


def test_erase_a_contact_person_without_account(hubs):
    run("erase", "--email", "contact@example.invalid", "--yes")
    assert not Person.objects.filter(email="contact@example.invalid").exists()
    assert ActionLog.objects.filter(action="core.person.erased").count() == 1


# --- pages ----------------------------------------------------------------------------------------


def test_privacy_notice_is_public(db):
    page = Client().get("/privacy/")
    assert page.status_code == 200
    body = page.content.decode()
    for words in [
        "Accounts",
        "Contact people of organisations",
        "Respondents",
        "Audit log",
        "365 days",
    ]:
        assert words in body


@pytest.mark.parametrize("who", ["coord_no", "editor_no", "member_no", "anonymous"])
def test_people_page_is_forbidden_to_everyone_but_the_network(personas, login, who):
    client = login(personas[who])
    assert client.get("/privacy/people/?q=member").status_code == 403
    assert client.post("/privacy/people/export/", {"user": "member-no"}).status_code == 403
    assert (
        client.post("/privacy/people/erase/", {"user": "member-no", "confirmed": "yes"}).status_code
        == 403
    )
    assert User.objects.filter(username="member-no").exists()


def test_network_coordinator_finds_exports_and_erases(personas, mona, login):
    client = login(personas["network"])
    found = client.get("/privacy/people/", {"q": "mona.member"})
    assert found.status_code == 200 and "member-no" in found.content.decode()

    shown = client.get("/privacy/people/", {"user": "member-no"}).content.decode()
    assert "Questionnaire responses answered: 1" in shown and "Download the export" in shown

    export = client.post("/privacy/people/export/", {"user": "member-no"})
    assert export.status_code == 200 and export["Content-Type"] == "application/json"
    assert export["Content-Disposition"].startswith("attachment;")
    assert json.loads(export.content)["accounts"]["account"]["username"] == "member-no"

    confirm = client.post("/privacy/people/erase/", {"user": "member-no"})
    assert confirm.status_code == 200 and "Erase permanently" in confirm.content.decode()
    assert User.objects.filter(username="member-no").exists()

    done = client.post("/privacy/people/erase/", {"user": "member-no", "confirmed": "yes"})
    assert done.status_code == 302
    mona.refresh_from_db()
    assert mona.username == f"erased-{mona.pk}"
    assert ActionLog.objects.get(action="core.person.erased").actor == personas["network"]


def test_people_page_finds_a_contact_person_by_name(personas, login):
    page = login(personas["network"]).get("/privacy/people/", {"q": "test contact"})
    body = page.content.decode()
    assert "?email=contact%40example.invalid" in body and "no account" in body
    assert "Contact-person records (1)" in body


def test_people_page_posts_need_csrf(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["network"], backend="django.contrib.auth.backends.ModelBackend")
    assert (
        client.post("/privacy/people/erase/", {"user": "member-no", "confirmed": "yes"}).status_code
        == 403
    )
    assert User.objects.filter(username="member-no").exists()


def test_coordinator_cannot_erase_themselves_on_the_page(personas, login):
    client = login(personas["network"])
    client.post("/privacy/people/erase/", {"user": "secretariat", "confirmed": "yes"})
    assert User.objects.get(pk=personas["network"].pk).username == "secretariat"


# --- retention ------------------------------------------------------------------------------------


def _draft(instrument, hub, user, age_days):
    draft = Response.objects.create(
        instrument=instrument, hub=hub, country=hub.country, respondent=user, answers={"a": 1}
    )
    Response.objects.filter(pk=draft.pk).update(
        updated_at=timezone.now() - timedelta(days=age_days)
    )
    return draft


def test_retention_deletes_old_drafts_and_keeps_recent_ones(personas, hubs, instrument):
    user = personas["coord_no"]
    old = _draft(instrument, hubs["norway"], user, 400)
    recent = _draft(instrument, hubs["portugal"], user, 10)
    submitted = _draft(instrument, hubs["bergen"], user, 2000)
    Response.objects.filter(pk=submitted.pk).update(status=Response.Status.SUBMITTED)

    out = run("retention")
    assert "drafts" in out and "would affect 1 record(s)" in out
    assert Response.objects.filter(pk=old.pk).exists()

    run("retention", "--apply")
    assert not Response.objects.filter(pk=old.pk).exists()
    assert Response.objects.filter(pk=recent.pk).exists()
    assert Response.objects.filter(pk=submitted.pk).exists()
    assert ActionLog.objects.filter(action="core.retention.applied").exists()


def test_retention_limits_come_from_the_settings(personas, hubs, instrument, settings):
    recent = _draft(instrument, hubs["norway"], personas["coord_no"], 10)
    settings.ECHOS_RETENTION_DRAFT_DAYS = 0  # 0 disables the rule
    assert "drafts: disabled" in run("retention", "--apply")
    settings.ECHOS_RETENTION_DRAFT_DAYS = 7
    run("retention", "--apply")
    assert not Response.objects.filter(pk=recent.pk).exists()


def test_retention_of_tokens_sign_ins_and_audit(personas):
    user = personas["coord_no"]
    long_ago = timezone.now() - timedelta(days=3000)
    stale, _raw = ApiToken.issue(user, "old")
    ApiToken.objects.filter(pk=stale.pk).update(created_at=long_ago, last_used_at=long_ago)
    fresh, _raw = ApiToken.issue(user, "new")
    AccessLog.objects.create(username="coordinator-no", user_agent="x", http_accept="")
    AccessLog.objects.filter(username="coordinator-no").update(attempt_time=long_ago)
    old_entry = log_action(
        actor=user, action="hubs.role.granted", data={"user": user.pk, "role": "editor"}
    )
    ActionLog.objects.filter(pk=old_entry.pk).update(at=long_ago)
    new_entry = log_action(actor=user, action="hubs.hub.updated", data={"user": user.pk})

    run("retention", "--apply")
    assert list(ApiToken.objects.filter(user=user)) == [fresh]
    assert not AccessLog.objects.filter(username="coordinator-no").exists()
    old_entry.refresh_from_db()
    assert old_entry.actor is None and old_entry.data == {"role": "editor"}
    new_entry.refresh_from_db()
    assert new_entry.actor == user and new_entry.data == {"user": user.pk}
