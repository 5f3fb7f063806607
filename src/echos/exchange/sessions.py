"""Exchange sessions (calendar events with exchange fields), inception dialogues and commitments.

Creating a session creates its event through ``events.services.create_event`` and the extension
in the same transaction: a refused event leaves no half-made session and the reverse. The events
app's models are not changed.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.core.models import Country, Term
from echos.events import services as event_services
from echos.events.models import EventType
from echos.exchange import permissions as perms
from echos.exchange.levels import dimension_titles
from echos.exchange.models import (
    KEY_GROUPS,
    Challenge,
    Commitment,
    ExchangeSession,
    Invitation,
    Roadmap,
    SessionKind,
    StepStatus,
)
from echos.exchange.resources import attachable
from echos.hubs import services as hub_services
from echos.hubs.models import Hub, Organisation, Stage, StageChange

MAX_TEXT = 10000
MAX_ITEMS = 60

EVENT_TYPE = {
    SessionKind.KNOWLEDGE_EXCHANGE: EventType.KNOWLEDGE_EXCHANGE,
    SessionKind.INCEPTION_DIALOGUE: EventType.INCEPTION_DIALOGUE,
    SessionKind.STUDY_VISIT: EventType.KNOWLEDGE_EXCHANGE,
    SessionKind.TWINNING_MEETING: EventType.KNOWLEDGE_EXCHANGE,
}
EXCHANGE_FIELDS = (
    "participating_hubs",
    "countries",
    "objectives",
    "dimensions",
    "goals",
    "materials",
    "conclusions",
    "next_steps",
    "challenges",
    "source",
    "resources",
)


def _text(value, field: str, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise RuleViolation(_("The text is longer than %(n)d characters.") % {"n": limit}, field)
    return text


def _list(values, field: str) -> list:
    values = list(values or [])
    if len(values) > MAX_ITEMS:
        raise RuleViolation(_("At most %(n)d items.") % {"n": MAX_ITEMS}, field)
    return values


def clean_dimensions(values, field: str = "dimensions") -> list[str]:
    """Maturity dimension codes, each known to the current model."""
    values = [str(v).strip() for v in _list(values, field) if str(v).strip()]
    unknown = sorted(set(values) - set(dimension_titles()))
    if unknown:
        raise RuleViolation(
            _("Unknown maturity dimension: %(codes)s.") % {"codes": ", ".join(unknown)}, field
        )
    return sorted(set(values), key=values.index)


def clean_challenges(values) -> list[str]:
    values = [str(v).strip() for v in _list(values, "challenges") if str(v).strip()]
    unknown = sorted(set(values) - set(Challenge.values))
    if unknown:
        raise RuleViolation(
            _("Unknown challenge: %(codes)s.") % {"codes": ", ".join(unknown)}, "challenges"
        )
    return [c for c in Challenge.values if c in values]


def _hubs(ids, field: str) -> list[Hub]:
    ids = [int(i) if not isinstance(i, Hub) else i.pk for i in _list(ids, field)]
    found = list(Hub.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise RuleViolation(_("Unknown hub."), field)
    return found


def _countries(codes) -> list[Country]:
    codes = [str(c.pk if isinstance(c, Country) else c).upper() for c in _list(codes, "countries")]
    found = list(Country.objects.filter(pk__in=codes))
    if len(found) != len(set(codes)):
        raise RuleViolation(_("Unknown country."), "countries")
    return found


def _objectives(codes) -> list[Term]:
    codes = [str(c.code if isinstance(c, Term) else c) for c in _list(codes, "objectives")]
    found = list(Term.objects.of(Term.Vocabulary.OBJECTIVES).filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise RuleViolation(_("Unknown Mission objective."), "objectives")
    return found


def _apply(session: ExchangeSession, fields: dict, actor=None) -> dict:
    """Check and set the exchange fields; returns what changed, for the audit log."""
    changed: dict = {}
    for name in ("goals", "materials", "conclusions", "next_steps"):
        if name in fields:
            setattr(session, name, _text(fields[name], name))
            changed[name] = getattr(session, name)
    if "source" in fields:
        session.source = _text(fields["source"], "source", 300)
        changed["source"] = session.source
    if "dimensions" in fields:
        session.dimensions = clean_dimensions(fields["dimensions"])
        changed["dimensions"] = session.dimensions
    if "challenges" in fields:
        session.challenges = clean_challenges(fields["challenges"])
        changed["challenges"] = session.challenges
    m2m: dict[str, list] = {}
    if "participating_hubs" in fields:
        m2m["participating_hubs"] = _hubs(fields["participating_hubs"], "participating_hubs")
    if "countries" in fields:
        m2m["countries"] = _countries(fields["countries"])
    if "objectives" in fields:
        m2m["objectives"] = _objectives(fields["objectives"])
    if "resources" in fields:
        m2m["resources"] = attachable(actor, list(fields["resources"] or []), "resources")
    session.save()
    for name, objs in m2m.items():
        getattr(session, name).set(objs)
        changed[name] = [o.pk for o in objs]
    return changed


@transaction.atomic
def create_session(
    *, actor, hub: Hub, kind: str, event: dict, co_hosts=(), is_demo: bool = False, **fields
) -> ExchangeSession:
    """Create the calendar event (hosted by ``hub`` with ``co_hosts``) and its exchange fields."""
    guard(perms.can_create_session(actor, hub), actor)
    if kind not in SessionKind.values:
        raise RuleViolation(_("Unknown kind of session."), "kind")
    unknown = set(fields) - set(EXCHANGE_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    hosts = _hubs(co_hosts, "co_hosts")
    created = event_services.create_event(
        actor=actor,
        hub=hub,
        co_organisers=hosts,
        type=EVENT_TYPE[SessionKind(kind)],
        is_demo=is_demo,
        **event,
    )
    session = ExchangeSession(event=created, kind=kind, is_demo=is_demo)
    changed = _apply(session, fields, actor)
    log_action(
        actor=actor,
        action="exchange.session.created",
        target=session,
        data={"event": created.pk, "kind": kind, **changed},
    )
    return session


@transaction.atomic
def update_session(*, actor, session: ExchangeSession, **fields) -> ExchangeSession:
    """Change the exchange fields of a session (its event is edited on the events pages)."""
    session = ExchangeSession.objects.select_for_update().select_related("event").get(pk=session.pk)
    guard(perms.can_manage_session(actor, session), actor)
    unknown = set(fields) - set(EXCHANGE_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    before = {
        "conclusions": session.conclusions,
        "next_steps": session.next_steps,
        "challenges": session.challenges,
    }
    changed = _apply(session, fields, actor)
    if changed:
        log_action(
            actor=actor,
            action="exchange.session.updated",
            target=session,
            data={"changed": changed, "before": before},
        )
    return session


# --- inception dialogues ----------------------------------------------------------------------


def missing_groups(session: ExchangeSession) -> list[Term]:
    """The key stakeholder groups with nobody invited to the dialogue."""
    invited = set(session.invitations.values_list("stakeholder_group__code", flat=True))
    terms = Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS).filter(code__in=KEY_GROUPS)
    return [t for t in terms if t.code not in invited]


def _dialogue(session: ExchangeSession) -> None:
    if session.kind != SessionKind.INCEPTION_DIALOGUE:
        raise RuleViolation(_("This session is not an inception dialogue."), "kind")


@transaction.atomic
def invite(
    *, actor, session: ExchangeSession, group: str, name: str = "", organisation: int | None = None
) -> Invitation:
    """Invite a stakeholder (an organisation, or a named invitee) of a group to a dialogue."""
    guard(perms.can_manage_session(actor, session), actor)
    _dialogue(session)
    term = Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS).filter(code=group).first()
    if term is None:
        raise RuleViolation(_("Unknown stakeholder group."), "group")
    org = None
    if organisation is not None:
        org = Organisation.objects.filter(pk=organisation).first()
        if org is None:
            raise RuleViolation(_("Unknown organisation."), "organisation")
    name = _text(name, "name", 250) or (org.name if org else "")
    if not name:
        raise RuleViolation(_("Name the invitee or pick an organisation."), "name")
    if session.invitations.count() >= 500:
        raise RuleViolation(_("A dialogue has at most 500 invitations."), "name")
    invitation = Invitation.objects.create(
        session=session, stakeholder_group=term, organisation=org, name=name
    )
    log_action(
        actor=actor,
        action="exchange.invitation.created",
        target=session,
        data={"invitation": invitation.pk, "group": group, "name": name},
    )
    return invitation


@transaction.atomic
def set_invitation_status(*, actor, invitation: Invitation, status: str) -> Invitation:
    """Record that an invitee accepted, declined or attended."""
    guard(perms.can_manage_session(actor, invitation.session), actor)
    if status not in Invitation.Status.values:
        raise RuleViolation(_("Unknown status."), "status")
    old = invitation.status
    invitation.status = status
    invitation.save(update_fields=["status"])
    log_action(
        actor=actor,
        action="exchange.invitation.status_changed",
        target=invitation.session,
        data={"invitation": invitation.pk, "status": [old, status]},
    )
    return invitation


@transaction.atomic
def remove_invitation(*, actor, invitation: Invitation) -> None:
    session = invitation.session
    guard(perms.can_manage_session(actor, session), actor)
    log_action(
        actor=actor,
        action="exchange.invitation.deleted",
        target=session,
        data={"group": invitation.stakeholder_group.code, "name": invitation.name},
    )
    invitation.delete()


@transaction.atomic
def hold_dialogue(*, actor, session: ExchangeSession) -> ExchangeSession:
    """Mark the dialogue held; refused (naming the groups) while a key group is not invited."""
    guard(perms.can_manage_session(actor, session), actor)
    _dialogue(session)
    missing = missing_groups(session)
    if missing:
        raise RuleViolation(
            _("Invite every key stakeholder group first. Missing: %(groups)s.")
            % {"groups": ", ".join(t.label for t in missing)},
            "invitations",
        )
    if session.event.start > timezone.now():
        raise RuleViolation(_("The dialogue has not started yet."), "event")
    session.dialogue_status = ExchangeSession.DialogueStatus.HELD
    session.save(update_fields=["dialogue_status", "updated_at"])
    log_action(actor=actor, action="exchange.dialogue.held", target=session, data={})
    return session


@transaction.atomic
def record_dialogue(
    *, actor, session: ExchangeSession, conclusions: str, next_steps: str
) -> ExchangeSession:
    """Record what the dialogue concluded and the next steps (it must have been held)."""
    guard(perms.can_manage_session(actor, session), actor)
    _dialogue(session)
    if session.dialogue_status == ExchangeSession.DialogueStatus.PLANNED:
        raise RuleViolation(_("Mark the dialogue as held first."), "dialogue_status")
    conclusions = _text(conclusions, "conclusions")
    if not conclusions:
        raise RuleViolation(_("Record the conclusions."), "conclusions")
    session.conclusions = conclusions
    session.next_steps = _text(next_steps, "next_steps")
    session.dialogue_status = ExchangeSession.DialogueStatus.RECORDED
    session.save()
    log_action(
        actor=actor,
        action="exchange.dialogue.recorded",
        target=session,
        data={"conclusions": conclusions, "next_steps": session.next_steps},
    )
    return session


def dialogue_hub(session: ExchangeSession) -> Hub | None:
    """The national hub of the dialogue's country."""
    return Hub.objects.national().filter(country_id=session.event.country_id).first()


