"""A hub's exchange profile (hosting capacity, working languages, open to mentoring requests): set
by its team on the page and through the API, denied to everyone else, audited and revertible, and
used by the peers and the Europe-wide pairing instead of the defaults."""

import json

import pytest
from django.urls import reverse

from echos.core.models import ActionLog
from echos.core.revert import revert
from echos.exchange import peers, profiles
from echos.exchange.models import ExchangeProfile
from tests.exchange import test_peers

maturity, assess, network_of_two = test_peers.maturity, test_peers.assess, test_peers.network_of_two

BODY = {"capacity": 5, "languages": ["en", "de"], "open_to_mentoring": True}


def url(hub):
    return f"/api/v1/exchange/hubs/{hub.pk}/profile"


def put(client, hub, body):
    return client.put(url(hub), data=json.dumps(body), content_type="application/json")


def test_defaults_without_a_profile(hubs, client):
    data = client.get(url(hubs["norway"])).json()
    assert data == {
        "hub": hubs["norway"].pk,
        "from_profile": False,
        "capacity": peers.DEFAULT_CAPACITY,  # launched
        "languages": ["en", "nb"],
        "open_to_mentoring": True,
        "effective_capacity": peers.DEFAULT_CAPACITY,
    }
    assert client.get(url(hubs["vestland"])).json()["capacity"] == 0  # not launched
    assert client.get("/api/v1/exchange/hubs/999999/profile").status_code == 404


@pytest.mark.parametrize("role", ["coord_no", "editor_no", "network"])
def test_team_and_network_set_the_profile(hubs, personas, token_client, role):
    response = put(token_client(personas[role]), hubs["norway"], BODY)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["from_profile"] and data["capacity"] == 5 and data["languages"] == ["de", "en"]
    entry = ActionLog.objects.get(action="exchange.profile.updated")
    assert entry.data["before"] is None and entry.data["after"]["capacity"] == 5


@pytest.mark.parametrize(
    ("role", "status"), [("coord_pt", 403), ("member_no", 403), ("anonymous", 401)]
)
def test_others_may_not_set_the_profile(hubs, personas, token_client, role, status):
    assert put(token_client(personas[role]), hubs["norway"], BODY).status_code == status
    assert not ExchangeProfile.objects.exists()
    assert not ActionLog.objects.filter(action="exchange.profile.updated").exists()


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({**BODY, "capacity": 21}, "capacity", 422),
        ({**BODY, "capacity": -1}, "capacity", 422),
        ({**BODY, "languages": []}, "languages", 422),
        ({**BODY, "languages": ["xx"]}, "languages", 400),  # not ISO 639-1
        ({**BODY, "languages": ["EN"]}, "languages", 400),
        ({"capacity": 2, "languages": ["en"]}, "open_to_mentoring", 422),
    ],
)
def test_bad_profile_names_the_field(hubs, personas, token_client, body, field, status):
    response = put(token_client(personas["coord_no"]), hubs["norway"], body)
    assert response.status_code == status, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not ExchangeProfile.objects.exists()


def test_profile_change_is_reverted(hubs, personas):
    hub = hubs["norway"]
    profiles.update_profile(actor=personas["coord_no"], hub=hub, **BODY)
    profiles.update_profile(
        actor=personas["coord_no"], hub=hub, capacity=1, languages=["nb"], open_to_mentoring=False
    )
    second, first = ActionLog.objects.filter(action="exchange.profile.updated").order_by("-pk")
    revert(actor=personas["network"], entry=second)
    profile = ExchangeProfile.objects.get(hub=hub)
    assert (profile.capacity, profile.languages, profile.open_to_mentoring) == (
        5,
        ["de", "en"],
        True,
    )
    revert(actor=personas["network"], entry=first)
    assert not ExchangeProfile.objects.exists()  # back to the defaults


def test_peers_use_the_profile_and_forget_the_cached_defaults(hubs, personas):
    hub = hubs["norway"]
    before = peers.contexts()[hub.pk]
    assert before.capacity == peers.DEFAULT_CAPACITY and before.languages == {"nb", "en"}
    profiles.update_profile(
        actor=personas["coord_no"], hub=hub, capacity=7, languages=["de"], open_to_mentoring=True
    )
    after = peers.contexts()[hub.pk]
    assert after.capacity == 7 and after.languages == {"de"}
    profiles.update_profile(
        actor=personas["coord_no"], hub=hub, capacity=7, languages=["de"], open_to_mentoring=False
    )
    closed = peers.contexts()[hub.pk]
    assert closed.capacity == 0 and not closed.open_to_mentoring
    suggestion = peers.Suggestion(peer=closed, languages="", traits=[])
    assert suggestion.hosting == "Not taking mentoring requests at the moment."


def test_europe_pairing_uses_the_profiles(network_of_two, personas):
    hubs, _response = network_of_two

    def pairs():
        return {(p["mentee"], p["mentor"]) for p in peers.europe_pairing()["pairs"]}

    norway, portugal = hubs["norway"].pk, hubs["portugal"].pk
    assert pairs() == {(norway, portugal), (portugal, norway)}
    profiles.update_profile(
        actor=personas["coord_pt"],
        hub=hubs["portugal"],
        capacity=3,
        languages=["pt", "en"],
        open_to_mentoring=False,
    )
    assert pairs() == {(portugal, norway)}  # Portugal mentors nobody now
    profiles.update_profile(
        actor=personas["coord_no"],
        hub=hubs["norway"],
        capacity=2,
        languages=["nb"],
        open_to_mentoring=True,
    )
    assert pairs() == set()  # no shared working language


# --- the page -------------------------------------------------------------------------------------


def test_page_says_the_defaults_apply_and_the_team_saves(hubs, personas, login):
    client = login(personas["coord_no"])
    page = reverse("exchange:profile", args=[hubs["norway"].pk])
    html = client.get(page).content.decode()
    assert "the defaults apply" in html and 'name="capacity"' in html
    response = client.post(page, {"capacity": "4", "languages": ["en", "sv"]})
    assert response.status_code == 302
    profile = ExchangeProfile.objects.get(hub=hubs["norway"])
    assert (profile.capacity, profile.languages, profile.open_to_mentoring) == (
        4,
        ["en", "sv"],
        False,
    )
    html = client.get(page).content.decode()
    assert "the defaults apply" not in html and "Swedish" in html


def test_page_refuses_bad_input_naming_the_field(hubs, personas, login):
    client = login(personas["coord_no"])
    page = reverse("exchange:profile", args=[hubs["norway"].pk])
    response = client.post(page, {"capacity": "21", "languages": ["en"]})
    assert response.status_code == 422 and "has-error" in response.content.decode()
    response = client.post(page, {"capacity": "2", "languages": []})
    assert response.status_code == 422
    assert not ExchangeProfile.objects.exists()


@pytest.mark.parametrize("role", ["coord_pt", "member_no"])
def test_page_is_read_only_for_others(hubs, personas, login, role):
    client = login(personas[role])
    page = reverse("exchange:profile", args=[hubs["norway"].pk])
    response = client.get(page)
    assert response.status_code == 200 and 'name="capacity"' not in response.content.decode()
    assert client.post(page, {"capacity": "4", "languages": ["en"]}).status_code == 403
    assert not ExchangeProfile.objects.exists()


def test_page_needs_sign_in(hubs, login):
    response = login(None).get(reverse("exchange:profile", args=[hubs["norway"].pk]))
    assert response.status_code == 302
