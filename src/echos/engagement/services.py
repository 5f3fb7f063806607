"""Writes of engagement records, and records turned into synergy activities: guard, transaction, audit.

Every rule is checked before the first row is written, and each call is one transaction: a refused
record leaves nothing behind, a refused change leaves the stored record as it was.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.core.languages import language_codes
from echos.core.models import Region, Term, User
from echos.engagement import permissions as perms
from echos.engagement.models import (
    EngagementRecord,
    FollowUp,
    Format,
    ParticipantCount,
    RecordStatus,
)
from echos.hubs.models import Hub, HubRole, Organisation
from echos.hubs.services import resolve_region
from echos.synergies.models import Activity
from echos.synergies.services import save_activity

MAX_TEXT = 100_000
MAX_NOTES = 20_000
MAX_PARTICIPANTS = 10_000_000
# Fields a caller may set directly; the hub, the author and the timestamps are the service's.
FIELDS = {
    "title",
    "description",
    "date",
    "end_date",
    "participants",
    "format",
    "language",
    "region",
    "outcomes",
    "status",
    "is_demo",
}
MAX_FOLLOW_UPS = 200  # per record
SOON_DAYS = 7  # a follow-up due within a week is "due soon"


def _terms(vocabulary: str, codes, field: str) -> list[Term]:
    """Terms of one vocabulary by code, in the vocabulary's order; unknown codes name the field."""
    if isinstance(codes, str):
        codes = [codes]
    codes = list(dict.fromkeys(str(c) for c in codes or []))
    terms = list(Term.objects.of(vocabulary).filter(code__in=codes))
    unknown = sorted(set(codes) - {t.code for t in terms})
    if unknown:
        raise RuleViolation(
            _("Unknown %(field)s: %(codes)s.") % {"field": field, "codes": ", ".join(unknown)},
            field,
        )
    return terms


