"""Business rules of the registry: lifecycle, hierarchy, duplicates, memberships."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog, Country, Region
from echos.hubs import services
from echos.hubs.models import Hub, Stage, normalise_name

pytestmark = pytest.mark.django_db


def test_normalised_names_ignore_case_accents_and_punctuation():
    assert normalise_name("  Oslo Cancer-Cluster ") == normalise_name("oslo cancer cluster")
    assert normalise_name("Forskningsrådet") == normalise_name("FORSKNINGSRADET")
    assert normalise_name("Oslo Cancer Cluster") != normalise_name("Oslo Cancer Centre")


def test_stage_change_moves_hub_forward_and_keeps_history(hubs):
    norway = hubs["norway"]
    services.record_stage_change(
        actor=None,
        hub=norway,
        stage="operational",
        date=date(2025, 3, 1),
        evidence="Coordination group meets monthly",
    )
    norway.refresh_from_db()
    assert norway.stage == Stage.OPERATIONAL
    assert norway.stage_since == date(2025, 3, 1)
    assert [c.stage for c in norway.stage_changes.all()] == ["operational", "launched"]


def test_stage_change_backwards_needs_a_reason(hubs):
    with pytest.raises(RuleViolation) as exc:
        services.record_stage_change(
            actor=None, hub=hubs["norway"], stage="exploring", date=date(2025, 1, 1)
        )
    assert exc.value.field == "reason"
    services.record_stage_change(
        actor=None,
        hub=hubs["norway"],
        stage="exploring",
        date=date(2025, 1, 1),
        reason="Host organisation withdrew",
    )
    hubs["norway"].refresh_from_db()
    assert hubs["norway"].stage == "exploring"


def test_stage_change_in_the_future_is_refused(hubs):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(RuleViolation) as exc:
        services.record_stage_change(
            actor=None, hub=hubs["norway"], stage="operational", date=tomorrow
        )
    assert exc.value.field == "date"
    assert hubs["norway"].stage_changes.count() == 1


def test_backfilled_history_does_not_change_the_current_stage(hubs):
    norway = hubs["norway"]
    services.record_stage_change(
        actor=None, hub=norway, stage="inception_dialogue", date=date(2023, 5, 1)
    )
    norway.refresh_from_db()
    assert norway.stage == "launched"
    assert norway.stage_changes.count() == 2


def test_same_stage_again_is_refused(hubs):
    with pytest.raises(RuleViolation):
        services.record_stage_change(
            actor=None, hub=hubs["norway"], stage="launched", date=date(2024, 6, 1)
        )


def test_unknown_stage_is_refused(hubs):
    with pytest.raises(RuleViolation) as exc:
        services.record_stage_change(
            actor=None, hub=hubs["norway"], stage="flourishing", date=date(2024, 6, 1)
        )
    assert exc.value.field == "stage"


def test_stage_change_is_audited(hubs):
    services.record_stage_change(
        actor=None, hub=hubs["norway"], stage="operational", date=date(2025, 3, 1)
    )
    entry = ActionLog.objects.filter(
        action="hubs.hub.stage_changed", target_id=str(hubs["norway"].pk)
    ).first()
    assert entry.data["from"] == "launched" and entry.data["to"] == "operational"


def test_regional_hub_needs_a_parent(db):
    with pytest.raises(RuleViolation) as exc:
        services.create_hub(
            actor=None, country=Country.objects.get(pk="DE"), level="regional", name="Bayern"
        )
    assert exc.value.field == "parent"


def test_local_hub_with_parent_in_another_country_is_refused(hubs):
    with pytest.raises(RuleViolation) as exc:
        services.create_hub(
            actor=None,
            country=Country.objects.get(pk="PT"),
            level="local",
            parent=hubs["vestland"],
            name="Lisboa",
        )
    assert exc.value.field == "parent"
    assert not Hub.objects.filter(name="Lisboa").exists()


def test_region_must_lie_in_the_hubs_country(hubs):
    with pytest.raises(RuleViolation) as exc:
        services.create_hub(
            actor=None,
            country=Country.objects.get(pk="NO"),
            level="regional",
            parent=hubs["norway"],
            region=Region.objects.get(pk="PT-13"),
            name="Porto in Norway",
        )
    assert exc.value.field == "region"


def test_unknown_country_and_region_codes_are_named(db):
    with pytest.raises(RuleViolation) as exc:
        services.resolve_country("ZZ")
    assert exc.value.field == "country" and "ZZ" in exc.value.message
    with pytest.raises(RuleViolation) as exc:
        services.resolve_region("NO-99", Country.objects.get(pk="NO"))
    assert exc.value.field == "region"


def test_cycle_in_hierarchy_is_refused(hubs):
    # Levels already forbid most cycles; putting Vestland under its own child is refused on `parent`.
    with pytest.raises(RuleViolation) as exc:
        services.update_hub(actor=None, hub=hubs["vestland"], parent=hubs["bergen"])
    assert exc.value.field == "parent"


def test_hub_cannot_be_its_own_ancestor_even_at_valid_levels(hubs):
    norway_local = services.create_hub(
        actor=None,
        country=hubs["norway"].country,
        level="regional",
        parent=hubs["norway"],
        name="Another region",
    )
    with pytest.raises(RuleViolation):
        services.update_hub(actor=None, hub=hubs["vestland"], parent=hubs["vestland"])
    assert norway_local.parent == hubs["norway"]


def test_second_national_hub_in_a_country_conflicts(hubs):
    with pytest.raises(Conflict):
        services.create_hub(
            actor=None, country=Country.objects.get(pk="NO"), level="national", name="Second"
        )


def test_hub_with_subhubs_cannot_be_deleted(hubs):
    with pytest.raises(Conflict):
        services.delete_hub(actor=None, hub=hubs["vestland"])
    bergen_pk = hubs["bergen"].pk
    services.delete_hub(actor=None, hub=hubs["bergen"])
    assert not Hub.objects.filter(pk=bergen_pk).exists()
    assert ActionLog.objects.filter(action="hubs.hub.deleted", target_id=str(bergen_pk)).exists()


def test_duplicate_organisation_same_normalised_name_and_country(hubs, terms):
    with pytest.raises(Conflict) as exc:
        services.create_organisation(
            actor=None,
            name="OSLO cancer-cluster",
            country=Country.objects.get(pk="NO"),
            stakeholder_group=terms["research"],
        )
    assert exc.value.field == "name"
    # The same name in another country is a different organisation.
    services.create_organisation(
        actor=None,
        name="Oslo Cancer Cluster",
        country=Country.objects.get(pk="SE"),
        stakeholder_group=terms["research"],
    )


def test_membership_ending_before_it_starts_is_refused(hubs):
    with pytest.raises(RuleViolation) as exc:
        services.add_membership(
            actor=None,
            hub=hubs["portugal"],
            organisation=hubs["occ"],
            since=date(2025, 5, 1),
            until=date(2025, 4, 1),
        )
    assert exc.value.field == "until"


def test_overlapping_membership_conflicts_but_a_later_one_is_allowed(hubs):
    with pytest.raises(Conflict):
        services.add_membership(actor=None, hub=hubs["norway"], organisation=hubs["occ"])
    services.update_membership(
        actor=None,
        membership=hubs["norway"].memberships.get(organisation=hubs["ncs"]),
        since=date(2022, 1, 1),
        until=date(2023, 12, 31),
    )
    services.add_membership(
        actor=None, hub=hubs["norway"], organisation=hubs["ncs"], since=date(2024, 1, 1)
    )
    assert hubs["norway"].memberships.filter(organisation=hubs["ncs"]).count() == 2
    assert hubs["norway"].memberships.current().filter(organisation=hubs["ncs"]).count() == 1