def dialogue_stage_offer(session: ExchangeSession) -> Hub | None:
    """The national hub that a recorded dialogue may move to "inception dialogue held" (None when
    there is no hub, it is already there or further, or the dialogue is not recorded)."""
    if (
        session.kind != SessionKind.INCEPTION_DIALOGUE
        or session.dialogue_status != ExchangeSession.DialogueStatus.RECORDED
    ):
        return None
    hub = dialogue_hub(session)
    if hub is None or hub.stage_rank >= Hub(stage=Stage.INCEPTION_DIALOGUE).stage_rank:
        return None
    return hub


@transaction.atomic
def record_dialogue_stage(*, actor, session: ExchangeSession) -> StageChange:
    """Move the country's national hub to "inception dialogue held" with the dialogue as evidence,
    through the lifecycle service; the roadmap's dialogue step is marked done too."""
    hub = dialogue_stage_offer(session)
    if hub is None:
        raise RuleViolation(_("This dialogue offers no stage change."), "stage")
    held_on: date = session.event.local_end.date()
    evidence = _("Inception dialogue “%(title)s” (%(date)s). Conclusions: %(conclusions)s") % {
        "title": session.event.title,
        "date": held_on.isoformat(),
        "conclusions": session.conclusions,
    }
    link = settings.SITE_URL.rstrip("/") + session.get_absolute_url()
    change = hub_services.record_stage_change(
        actor=actor,
        hub=hub,
        stage=Stage.INCEPTION_DIALOGUE,
        date=min(held_on, timezone.localdate()),
        evidence=evidence,
        link=link,
    )
    roadmap = Roadmap.objects.filter(country_id=hub.country_id).first()
    if roadmap is not None:
        roadmap.steps.filter(code="inception_dialogue").exclude(status=StepStatus.DONE).update(
            status=StepStatus.DONE, completed_on=change.date, evidence=evidence, link=link
        )
    log_action(
        actor=actor,
        action="exchange.dialogue.stage_recorded",
        target=session,
        data={"hub": hub.pk, "stage_change": change.pk},
    )
    return change


