"""Every page for the right people, denied for the others; forms name the faulty field."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from echos.core.abuse import HONEYPOT
from echos.participation import services
from echos.participation.models import Answer, Comment, Proposal, Report, Support
from tests.participation.conftest import GOOD_ANSWERS, post_data

pytestmark = pytest.mark.django_db


def test_index_and_hub_pages_are_public(login, consultation, closed_consultation, proposal, hubs):
    services.publish_follow_up(
        actor=None, consultation=closed_consultation, text="We built a clinic."
    )
    client = login(None)
    page = client.get("/participate/")
    assert page.status_code == 200
    body = page.content.decode()
    assert consultation.title in body and proposal.title in body
    assert f"/participate/hubs/{hubs['norway'].pk}/" in body
    hub_page = client.get(f"/participate/hubs/{hubs['norway'].pk}/").content.decode()
    assert "We built a clinic." in hub_page and proposal.title in hub_page


def test_consultation_page_renders_the_engine_form_with_honeypot(login, consultation):
    body = login(None).get(consultation.get_absolute_url()).content.decode()
    assert 'name="q_role"' in body and 'name="q_objectives"' in body
    assert f'name="{HONEYPOT}"' in body and "csrfmiddlewaretoken" in body
    assert 'name="email"' in body


def test_signed_in_answer_is_counted_and_second_shows_already(login, consultation, citizen):
    client = login(citizen)
    response = client.post(consultation.get_absolute_url(), post_data(GOOD_ANSWERS))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.confirmed_count == 1
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "already answered" in page and 'name="q_role"' not in page
    again = client.post(consultation.get_absolute_url(), post_data(GOOD_ANSWERS))
    assert again.status_code == 422 and Answer.objects.count() == 1


def test_anonymous_answer_goes_through_email_confirmation(login, consultation, settings):
    client = login(None)
    response = client.post(
        consultation.get_absolute_url(), post_data(GOOD_ANSWERS, email="x@example.org")
    )
    assert response.status_code == 302 and response["Location"] == "/participate/sent/"
    assert client.get("/participate/sent/").status_code == 200
    assert f"{settings.SITE_URL.rstrip('/')}/participate/confirm/" in mail.outbox[0].body
    token = re.search(r"/participate/confirm/([^/\s]+)/", mail.outbox[0].body).group(1)
    # Opening the link only shows a button; nothing is confirmed by a mail scanner's GET.
    assert client.get(f"/participate/confirm/{token}/").status_code == 200
    assert not Answer.objects.get().is_confirmed
    done = client.post(f"/participate/confirm/{token}/")
    assert done.status_code == 200 and "counted" in done.content.decode()
    assert Answer.objects.get().is_confirmed
    bad = client.post(f"/participate/confirm/{token}x/")
    assert bad.status_code == 400
    assert client.get("/participate/confirm/nonsense/").status_code == 400


def test_invalid_answers_show_errors_tied_to_questions(login, consultation):
    data = post_data({**GOOD_ANSWERS, "role": "astronaut"}, email="not-an-email")
    response = login(None).post(consultation.get_absolute_url(), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="e-role"' in body and 'aria-describedby="e-role"' in body
    assert 'href="#q-role"' in body
    assert (
        "id_email_error" in body and 'aria-describedby="id_email_helptext id_email_error"' in body
    )
    assert Answer.objects.count() == 0


def test_answer_after_closing_is_refused_on_the_page(login, closed_consultation, citizen):
    response = login(citizen).post(closed_consultation.get_absolute_url(), post_data(GOOD_ANSWERS))
    assert response.status_code == 422
    assert "closed" in response.content.decode()
    assert Answer.objects.count() == 0


def test_results_public_once_closed_and_for_the_team_before(
    login, personas, consultation, closed_consultation, citizen
):
    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=citizen)
    url = f"/participate/consultations/{consultation.pk}/results/"
    assert login(None).get(url).status_code == 403
    assert login(personas["member_no"]).get(url).status_code == 403
    page = login(personas["editor_no"]).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-vega-spec="spec-role"' in body and '<script id="spec-role"' in body
    assert "<table" in body and "A citizen" in body
    closed_url = f"/participate/consultations/{closed_consultation.pk}/results/"
    assert login(None).get(closed_url).status_code == 200


def test_free_text_answers_for_moderators_only(login, personas, consultation, citizen):
    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=citizen)
    url = f"/participate/consultations/{consultation.pk}/results/idea/"
    page = login(personas["coord_no"]).get(url)
    assert page.status_code == 200 and "More evening events." in page.content.decode()
    assert login(personas["editor_no"]).get(url).status_code == 403
    assert login(None).get(url).status_code == 302
    assert login(personas["coord_no"]).get(url.replace("idea", "role")).status_code == 404


def test_export_for_coordinators_without_identities(login, personas, consultation):
    services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="secret@example.org"
    )
    services.confirm(re.search(r"confirm/([^/\s]+)/", mail.outbox[0].body).group(1))
    url = f"/participate/consultations/{consultation.pk}/answers.csv"
    response = login(personas["coord_no"]).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.splitlines()[0].startswith("answer,submitted,language,role,objectives")
    assert "prevention;quality_of_life" in text and "secret@" not in text
    xlsx = login(personas["network"]).get(url.replace(".csv", ".xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert login(personas["editor_no"]).get(url).status_code == 403
    assert login(personas["coord_pt"]).get(url).status_code == 403
    assert login(personas["coord_no"]).get(url.replace(".csv", ".pdf")).status_code == 404


def test_create_consultation_page(login, personas, hubs):
    url = f"/participate/hubs/{hubs['norway'].pk}/consultations/new/"
    assert login(personas["coord_pt"]).get(url).status_code == 403
    assert login(personas["member_no"]).get(url).status_code == 403
    assert login(None).get(url).status_code == 302
    client = login(personas["editor_no"])
    assert client.get(url).status_code == 200
    now = timezone.localtime()
    data = {
        "title": "New one",
        "description": "About screening",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "languages": "nb, en",
        "mode": "open",
    }
    bad = client.post(url, data)
    assert bad.status_code == 422 and "id_closes_at_error" in bad.content.decode()
    data["closes_at"] = (now + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    bad_json = client.post(url, {**data, "definition": "{oops"})
    assert bad_json.status_code == 422 and "id_definition_error" in bad_json.content.decode()
    good = client.post(url, data)
    assert good.status_code == 302
    created = hubs["norway"].consultations.get()
    assert created.languages == ["nb", "en"]


def test_follow_up_page(login, personas, closed_consultation):
    url = f"/participate/consultations/{closed_consultation.pk}/follow-up/"
    assert login(personas["coord_pt"]).get(url).status_code == 403
    client = login(personas["coord_no"])
    assert client.get(url).status_code == 200
    too_long = client.post(url, {"follow_up": "x" * 10001})
    assert too_long.status_code == 422 and "id_follow_up_error" in too_long.content.decode()
    assert client.post(url, {"follow_up": "We did things."}).status_code == 302
    page = login(None).get(closed_consultation.get_absolute_url()).content.decode()
    assert "We did things." in page


def test_proposal_pages_and_forms(login, hubs, personas, proposal, citizen):
    client = login(None)
    assert client.get("/participate/proposals/").status_code == 200
    listed = client.get(
        f"/participate/proposals/?hub={hubs['norway'].pk}&status=under_consideration"
    )
    assert proposal.title in listed.content.decode()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Support this proposal" in page and f'name="{HONEYPOT}"' in page
    new = f"/participate/hubs/{hubs['norway'].pk}/proposals/new/"
    assert client.get(new).status_code == 200
    bad = client.post(new, {"title": "x" * 151, "body": "", "email": "a@example.org"})
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "id_title_error" in body and "id_body_error" in body and "151" in body
    assert Proposal.objects.count() == 1
    ok = login(citizen).post(new, {"title": "Another idea", "body": "Details"})
    assert ok.status_code == 302 and Proposal.objects.public().count() == 2


def test_support_and_comment_through_pages(login, proposal, citizen):
    client = login(citizen)
    assert client.post(f"/participate/proposals/{proposal.pk}/support/").status_code == 302
    again = client.post(f"/participate/proposals/{proposal.pk}/support/")
    assert again.status_code == 422 and "already" in again.content.decode()
    assert Support.objects.count() == 1
    bad = client.post(f"/participate/proposals/{proposal.pk}/comment/", {"body": "x" * 2001})
    assert bad.status_code == 422 and "id_body_error" in bad.content.decode()
    ok = client.post(f"/participate/proposals/{proposal.pk}/comment/", {"body": "Agreed"})
    assert ok.status_code == 302 and Comment.objects.public().count() == 1
    anon = login(None).post(
        f"/participate/proposals/{proposal.pk}/support/", {"email": "z@example.org"}
    )
    assert anon.status_code == 302 and anon["Location"] == "/participate/sent/"


def test_report_then_moderate_then_hidden_everywhere(login, personas, proposal):
    client = login(None)
    url = f"/participate/report/proposal/{proposal.pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"reason": "other", "details": ""})
    assert bad.status_code == 422 and "id_details_error" in bad.content.decode()
    assert client.post(url, {"reason": "spam"}).status_code == 302
    assert Report.objects.count() == 1
    queue = login(personas["coord_no"]).get("/participate/moderation/")
    assert queue.status_code == 200 and proposal.title in queue.content.decode()
    assert login(personas["editor_no"]).get("/participate/moderation/").status_code == 403
    assert login(None).get("/participate/moderation/").status_code == 302
    moderate = f"/participate/moderation/proposal/{proposal.pk}/"
    assert (
        login(personas["editor_no"]).post(moderate, {"action": "hide", "reason": "x"}).status_code
        == 403
    )
    done = login(personas["coord_no"]).post(moderate, {"action": "hide", "reason": "Advert"})
    assert done.status_code == 302
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert proposal.title not in client.get("/participate/proposals/").content.decode()
    assert proposal.title not in client.get("/participate/").content.decode()
    moderator_view = login(personas["coord_no"]).get(proposal.get_absolute_url())
    assert moderator_view.status_code == 200 and "Advert" in moderator_view.content.decode()


def test_answer_proposal_page(login, personas, proposal):
    url = f"/participate/proposals/{proposal.pk}/answer/"
    assert login(personas["member_no"]).get(url).status_code == 403
    assert login(personas["coord_pt"]).get(url).status_code == 403
    client = login(personas["editor_no"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"status": "not_taken", "reason": ""})
    assert bad.status_code == 422 and "id_reason_error" in bad.content.decode()
    invalid = client.post(url, {"status": "whatever"})
    assert invalid.status_code == 422 and "id_status_error" in invalid.content.decode()
    assert client.post(url, {"status": "accepted", "reason": "Yes"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    page = login(None).get(f"/participate/hubs/{proposal.hub_id}/").content.decode()
    assert "Accepted" in page and "Yes" in page
