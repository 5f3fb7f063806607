"""Roadmap progress, the data checks, the next step and the stage change a roadmap offers, recorded
through the lifecycle service with the steps' evidence."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from echos.core.exceptions import RuleViolation
from echos.core.models import ActionLog, Country
from echos.exchange import roadmap
from echos.hubs.models import StageChange


@pytest.fixture
def pt_roadmap(hubs):
    return roadmap.create_roadmap(actor=None, country=Country.objects.get(pk="PT"))


def _done(r, *codes, on=None):
    for code in codes:
        step = r.steps.get(code=code)
        roadmap.update_step(
            actor=None,
            step=step,
            status="done",
            completed_on=on or date(2025, 3, 1),
            evidence=f"Evidence of {code}",
        )


def test_new_roadmap_has_every_step_in_lifecycle_order(pt_roadmap):
    codes = list(pt_roadmap.steps.values_list("code", flat=True))
    assert codes == [s.code for s in roadmap.STEPS]
    p = roadmap.progress(pt_roadmap)
    assert (p.done, p.total, p.percent) == (0, 8, 0)
    assert p.next_step.code == "inception_dialogue"


def test_progress_and_next_step_follow_done_steps(pt_roadmap):
    _done(pt_roadmap, "inception_dialogue", "founding_members")
    p = roadmap.progress(pt_roadmap)
    assert (p.done, p.percent) == (2, 25)
    assert p.next_step.code == "terms_of_reference"


def test_founding_members_check_counts_member_organisations_per_group(hubs, pt_roadmap):
    check = roadmap.progress(pt_roadmap).checks["founding_members"]
    # Portugal's hub has AICIB (research) only.
    assert not check.met
    assert check.text.startswith("1 of 7")
    assert "Patients" in check.text or "patients" in check.text.lower()


def test_a_roadmap_is_refused_for_a_launched_hub(hubs):
    with pytest.raises(RuleViolation) as err:
        roadmap.create_roadmap(actor=None, country=Country.objects.get(pk="NO"))
    assert err.value.field == "country"


def test_no_offer_until_every_defining_step_is_done(pt_roadmap):
    _done(pt_roadmap, "founding_members", "terms_of_reference")
    assert roadmap.stage_offer(pt_roadmap) is None  # the dialogue comes first


def test_offer_names_the_furthest_stage_with_evidence(hubs, pt_roadmap):
    _done(pt_roadmap, "inception_dialogue", on=date(2024, 7, 1))
    offer = roadmap.stage_offer(pt_roadmap)
    assert offer.stage == "inception_dialogue"
    _done(
        pt_roadmap,
        "founding_members",
        "terms_of_reference",
        "coordination_group",
        "first_meeting",
        on=date(2025, 2, 1),
    )
    offer = roadmap.stage_offer(pt_roadmap)
    assert offer.stage == "establishment"
    assert offer.date == date(2025, 2, 1)
    assert "Evidence of terms_of_reference" in offer.evidence
    assert offer.hub == hubs["portugal"]


def test_recording_the_offer_goes_through_the_lifecycle_service(hubs, pt_roadmap, monkeypatch):
    from echos.hubs import services as hub_services

    calls = []
    real = hub_services.record_stage_change

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(hub_services, "record_stage_change", spy)
    _done(pt_roadmap, "inception_dialogue", on=date(2024, 7, 1))
    change = roadmap.record_offered_stage(actor=None, roadmap=pt_roadmap)
    assert len(calls) == 1 and calls[0]["stage"] == "inception_dialogue"
    assert isinstance(change, StageChange)
    hubs["portugal"].refresh_from_db()
    assert hubs["portugal"].stage == "inception_dialogue"
    assert "Evidence of inception_dialogue" in change.evidence
    assert ActionLog.objects.filter(action="hubs.hub.stage_changed").exists()
    assert ActionLog.objects.filter(action="exchange.roadmap.stage_recorded").exists()
    # Nothing more to offer until the next stage's steps are done.
    assert roadmap.stage_offer(pt_roadmap) is None


def test_stage_guards_still_apply_through_the_lifecycle(hubs, pt_roadmap, monkeypatch):
    from echos.hubs.services import stages

    monkeypatch.setattr(stages, "stage_guards", lambda: [lambda hub, stage, day: ["no mandate"]])
    _done(pt_roadmap, "inception_dialogue")
    with pytest.raises(RuleViolation) as err:
        roadmap.record_offered_stage(actor=None, roadmap=pt_roadmap)
    assert "no mandate" in err.value.message
    assert (
        not StageChange.objects.filter(hub=hubs["portugal"]).exclude(stage="no_structure").exists()
    )


def test_step_dated_in_the_future_is_refused(pt_roadmap):
    step = pt_roadmap.steps.get(code="mandate")
    with pytest.raises(RuleViolation) as err:
        roadmap.update_step(
            actor=None,
            step=step,
            status="done",
            completed_on=timezone.localdate() + timedelta(days=3),
        )
    assert err.value.field == "completed_on"
    step.refresh_from_db()
    assert step.status == "todo"


def test_bad_link_names_the_field(pt_roadmap):
    with pytest.raises(RuleViolation) as err:
        roadmap.update_step(actor=None, step=pt_roadmap.steps.first(), link="javascript:alert(1)")
    assert err.value.field == "link"


def test_overdue_step(pt_roadmap):
    step = pt_roadmap.steps.get(code="mandate")
    roadmap.update_step(actor=None, step=step, due=timezone.localdate() - timedelta(days=1))
    step.refresh_from_db()
    assert step.is_overdue
