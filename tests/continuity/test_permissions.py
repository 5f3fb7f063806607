"""Who sees and changes a hub's model, on the pages and through the API, with denied twins.

Norway's coordinator and editor are its team; Portugal's coordinator is another hub's team; the
network reads everything and edits nothing of a hub's own figures; a member and the public see
nothing unless the canvas is published.
"""

import json
from decimal import Decimal

import pytest

from echos.continuity import permissions as perms
from echos.continuity.models import FundingStream

READ = {
    "network": True,
    "coord_no": True,
    "editor_no": True,
    "coord_pt": False,
    "member_no": False,
    "anonymous": False,
}
EDIT = {
    "network": False,
    "coord_no": True,
    "editor_no": True,
    "coord_pt": False,
    "member_no": False,
    "anonymous": False,
}


@pytest.mark.parametrize("who", list(READ))
def test_predicates(norway_model, personas, hubs, who):
    user = personas[who]
    assert perms.can_view_model(user, hubs["norway"]) is READ[who]
    assert perms.can_edit_model(user, hubs["norway"]) is EDIT[who]
    # Regional hubs below Norway: Norway's coordinator edits them; its editor does not.
    assert perms.can_edit_model(user, hubs["vestland"]) is (who == "coord_no")
    portugal = who in ("coord_pt",)
    assert perms.can_edit_model(user, hubs["portugal"]) is portugal


@pytest.mark.parametrize("who", list(READ))
def test_pages(norway_model, personas, login, who):
    hub = norway_model["hub"]
    client = login(personas[who])
    pages = ["", "scenarios/", "risks/", "score/", "export.xlsx"]
    for page in pages:
        response = client.get(f"/continuity/hubs/{hub.pk}/{page}")
        expected = 200 if READ[who] else 403
        assert response.status_code == expected, (who, page)
    form = client.get(f"/continuity/hubs/{hub.pk}/stream/new/")
    assert form.status_code == (200 if EDIT[who] else 302 if who == "anonymous" else 403)


@pytest.mark.parametrize("who", list(READ))
def test_page_post_changes_only_for_team(norway_model, personas, login, who):
    grant = norway_model["grant"]
    client = login(personas[who])
    data = {
        "name": "Changed",
        "source_type": "national_public",
        "amount": "99",
        "currency": "EUR",
        "period": "year",
        "start": "2027-01",
        "end": "2027-12",
        "probability": "1",
        "slip_months": "0",
    }
    response = client.post(f"/continuity/stream/{grant.pk}/edit/", data)
    grant.refresh_from_db()
    if EDIT[who]:
        assert response.status_code == 302
        assert grant.amount == Decimal("99")
    else:
        assert response.status_code in (302, 403) and grant.amount == Decimal("12000")
        assert response.status_code == 403 or who == "anonymous"
    delete = client.post(f"/continuity/stream/{norway_model['maybe'].pk}/delete/")
    exists = FundingStream.objects.filter(pk=norway_model["maybe"].pk).exists()
    assert exists is (not EDIT[who]), who
    assert delete.status_code == (302 if EDIT[who] or who == "anonymous" else 403)


@pytest.mark.parametrize("who", list(READ))
def test_api(norway_model, personas, token_client, who):
    hub = norway_model["hub"]
    client = token_client(personas[who])
    for path in [
        "streams",
        "costs",
        "risks",
        "scenarios",
        "projection",
        "simulation?runs=200",
        "score",
    ]:
        response = client.get(f"/api/v1/continuity/hubs/{hub.pk}/{path}")
        expected = 200 if READ[who] else (401 if who == "anonymous" else 403)
        assert response.status_code == expected, (who, path, response.content)
    body = {
        "name": "New",
        "source_type": "eu_grant",
        "amount": "100.00",
        "period": "once",
        "start": "2027-02",
    }
    before = FundingStream.objects.count()
    response = client.post(
        f"/api/v1/continuity/hubs/{hub.pk}/streams",
        json.dumps(body),
        content_type="application/json",
    )
    expected = 201 if EDIT[who] else (401 if who == "anonymous" else 403)
    assert response.status_code == expected, response.content
    assert FundingStream.objects.count() == before + (1 if EDIT[who] else 0)
    grant = norway_model["grant"]
    response = client.delete(f"/api/v1/continuity/streams/{grant.pk}")
    assert FundingStream.objects.filter(pk=grant.pk).exists() is (not EDIT[who])


def test_canvas_public_only_when_published(norway_model, personas, login, token_client):
    from echos.continuity import services

    hub = norway_model["hub"]
    services.save_canvas(actor=personas["coord_no"], hub=hub, value_proposition="We connect.")
    public = login(None)
    assert public.get(f"/continuity/hubs/{hub.pk}/canvas/").status_code == 403
    assert token_client(None).get(f"/api/v1/continuity/hubs/{hub.pk}/canvas").status_code == 403
    services.save_settings(actor=personas["coord_no"], hub=hub, canvas_published=True)
    page = public.get(f"/continuity/hubs/{hub.pk}/canvas/")
    assert page.status_code == 200 and "We connect." in page.content.decode()
    assert (
        token_client(None)
        .get(f"/api/v1/continuity/hubs/{hub.pk}/canvas")
        .json()["value_proposition"]
        == "We connect."
    )
    # Published canvas, still nothing of the finances.
    assert public.get(f"/continuity/hubs/{hub.pk}/").status_code == 403
    assert (
        token_client(personas["member_no"])
        .get(f"/api/v1/continuity/hubs/{hub.pk}/projection")
        .status_code
        == 403
    )


def test_network_view_for_network_coordinators_only(norway_model, personas, login):
    for who in READ:
        response = login(personas[who]).get("/continuity/network/")
        assert response.status_code == (200 if who == "network" else 403), who
