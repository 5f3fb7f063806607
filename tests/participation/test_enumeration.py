"""Taking part anonymously does not reveal whether an address took part; e-mailed links use the
configured site address, never the request's Host header."""

import re

import pytest
from django.core import mail

from echos.participation import services
from echos.participation.models import Answer, Support
from tests.participation.conftest import GOOD_ANSWERS, post_data

pytestmark = pytest.mark.django_db

KNOWN = "known@example.org"
FRESH = "fresh@example.org"
SITE = "https://hubs.example.eu"


def _page(response) -> str:
    """The page without what differs between any two visits (CSRF tokens)."""
    return re.sub(
        r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", response.content.decode()
    )


@pytest.mark.parametrize("confirmed", [True, False])
def test_answering_with_a_known_address_looks_like_a_first_answer(login, consultation, confirmed):
    earlier = services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, email=KNOWN)
    if confirmed:
        services.confirm(services.confirmation_token("answer", earlier))
    mail.outbox.clear()
    url = consultation.get_absolute_url()
    known = login(None).post(url, post_data(GOOD_ANSWERS, email=KNOWN), follow=True)
    fresh = login(None).post(url, post_data(GOOD_ANSWERS, email=FRESH), follow=True)
    assert known.status_code == fresh.status_code == 200
    assert known.redirect_chain == fresh.redirect_chain == [("/participate/sent/", 302)]
    assert _page(known) == _page(fresh)
    assert Answer.objects.filter(email=KNOWN).count() == 1
    consultation.refresh_from_db()
    assert consultation.confirmed_count == (1 if confirmed else 0)
    notice, confirmation = mail.outbox
    assert notice.to == [KNOWN] and "already answered" in notice.subject
    assert confirmation.to == [FRESH] and "Confirm your answer" in confirmation.subject


def test_supporting_with_a_known_address_looks_like_a_first_support(login, proposal):
    services.support(proposal=proposal, email=KNOWN)
    mail.outbox.clear()
    url = f"/participate/proposals/{proposal.pk}/support/"
    known = login(None).post(url, {"email": KNOWN}, follow=True)
    fresh = login(None).post(url, {"email": FRESH}, follow=True)
    assert known.redirect_chain == fresh.redirect_chain == [("/participate/sent/", 302)]
    assert _page(known) == _page(fresh)
    assert Support.objects.filter(email=KNOWN).count() == 1
    assert [m.to for m in mail.outbox] == [[KNOWN], [FRESH]]
    assert "already supported" in mail.outbox[0].subject


def test_signed_in_person_is_still_told_they_already_took_part(login, consultation, citizen):
    client = login(citizen)
    assert client.post(consultation.get_absolute_url(), post_data(GOOD_ANSWERS)).status_code == 302
    again = client.post(consultation.get_absolute_url(), post_data(GOOD_ANSWERS))
    assert again.status_code == 422 and "already answered" in again.content.decode()


def test_already_taken_part_notice_is_sent_at_most_once_an_hour(consultation):
    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, email=KNOWN)
    mail.outbox.clear()
    for _ in range(3):
        services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, email=KNOWN)
    assert len(mail.outbox) == 1


def test_confirmation_links_use_the_site_address_not_the_host_header(
    login, consultation, proposal, hubs, settings
):
    settings.SITE_URL = SITE + "/"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    client = login(None)
    evil = {"HTTP_HOST": "evil.example"}
    client.post(consultation.get_absolute_url(), post_data(GOOD_ANSWERS, email=KNOWN), **evil)
    client.post(f"/participate/proposals/{proposal.pk}/support/", {"email": KNOWN}, **evil)
    client.post(
        f"/participate/proposals/{proposal.pk}/comment/",
        {"body": "Agreed", "email": KNOWN},
        **evil,
    )
    client.post(
        f"/participate/hubs/{hubs['norway'].pk}/proposals/new/",
        {"title": "An idea", "body": "Details", "email": KNOWN},
        **evil,
    )
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert f"{SITE}/participate/confirm/" in message.body, message.body
        assert "evil.example" not in message.body
    # And the notice to an address that already answered (its link to confirm the first one).
    client.post(consultation.get_absolute_url(), post_data(GOOD_ANSWERS, email=KNOWN), **evil)
    assert len(mail.outbox) == 5 and "already answered" in mail.outbox[-1].subject
    assert f"{SITE}/participate/confirm/" in mail.outbox[-1].body
    assert "evil.example" not in mail.outbox[-1].body
