"""Network coordinators revert audited changes to hubs, memberships, organisations and assessments."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog
from echos.core.revert import revert
from echos.hubs import services
from echos.hubs.models import Membership

pytestmark = pytest.mark.django_db


def last(action: str) -> ActionLog:
    return ActionLog.objects.filter(action=action).order_by("-id").first()


def test_hub_profile_change_is_reverted(hubs, personas):
    norway = hubs["norway"]
    services.update_hub(
        actor=personas["coord_no"],
        hub=norway,
        mission="Changed mission",
        website="https://x.example",
    )
    revert(actor=personas["network"], entry=last("hubs.hub.updated"))
    norway.refresh_from_db()
    assert norway.mission == "" and norway.website == ""
    assert last("core.change.reverted").data["action"] == "hubs.hub.updated"


def test_revert_moves_a_hub_back_under_its_old_parent(hubs, personas):
    from echos.core.models import Country

    other = services.create_hub(
        actor=None,
        country=Country.objects.get(pk="NO"),
        level="regional",
        parent=hubs["norway"],
        name="Nordland",
    )
    services.update_hub(actor=personas["network"], hub=hubs["bergen"], parent=other)
    revert(actor=personas["network"], entry=last("hubs.hub.updated"))
    hubs["bergen"].refresh_from_db()
    assert hubs["bergen"].parent == hubs["vestland"]


def test_stage_change_is_reverted(hubs, personas):
    services.record_stage_change(
        actor=personas["coord_no"], hub=hubs["norway"], stage="operational", date=date(2025, 5, 1)
    )
    revert(actor=personas["network"], entry=last("hubs.hub.stage_changed"))
    hubs["norway"].refresh_from_db()
    assert hubs["norway"].stage == "launched"


def test_memberships_created_updated_and_deleted_are_reverted(hubs, personas):
    m = services.add_membership(
        actor=personas["coord_no"], hub=hubs["vestland"], organisation=hubs["occ"]
    )
    revert(actor=personas["network"], entry=last("hubs.membership.created"))
    assert not Membership.objects.filter(pk=m.pk).exists()

    ncs = Membership.objects.get(hub=hubs["norway"], organisation=hubs["ncs"])
    services.update_membership(
        actor=personas["coord_no"], membership=ncs, role="observer", until=date(2025, 1, 1)
    )
    revert(actor=personas["network"], entry=last("hubs.membership.updated"))
    ncs.refresh_from_db()
    assert ncs.role == "member" and ncs.until is None

    services.delete_membership(actor=personas["coord_no"], membership=ncs)
    revert(actor=personas["network"], entry=last("hubs.membership.deleted"))
    back = Membership.objects.get(hub=hubs["norway"], organisation=hubs["ncs"])
    assert back.role == "member"


def test_organisation_change_is_reverted(hubs, personas):
    services.update_organisation(
        actor=personas["coord_no"], organisation=hubs["occ"], name="OCC renamed"
    )
    revert(actor=personas["network"], entry=last("hubs.organisation.updated"))
    hubs["occ"].refresh_from_db()
    assert hubs["occ"].name == "Oslo Cancer Cluster"


def test_a_submission_is_withdrawn_and_the_previous_one_is_current_again(hubs, personas):
    from echos.assessment import scoring
    from echos.assessment import services as assessment
    from echos.assessment.models import Response

    instrument = assessment.current_instrument(assessment.MATURITY)
    answers = {q.code: 2 for q in scoring.dimension_questions(instrument.definition)}
    first = assessment.start_response(
        actor=personas["coord_no"], instrument=instrument, hub=hubs["norway"]
    )
    assessment.submit_response(actor=personas["coord_no"], response=first, answers=answers)
    second = assessment.start_response(
        actor=personas["coord_no"], instrument=instrument, hub=hubs["norway"]
    )
    assessment.submit_response(
        actor=personas["coord_no"], response=second, answers={k: 4 for k in answers}
    )
    revert(actor=personas["network"], entry=last("assessment.response.submitted"))
    assert Response.objects.get(pk=first.pk).status == "submitted"
    assert Response.objects.get(pk=second.pk).status == "superseded"


def test_refusals(hubs, personas):
    services.update_hub(actor=personas["coord_no"], hub=hubs["norway"], mission="Changed")
    entry = last("hubs.hub.updated")
    with pytest.raises(PermissionDenied):
        revert(actor=personas["coord_no"], entry=entry)
    revert(actor=personas["network"], entry=entry)
    with pytest.raises(Conflict):
        revert(actor=personas["network"], entry=entry)
    with pytest.raises(RuleViolation):
        revert(actor=personas["network"], entry=last("hubs.hub.created"))


def test_admin_action(hubs, personas, login):
    services.update_hub(
        actor=personas["coord_no"], hub=hubs["norway"], mission="Changed in the site"
    )
    entry = last("hubs.hub.updated")
    response = login(personas["network"]).post(
        "/admin/core/actionlog/",
        {"action": "revert_changes", "_selected_action": [entry.pk]},
        follow=True,
    )
    assert response.status_code == 200 and "Reverted" in response.content.decode()
    hubs["norway"].refresh_from_db()
    assert hubs["norway"].mission == ""
