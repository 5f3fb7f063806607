"""A record becomes a synergy activity without retyping; doing it again refreshes the same activity."""

from datetime import date

import pytest

from echos.core.models import ActionLog
from echos.engagement import services
from echos.synergies.models import Activity

pytestmark = pytest.mark.django_db


def codes(manager) -> list[str]:
    return sorted(t.code for t in manager.all())


def test_fields_are_carried_over_with_the_origin(make_record, personas):
    record = make_record(end_date=date(2025, 11, 14))
    activity = services.activity_from_record(actor=personas["editor_no"], record=record)
    activity.refresh_from_db()
    assert activity.hub_id == record.hub_id
    assert activity.title == record.title and activity.description == record.description
    assert activity.source_language == "nb" and activity.region_id == "NO-03"
    assert (activity.start, activity.end) == (date(2025, 11, 12), date(2025, 11, 14))
    assert codes(activity.objectives) == ["quality_of_life"]
    assert codes(activity.policy_areas) == ["health", "social_affairs"]
    assert codes(activity.target_groups) == ["civil_society", "patients"]
    assert activity.origin == Activity.Origin.ENGAGEMENT and activity.origin_id == str(record.pk)
    assert activity.created_by == personas["editor_no"]
    assert ActionLog.objects.filter(action="synergies.activity.created").exists()
    entry = ActionLog.objects.get(action="engagement.record.to_activity")
    assert entry.data == {"activity": activity.pk, "refreshed": False}


def test_a_one_day_record_gives_a_one_day_activity(make_record):
    activity = services.activity_from_record(actor=None, record=make_record())
    assert activity.start == activity.end == date(2025, 11, 12)


def test_second_time_refreshes_the_same_activity(make_record, personas):
    record = make_record()
    first = services.activity_from_record(actor=personas["coord_no"], record=record)
    record = services.save_record(
        actor=personas["coord_no"],
        record=record,
        title="Dialogue, second round",
        stakeholder_groups=["media"],
        objectives=[],
        region=None,
    )
    second = services.activity_from_record(actor=personas["coord_no"], record=record)
    assert second.pk == first.pk and Activity.objects.count() == 1
    second.refresh_from_db()
    assert second.title == "Dialogue, second round" and second.region is None
    assert codes(second.target_groups) == ["media"] and codes(second.objectives) == []
    assert ActionLog.objects.filter(action="synergies.activity.updated").count() == 1
    assert services.linked_activity(record) == second


def test_activities_of_two_records_stay_apart(make_record):
    first, second = make_record(), make_record(title="Another")
    a = services.activity_from_record(actor=None, record=first)
    b = services.activity_from_record(actor=None, record=second)
    assert a.pk != b.pk and (a.origin_id, b.origin_id) == (str(first.pk), str(second.pk))
    assert Activity.objects.filter(origin=Activity.Origin.ENGAGEMENT).count() == 2


def test_demo_records_give_demo_activities(make_record):
    activity = services.activity_from_record(actor=None, record=make_record(is_demo=True))
    assert activity.is_demo


def test_the_button_redirects_to_the_activity_and_again_to_the_same(login, personas, make_record):
    record = make_record()
    client = login(personas["editor_no"])
    first = client.post(f"/engagement/records/{record.pk}/activity/")
    activity = Activity.objects.get()
    assert first.status_code == 302 and first["Location"] == activity.get_absolute_url()
    page = client.get(record.get_absolute_url()).content.decode()
    assert activity.get_absolute_url() in page and "Refresh the synergy activity" in page
    again = client.post(f"/engagement/records/{record.pk}/activity/")
    assert again["Location"] == activity.get_absolute_url() and Activity.objects.count() == 1


def test_the_button_only_answers_post(login, personas, make_record):
    record = make_record()
    response = login(personas["editor_no"]).get(f"/engagement/records/{record.pk}/activity/")
    assert response.status_code == 405 and not Activity.objects.exists()


def test_deleting_the_record_keeps_the_activity(make_record):
    record = make_record()
    activity = services.activity_from_record(actor=None, record=record)
    services.delete_record(actor=None, record=record)
    assert Activity.objects.filter(pk=activity.pk).exists()
