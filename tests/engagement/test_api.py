"""Engagement records API: public reads with filters, writes per hub, errors naming fields, activities.

These tests need ``echos.engagement.api.router`` mounted at /api/v1/ in ``src/echos/api.py``.
"""

from datetime import date

import pytest

from echos.engagement.models import EngagementRecord
from echos.synergies.models import Activity

pytestmark = pytest.mark.django_db

URL = "/api/v1/engagement-records"


def payload(hubs, **extra):
    data = {
        "hub": hubs["norway"].pk,
        "title": "Survey of patients' priorities",
        "description": "An online survey of patient organisations.",
        "date": "2025-09-01",
        "end_date": "2025-09-30",
        "level": "consult",
        "stakeholder_groups": ["patients"],
        "organisations": [hubs["ncs"].pk],
        "participants": 320,
        "format": "survey",
        "language": "nb",
        "region": "NO-03",
        "objectives": ["quality_of_life"],
        "policy_areas": ["health"],
        "outcomes": "",
    }
    data.update(extra)
    return data


def test_create_read_list_and_filter(token_client, client, personas, hubs, make_record):
    api = token_client(personas["editor_no"])
    response = api.post(URL, payload(hubs), content_type="application/json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["hub"] == hubs["norway"].pk and created["level"] == "consult"
    assert created["stakeholder_groups"] == ["patients"] and created["organisations"] == [
        hubs["ncs"].pk
    ]
    assert (
        created["end_date"] == "2025-09-30"
        and created["url"] == f"/engagement/records/{created['id']}/"
    )
    assert EngagementRecord.objects.get().created_by == personas["editor_no"]

    other = make_record(level="inform", stakeholder_groups=["media"], date=date(2024, 3, 1))
    make_record(hub=hubs["portugal"], region=None)
    assert client.get(f"{URL}/{created['id']}").json()["title"] == "Survey of patients' priorities"
    everything = client.get(URL).json()
    assert everything["count"] == 3 and len(everything["items"]) == 3
    norway = client.get(URL, {"hub": hubs["norway"].pk}).json()
    assert norway["count"] == 2
    assert [r["id"] for r in client.get(URL, {"level": "inform"}).json()["items"]] == [other.pk]
    assert [r["id"] for r in client.get(URL, {"group": "media"}).json()["items"]] == [other.pk]
    assert client.get(URL, {"year": 2024}).json()["count"] == 1
    page = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and len(page["items"]) == 1


@pytest.mark.parametrize(
    "params, field",
    [({"level": "manipulate"}, "level"), ({"group": "aliens"}, "group"), ({"limit": 0}, "limit")],
)
def test_list_refuses_unknown_filters_by_name(client, hubs, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("persona", ["coord_pt", "member_no"])
def test_writes_need_the_right_to_edit_the_hub(token_client, personas, hubs, make_record, persona):
    api = token_client(personas[persona])
    assert api.post(URL, payload(hubs), content_type="application/json").status_code == 403
    record = make_record()
    assert (
        api.patch(f"{URL}/{record.pk}", {"title": "x"}, content_type="application/json").status_code
        == 403
    )
    assert api.delete(f"{URL}/{record.pk}").status_code == 403
    assert api.post(f"{URL}/{record.pk}/activity").status_code == 403
    assert EngagementRecord.objects.count() == 1 and not Activity.objects.exists()
    assert EngagementRecord.objects.get().title != "x"


def test_writes_without_a_token_are_401(client, hubs, make_record):
    record = make_record()
    assert client.post(URL, payload(hubs), content_type="application/json").status_code == 401
    assert client.delete(f"{URL}/{record.pk}").status_code == 401
    assert client.post(f"{URL}/{record.pk}/activity").status_code == 401


@pytest.mark.parametrize(
    "extra, field, status",
    [
        ({"level": "manipulate"}, "level", 400),
        ({"stakeholder_groups": ["aliens"]}, "stakeholder_groups", 400),
        ({"stakeholder_groups": []}, "stakeholder_groups", 422),
        ({"region": "PT-11"}, "region", 400),
        ({"language": "zz"}, "language", 400),
        ({"format": "party"}, "format", 400),
        ({"end_date": "2025-08-01"}, "end_date", 400),
        ({"participants": -1}, "participants", 422),
        ({"organisations": [987654]}, "organisations", 400),
        ({"hub": 987654}, "hub", 400),
        ({"date": "next tuesday"}, "date", 422),
        ({"title": "x" * 251}, "title", 422),
    ],
)
def test_bad_input_answers_json_naming_the_field(
    token_client, personas, hubs, extra, field, status
):
    response = token_client(personas["network"]).post(
        URL, payload(hubs, **extra), content_type="application/json"
    )
    assert response.status_code == status, response.json()
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not EngagementRecord.objects.exists()


def test_patch_changes_only_what_is_sent(token_client, personas, make_record):
    record = make_record()
    api = token_client(personas["coord_no"])
    response = api.patch(
        f"{URL}/{record.pk}",
        {"level": "involve", "participants": None, "stakeholder_groups": ["citizens"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["level"] == "involve" and body["participants"] is None
    assert body["stakeholder_groups"] == ["citizens"] and body["title"] == record.title
    assert body["objectives"] == ["quality_of_life"]


def test_delete(token_client, personas, make_record):
    record = make_record()
    response = token_client(personas["network"]).delete(f"{URL}/{record.pk}")
    assert response.status_code == 204 and not EngagementRecord.objects.exists()


def test_turn_into_activity_then_refresh(token_client, personas, make_record):
    record = make_record()
    api = token_client(personas["editor_no"])
    first = api.post(f"{URL}/{record.pk}/activity").json()
    activity = Activity.objects.get()
    assert first == {
        "activity": activity.pk,
        "url": activity.get_absolute_url(),
        "created": True,
        "record": record.pk,
    }
    again = api.post(f"{URL}/{record.pk}/activity").json()
    assert again["activity"] == activity.pk and again["created"] is False
    assert Activity.objects.count() == 1


def test_unknown_and_impossible_ids_are_404_or_422(client):
    assert client.get(f"{URL}/999999").status_code == 404
    assert client.get(f"{URL}/{2**70}").status_code == 422
    assert client.get(URL, {"hub": 2**70}).status_code == 422


def test_operation_ids_are_distinct_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    ids = [op["operationId"] for methods in schema["paths"].values() for op in methods.values()]
    assert len(ids) == len(set(ids))
    ours = {
        op["operationId"]
        for path, methods in schema["paths"].items()
        if "engagement-records" in path
        for op in methods.values()
    }
    # The six record operations, participant counts and adding a follow-up (other helpers may
    # add more operations under the same path, e.g. imports).
    assert {
        "echos_engagement_api_" + name
        for name in (
            "list_engagement_records",
            "get_engagement_record",
            "create_engagement_record",
            "patch_engagement_record",
            "delete_engagement_record",
            "engagement_record_to_activity",
            "list_participant_counts",
            "create_follow_up",
        )
    } <= ours


def test_list_queries_do_not_grow_with_records(client, hubs, generate_engagement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.engagement.test_generate import context

    counts = []
    for size in (12, 240):
        EngagementRecord.objects.all().delete()
        generate_engagement(context(hubs, count=size, batch=50))
        with CaptureQueriesContext(connection) as queries:
            body = client.get(URL, {"limit": 100, "group": "patients"}).json()
        assert body["items"]
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
