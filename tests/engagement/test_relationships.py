"""Relationships between organisations: rules, who may change them, and the organisation page."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog
from echos.engagement import relationships
from echos.engagement.models import Relationship
from echos.hubs import services

pytestmark = pytest.mark.django_db


def tie(hubs, actor=None, source="occ", target="ncs", hub="norway", **extra):
    data = {"kind": "partners_with"}
    data.update(extra)
    return relationships.add_relationship(
        actor=actor, hub=hubs[hub], source=hubs[source], target=hubs[target], **data
    )


def test_a_relationship_is_recorded_and_audited(hubs, personas):
    rel = tie(
        hubs, actor=personas["editor_no"], since=date(2024, 1, 1), source_note="Annual report 2024"
    )
    assert str(rel) == "Oslo Cancer Cluster partners with Norwegian Cancer Society"
    assert rel.created_by == personas["editor_no"]
    assert ActionLog.objects.filter(action="engagement.relationship.added").exists()


def test_an_organisation_cannot_be_related_to_itself(hubs):
    with pytest.raises(RuleViolation) as exc:
        tie(hubs, target="occ")
    assert exc.value.field == "target"
    assert not Relationship.objects.exists()


def test_until_before_since_is_refused(hubs):
    with pytest.raises(RuleViolation) as exc:
        tie(hubs, since=date(2025, 1, 1), until=date(2024, 1, 1))
    assert exc.value.field == "until"


def test_an_unknown_kind_is_refused(hubs):
    with pytest.raises(RuleViolation) as exc:
        tie(hubs, kind="loves")
    assert exc.value.field == "kind"


def test_duplicates_for_overlapping_periods_are_refused(hubs):
    tie(hubs, since=date(2020, 1, 1), until=date(2022, 12, 31))
    with pytest.raises(Conflict):
        tie(hubs)  # open period overlaps
    with pytest.raises(Conflict):
        tie(hubs, hub="portugal", since=date(2022, 6, 1))
    tie(hubs, since=date(2023, 1, 1))  # after the first ended: a new period
    tie(hubs, kind="funds")  # another kind
    tie(hubs, source="ncs", target="occ")  # the other direction
    assert Relationship.objects.count() == 4


def test_who_may_record_and_change(hubs, personas):
    for user in ("member_no", "coord_pt"):
        with pytest.raises(PermissionDenied):
            tie(hubs, actor=personas[user])
    rel = tie(hubs, actor=personas["coord_no"])
    with pytest.raises(PermissionDenied):
        relationships.update_relationship(
            actor=personas["coord_pt"], relationship=rel, kind="funds"
        )
    relationships.update_relationship(actor=personas["editor_no"], relationship=rel, kind="funds")
    rel.refresh_from_db()
    assert rel.kind == "funds"
    with pytest.raises(PermissionDenied):
        relationships.delete_relationship(actor=personas["member_no"], relationship=rel)
    relationships.delete_relationship(actor=personas["network"], relationship=rel)
    assert not Relationship.objects.exists()


def test_a_refused_update_leaves_the_relationship(hubs):
    rel = tie(hubs, since=date(2024, 1, 1))
    with pytest.raises(RuleViolation):
        relationships.update_relationship(actor=None, relationship=rel, until=date(2023, 1, 1))
    rel.refresh_from_db()
    assert rel.until is None


def test_shown_on_both_organisations_pages_to_everyone(hubs, login):
    tie(hubs, source_note="Annual report 2024")
    for org in ("occ", "ncs"):
        body = login(None).get(hubs[org].get_absolute_url()).content.decode()
        assert 'id="organisation-relationships"' in body
        assert "partners with" in body and "Annual report 2024" in body
    assert (
        'id="organisation-relationships"'
        not in login(None).get(hubs["aicib"].get_absolute_url()).content.decode()
    )


def test_edit_links_only_for_the_recording_hubs_team(hubs, personas, login):
    rel = tie(hubs)
    edit = f"/engagement/relationships/{rel.pk}/edit/"
    assert edit in login(personas["editor_no"]).get(hubs["occ"].get_absolute_url()).content.decode()
    assert (
        edit not in login(personas["coord_pt"]).get(hubs["occ"].get_absolute_url()).content.decode()
    )
    assert login(personas["coord_pt"]).get(edit).status_code == 403
    assert (
        login(personas["member_no"]).post(f"/engagement/relationships/{rel.pk}/delete/").status_code
        == 403
    )


def test_record_through_the_page(hubs, personas, login):
    client = login(personas["coord_no"])
    url = f"/engagement/organisations/{hubs['occ'].pk}/relationships/new/"
    assert "AICIB" in client.get(url, {"q": "aicib"}).content.decode()
    refused = client.post(
        url, {"hub": hubs["norway"].pk, "kind": "funds", "target": hubs["occ"].pk}
    )
    assert refused.status_code == 422
    assert "cannot be related to itself" in refused.content.decode()
    made = client.post(
        url,
        {
            "hub": hubs["norway"].pk,
            "kind": "funds",
            "target": hubs["aicib"].pk,
            "since": "2024-02-01",
        },
    )
    assert made.status_code == 302
    assert Relationship.objects.get().target == hubs["aicib"]
    # a hub the user does not edit is not a choice
    other = client.post(
        url, {"hub": hubs["portugal"].pk, "kind": "hosts", "target": hubs["ncs"].pk}
    )
    assert other.status_code == 422
    assert login(personas["member_no"]).get(url).status_code == 403


def test_edit_page(hubs, personas, login):
    rel = tie(hubs)
    client = login(personas["editor_no"])
    response = client.post(
        f"/engagement/relationships/{rel.pk}/edit/",
        {
            "kind": "represents",
            "target": hubs["ncs"].pk,
            "since": "2024-01-01",
            "until": "2023-01-01",
        },
    )
    assert response.status_code == 422
    response = client.post(
        f"/engagement/relationships/{rel.pk}/edit/",
        {"kind": "represents", "target": hubs["ncs"].pk, "since": "2024-01-01"},
    )
    assert response.status_code == 302
    rel.refresh_from_db()
    assert (rel.kind, rel.hub) == ("represents", hubs["norway"])


@pytest.mark.parametrize("persona", ["anonymous", "coord_no"])
def test_organisation_page_query_count_does_not_grow_with_relationships(
    hubs, personas, login, persona
):
    client = login(personas[persona])
    url = hubs["occ"].get_absolute_url()

    def grow(n, start):
        for i in range(start, start + n):
            other = services.create_organisation(
                actor=None,
                name=f"Partner {i}",
                country=hubs["norway"].country,
                stakeholder_group=hubs["occ"].stakeholder_group,
            )
            for hub, kind in (("norway", "funds"), ("bergen", "hosts")):
                relationships.add_relationship(
                    actor=None, hub=hubs[hub], source=hubs["occ"], target=other, kind=kind
                )

    grow(2, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(10, 2)
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).content.decode()
    assert body.count("Partner ") >= 24
    assert len(large) == len(small)
