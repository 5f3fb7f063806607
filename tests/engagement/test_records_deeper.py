"""Records, deeper: wider formats, status, participants per stakeholder group (issue #14 item 3)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from echos.core.exceptions import RuleViolation
from echos.engagement import services
from echos.engagement.models import EngagementRecord, Format, ParticipantCount

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fmt", ["penta_helix_workshop", "policy_dialogue", "citizen_dialogue", "media", "meeting"]
)
def test_the_wider_formats_are_accepted(make_record, fmt):
    assert make_record(format=fmt).format == fmt
    assert fmt in Format.values


def test_counts_per_group_make_the_total(make_record):
    record = make_record(participants=None, participant_counts={"patients": 12, "civil_society": 5})
    assert record.participants == 17
    assert dict(record.participant_counts.values_list("group__code", "count")) == {
        "patients": 12,
        "civil_society": 5,
    }
    # The list form of the API works too, and replaces the counts.
    services.save_record(
        actor=None, record=record, participant_counts=[{"group": "patients", "count": 3}]
    )
    record.refresh_from_db()
    assert record.participants == 3 and ParticipantCount.objects.count() == 1


def test_an_explicit_total_must_match_the_counts(make_record):
    with pytest.raises(RuleViolation) as err:
        make_record(participants=30, participant_counts={"patients": 12})
    assert err.value.field == "participants" and "12" in err.value.message
    assert not EngagementRecord.objects.exists()


def test_negative_counts_are_refused_naming_the_group(make_record):
    with pytest.raises(RuleViolation) as err:
        make_record(participants=None, participant_counts={"patients": -1})
    assert err.value.field == "participant_counts" and "patients" in err.value.message
    assert not EngagementRecord.objects.exists()


def test_a_group_outside_the_records_groups_is_refused(make_record):
    with pytest.raises(RuleViolation) as err:
        make_record(participants=None, participant_counts={"media": 4})
    assert err.value.field == "participant_counts" and "media" in err.value.message
    assert not EngagementRecord.objects.exists()


def test_dropping_a_counted_group_is_refused(make_record):
    record = make_record(participants=None, participant_counts={"civil_society": 4})
    with pytest.raises(RuleViolation) as err:
        services.save_record(actor=None, record=record, stakeholder_groups=["patients"])
    assert err.value.field == "stakeholder_groups"


def test_a_held_engagement_cannot_lie_in_the_future(make_record):
    future = timezone.localdate() + timedelta(days=3)
    with pytest.raises(RuleViolation) as err:
        make_record(date=future, status="held")
    assert err.value.field == "date"
    planned = make_record(date=future, status="planned")
    assert planned.status == "planned"


def test_an_unknown_status_names_the_field(make_record):
    with pytest.raises(RuleViolation) as err:
        make_record(status="postponed")
    assert err.value.field == "status"


def test_the_form_takes_counts_per_group_and_names_the_field(login, personas, hubs):
    client = login(personas["editor_no"])
    data = {
        "title": "Penta Helix workshop",
        "description": "Five sectors around one table.",
        "date": "2025-10-02",
        "level": "involve",
        "status": "held",
        "stakeholder_groups": ["patients", "research"],
        "participants_patients": "7",
        "participants_research": "4",
        "format": "penta_helix_workshop",
        "language": "nb",
    }
    response = client.post(f"/engagement/hubs/{hubs['norway'].pk}/new/", data)
    assert response.status_code == 302
    record = EngagementRecord.objects.get()
    assert record.participants == 11 and record.format == "penta_helix_workshop"
    page = client.get(record.get_absolute_url()).content.decode()
    assert 'id="participant-counts"' in page

    bad = client.post(
        f"/engagement/hubs/{hubs['norway'].pk}/new/",
        {**data, "participants_media": "3", "participants_patients": "-2"},
    )
    html = bad.content.decode()
    assert bad.status_code == 422
    assert 'id="id_participants_media_error"' in html
    assert 'id="id_participants_patients_error"' in html
    assert EngagementRecord.objects.count() == 1

    future = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(f"/engagement/hubs/{hubs['norway'].pk}/new/", {**data, "date": future})
    assert response.status_code == 422 and 'id="id_date_error"' in response.content.decode()


def test_planned_and_cancelled_records_do_not_count_in_the_coverage(make_record, hubs):
    from echos.engagement import coverage

    make_record(status="cancelled")
    make_record(status="planned")
    day = make_record().date
    table = coverage.hub_coverage(hubs["norway"], start=day, end=day)
    assert table.records == 1
