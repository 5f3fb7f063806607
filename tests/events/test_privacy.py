"""One export and one erasure cover event registrations and participation; retention anonymises."""

from datetime import timedelta

import pytest
from django.utils import timezone

from echos.events.models import Registration
from echos.participation import services as participation
from echos.participation.models import Answer
from echos.site import privacy
from tests.participation.conftest import GOOD_ANSWERS, consultation  # noqa: F401

pytestmark = pytest.mark.django_db

EMAIL = "ana.citizen@example.invalid"


@pytest.fixture
def footprint(make_event, consultation):  # noqa: F811
    from echos.events import services

    event = make_event(capacity=5)
    registration = services.register(
        event=event, name="Ana Citizen", email=EMAIL, audience="citizens", consent=True
    )
    services.register(event=event, name="Bo Other", email="bo@example.invalid", consent=True)
    answer = participation.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email=EMAIL
    )
    participation.confirm(participation.confirmation_token("answer", answer))
    return {"event": event, "registration": registration, "consultation": consultation}


def test_export_holds_registrations_and_answers(footprint):
    data = privacy.export_subject(privacy.find_subject(email=EMAIL))
    (reg,) = data["events"]["registrations"]
    assert reg["name"] == "Ana Citizen" and reg["takes_part_as"] == "citizens"
    assert reg["consent_text"].startswith("I agree")
    (answer,) = data["participation"]["consultation_answers"]
    assert answer["answers"]["idea"] == "More evening events."
    assert "Bo Other" not in str(data)
    labels = [s["label"] for block in privacy.preview(data) for s in block["sections"]]
    assert "Event registrations" in labels and "Consultation answers" in labels


def test_erasure_removes_identity_and_keeps_the_counts(footprint):
    subject = privacy.find_subject(email=EMAIL)
    dry = privacy.erase_subject(subject, apply=False)
    assert dry["counts"]["event_registrations_anonymised"] == 1
    assert Registration.objects.filter(email=EMAIL).exists()
    privacy.erase_subject(subject, apply=True)
    r = Registration.objects.get(pk=footprint["registration"].pk)
    assert (r.name, r.answers, r.user) == ("[erased]", {}, None)
    assert EMAIL not in r.email
    assert (r.status, r.audience) == ("registered", "citizens")  # still counted in the gap figures
    assert Registration.objects.filter(email="bo@example.invalid", name="Bo Other").exists()
    answer = Answer.objects.get(consultation=footprint["consultation"])
    assert answer.email != EMAIL and answer.answers["idea"] == GOOD_ANSWERS["idea"]
    again = privacy.export_subject(privacy.find_subject(email=EMAIL))
    assert again["events"]["registrations"] == [] and privacy.is_empty(again)


def test_retention_anonymises_registrations_after_the_event(footprint, settings):
    settings.ECHOS_RETENTION_REGISTRATION_DAYS = 30
    later = footprint["event"].end + timedelta(days=31)
    results = {r["rule"]: r for r in privacy.run_retention(apply=False, now=later)}
    assert results["registrations"]["count"] == 2
    assert Registration.objects.filter(email=EMAIL).exists()
    privacy.run_retention(apply=True, now=later)
    assert not Registration.objects.exclude(name="[erased]").exists()
    assert Registration.objects.filter(status="registered").count() == 2
    settings.ECHOS_RETENTION_REGISTRATION_DAYS = 0
    assert {r["rule"]: r for r in privacy.run_retention(now=timezone.now())}["registrations"][
        "enabled"
    ] is False
