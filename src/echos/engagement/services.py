"""Writes of engagement records, and records turned into synergy activities: guard, transaction, audit.

Every rule is checked before the first row is written, and each call is one transaction: a refused
record leaves nothing behind, a refused change leaves the stored record as it was.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.core.languages import language_codes
from echos.core.models import Region, Term
from echos.engagement import permissions as perms
from echos.engagement.models import EngagementRecord, Format
from echos.hubs.models import Hub, Organisation
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
    "is_demo",
}


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
    }


def _plain(record: EngagementRecord) -> dict:
    return {
        "title": record.title,
        "date": record.date.isoformat() if isinstance(record.date, date) else record.date,
        "end_date": record.end_date.isoformat() if record.end_date else None,
        "participants": record.participants,
        "format": record.format,
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
    **fields,
) -> EngagementRecord:
    """Record an engagement of a hub, or change one (its editors, coordinators and the network).

    Vocabulary links are codes (``level="consult"``, ``stakeholder_groups=["patients"]``),
    organisations are ids; on a change, ``None`` leaves a link as it is.
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
