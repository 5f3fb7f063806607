"""Rules of engagement records: every refusal names its field, and nothing is half-written."""

from datetime import date

import pytest

from echos.core.exceptions import RuleViolation
from echos.core.models import ActionLog
from echos.engagement import services
from echos.engagement.models import EngagementRecord

pytestmark = pytest.mark.django_db

THROUGH = [
    EngagementRecord.stakeholder_groups.through,
    EngagementRecord.organisations.through,
    EngagementRecord.objectives.through,
    EngagementRecord.policy_areas.through,
]


def stored_rows() -> tuple[int, ...]:
    return (EngagementRecord.objects.count(), *(t.objects.count() for t in THROUGH))


def test_a_record_keeps_every_field_and_is_audited(make_record, hubs, personas):
    record = services.save_record(
        actor=personas["editor_no"],
        hub=hubs["norway"],
        **{
            "title": "  Dialogue with patient organisations ",
            "description": "What the hub should do first.",
            "date": date(2025, 11, 12),
            "end_date": date(2025, 11, 13),
            "level": "collaborate",
            "stakeholder_groups": ["patients", "research", "patients"],
            "organisations": [hubs["ncs"].pk, hubs["occ"].pk],
            "participants": 0,
            "format": "workshop",
            "language": "NB",
            "region": "no-03",
            "objectives": ["quality_of_life"],
            "policy_areas": ["employment"],
            "outcomes": "A working group.",
        },
    )
    record.refresh_from_db()
    assert record.title == "Dialogue with patient organisations"
    assert record.level.code == "collaborate"
    assert sorted(t.code for t in record.stakeholder_groups.all()) == ["patients", "research"]
    assert {o.pk for o in record.organisations.all()} == {hubs["ncs"].pk, hubs["occ"].pk}
    assert record.participants == 0 and record.language == "nb" and record.region_id == "NO-03"
    assert record.created_by == personas["editor_no"]
    entry = ActionLog.objects.get(action="engagement.record.created")
    assert entry.actor == personas["editor_no"] and entry.target_id == str(record.pk)
    assert entry.data["record"]["stakeholder_groups"] == ["patients", "research"]


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 251}, "title"),
        ({"description": " "}, "description"),
        ({"date": None}, "date"),
        ({"date": "2025-11-12"}, "date"),
        ({"end_date": date(2025, 11, 1)}, "end_date"),
        ({"level": None}, "level"),
        ({"level": "manipulate"}, "level"),
        ({"stakeholder_groups": []}, "stakeholder_groups"),
        ({"stakeholder_groups": ["patients", "aliens"]}, "stakeholder_groups"),
        ({"organisations": [999_999]}, "organisations"),
        ({"organisations": ["occ"]}, "organisations"),
        ({"participants": -1}, "participants"),
        ({"participants": 10_000_001}, "participants"),
        ({"participants": 2.5}, "participants"),
        ({"format": "party"}, "format"),
        ({"language": "zz"}, "language"),
        ({"language": ""}, "language"),
        ({"region": "PT-11"}, "region"),
        ({"region": "XX-99"}, "region"),
        ({"objectives": ["world_peace"]}, "objectives"),
        ({"policy_areas": ["health", "astronomy"]}, "policy_areas"),
        ({"outcomes": "x" * 20_001}, "outcomes"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(record_fields, hubs, extra, field):
    before = stored_rows()
    with pytest.raises(RuleViolation) as exc:
        services.save_record(actor=None, hub=hubs["norway"], **record_fields(**extra))
    assert exc.value.field == field, exc.value.message
    assert stored_rows() == before
    assert not ActionLog.objects.filter(action__startswith="engagement.").exists()


def test_unknown_codes_are_listed_in_the_message(record_fields, hubs):
    with pytest.raises(RuleViolation) as exc:
        services.save_record(
            actor=None,
            hub=hubs["norway"],
            **record_fields(stakeholder_groups=["aliens", "patients", "robots"]),
        )
    assert "aliens" in exc.value.message and "robots" in exc.value.message


def test_region_of_another_country_is_refused_also_as_an_object(record_fields, hubs):
    from echos.core.models import Region

    with pytest.raises(RuleViolation) as exc:
        services.save_record(
            actor=None,
            hub=hubs["norway"],
            **record_fields(region=Region.objects.get(pk="PT-11")),
        )
    assert exc.value.field == "region"
    assert not EngagementRecord.objects.exists()


def test_a_refused_change_leaves_the_record_as_it_was(make_record):
    record = make_record()
    before = stored_rows()
    with pytest.raises(RuleViolation) as exc:
        services.save_record(
            actor=None,
            record=EngagementRecord.objects.get(pk=record.pk),
            title="A new title",
            stakeholder_groups=["citizens"],
            objectives=["understanding", "nonsense"],
        )
    assert exc.value.field == "objectives"
    stored = EngagementRecord.objects.get(pk=record.pk)
    assert stored.title == "Dialogue with patient organisations"
    assert sorted(t.code for t in stored.stakeholder_groups.all()) == ["civil_society", "patients"]
    assert stored_rows() == before


def test_a_change_leaves_links_not_given_and_logs_the_difference(make_record, hubs, personas):
    record = make_record()
    services.save_record(
        actor=personas["coord_no"], record=record, level="empower", participants=None
    )
    record.refresh_from_db()
    assert record.level.code == "empower" and record.participants is None
    assert sorted(t.code for t in record.stakeholder_groups.all()) == ["civil_society", "patients"]
    assert [o.pk for o in record.organisations.all()] == [hubs["ncs"].pk]
    entry = ActionLog.objects.get(action="engagement.record.updated")
    assert entry.data["changes"] == {"level": ["consult", "empower"], "participants": [24, None]}


def test_a_record_cannot_be_moved_to_another_hub_or_author(make_record, hubs):
    record = make_record()
    with pytest.raises(TypeError):
        services.save_record(actor=None, record=record, hub_id=hubs["portugal"].pk)
    with pytest.raises(TypeError):
        services.save_record(actor=None, record=record, created_by_id=1)


def test_delete_is_audited_on_the_hub(make_record, hubs, personas):
    record = make_record()
    services.delete_record(actor=personas["editor_no"], record=record)
    assert not EngagementRecord.objects.exists()
    entry = ActionLog.objects.get(action="engagement.record.deleted")
    assert entry.target_id == str(hubs["norway"].pk) and entry.data["title"] == record.title
