"""One person counted once across account and e-mail, naive consultation times,
pasted questionnaires that do not follow the format, answers confirmed after closing."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from echos.core.exceptions import Conflict
from echos.participation import services
from echos.participation.models import Answer, Support

from .conftest import GOOD_ANSWERS

pytestmark = pytest.mark.django_db


def token_in(message) -> str:
    return re.search(r"/participate/confirm/([^/\s]+)/", message.body).group(1)


@pytest.fixture
def kari(make_user):
    return make_user("kari", email="Kari@Example.org")


# --- 1. one person, one support / one answer, signed in or not ------------------------------------


def test_support_by_email_then_by_the_account_with_that_email_counts_once(proposal, kari):
    services.support(proposal=proposal, email="kari@example.org")
    services.confirm(token_in(mail.outbox[-1]))
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    with pytest.raises(Conflict) as caught:
        services.support(proposal=proposal, user=kari)
    assert "already supported" in str(caught.value)
    proposal.refresh_from_db()
    assert proposal.support_count == 1 and Support.objects.count() == 1


def test_support_by_account_then_by_its_email_counts_once_and_looks_like_a_first(proposal, kari):
    services.support(proposal=proposal, user=kari)
    sent = len(mail.outbox)
    again = services.support(proposal=proposal, email=" KARI@example.org")
    # No enumeration: no error for the visitor; the address is told, nothing is stored.
    assert again.user_id == kari.pk
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == ["kari@example.org"]
    assert "/participate/confirm/" not in mail.outbox[-1].body
    proposal.refresh_from_db()
    assert proposal.support_count == 1 and Support.objects.count() == 1


def test_pending_email_support_blocks_the_account_until_confirmed(proposal, kari):
    services.support(proposal=proposal, email="kari@example.org")
    with pytest.raises(Conflict) as caught:
        services.support(proposal=proposal, user=kari)
    assert "confirm it with the link" in str(caught.value)
    services.confirm(token_in(mail.outbox[0]))
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_answer_by_email_then_by_the_account_counts_once(consultation, kari):
    services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="kari@example.org"
    )
    services.confirm(token_in(mail.outbox[-1]))
    with pytest.raises(Conflict):
        services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=kari)
    consultation.refresh_from_db()
    assert consultation.confirmed_count == 1 and Answer.objects.count() == 1


def test_answer_by_account_then_by_its_email_counts_once(consultation, kari):
    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=kari)
    again = services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="kari@EXAMPLE.org"
    )
    assert again.user_id == kari.pk
    consultation.refresh_from_db()
    assert consultation.confirmed_count == 1 and Answer.objects.count() == 1


def test_account_without_email_and_other_addresses_are_unaffected(proposal, make_user):
    nobody = make_user("nobody")
    services.support(proposal=proposal, email="someone@example.org")
    services.confirm(token_in(mail.outbox[-1]))
    services.support(proposal=proposal, user=nobody)
    proposal.refresh_from_db()
    assert proposal.support_count == 2


# --- 2. consultation times without a time zone ---------------------------------------------------


def _payload(hubs, **times):
    return {
        "hub": hubs["norway"].pk,
        "title": "Naive times",
        "description": "Times without a zone",
        "languages": ["nb"],
        **times,
    }


def test_api_times_without_a_zone_are_read_in_the_site_time_zone(hubs, personas, token_client):
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from echos.participation.models import Consultation

    client = token_client(personas["editor_no"])
    made = client.post(
        "/api/v1/consultations",
        _payload(hubs, opens_at="2026-12-01T10:00", closes_at="2026-12-20T18:00"),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    stored = Consultation.objects.get()
    site = ZoneInfo(settings.TIME_ZONE)
    assert stored.opens_at == timezone.datetime(2026, 12, 1, 10, 0, tzinfo=site)
    assert stored.closes_at == timezone.datetime(2026, 12, 20, 18, 0, tzinfo=site)
    assert made.json()["opens_at"] and stored.state in {"upcoming", "open", "closed"}


def test_api_one_aware_and_one_naive_time(hubs, personas, token_client):
    from echos.participation.models import Consultation

    client = token_client(personas["editor_no"])
    made = client.post(
        "/api/v1/consultations",
        _payload(hubs, opens_at="2026-12-01T10:00", closes_at="2026-12-20T18:00+00:00"),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    backwards = client.post(
        "/api/v1/consultations",
        _payload(hubs, opens_at="2026-12-20T10:00", closes_at="2026-12-01T18:00+00:00"),
        content_type="application/json",
    )
    assert backwards.status_code == 400
    assert backwards.json()["errors"][0]["field"] == "closes_at"
    assert Consultation.objects.count() == 1


def test_api_failure_after_the_service_stores_nothing(hubs, personas, token_client, monkeypatch):
    from echos.participation import api
    from echos.participation.models import Consultation

    def broken(*args, **kwargs):
        raise RuntimeError("output failed")

    monkeypatch.setattr(api, "consultation_out", broken)
    client = token_client(personas["editor_no"])
    client.raise_request_exception = False
    failed = client.post(
        "/api/v1/consultations",
        _payload(hubs, opens_at="2026-12-01T10:00+01:00", closes_at="2026-12-20T18:00+01:00"),
        content_type="application/json",
    )
    assert failed.status_code == 500
    assert Consultation.objects.count() == 0


# --- 4. answers confirmed after the consultation closed ------------------------------------------


def test_answer_confirmed_after_closing_is_not_counted(consultation):
    from datetime import timedelta

    from echos.core.exceptions import RuleViolation
    from echos.participation.models import AnswerTally

    services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="late@example.org"
    )
    assert "not counted" in mail.outbox[-1].body
    token = token_in(mail.outbox[-1])
    with pytest.raises(RuleViolation) as caught:
        services.confirm(token, now=consultation.closes_at + timedelta(minutes=1))
    assert caught.value.field == "token" and "closed" in str(caught.value)
    consultation.refresh_from_db()
    assert consultation.confirmed_count == 0
    assert not AnswerTally.objects.filter(consultation=consultation, count__gt=0).exists()
    assert Answer.objects.confirmed().count() == 0


def test_answer_confirmed_before_closing_counts(consultation):
    from datetime import timedelta

    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, email="on@example.org")
    services.confirm(token_in(mail.outbox[-1]), now=consultation.closes_at - timedelta(minutes=1))
    consultation.refresh_from_db()
    assert consultation.confirmed_count == 1


def test_confirm_page_after_closing_says_so(consultation, login):
    from datetime import timedelta

    from echos.participation.models import Consultation

    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, email="p@example.org")
    token = token_in(mail.outbox[-1])
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=5), closes_at=timezone.now() - timedelta(hours=1)
    )
    page = login(None).post(f"/participate/confirm/{token}/")
    assert page.status_code == 400 and "not counted" in page.content.decode()
    consultation.refresh_from_db()
    assert consultation.confirmed_count == 0
