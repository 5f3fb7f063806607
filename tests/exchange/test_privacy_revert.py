"""Named owners and authors are found, exported and erased through the privacy section; audited
changes are reverted by the network through the services."""

from datetime import date

from echos.core.models import ActionLog, Country
from echos.core.revert import revert
from echos.exchange import privacy, roadmap, sessions, support
from tests.exchange.helpers import make_session


def test_named_owner_is_found_exported_and_erased(hubs, personas):
    user = personas["coord_pt"]
    user.first_name, user.last_name = "Ana", "Silva"
    user.save()
    s = make_session(hubs["norway"])
    sessions.add_commitment(
        actor=None,
        session=s,
        hub=hubs["portugal"],
        owner="Ana Silva",
        what="Share",
        due=date(2026, 1, 1),
    )
    r = support.create_request(actor=user, hub=hubs["portugal"], title="Help", text="Please")
    support.answer(actor=user, request=r, text="More detail")
    assert ("commitments_owned", "", "Ana Silva", None) in privacy.find_people("Silva")
    exported = privacy.collect(user, [])
    assert exported["commitments_owned"][0]["owner"] == "Ana Silva"
    assert exported["support_requests"][0]["title"] == "Help"
    assert len(exported["answers"]) == 1
    counts = privacy.erase(user, [], apply=False)
    assert counts["commitment_owners_erased"] == 1 and counts["requests_unlinked"] == 1
    privacy.erase(user, [])
    c = s.commitments.get()
    assert c.owner == privacy.ERASED
    r.refresh_from_db()
    assert r.created_by is None and r.answers.get().author_name == privacy.ERASED
    assert privacy.collect(user, [])["commitments_owned"] == []


def test_step_change_is_reverted(hubs, personas):
    r = roadmap.create_roadmap(actor=None, country=Country.objects.get(pk="PT"))
    step = r.steps.get(code="mandate")
    roadmap.update_step(
        actor=personas["coord_pt"], step=step, owner="Demo owner", due=date(2026, 5, 1)
    )
    entry = ActionLog.objects.get(action="exchange.roadmap_step.updated")
    revert(actor=personas["network"], entry=entry)
    step.refresh_from_db()
    assert step.owner == "" and step.due is None


def test_commitment_is_reverted(hubs, personas):
    s = make_session(hubs["norway"])
    c = sessions.add_commitment(
        actor=personas["coord_no"],
        session=s,
        hub=hubs["portugal"],
        owner="Demo",
        what="x",
        due=date(2026, 1, 1),
    )
    sessions.update_commitment(
        actor=personas["coord_no"], commitment=c, status="done", done_on=date(2025, 1, 1)
    )
    revert(
        actor=personas["network"], entry=ActionLog.objects.get(action="exchange.commitment.updated")
    )
    c.refresh_from_db()
    assert c.status == "open" and c.done_on is None
    revert(
        actor=personas["network"], entry=ActionLog.objects.get(action="exchange.commitment.created")
    )
    assert not s.commitments.exists()


def test_twinning_session_invitation_and_request_status_are_reverted(hubs, personas):
    from echos.exchange import twinning

    network = personas["network"]
    t = twinning.create_twinning(
        actor=None,
        title="T",
        hubs=[hubs["norway"], hubs["portugal"]],
        dimensions=["funding"],
        goals="Goals",
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )
    twinning.update_twinning(
        actor=personas["coord_no"], twinning=t, outcome="Done", status="completed"
    )
    revert(actor=network, entry=ActionLog.objects.get(action="exchange.twinning.updated"))
    t.refresh_from_db()
    assert t.outcome == "" and t.status == "active"

    s = make_session(hubs["norway"], kind="inception_dialogue")
    sessions.update_session(actor=personas["coord_no"], session=s, conclusions="Changed")
    revert(actor=network, entry=ActionLog.objects.get(action="exchange.session.updated"))
    s.refresh_from_db()
    assert s.conclusions == ""
    sessions.invite(actor=personas["coord_no"], session=s, group="citizens", name="Panel")
    revert(actor=network, entry=ActionLog.objects.get(action="exchange.invitation.created"))
    assert not s.invitations.exists()

    r = support.create_request(actor=None, hub=hubs["portugal"], title="Q", text="Help")
    support.set_request_status(actor=personas["coord_pt"], request=r, status="closed")
    revert(actor=network, entry=ActionLog.objects.get(action="exchange.request.status_changed"))
    r.refresh_from_db()
    assert r.status == "open"
