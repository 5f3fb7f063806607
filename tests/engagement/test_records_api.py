"""API of the deeper records: extended fields, participant counts, follow-ups (team only),
coverage (public counts) and suggestions, with the permission matrix and its denied twins."""

from datetime import timedelta

import pytest
from django.utils import timezone

from echos.engagement import services
from echos.engagement.models import FollowUp

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "coord_pt", "member_no", "editor_no", "coord_no", "network"]
# Who may read a hub's follow-ups (its team) and who may change them (its editors and above).
READS = {"member_no", "editor_no", "coord_no", "network"}
WRITES = {"editor_no", "coord_no", "network"}


@pytest.fixture
def record(make_record):
    return make_record(
        date=timezone.localdate() - timedelta(days=30),
        participants=None,
        participant_counts={"patients": 9, "civil_society": 2},
    )


@pytest.fixture
def follow_up(record, personas):
    return services.save_follow_up(
        actor=None,
        record=record,
        title="Send the report",
        owner=personas["editor_no"].pk,
        due_date=timezone.localdate() - timedelta(days=2),
    )


def test_records_carry_status_and_counts(token_client, personas, hubs, record):
    body = token_client(None).get(f"/api/v1/engagement-records/{record.pk}").json()
    assert body["status"] == "held" and body["participants"] == 11
    assert {c["group"]: c["count"] for c in body["participant_counts"]} == {
        "patients": 9,
        "civil_society": 2,
    }
    counts = token_client(None).get(f"/api/v1/engagement-records/{record.pk}/participant-counts")
    assert counts.status_code == 200 and len(counts.json()) == 2
    listed = token_client(None).get("/api/v1/engagement-records", {"status": "held"}).json()
    assert listed["count"] == 1
    bad = token_client(None).get("/api/v1/engagement-records", {"status": "soon"})
    assert bad.status_code == 400


def test_create_with_counts_and_refusals_name_the_field(token_client, personas, hubs):
    client = token_client(personas["editor_no"])
    payload = {
        "hub": hubs["norway"].pk,
        "title": "Citizen dialogue",
        "description": "Residents on screening.",
        "date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "level": "consult",
        "stakeholder_groups": ["citizens"],
        "participant_counts": [{"group": "citizens", "count": 40}],
        "format": "citizen_dialogue",
        "language": "nb",
    }
    created = client.post("/api/v1/engagement-records", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["participants"] == 40
    for change, field in [
        ({"participant_counts": [{"group": "media", "count": 1}]}, "participant_counts"),
        ({"participant_counts": [{"group": "citizens", "count": -1}]}, "count"),
        ({"date": (timezone.localdate() + timedelta(days=5)).isoformat()}, "date"),
        ({"status": "someday"}, "status"),
    ]:
        response = client.post(
            "/api/v1/engagement-records", {**payload, **change}, content_type="application/json"
        )
        assert response.status_code in (400, 422), change
        assert field in response.content.decode(), change


@pytest.mark.parametrize("who", ROLES)
def test_follow_up_reads_are_for_the_team(token_client, personas, hubs, follow_up, who):
    client = token_client(personas[who])
    listed = client.get("/api/v1/engagement-follow-ups", {"hub": hubs["norway"].pk})
    one = client.get(f"/api/v1/engagement-follow-ups/{follow_up.pk}")
    if who == "anonymous":
        assert listed.status_code == one.status_code == 401
    elif who in READS:
        assert listed.status_code == 200 and listed.json()["count"] == 1
        assert one.json()["overdue"] is True and one.json()["owner"] == personas["editor_no"].pk
    else:  # denied twin: another hub's coordinator learns nothing, not even that it exists
        assert listed.status_code == one.status_code == 404


@pytest.mark.parametrize("who", ROLES)
def test_follow_up_writes_are_for_editors_and_above(token_client, personas, record, who):
    client = token_client(personas[who])
    due = (record.date + timedelta(days=10)).isoformat()
    response = client.post(
        f"/api/v1/engagement-records/{record.pk}/follow-ups",
        {"title": "Call the ministry", "due_date": due},
        content_type="application/json",
    )
    expected = 401 if who == "anonymous" else 201 if who in WRITES else 403 if who in READS else 404
    assert response.status_code == expected
    assert FollowUp.objects.filter(title="Call the ministry").exists() is (expected == 201)


def test_follow_up_patch_delete_and_rules(token_client, personas, record, follow_up):
    client = token_client(personas["coord_no"])
    url = f"/api/v1/engagement-follow-ups/{follow_up.pk}"
    done = client.patch(url, {"status": "done"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["done_at"] is not None
    early = client.patch(
        url,
        {"due_date": (record.date - timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert early.status_code == 400 and early.json()["errors"][0]["field"] == "due_date"
    stranger = client.patch(
        url, {"owner": personas["coord_pt"].pk}, content_type="application/json"
    )
    assert stranger.status_code == 400 and stranger.json()["errors"][0]["field"] == "owner"
    denied = token_client(personas["coord_pt"]).delete(url)
    assert denied.status_code == 404
    assert client.delete(url).status_code == 204 and not FollowUp.objects.exists()


def test_coverage_is_public_and_counts_only(token_client, hubs, record, follow_up, personas):
    for who in ("anonymous", "coord_pt", "coord_no"):
        response = token_client(personas[who]).get(
            "/api/v1/engagement-coverage", {"hub": hubs["norway"].pk}
        )
        assert response.status_code == 200
        body = response.json()
        text = response.content.decode()
        assert body["records"] == 1 and body["sector_totals"]["civil_society"] == 2
        assert "Send the report" not in text and "editor-no" not in text
    network = token_client(None).get("/api/v1/engagement-coverage").json()
    assert network["hub"] is None and network["regions"] is None and network["records"] == 1
    bad = token_client(None).get("/api/v1/engagement-coverage", {"start": "2025-99-01"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "start"
    assert token_client(None).get("/api/v1/engagement-coverage", {"hub": 999999}).status_code == 404


def test_suggestions_name_their_rule_and_hide_follow_ups_from_the_public(
    token_client, hubs, record, personas
):
    for i in range(3):
        services.save_follow_up(
            actor=None,
            record=record,
            title=f"Late {i}",
            due_date=timezone.localdate() - timedelta(days=1),
        )
    url = f"/api/v1/engagement-coverage/{hubs['norway'].pk}/suggestions"
    public = token_client(None).get(url).json()
    assert public["items"] and all(s["rule"] and s["description"] for s in public["items"])
    assert "overdue_follow_ups" not in {s["rule"] for s in public["items"]}
    twin = token_client(personas["coord_pt"]).get(url).json()
    assert "overdue_follow_ups" not in {s["rule"] for s in twin["items"]}
    team = token_client(personas["member_no"]).get(url).json()
    assert "overdue_follow_ups" in {s["rule"] for s in team["items"]}


def test_without_a_hub_the_list_is_the_callers_own_actions(token_client, personas, follow_up):
    owner = follow_up.owner
    mine = token_client(owner).get("/api/v1/engagement-follow-ups").json()
    assert [item["id"] for item in mine["items"]] == [follow_up.pk]
    others = [p for p in personas.values() if getattr(p, "pk", None) and p != owner]
    theirs = token_client(others[0]).get("/api/v1/engagement-follow-ups").json()
    assert follow_up.pk not in [item["id"] for item in theirs["items"]]