# --- commitments ------------------------------------------------------------------------------


def _commitment_fields(fields: dict, current: Commitment | None = None) -> dict:
    out: dict = {}
    if "hub" in fields or current is None:
        hub = fields.get("hub")
        hub_id = hub.pk if isinstance(hub, Hub) else hub
        found = (
            Hub.objects.filter(pk=int(hub_id)).first()
            if isinstance(hub_id, int) or (isinstance(hub_id, str) and hub_id.isdigit())
            else None
        )
        if found is None:
            raise RuleViolation(_("Name the hub that commits."), "hub")
        out["hub"] = found
    if "owner" in fields or current is None:
        owner = _text(fields.get("owner"), "owner", 200)
        if not owner:
            raise RuleViolation(_("Name the owner of the commitment."), "owner")
        out["owner"] = owner
    if "what" in fields or current is None:
        what = _text(fields.get("what"), "what", 2000)
        if not what:
            raise RuleViolation(_("Say what is committed."), "what")
        out["what"] = what
    if "due" in fields or current is None:
        due = fields.get("due")
        if not isinstance(due, date):
            raise RuleViolation(_("Give the date by which it is done."), "due")
        out["due"] = due
    return out


@transaction.atomic
def add_commitment(
    *, actor, session: ExchangeSession, is_demo: bool = False, **fields
) -> Commitment:
    """A commitment made in the session: a hub and a named owner, what, by when."""
    guard(perms.can_manage_session(actor, session), actor)
    unknown = set(fields) - {"hub", "owner", "what", "due"}
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    commitment = Commitment.objects.create(
        session=session, is_demo=is_demo, **_commitment_fields(fields)
    )
    log_action(
        actor=actor,
        action="exchange.commitment.created",
        target=commitment,
        data={"session": session.pk, "hub": commitment.hub_id, "due": commitment.due},
    )
    return commitment