def _organisations(values) -> list[Organisation]:
    """Organisations by instance or id; unknown ids name the field."""
    ids = []
    for value in values or []:
        pk = value.pk if isinstance(value, Organisation) else value
        if isinstance(pk, bool) or not isinstance(pk, int) and not str(pk).isdigit():
            raise RuleViolation(_("Organisations are given by their id."), "organisations")
        ids.append(int(pk))
    ids = list(dict.fromkeys(ids))
    found = list(Organisation.objects.filter(pk__in=[i for i in ids if i < 2**63]))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        raise RuleViolation(
            _("No organisation with the id %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            "organisations",
        )
    return found


def _region(value, hub: Hub) -> Region | None:
    if value is None or isinstance(value, Region):
        if value is not None and value.country_id != hub.country_id:
            raise RuleViolation(_("The region is not in the hub's country."), "region")
        return value
    return resolve_region(value, hub.country)


def validate_record(record: EngagementRecord) -> None:
    """Rules on the record's own fields (the vocabularies are checked when they are resolved)."""
    record.title = (record.title or "").strip()
    if not record.title:
        raise RuleViolation(_("Give the record a title."), "title")
    if len(record.title) > 250:
        raise RuleViolation(_("Keep the title under 250 characters."), "title")
    if not (record.description or "").strip():
        raise RuleViolation(_("Describe what happened and with whom."), "description")
    if len(record.description) > MAX_TEXT:
        raise RuleViolation(_("Keep the description under 100,000 characters."), "description")
    if not isinstance(record.date, date):
        raise RuleViolation(_("Give the date of the engagement."), "date")
    if record.end_date is not None:
        if not isinstance(record.end_date, date):
            raise RuleViolation(_("The end date is not a date."), "end_date")
        if record.end_date < record.date:
            raise RuleViolation(_("The engagement cannot end before it starts."), "end_date")
    if record.status not in RecordStatus.values:
        raise RuleViolation(
            _("Choose a status: %(values)s.") % {"values": ", ".join(RecordStatus.values)},
            "status",
        )
    if record.status == RecordStatus.HELD and record.date > timezone.localdate():
        raise RuleViolation(
            _(
                "A held engagement cannot be dated in the future (%(date)s): correct the date, "
                "or record it as planned."
            )
            % {"date": record.date.isoformat()},
            "date",
        )
    if record.format not in Format.values:
        raise RuleViolation(
            _("Choose a format: %(formats)s.") % {"formats": ", ".join(Format.values)}, "format"
        )
    language = str(record.language or "").strip().lower()
    if language not in language_codes():
        raise RuleViolation(
            _("Unknown language code %(code)r: use ISO 639-1, e.g. pl.")
            % {"code": record.language},
            "language",
        )
    record.language = language
    if record.participants is not None:
        if isinstance(record.participants, bool) or not isinstance(record.participants, int):
            raise RuleViolation(_("The number of participants is a whole number."), "participants")
        if not 0 <= record.participants <= MAX_PARTICIPANTS:
            raise RuleViolation(
                _("The number of participants is between 0 and 10,000,000."), "participants"
            )
    record.outcomes = record.outcomes or ""
    if len(record.outcomes) > MAX_NOTES:
        raise RuleViolation(_("Keep the outcome notes under 20,000 characters."), "outcomes")


def _codes(record: EngagementRecord) -> dict:
    """The record's vocabulary links, for the audit log."""
    return {
        "level": record.level.code,
        "stakeholder_groups": [t.code for t in record.stakeholder_groups.all()],
        "organisations": [o.pk for o in record.organisations.all()],
        "objectives": [t.code for t in record.objectives.all()],
        "policy_areas": [t.code for t in record.policy_areas.all()],
        "participant_counts": {
            c.group.code: c.count for c in record.participant_counts.select_related("group")
        },
    }


def _participant_counts(value) -> dict[str, int] | None:
    """Counts per group code from a mapping or a list of ``{"group", "count"}``; None: unchanged.

    A negative, non-integer or repeated count names the field and the group.
    """
    if value is None:
        return None
    if isinstance(value, dict):
        items = list(value.items())
    else:
        items = []
        for row in value:
            row = row if isinstance(row, dict) else dict(row)
            items.append((row.get("group"), row.get("count")))
    counts: dict[str, int] = {}
    for code, n in items:
        code = str(code or "")
        if code in counts:
            raise RuleViolation(
                _("Participants of %(group)s are counted twice.") % {"group": code},
                "participant_counts",
            )
        if n is None or n == "":
            continue
        if isinstance(n, bool) or not isinstance(n, int):
            raise RuleViolation(
                _("The participants of %(group)s are a whole number.") % {"group": code},
                "participant_counts",
            )
        if n < 0:
            raise RuleViolation(
                _("The participants of %(group)s cannot be negative (%(n)s).")
                % {"group": code, "n": n},
                "participant_counts",
            )
        counts[code] = n
    if counts:
        _terms(Term.Vocabulary.STAKEHOLDER_GROUPS, list(counts), "participant_counts")
    return counts


def _plain(record: EngagementRecord) -> dict:
    return {
        "title": record.title,
        "date": record.date.isoformat() if isinstance(record.date, date) else record.date,
        "end_date": record.end_date.isoformat() if record.end_date else None,
        "participants": record.participants,
        "format": record.format,
        "status": record.status,
        "language": record.language,
        "region": record.region_id,
        "description_length": len(record.description or ""),
        "outcomes_length": len(record.outcomes or ""),
    }


@transaction.atomic
def save_record(
    *,
    actor,
    hub: Hub | None = None,
    record: EngagementRecord | None = None,
    level: str | None = None,
    stakeholder_groups=None,
    organisations=None,
    objectives=None,
    policy_areas=None,
    participant_counts=None,
    **fields,
) -> EngagementRecord:
    """Record an engagement of a hub, or change one (its editors, coordinators and the network).

    Vocabulary links are codes (``level="consult"``, ``stakeholder_groups=["patients"]``),
    organisations are ids; on a change, ``None`` leaves a link as it is.

    ``participant_counts`` maps stakeholder group codes to counts (``{"patients": 12}``; a list of
    ``{"group": code, "count": n}`` works too); every group must be among the record's groups.
    When counts are given, ``participants`` is their sum (a different explicit total is refused);
    ``{}`` removes the counts and leaves the total as given.
    """
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"save_record() got unexpected fields: {', '.join(sorted(unknown))}")
    created = record is None or record.pk is None
    if record is None:
        if hub is None:
            raise RuleViolation(_("Choose the hub that engaged."), "hub")
        record = EngagementRecord(hub=hub)
    hub = record.hub
    guard(perms.can_record_engagement(actor, hub), actor)
    before = {} if created else {**_plain(record), **_codes(record)}

    if "region" in fields:
        fields["region"] = _region(fields["region"], hub)
    for key, value in fields.items():
        setattr(record, key, value)
    validate_record(record)
    if created and level is None:
        raise RuleViolation(_("Choose how deeply the stakeholders were engaged."), "level")
    if level is not None:
        found = _terms(Term.Vocabulary.ENGAGEMENT_LEVELS, [level] if level else [], "level")
        if len(found) != 1:
            raise RuleViolation(_("Choose one engagement level."), "level")
        record.level = found[0]
    groups = None
    if created or stakeholder_groups is not None:
        groups = _terms(
            Term.Vocabulary.STAKEHOLDER_GROUPS, stakeholder_groups, "stakeholder_groups"
        )
        if not groups:
            raise RuleViolation(
                _("Choose at least one stakeholder group reached."), "stakeholder_groups"
            )
    counts = _participant_counts(participant_counts)
    group_codes = (
        {t.code for t in groups}
        if groups is not None
        else {t.code for t in record.stakeholder_groups.all()}
        if record.pk
        else set()
    )
    if counts is None and groups is not None and record.pk:
        stored = set(record.participant_counts.values_list("group__code", flat=True))
        if stored - group_codes:
            raise RuleViolation(
                _(
                    "Participants are counted for %(groups)s, which the record no longer "
                    "reaches: keep the group or remove its count."
                )
                % {"groups": ", ".join(sorted(stored - group_codes))},
                "stakeholder_groups",
            )
    if counts:
        outside = sorted(set(counts) - group_codes)
        if outside:
            raise RuleViolation(
                _(
                    "Participants counted for %(groups)s, which is not among the record's "
                    "stakeholder groups: add the group or remove its count."
                )
                % {"groups": ", ".join(outside)},
                "participant_counts",
            )
        total = sum(counts.values())
        if total > MAX_PARTICIPANTS:
            raise RuleViolation(
                _("The number of participants is between 0 and 10,000,000."), "participant_counts"
            )
        if fields.get("participants") is not None and fields["participants"] != total:
            raise RuleViolation(
                _(
                    "The number of participants (%(given)s) is not the sum of the counts per "
                    "group (%(total)s): leave it empty or correct it."
                )
                % {"given": fields["participants"], "total": total},
                "participants",
            )
        record.participants = total
    orgs = _organisations(organisations) if organisations is not None else None
    goals = (
        _terms(Term.Vocabulary.OBJECTIVES, objectives, "objectives")
        if objectives is not None
        else None
    )
    areas = (
        _terms(Term.Vocabulary.POLICY_AREAS, policy_areas, "policy_areas")
        if policy_areas is not None
        else None
    )

    if created and actor is not None and actor.is_authenticated:
        record.created_by = actor
    record.save()
    if groups is not None:
        record.stakeholder_groups.set(groups)
    if orgs is not None:
        record.organisations.set(orgs)
    if goals is not None:
        record.objectives.set(goals)
    if areas is not None:
        record.policy_areas.set(areas)
    if counts is not None:
        record.participant_counts.all().delete()
        if counts:
            ids = dict(
                Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)
                .filter(code__in=list(counts))
                .values_list("code", "pk")
            )
            ParticipantCount.objects.bulk_create(
                ParticipantCount(record=record, group_id=ids[code], count=n)
                for code, n in counts.items()
            )
    after = {**_plain(record), **_codes(record)}
    log_action(
        actor=actor,
        action="engagement.record." + ("created" if created else "updated"),
        target=record,
        data={
            "hub": hub.pk,
            **({"record": after} if created else {"changes": _diff(before, after)}),
        },
    )
    return record


