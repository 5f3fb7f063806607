"""Demo records only on demo hubs, idempotent; the only personal link (the author) is exported and erased."""

import pytest

from echos.engagement import demo, privacy
from echos.engagement.models import EngagementRecord
from echos.hubs.demo import load_demo as load_hub_demo
from echos.hubs.models import Hub

pytestmark = pytest.mark.django_db


def test_demo_records_on_every_national_demo_hub_and_never_on_real_hubs(hubs):
    load_hub_demo()
    created = demo.load_demo()["engagement_records"]
    national = Hub.objects.filter(is_demo=True, level="national")
    assert national.count() > 10
    for hub in national:
        assert 5 <= hub.engagement_records.count() <= 8, hub
    assert created == EngagementRecord.objects.count()
    assert not EngagementRecord.objects.filter(hub__is_demo=False).exists()
    assert not EngagementRecord.objects.filter(is_demo=False).exists()
    assert all(r.title.endswith("(demo)") for r in EngagementRecord.objects.all())
    assert EngagementRecord.objects.values("level").distinct().count() == 5
    # Only invented organisations, and only the hub's own members.
    engaged = EngagementRecord.organisations.through.objects.select_related("organisation")
    assert engaged.exists() and all(row.organisation.is_demo for row in engaged)
    assert demo.load_demo() == {"engagement_records": 0}
    assert EngagementRecord.objects.count() == created


def test_the_author_is_exported_and_unlinked_on_erasure(make_record, personas, hubs):
    from echos.engagement import services

    record = services.save_record(
        actor=personas["editor_no"],
        hub=hubs["norway"],
        **{
            "title": "Dialogue",
            "description": "With patient organisations.",
            "date": make_record().date,
            "level": "consult",
            "stakeholder_groups": ["patients"],
            "format": "meeting",
            "language": "nb",
        },
    )
    exported = privacy.collect(personas["editor_no"], [])
    assert [r["id"] for r in exported["engagement_records_created"]] == [record.pk]
    assert privacy.erase(personas["editor_no"], [], apply=False) == {
        "engagement_records_unlinked": 1,
        "follow_ups_unlinked": 0,
        "stakeholders_unlinked": 0,
        "relationships_unlinked": 0,
        "snapshots_unlinked": 0,
        "use_cases_unlinked": 0,
    }
    assert EngagementRecord.objects.get(pk=record.pk).created_by == personas["editor_no"]
    privacy.erase(personas["editor_no"], [], apply=True)
    assert EngagementRecord.objects.get(pk=record.pk).created_by is None
    assert privacy.collect(personas["editor_no"], [])["engagement_records_created"] == []
    nobody = privacy.collect(None, ["someone@example.invalid"])
    assert "follow_ups_owned" in nobody and all(v == [] for v in nobody.values())