@transaction.atomic
def update_commitment(*, actor, commitment: Commitment, **fields) -> Commitment:
    """Change a commitment or mark it done (``status``); done means dated today unless given."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    guard(perms.can_update_commitment(actor, commitment), actor)
    unknown = set(fields) - {"hub", "owner", "what", "due", "status", "done_on"}
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    before = {
        "owner": commitment.owner,
        "what": commitment.what,
        "due": commitment.due,
        "status": commitment.status,
        "done_on": commitment.done_on,
        "hub": commitment.hub_id,
    }
    for name, value in _commitment_fields(fields, commitment).items():
        setattr(commitment, name, value)
    if "status" in fields:
        if fields["status"] not in Commitment.Status.values:
            raise RuleViolation(_("Unknown status."), "status")
        commitment.status = fields["status"]
    if commitment.status == Commitment.Status.DONE:
        done_on = fields.get("done_on") or commitment.done_on or timezone.localdate()
        if done_on > timezone.localdate():
            raise RuleViolation(_("A commitment cannot be done in the future."), "done_on")
        commitment.done_on = done_on
    else:
        commitment.done_on = None
    commitment.save()
    log_action(
        actor=actor,
        action="exchange.commitment.updated",
        target=commitment,
        data={"before": before},
    )
    return commitment
