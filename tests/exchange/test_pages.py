"""The pages render for each role, the forms create through the services, the panels show the
roadmap on the country and hub pages, and bad form input is shown on its field."""

import pytest

from echos.core.models import Country
from echos.exchange import roadmap, sessions
from echos.exchange.models import ExchangeSession, SupportRequest, Twinning
from tests.exchange.helpers import make_session


@pytest.fixture
def pt_roadmap(hubs):
    return roadmap.create_roadmap(actor=None, country=Country.objects.get(pk="PT"))


def test_country_and_hub_pages_show_the_roadmap_and_next_step(pt_roadmap, hubs, login):
    page = login(None).get("/countries/PT/").content.decode()
    assert "Establishment roadmap" in page and "0 of 8 steps done" in page
    assert "Inception dialogue" in page  # the suggested next step
    hub_page = login(None).get(hubs["portugal"].get_absolute_url()).content.decode()
    assert "0 of 8 steps done" in hub_page


def test_country_page_offers_the_network_to_start_a_roadmap(hubs, personas, login):
    assert "Start a roadmap" in login(personas["network"]).get("/countries/MT/").content.decode()
    assert (
        "Start a roadmap" not in login(personas["coord_no"]).get("/countries/MT/").content.decode()
    )
    response = login(personas["network"]).post("/exchange/roadmaps/new/", {"country": "MT"})
    assert response.status_code == 302 and response["Location"] == "/exchange/roadmaps/MT/"


def test_roadmap_page_offers_the_stage_with_evidence(pt_roadmap, personas, login):
    roadmap.update_step(
        actor=None,
        step=pt_roadmap.steps.get(code="inception_dialogue"),
        status="done",
        evidence="Held in Lisbon",
    )
    page = login(personas["coord_pt"]).get("/exchange/roadmaps/PT/").content.decode()
    assert "Ready to record" in page and "Held in Lisbon" in page
    assert 'action="/exchange/roadmaps/PT/stage/"' in page
    other = login(personas["coord_no"]).get("/exchange/roadmaps/PT/").content.decode()
    assert "Ready to record" in other and 'action="/exchange/roadmaps/PT/stage/"' not in other
    assert login(personas["coord_no"]).post("/exchange/roadmaps/PT/stage/").status_code == 403
    assert login(personas["coord_pt"]).post("/exchange/roadmaps/PT/stage/").status_code == 302


@pytest.mark.parametrize("who", ["network", "coord_no", "coord_pt", "member_no", "anonymous"])
def test_pages_render(pt_roadmap, hubs, personas, login, who):
    s = make_session(hubs["norway"], kind="inception_dialogue")
    client = login(personas[who])
    for url in [
        "/exchange/",
        "/exchange/sessions/",
        s.get_absolute_url(),
        "/exchange/roadmaps/PT/",
    ]:
        assert client.get(url).status_code == 200, url
    expected = 302 if who == "anonymous" else 200
    for url in ["/exchange/requests/", "/exchange/twinnings/"]:
        assert client.get(url).status_code == expected, url


def test_dialogue_page_names_missing_groups_to_organisers_only(hubs, personas, login):
    s = make_session(hubs["norway"], kind="inception_dialogue")
    sessions.invite(actor=None, session=s, group="citizens", name="Citizens' panel")
    page = login(personas["coord_no"]).get(s.get_absolute_url()).content.decode()
    assert "Key stakeholder groups not invited yet" in page and "Industry" in page
    assert "Citizens&#x27; panel" in page
    public = login(None).get(s.get_absolute_url()).content.decode()
    assert "Citizens&#x27; panel" not in public
    response = login(personas["coord_no"]).post(f"/exchange/sessions/{s.pk}/hold/", follow=True)
    assert "Invite every key stakeholder group first" in response.content.decode()


