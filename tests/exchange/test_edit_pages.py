"""What was API-only now works from the pages, with the denied twin of every allowed case:
commitments edited (owner, date, hub, text), twinning levels corrected by hand, and the links to a
hub's peers (signed-in users) and to the Europe-wide pairing (network coordinators only)."""

import json
from datetime import date

import pytest
from django.urls import reverse

from echos.core.models import ActionLog
from echos.core.revert import revert
from echos.exchange import sessions, twinning
from echos.exchange.models import Commitment
from tests.exchange.helpers import make_session


@pytest.fixture
def commitment(hubs):
    s = make_session(hubs["norway"])
    return sessions.add_commitment(
        actor=None,
        session=s,
        hub=hubs["norway"],
        owner="Demo A",
        what="Write",
        due=date(2026, 1, 1),
    )


EDIT = {"owner": "Demo B", "what": "Write the terms of reference", "due": "2026-03-01"}


@pytest.mark.parametrize("role", ["coord_no", "editor_no", "network"])
def test_commitment_is_edited_from_the_page(hubs, personas, login, commitment, role):
    client = login(personas[role])
    session_page = client.get(commitment.session.get_absolute_url()).content.decode()
    page = reverse("exchange:commitment_edit", args=[commitment.pk])
    assert page in session_page
    assert 'value="Demo A"' in client.get(page).content.decode()
    response = client.post(page, {**EDIT, "hub": hubs["portugal"].pk})
    assert response.status_code == 302
    c = Commitment.objects.get(pk=commitment.pk)
    assert (c.owner, c.what, c.due, c.hub) == (
        "Demo B",
        EDIT["what"],
        date(2026, 3, 1),
        hubs["portugal"],
    )
    assert ActionLog.objects.filter(action="exchange.commitment.updated").count() == 1


@pytest.mark.parametrize("role", ["coord_pt", "member_no"])
def test_others_may_not_edit_the_commitment(hubs, personas, login, commitment, role):
    client = login(personas[role])
    page = reverse("exchange:commitment_edit", args=[commitment.pk])
    assert page not in client.get(commitment.session.get_absolute_url()).content.decode()
    assert client.get(page).status_code == 403
    assert client.post(page, {**EDIT, "hub": hubs["norway"].pk}).status_code == 403
    assert Commitment.objects.get(pk=commitment.pk).owner == "Demo A"


def test_commitment_without_owner_or_date_is_refused_naming_the_field(
    hubs, personas, login, commitment
):
    client = login(personas["coord_no"])
    page = reverse("exchange:commitment_edit", args=[commitment.pk])
    response = client.post(page, {**EDIT, "owner": "", "hub": hubs["norway"].pk})
    assert response.status_code == 422 and 'href="#id_owner"' in response.content.decode()
    response = client.post(page, {**EDIT, "due": "", "hub": hubs["norway"].pk})
    assert response.status_code == 422 and 'href="#id_due"' in response.content.decode()
    assert Commitment.objects.get(pk=commitment.pk).owner == "Demo A"
    assert login(None).get(page).status_code == 302  # sign in first


# --- twinning levels --------------------------------------------------------------------------


@pytest.fixture
def agreement(hubs):
    return twinning.create_twinning(
        actor=None,
        title="Funding twinning",
        hubs=[hubs["norway"], hubs["portugal"]],
        dimensions=["funding"],
        goals="Learn funding",
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )


def level_fields(t, hubs, before_no="2", after_no="4", after_pt=""):
    no, pt = hubs["norway"].pk, hubs["portugal"].pk
    return {
        f"before_{no}_funding": before_no,
        f"after_{no}_funding": after_no,
        f"before_{pt}_funding": "3",
        f"after_{pt}_funding": after_pt,
    }


@pytest.mark.parametrize("role", ["coord_no", "coord_pt", "network"])
def test_levels_are_corrected_by_hand_and_reverted(hubs, personas, login, agreement, role):
    client = login(personas[role])
    page = reverse("exchange:twinning_levels", args=[agreement.pk])
    assert page in client.get(agreement.get_absolute_url()).content.decode()
    html = client.get(page).content.decode()
    assert "National Cancer Hub Portugal" in html and "<label" in html
    assert client.post(page, level_fields(agreement, hubs)).status_code == 302
    agreement.refresh_from_db()
    no, pt = str(hubs["norway"].pk), str(hubs["portugal"].pk)
    assert agreement.levels_before == {no: {"funding": 2}, pt: {"funding": 3}}
    assert agreement.levels_after == {no: {"funding": 4}, pt: {"funding": None}}
    entry = ActionLog.objects.get(action="exchange.twinning.updated")
    assert entry.data["changed"] == ["levels_after", "levels_before"]
    revert(actor=personas["network"], entry=entry)
    agreement.refresh_from_db()
    assert agreement.levels_before == {} and agreement.levels_after == {}


@pytest.mark.parametrize("role", ["member_no", "editor_no"])
def test_levels_are_corrected_only_by_the_agreements_editors(
    hubs, personas, login, agreement, role, make_user
):
    # editor-no edits Norway, so only a twinning without Norway is out of reach: use the member,
    # who sees the agreement but edits nothing, and an outsider for the editor's twin.
    user = personas[role] if role == "member_no" else make_user("outsider")
    client = login(user)
    page = reverse("exchange:twinning_levels", args=[agreement.pk])
    assert client.get(page).status_code == 403
    assert client.post(page, level_fields(agreement, hubs)).status_code == 403
    agreement.refresh_from_db()
    assert agreement.levels_before == {}


def test_levels_outside_one_to_five_are_refused(hubs, personas, login, agreement):
    client = login(personas["coord_no"])
    page = reverse("exchange:twinning_levels", args=[agreement.pk])
    response = client.post(page, level_fields(agreement, hubs, before_no="6"))
    assert response.status_code == 422 and "level before" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.levels_before == {}


def test_levels_before_are_corrected_through_the_api(hubs, personas, token_client, agreement):
    no = str(hubs["norway"].pk)
    response = token_client(personas["coord_no"]).patch(
        f"/api/v1/exchange/twinnings/{agreement.pk}",
        data=json.dumps({"levels_before": {no: {"funding": 1}}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["levels_before"] == {no: {"funding": 1}}
    response = token_client(personas["coord_no"]).patch(
        f"/api/v1/exchange/twinnings/{agreement.pk}",
        data=json.dumps({"levels_before": {no: {"mandate": 1}}}),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "levels_before"


# --- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member_no", "coord_pt", "network"])
def test_hub_page_links_to_its_peers_for_signed_in_users(hubs, personas, login, role):
    hub = hubs["norway"]
    html = login(personas[role]).get(hub.get_absolute_url()).content.decode()
    assert reverse("exchange:peers", args=[hub.pk]) in html
    assert reverse("exchange:profile", args=[hub.pk]) in html


def test_hub_page_has_no_peers_link_for_the_public(hubs, login):
    hub = hubs["norway"]
    html = login(None).get(hub.get_absolute_url()).content.decode()
    assert reverse("exchange:peers", args=[hub.pk]) not in html


def test_home_links_to_the_pairing_for_network_coordinators_only(personas, login):
    home, pairing = reverse("exchange:home"), reverse("exchange:pairing")
    assert pairing in login(personas["network"]).get(home).content.decode()
    for role in ("coord_no", "member_no", "anonymous"):
        assert pairing not in login(personas[role]).get(home).content.decode(), role
