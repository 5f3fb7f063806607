"""The JSON API: list shape, filters, writes with tokens, and error shapes (never a 500)."""

import json

import pytest

from echos.hubs.models import Hub, Membership, Organisation

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_openapi_schema_lists_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/hubs",
        "/api/v1/hubs/{hub_id}",
        "/api/v1/organisations",
        "/api/v1/memberships",
        "/api/v1/countries",
        "/api/v1/hubs/{hub_id}/stage-changes",
    ]:
        assert path in schema["paths"]


def test_docs_page_is_served_without_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "unpkg" not in page


def test_list_shape_and_pagination(hubs, client):
    body = client.get("/api/v1/hubs?limit=2&offset=1").json()
    assert body["count"] == 4
    assert len(body["items"]) == 2
    assert set(body["items"][0]) >= {"id", "country", "level", "parent", "stage", "name_en"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=NO", {"norway", "vestland", "bergen"}),
        ("level=local", {"bergen"}),
        ("stage=launched", {"norway"}),
        ("country=pt", {"portugal"}),
        ("q=vestland", {"vestland"}),
    ],
)
def test_hub_filters(hubs, client, query, expected):
    items = client.get(f"/api/v1/hubs?{query}").json()["items"]
    assert {i["id"] for i in items} == {hubs[k].pk for k in expected}


def test_filter_by_parent(hubs, client):
    items = client.get(f"/api/v1/hubs?parent={hubs['norway'].pk}").json()["items"]
    assert [i["id"] for i in items] == [hubs["vestland"].pk]


def test_countries_and_regions(db, client):
    countries = client.get("/api/v1/countries?limit=100").json()
    codes = {c["code"] for c in countries["items"]}
    assert {"NO", "PL", "PT", "UA", "XK"} <= codes and countries["count"] >= 40
    assert client.get("/api/v1/countries/no").json()["membership"] == "associated"
    regions = client.get("/api/v1/regions?country=NO&limit=100").json()
    assert "NO-46" in {r["code"] for r in regions["items"]}


def test_country_names_follow_the_language(db, client):
    body = client.get("/api/v1/countries/DE", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["display_name"] == "Allemagne"


def test_create_hub_with_token(hubs, personas, token_client):
    client = token_client(personas["coord_no"])
    response = post(
        client,
        "/api/v1/hubs",
        {
            "country": "NO",
            "level": "regional",
            "parent": hubs["norway"].pk,
            "region": "NO-03",
            "name": "Oslo hub",
            "stage": "exploring",
            "stage_date": "2025-02-01",
        },
    )
    assert response.status_code == 201, response.content
    hub = Hub.objects.get(pk=response.json()["id"])
    assert hub.stage == "exploring" and hub.region_id == "NO-03"


def test_write_without_token_is_401_with_json(hubs, client):
    response = post(client, "/api/v1/hubs", {"country": "NO", "name": "x"})
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_bad_token_is_401(hubs, client):
    response = client.get(
        f"/api/v1/hubs/{hubs['norway'].pk}/audit", HTTP_AUTHORIZATION="Bearer nope"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"country": "ZZ", "name": "x"}, 400, "country"),
        ({"country": "NO", "level": "regional", "name": "x"}, 400, "parent"),
        ({"country": "NO", "level": "national", "name": "x"}, 409, "level"),
        ({"country": "NO", "level": "regional", "parent": 999999, "name": "x"}, 400, "parent"),
        (
            {
                "country": "NO",
                "level": "regional",
                "parent": "PARENT",
                "region": "PT-13",
                "name": "x",
            },
            400,
            "region",
        ),
        ({"country": "PT", "level": "local", "parent": "PARENT", "name": "x"}, 400, "parent"),
        ({"country": "NO", "level": "galactic", "parent": "PARENT", "name": "x"}, 400, "level"),
        (
            {
                "country": "NO",
                "level": "regional",
                "parent": "PARENT",
                "name": "x",
                "website": "not a url",
            },
            400,
            "website",
        ),
        ({"level": "regional"}, 422, "country"),
        ({"country": 12, "name": ["x"]}, 422, "name"),
    ],
)
def test_hub_errors_name_the_field(hubs, personas, token_client, payload, status, field):
    payload = {k: (hubs["norway"].pk if v == "PARENT" else v) for k, v in payload.items()}
    response = post(token_client(personas["network"]), "/api/v1/hubs", payload)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    assert field in [e["field"] for e in body["errors"]]