def test_session_form_creates_an_event_and_its_extension(hubs, personas, login):
    response = login(personas["coord_no"]).post(
        "/exchange/sessions/new/",
        {
            "kind": "study_visit",
            "hub": hubs["norway"].pk,
            "title": "Study visit to Oslo",
            "description": "Nine countries.",
            "format": "in_person",
            "languages": "en",
            "start": "2026-03-01T09:00",
            "end": "2026-03-01T17:00",
            "time_zone": "Europe/Oslo",
            "challenges": ["funding"],
            "dimensions": ["governance"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    s = ExchangeSession.objects.get()
    assert s.event.title == "Study visit to Oslo" and s.challenges == ["funding"]


def test_session_form_shows_the_events_error_on_its_field(hubs, personas, login):
    response = login(personas["coord_no"]).post(
        "/exchange/sessions/new/",
        {
            "kind": "study_visit",
            "hub": hubs["norway"].pk,
            "title": "Study visit",
            "description": "x",
            "format": "in_person",
            "languages": "en",
            "start": "2026-03-01T09:00",
            "end": "2026-03-01T08:00",
            "time_zone": "Europe/Oslo",
        },
    )
    assert response.status_code == 422
    assert "The event must end after it starts." in response.content.decode()
    assert not ExchangeSession.objects.exists()


def test_twinning_form_refuses_end_before_start(hubs, personas, login):
    response = login(personas["coord_no"]).post(
        "/exchange/twinnings/new/",
        {
            "title": "T",
            "hubs": [hubs["norway"].pk, hubs["portugal"].pk],
            "dimensions": ["funding"],
            "goals": "g",
            "start": "2025-06-01",
            "end": "2025-01-01",
        },
    )
    assert response.status_code == 422
    assert "The agreement must end after it starts." in response.content.decode()
    assert not Twinning.objects.exists()


def test_request_form_and_answer(hubs, personas, login):
    response = login(personas["coord_pt"]).post(
        "/exchange/requests/new/",
        {
            "hub": hubs["portugal"].pk,
            "title": "Help on funding",
            "text": "Ideas?",
            "dimension": "funding",
            "visibility": "network",
        },
    )
    assert response.status_code == 302
    r = SupportRequest.objects.get()
    response = login(personas["coord_no"]).post(
        f"/exchange/requests/{r.pk}/answers/",
        {"text": "Try a consortium fee.", "hub": hubs["norway"].pk},
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "answered"
    page = login(personas["coord_pt"]).get(r.get_absolute_url()).content.decode()
    assert "Try a consortium fee." in page and "coordinator-no" in page


def test_other_hub_cannot_open_the_request_form_for_a_hub_it_does_not_edit(hubs, personas, login):
    response = login(personas["coord_no"]).post(
        "/exchange/requests/new/",
        {"hub": hubs["portugal"].pk, "title": "x", "text": "y", "visibility": "network"},
    )
    assert response.status_code == 422  # Portugal is not among the hubs offered
    assert not SupportRequest.objects.exists()
    assert login(personas["member_no"]).get("/exchange/requests/new/").status_code == 403


def test_nav_link_for_signed_in_users(personas, login):
    assert "Support network" in login(personas["member_no"]).get("/exchange/").content.decode()
    assert "Support network" not in login(None).get("/exchange/sessions/").content.decode()


def test_commitment_form_names_the_missing_date(hubs, personas, login):
    s = make_session(hubs["norway"])
    response = login(personas["coord_no"]).post(
        f"/exchange/sessions/{s.pk}/commitments/",
        {"hub": hubs["portugal"].pk, "owner": "Demo owner", "what": "Share"},
    )
    assert response.status_code == 422
    assert not s.commitments.exists()


def test_session_form_offers_languages_by_name_and_the_host_hubs_zone(hubs, personas, login):
    """#16 forms that scale: languages chosen by name (codes stored), the zone left blank is the
    host hub's country's (Oslo for Norway), not Brussels."""
    client = login(personas["coord_no"])
    page = client.get("/exchange/sessions/new/").content.decode()
    assert 'type="checkbox" name="languages" value="nb"' in page and "Norwegian" in page
    assert "ISO 639-1" not in page
    response = client.post(
        "/exchange/sessions/new/",
        {
            "kind": "study_visit",
            "hub": hubs["norway"].pk,
            "title": "Study visit to Bergen",
            "description": "Peers from three hubs.",
            "format": "in_person",
            "languages": ["en", "nb"],
            "start": "2026-03-03T09:00",
            "end": "2026-03-03T17:00",
            "time_zone": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = ExchangeSession.objects.get().event
    assert event.time_zone == "Europe/Oslo" and event.language_codes == ["en", "nb"]
