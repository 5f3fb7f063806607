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
        assert hub.engagement_records.count() == demo.RECORDS_PER_HUB, hub
    assert created == EngagementRecord.objects.count()
    assert not EngagementRecord.objects.filter(hub__is_demo=False).exists()
    assert not EngagementRecord.objects.filter(is_demo=False).exists()
    assert all(r.title.endswith("(demo)") for r in EngagementRecord.objects.all())
    assert EngagementRecord.objects.values("level").distinct().count() == 5
    # Only invented organisations, and only the hub's own members.
    engaged = EngagementRecord.organisations.through.objects.select_related("organisation")
    assert engaged.exists() and all(row.organisation.is_demo for row in engaged)
    assert demo.load_demo() == {"engagement_records": 0, "engagement_follow_ups": 0}
    assert EngagementRecord.objects.count() == created


def test_the_demo_year_shows_its_gap_patterns_and_overdue_follow_ups(hubs):
    from datetime import timedelta

    from django.utils import timezone

    from echos.engagement import coverage, suggestions
    from echos.engagement.models import FollowUp, ParticipantCount

    load_hub_demo()
    demo.load_demo()
    today = timezone.localdate()
    records = EngagementRecord.objects.all()
    assert records.filter(status="planned", date__gt=today).exists()
    assert not records.filter(status="held", date__gt=today).exists()
    assert records.filter(date__lt=today - timedelta(days=300)).exists()
    assert ParticipantCount.objects.exists()
    assert FollowUp.objects.filter(status="open", due_date__lt=today, is_demo=True).exists()
    public_strong, citizens_strong = Hub.objects.filter(is_demo=True, level="national").order_by(
        "pk"
    )[:2]
    start, end = coverage.last_twelve_months(today)
    first = coverage.coverage_report(public_strong, start=start, end=end)
    second = coverage.coverage_report(citizens_strong, start=start, end=end)
    assert first.balance.share_of("public") > first.balance.share_of("citizens")
    assert second.balance.share_of("citizens") > second.balance.share_of("public")
    assert second.balance.share_of("public") == 0
    assert "citizens_inform_only" in {s.rule for s in suggestions.suggest(first)}
    assert "sector_imbalance" in {s.rule for s in suggestions.suggest(second)}


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