def test_malformed_json_is_not_a_500(hubs, personas, token_client):
    client = token_client(personas["network"])
    response = client.post("/api/v1/hubs", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_unknown_hub_is_404_json(db, client):
    response = client.get("/api/v1/hubs/424242")
    assert response.status_code == 404 and response.json()["detail"] == "Not found."


def test_bad_limit_names_the_parameter(db, client):
    response = client.get("/api/v1/hubs?limit=100000")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"
    assert client.get("/api/v1/hubs?limit=abc").status_code == 422


def test_stage_change_through_the_api(hubs, personas, token_client):
    client = token_client(personas["coord_no"])
    url = f"/api/v1/hubs/{hubs['norway'].pk}/stage-changes"
    response = post(
        client, url, {"stage": "operational", "date": "2025-09-01", "evidence": "Monthly meetings"}
    )
    assert response.status_code == 201
    assert client.get(url).json()["items"][0]["stage"] == "operational"
    back = post(client, url, {"stage": "exploring", "date": "2025-10-01"})
    assert back.status_code == 400 and back.json()["errors"][0]["field"] == "reason"
    future = post(client, url, {"stage": "sustained", "date": "2999-01-01"})
    assert future.status_code == 400 and future.json()["errors"][0]["field"] == "date"


def test_organisation_crud_and_duplicate(hubs, personas, token_client):
    client = token_client(personas["coord_no"])
    response = post(
        client,
        "/api/v1/organisations",
        {
            "name": "Haukeland University Hospital",
            "country": "NO",
            "region": "NO-46",
            "stakeholder_group": "healthcare_providers",
        },
    )
    assert response.status_code == 201
    org_id = response.json()["id"]
    dup = post(
        client,
        "/api/v1/organisations",
        {
            "name": "haukeland  university-hospital",
            "country": "no",
            "stakeholder_group": "healthcare_providers",
        },
    )
    assert dup.status_code == 409 and dup.json()["errors"][0]["field"] == "name"
    bad_group = post(
        client,
        "/api/v1/organisations",
        {"name": "X", "country": "NO", "stakeholder_group": "aliens"},
    )
    assert (
        bad_group.status_code == 400
        and bad_group.json()["errors"][0]["field"] == "stakeholder_group"
    )
    # Not yet a member of any of coord_no's hubs: membership first, confirmed for the
    # organisation (nobody represents it yet, so by the network), then they may edit it.
    m = post(
        client,
        "/api/v1/memberships",
        {"hub": hubs["vestland"].pk, "organisation": org_id, "role": "member"},
    )
    assert m.status_code == 201 and m.json()["status"] == "pending"
    waiting = client.patch(
        f"/api/v1/organisations/{org_id}",
        json.dumps({"website": "https://example.org"}),
        content_type="application/json",
    )
    assert waiting.status_code == 403
    confirmed = token_client(personas["network"]).post(
        f"/api/v1/memberships/{m.json()['id']}/confirm"
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    patched = client.patch(
        f"/api/v1/organisations/{org_id}",
        json.dumps({"website": "https://example.org"}),
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["website"] == "https://example.org"
    # Only the network deletes organisations.
    assert client.delete(f"/api/v1/organisations/{org_id}").status_code == 403
    assert (
        token_client(personas["network"]).delete(f"/api/v1/organisations/{org_id}").status_code
        == 204
    )
    assert not Organisation.objects.filter(pk=org_id).exists()


def test_membership_errors(hubs, personas, token_client):
    client = token_client(personas["coord_no"])
    bad = post(
        client,
        "/api/v1/memberships",
        {
            "hub": hubs["norway"].pk,
            "organisation": hubs["aicib"].pk,
            "since": "2025-05-01",
            "until": "2025-01-01",
        },
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "until"
    dup = post(
        client, "/api/v1/memberships", {"hub": hubs["norway"].pk, "organisation": hubs["occ"].pk}
    )
    assert dup.status_code == 409
    other = post(
        client, "/api/v1/memberships", {"hub": hubs["portugal"].pk, "organisation": hubs["occ"].pk}
    )
    assert other.status_code == 403
    m = Membership.objects.get(hub=hubs["norway"], organisation=hubs["ncs"])
    ended = client.patch(
        f"/api/v1/memberships/{m.pk}",
        json.dumps({"until": "2025-12-31"}),
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["until"] == "2025-12-31"
    listed = client.get(f"/api/v1/memberships?hub={hubs['norway'].pk}&current=true").json()
    assert listed["count"] >= 1


def test_token_command_prints_a_working_token(hubs, personas, client):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("token", "create", "--user", "coord_no".replace("_", "inator-"), stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("echos_")
    response = client.patch(
        f"/api/v1/hubs/{hubs['norway'].pk}",
        json.dumps({"mission": "via token"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