def _diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


@transaction.atomic
def delete_record(*, actor, record: EngagementRecord) -> None:
    """Delete a record; a synergy activity made from it stays, as the hub's own activity."""
    guard(perms.can_change_record(actor, record), actor)
    log_action(
        actor=actor,
        action="engagement.record.deleted",
        target=record.hub,
        data={"record": record.pk, **_plain(record), **_codes(record)},
    )
    record.delete()


def linked_activity(record: EngagementRecord) -> Activity | None:
    """The synergy activity made from this record, if it was turned into one."""
    return Activity.objects.filter(
        origin=Activity.Origin.ENGAGEMENT, origin_id=str(record.pk)
    ).first()


@transaction.atomic
def activity_from_record(*, actor, record: EngagementRecord) -> Activity:
    """Turn a record into a synergy activity of its hub without retyping; again later, refresh it."""
    guard(perms.can_turn_into_activity(actor, record), actor)
    existing = linked_activity(record)
    activity = save_activity(
        actor=actor,
        hub=record.hub,
        activity=existing,
        title=record.title,
        description=record.description,
        language=record.language,
        start=record.date,
        end=record.end_date or record.date,
        region=record.region,
        objectives=[t.code for t in record.objectives.all()],
        policy_areas=[t.code for t in record.policy_areas.all()],
        target_groups=[t.code for t in record.stakeholder_groups.all()],
        origin=Activity.Origin.ENGAGEMENT,
        origin_id=str(record.pk),
        is_demo=record.is_demo,
    )
    log_action(
        actor=actor,
        action="engagement.record.to_activity",
        target=record,
        data={"activity": activity.pk, "refreshed": existing is not None},
    )
    return activity


