"""The hubs API's response schemas give the same JSON as the dicts the API built, and its choices
are checked by the one ``one_of`` helper (422 naming the field)."""

import json
from datetime import date

import pytest

from echos.core.api import page_of
from echos.core.audit import entries_for
from echos.hubs import api, services
from echos.hubs.models import Membership
from echos.hubs.schemas import (
    AuditEntryOut,
    ContactOut,
    HubOut,
    MembershipOut,
    OrganisationOut,
    StageChangeOut,
)

pytestmark = pytest.mark.django_db


def same_json(schema, data: dict) -> bool:
    """The schema renders ``data`` key for key and value for value."""
    return schema.model_validate(data).model_dump(mode="json") == data


def test_the_schemas_render_the_dicts_unchanged(hubs, personas):
    for hub in (hubs["norway"], hubs["bergen"]):  # with and without parent, region, stage date
        assert same_json(HubOut, api.hub_out(hub))
    change = services.record_stage_change(
        actor=None, hub=hubs["portugal"], stage="exploring", date=date(2025, 1, 6)
    )
    assert same_json(StageChangeOut, api.stage_change_out(change))
    for org in (hubs["occ"], hubs["aicib"]):
        assert same_json(OrganisationOut, api.organisation_out(org))
    assert same_json(ContactOut, api.contact_out(hubs["occ"].contacts.first()))
    for membership in Membership.objects.all():
        assert same_json(MembershipOut, api.membership_out(membership))
    services.update_hub(actor=personas["network"], hub=hubs["norway"], mission="Fewer cancers")
    entries = list(entries_for(hubs["norway"]))
    assert entries and all(same_json(AuditEntryOut, api.audit_entry_out(e)) for e in entries)
    page = {"count": 2, "items": [api.hub_out(hubs["norway"]), api.hub_out(hubs["bergen"])]}
    assert same_json(page_of(HubOut), page)


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        (
            "/api/v1/hubs/{norway}/stage-changes",
            {"stage": "dormant", "date": "2025-01-01"},
            "stage",
        ),
        (
            "/api/v1/memberships",
            {"hub": "{norway}", "organisation": "{aicib}", "role": "boss"},
            "role",
        ),
    ],
)
def test_a_bad_choice_is_refused_naming_the_field(
    hubs, personas, token_client, url, payload, field
):
    ids = {"{norway}": hubs["norway"].pk, "{aicib}": hubs["aicib"].pk}
    payload = {k: ids.get(v, v) for k, v in payload.items()}
    response = token_client(personas["network"]).post(
        url.format(norway=hubs["norway"].pk), json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_bad_filter_choice_is_refused_and_an_empty_one_ignored(hubs, client):
    response = client.get("/api/v1/memberships?status=lost")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status"
    assert client.get("/api/v1/hubs?stage=&level=").json()["count"] == 4
