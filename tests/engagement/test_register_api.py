"""The register API: the permission matrix with denied twins, validation errors naming the field,
imports and exports, and the register's private fields never in public answers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from echos.engagement import register, relationships
from echos.engagement.models import Relationship, Stakeholder

pytestmark = pytest.mark.django_db

API = "/api/v1"
TEAM = {"editor_no", "coord_no", "network"}
ROLES = ["anonymous", "coord_pt", "member_no", "editor_no", "coord_no", "network"]


def denied(persona: str) -> int:
    return 401 if persona == "anonymous" else 403


@pytest.fixture
def entry(hubs):
    return register.add_stakeholder(
        actor=None,
        hub=hubs["norway"],
        organisation=hubs["ncs"],
        influence=4,
        interest=5,
        notes="Private note on NCS",
    )


@pytest.fixture
def rel(hubs):
    return relationships.add_relationship(
        actor=None, hub=hubs["norway"], source=hubs["occ"], target=hubs["ncs"], kind="funds"
    )


@pytest.mark.parametrize("persona", ROLES)
def test_list_register(hubs, personas, token_client, entry, persona):
    response = token_client(personas[persona]).get(f"{API}/hubs/{hubs['norway'].pk}/stakeholders")
    if persona in TEAM:
        assert response.status_code == 200
        item = response.json()["items"][0]
        assert (item["influence"], item["notes"], item["quadrant"]) == (
            4,
            "Private note on NCS",
            "manage_closely",
        )
    else:
        assert response.status_code == denied(persona)
        assert "Private note" not in response.content.decode()


@pytest.mark.parametrize("persona", ROLES)
def test_create_stakeholder(hubs, personas, token_client, persona):
    response = token_client(personas[persona]).post(
        f"{API}/hubs/{hubs['norway'].pk}/stakeholders",
        {"organisation": hubs["aicib"].pk, "influence": 2, "interest": 3},
        content_type="application/json",
    )
    if persona in TEAM:
        assert response.status_code == 201, response.content
        assert response.json()["group"] == "research"
    else:
        assert response.status_code == denied(persona)
        assert not Stakeholder.objects.exists()


@pytest.mark.parametrize("persona", ROLES)
def test_get_patch_delete_stakeholder(personas, token_client, entry, persona):
    client = token_client(personas[persona])
    url = f"{API}/stakeholders/{entry.pk}"
    expected = 200 if persona in TEAM else denied(persona)
    assert client.get(url).status_code == expected
    patched = client.patch(url, {"status": "engaged"}, content_type="application/json")
    assert patched.status_code == expected
    entry.refresh_from_db()
    assert entry.status == ("engaged" if persona in TEAM else "to_approach")
    assert client.delete(url).status_code == (204 if persona in TEAM else denied(persona))
    assert Stakeholder.objects.exists() == (persona not in TEAM)


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"influence": 6, "interest": 3}, "influence", 400),
        ({"influence": 3, "interest": 0}, "interest", 400),
        ({"influence": 3, "interest": 3, "status": "asleep"}, "status", 422),
        ({"influence": 3, "interest": 3, "group": "aliens"}, "group", 400),
        ({"influence": 3, "interest": 3, "organisation": 999999}, "organisation", 400),
        ({"influence": 3, "interest": 3, "owner": 999999}, "owner", 400),
        ({"influence": 3}, "interest", 422),
    ],
)
def test_create_errors_name_the_field(hubs, personas, token_client, payload, field, status):
    body = {"organisation": hubs["aicib"].pk, **payload}
    response = token_client(personas["coord_no"]).post(
        f"{API}/hubs/{hubs['norway'].pk}/stakeholders", body, content_type="application/json"
    )
    assert response.status_code == status
    assert field in [e["field"] for e in response.json()["errors"]]


def test_owner_not_on_team_and_duplicate(hubs, personas, token_client, entry):
    client = token_client(personas["coord_no"])
    url = f"{API}/hubs/{hubs['norway'].pk}/stakeholders"
    dup = client.post(
        url,
        {"organisation": hubs["ncs"].pk, "influence": 1, "interest": 1},
        content_type="application/json",
    )
    assert dup.status_code == 409 and dup.json()["errors"][0]["field"] == "organisation"
    owner = client.patch(
        f"{API}/stakeholders/{entry.pk}",
        {"owner": personas["member_no"].pk},
        content_type="application/json",
    )
    assert owner.status_code == 400 and owner.json()["errors"][0]["field"] == "owner"


@pytest.mark.parametrize("persona", ROLES)
def test_relationships_read_publicly(hubs, personas, token_client, rel, persona):
    client = token_client(personas[persona])
    listed = client.get(f"{API}/relationships", {"organisation": hubs["ncs"].pk})
    assert listed.status_code == 200
    assert listed.json()["items"][0]["kind"] == "funds"
    assert client.get(f"{API}/relationships/{rel.pk}").status_code == 200


@pytest.mark.parametrize("persona", ROLES)
def test_relationships_written_by_the_recording_hubs_team(
    hubs, personas, token_client, rel, persona
):
    client = token_client(personas[persona])
    created = client.post(
        f"{API}/relationships",
        {
            "hub": hubs["norway"].pk,
            "source": hubs["ncs"].pk,
            "target": hubs["aicib"].pk,
            "kind": "partners_with",
        },
        content_type="application/json",
    )
    assert created.status_code == (201 if persona in TEAM else denied(persona))
    patched = client.patch(
        f"{API}/relationships/{rel.pk}", {"kind": "hosts"}, content_type="application/json"
    )
    assert patched.status_code == (200 if persona in TEAM else denied(persona))
    deleted = client.delete(f"{API}/relationships/{rel.pk}")
    assert deleted.status_code == (204 if persona in TEAM else denied(persona))
    assert Relationship.objects.filter(pk=rel.pk).exists() == (persona not in TEAM)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"target": "source"}, "target"),
        ({"since": "2025-01-01", "until": "2024-01-01"}, "until"),
        ({"kind": "loves"}, "kind"),
        ({"source": 999999}, "source"),
    ],
)
def test_relationship_errors_name_the_field(hubs, personas, token_client, payload, field):
    body = {
        "hub": hubs["norway"].pk,
        "source": hubs["occ"].pk,
        "target": hubs["ncs"].pk,
        "kind": "funds",
    }
    body.update(payload)
    if body["target"] == "source":
        body["target"] = body["source"]
    response = token_client(personas["coord_no"]).post(
        f"{API}/relationships", body, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Relationship.objects.exists()


def test_duplicate_relationship_is_a_conflict(hubs, personas, token_client, rel):
    body = {
        "hub": hubs["norway"].pk,
        "source": hubs["occ"].pk,
        "target": hubs["ncs"].pk,
        "kind": "funds",
    }
    response = token_client(personas["coord_no"]).post(
        f"{API}/relationships", body, content_type="application/json"
    )
    assert response.status_code == 409


@pytest.mark.parametrize("persona", ROLES)
def test_import_through_the_api(hubs, personas, token_client, persona):
    upload = SimpleUploadedFile("s.csv", b"organisation,influence,interest\nAICIB,2,2\n")
    response = token_client(personas[persona]).post(
        f"{API}/hubs/{hubs['norway'].pk}/imports/stakeholders", {"file": upload}
    )
    if persona in TEAM:
        assert response.status_code == 201
        assert response.json()["created"] == 1
    else:
        assert response.status_code == denied(persona)
        assert not Stakeholder.objects.exists()


def test_bad_import_through_the_api_names_rows(hubs, personas, token_client):
    upload = SimpleUploadedFile("s.csv", b"organisation,influence,interest\nAICIB,2,2\nAICIB,2,9\n")
    response = token_client(personas["coord_no"]).post(
        f"{API}/hubs/{hubs['norway'].pk}/imports/stakeholders", {"file": upload}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": 3, "column": "interest", "message": "Interest must be between 1 and 5; 9 is not."}
    ]
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize("persona", ROLES)
def test_exports(hubs, personas, token_client, entry, make_record, persona):
    make_record()
    client = token_client(personas[persona])
    register_csv = client.get(
        f"{API}/hubs/{hubs['norway'].pk}/stakeholders/export", {"format": "csv"}
    )
    assert register_csv.status_code == (200 if persona in TEAM else denied(persona))
    if persona in TEAM:
        assert "Private note on NCS" in register_csv.content.decode()
    records = client.get(
        f"{API}/hubs/{hubs['norway'].pk}/engagement-records/export", {"format": "xlsx"}
    )
    assert records.status_code == 200
    assert records["Content-Type"].startswith("application/vnd.openxmlformats")


def test_public_answers_never_hold_register_fields(
    hubs, token_client, login, entry, rel, make_record
):
    make_record()
    anonymous = token_client(None)
    for url in (
        f"{API}/relationships",
        f"{API}/engagement-records",
        f"{API}/hubs/{hubs['norway'].pk}/engagement-records/export?format=csv",
        f"{API}/organisations/{hubs['ncs'].pk}",
    ):
        body = anonymous.get(url).content.decode()
        assert "Private note" not in body and "influence" not in body, url
    for path in (
        hubs["ncs"].get_absolute_url(),
        f"/engagement/hubs/{hubs['norway'].pk}/records.csv",
    ):
        body = login(None).get(path).content.decode()
        assert "Private note" not in body and "Influence" not in body, path


def test_list_filters_and_unknown_group_named(hubs, personas, token_client, entry):
    client = token_client(personas["coord_no"])
    url = f"{API}/hubs/{hubs['norway'].pk}/stakeholders"
    assert client.get(url, {"group": "patients"}).json()["count"] == 1
    assert client.get(url, {"sector": "industry"}).json()["count"] == 0
    refused = client.get(url, {"group": "aliens"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "group"