# Follow-up actions ---------------------------------------------------------------------------


def team_members(hub: Hub):
    """Accounts on the hub's team: any role on the hub, or coordinators of a hub above it."""
    above = [h.pk for h in hub.ancestors()]
    return (
        User.objects.filter(
            Q(hub_roles__hub=hub)
            | Q(hub_roles__hub__in=above, hub_roles__role=HubRole.Role.COORDINATOR),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def _owner(value, hub: Hub) -> User | None:
    if value is None or value == "":
        return None
    pk = value.pk if isinstance(value, User) else value
    if isinstance(pk, bool) or not str(pk).isdigit():
        raise RuleViolation(_("The owner is given by the id of an account."), "owner")
    owner = team_members(hub).filter(pk=int(pk)).first() if int(pk) < 2**63 else None
    if owner is None:
        raise RuleViolation(
            _("The owner of a follow-up action must be a member of the hub's team."), "owner"
        )
    return owner


def validate_follow_up(follow_up: FollowUp) -> None:
    follow_up.title = (follow_up.title or "").strip()
    if not follow_up.title:
        raise RuleViolation(_("Say what is to be done."), "title")
    if len(follow_up.title) > 250:
        raise RuleViolation(_("Keep the action under 250 characters."), "title")
    if not isinstance(follow_up.due_date, date):
        raise RuleViolation(_("Give the date the action is due."), "due_date")
    record_date = follow_up.record.date
    if follow_up.due_date < record_date:
        raise RuleViolation(
            _("A follow-up cannot be due (%(due)s) before its engagement took place (%(date)s).")
            % {"due": follow_up.due_date.isoformat(), "date": record_date.isoformat()},
            "due_date",
        )
    if follow_up.status not in FollowUp.Status.values:
        raise RuleViolation(
            _("Choose a status: %(values)s.") % {"values": ", ".join(FollowUp.Status.values)},
            "status",
        )


def _follow_up_plain(f: FollowUp) -> dict:
    return {
        "record": f.record_id,
        "title": f.title,
        "owner": f.owner_id,
        "due_date": f.due_date.isoformat() if isinstance(f.due_date, date) else None,
        "status": f.status,
    }


@transaction.atomic
def save_follow_up(
    *,
    actor,
    record: EngagementRecord | None = None,
    follow_up: FollowUp | None = None,
    title: str | None = None,
    owner=...,
    due_date: date | None = None,
    status: str | None = None,
    is_demo: bool | None = None,
) -> FollowUp:
    """Add a follow-up action to a record, or change one (the hub's editors and coordinators).

    The owner is an account of the hub's team (``team_members``) or none; the due date lies on or
    after the engagement's date. Marking it done stamps ``done_at``.
    """
    created = follow_up is None
    if follow_up is None:
        if record is None:
            raise RuleViolation(_("Choose the engagement record."), "record")
        if record.follow_ups.count() >= MAX_FOLLOW_UPS:
            raise RuleViolation(_("A record has at most 200 follow-up actions."), "record")
        follow_up = FollowUp(record=record)
    hub = follow_up.record.hub
    guard(perms.can_manage_follow_ups(actor, hub), actor)
    before = {} if created else _follow_up_plain(follow_up)
    if title is not None:
        follow_up.title = title
    if due_date is not None:
        follow_up.due_date = due_date
    if owner is not ...:
        follow_up.owner = _owner(owner, hub)
    if is_demo is not None:
        follow_up.is_demo = is_demo
    if status is not None:
        _set_status(follow_up, status)
    validate_follow_up(follow_up)
    follow_up.save()
    after = _follow_up_plain(follow_up)
    log_action(
        actor=actor,
        action="engagement.follow_up." + ("created" if created else "updated"),
        target=follow_up.record,
        data={"follow_up": follow_up.pk, **({"new": after} if created else _diff(before, after))},
    )
    return follow_up


def _set_status(follow_up: FollowUp, status: str) -> None:
    if status not in FollowUp.Status.values:
        raise RuleViolation(
            _("Choose a status: %(values)s.") % {"values": ", ".join(FollowUp.Status.values)},
            "status",
        )
    if status == FollowUp.Status.DONE and follow_up.status != FollowUp.Status.DONE:
        follow_up.done_at = timezone.now()
    elif status != FollowUp.Status.DONE:
        follow_up.done_at = None
    follow_up.status = status


def set_follow_up_status(*, actor, follow_up: FollowUp, status: str) -> FollowUp:
    """Complete, cancel or reopen a follow-up action."""
    return save_follow_up(actor=actor, follow_up=follow_up, status=status)


@transaction.atomic
def delete_follow_up(*, actor, follow_up: FollowUp) -> None:
    guard(perms.can_manage_follow_ups(actor, follow_up.record.hub), actor)
    log_action(
        actor=actor,
        action="engagement.follow_up.deleted",
        target=follow_up.record,
        data={"follow_up": follow_up.pk, **_follow_up_plain(follow_up)},
    )
    follow_up.delete()


def open_follow_ups(hub: Hub | None = None):
    """Open follow-up actions (of one hub), with their record and owner."""
    qs = FollowUp.objects.filter(status=FollowUp.Status.OPEN).select_related("record", "owner")
    return qs.filter(record__hub=hub) if hub is not None else qs


def overdue_follow_ups(hub: Hub | None = None, today: date | None = None):
    """Open follow-up actions whose due date has passed."""
    today = today or timezone.localdate()
    return open_follow_ups(hub).filter(due_date__lt=today)


def due_soon_follow_ups(hub: Hub | None = None, today: date | None = None):
    """Open follow-up actions due today or within the next week."""
    today = today or timezone.localdate()
    return open_follow_ups(hub).filter(
        due_date__gte=today, due_date__lte=today + timedelta(days=SOON_DAYS)
    )
