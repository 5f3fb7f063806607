"""Relationships between organisations (funds, represents, partners with, hosts, is a member of):
public facts between organisations, never about people, recorded and kept by one hub's team.

Rules: no organisation is related to itself, a relationship does not end before it starts, and the
same tie (same organisations, same kind) is not recorded twice for overlapping periods. Each write
is one transaction with its audit entry.
"""

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.engagement.models import Relationship
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub, Organisation

MAX_SOURCE = 300
FIELDS = {"source", "target", "kind", "since", "until", "source_note", "is_demo"}


def can_view_relationships(user, organisation: Organisation) -> bool:
    """Ties between organisations are public facts."""
    return True


def can_record_relationship(user, hub: Hub) -> bool:
    """A hub's team records relationships in the hub's name."""
    return hub_perms.can_edit_hub(user, hub)


def can_change_relationship(user, relationship: Relationship) -> bool:
    """The team of the hub that recorded it (and the network) change or delete it."""
    return hub_perms.can_edit_hub(user, relationship.hub)


def validate_relationship(rel: Relationship) -> None:
    """The rules on one relationship's own fields."""
    if rel.source_id is None:
        raise RuleViolation(_("Choose the organisation the relationship starts from."), "source")
    if rel.target_id is None:
        raise RuleViolation(_("Choose the organisation the relationship goes to."), "target")
    if rel.source_id == rel.target_id:
        raise RuleViolation(_("An organisation cannot be related to itself."), "target")
    if rel.kind not in Relationship.Kind.values:
        raise RuleViolation(
            _("Choose a kind of relationship: %(values)s.")
            % {"values": ", ".join(Relationship.Kind.values)},
            "kind",
        )
    for name in ("since", "until"):
        value = getattr(rel, name)
        if value is not None and not isinstance(value, date):
            raise RuleViolation(_("Give a date (YYYY-MM-DD)."), name)
    if rel.since and rel.until and rel.until < rel.since:
        raise RuleViolation(_("The relationship cannot end before it starts."), "until")
    rel.source_note = (rel.source_note or "").strip()
    if len(rel.source_note) > MAX_SOURCE:
        raise RuleViolation(_("Keep the source under 300 characters."), "source_note")


def overlapping(rel: Relationship) -> QuerySet:
    """Stored relationships of the same organisations and kind whose periods overlap."""
    qs = Relationship.objects.filter(
        source_id=rel.source_id, target_id=rel.target_id, kind=rel.kind
    )
    if rel.pk:
        qs = qs.exclude(pk=rel.pk)
    if rel.until:
        qs = qs.filter(Q(since__isnull=True) | Q(since__lte=rel.until))
    if rel.since:
        qs = qs.filter(Q(until__isnull=True) | Q(until__gte=rel.since))
    return qs


def check_not_duplicate(rel: Relationship) -> None:
    """The same tie is recorded once for any one time."""
    if overlapping(rel).exists():
        raise Conflict(
            _("This relationship is already recorded for an overlapping period."), "target"
        )


def _audit(rel: Relationship) -> dict:
    return {
        "source": rel.source_id,
        "target": rel.target_id,
        "kind": rel.kind,
        "since": rel.since,
        "until": rel.until,
        "hub": rel.hub_id,
        "source_note": rel.source_note,
    }


@transaction.atomic
def add_relationship(
    *,
    actor,
    hub: Hub,
    source: Organisation,
    target: Organisation,
    kind: str,
    since: date | None = None,
    until: date | None = None,
    source_note: str = "",
    is_demo: bool = False,
) -> Relationship:
    """Record a tie between two organisations in the name of ``hub``."""
    guard(can_record_relationship(actor, hub), actor)
    rel = Relationship(
        hub=hub,
        source=source,
        target=target,
        kind=kind,
        since=since,
        until=until,
        source_note=source_note,
        is_demo=is_demo,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    validate_relationship(rel)
    check_not_duplicate(rel)
    rel.save()
    log_action(actor=actor, action="engagement.relationship.added", target=rel, data=_audit(rel))
    return rel


@transaction.atomic
def update_relationship(*, actor, relationship: Relationship, **changes) -> Relationship:
    """Change a relationship's organisations, kind, dates or source."""
    unknown = set(changes) - FIELDS
    if unknown:
        raise TypeError(
            f"update_relationship() got unexpected fields: {', '.join(sorted(unknown))}"
        )
    guard(can_change_relationship(actor, relationship), actor)
    before = _audit(relationship)
    for key, value in changes.items():
        setattr(relationship, key, value)
    validate_relationship(relationship)
    check_not_duplicate(relationship)
    relationship.save()
    after = _audit(relationship)
    log_action(
        actor=actor,
        action="engagement.relationship.updated",
        target=relationship,
        data={"changes": {k: [before[k], v] for k, v in after.items() if before[k] != v}},
    )
    return relationship


@transaction.atomic
def delete_relationship(*, actor, relationship: Relationship) -> None:
    """Delete a relationship (the organisations stay)."""
    guard(can_change_relationship(actor, relationship), actor)
    log_action(
        actor=actor,
        action="engagement.relationship.deleted",
        target=relationship.hub,
        data={"relationship": relationship.pk, **_audit(relationship)},
    )
    relationship.delete()


def relationships_of(organisation: Organisation) -> QuerySet:
    """Every relationship from or to the organisation, with both ends and the recording hub."""
    return (
        Relationship.objects.filter(Q(source=organisation) | Q(target=organisation))
        # The hubs above the recording hub: who may change it is asked per relationship.
        .select_related("source__country", "target__country", "hub__parent__parent")
        .order_by("kind", "source__name", "target__name", "pk")
    )


def relationships_recorded_by(hub: Hub) -> QuerySet:
    """The relationships a hub's team recorded."""
    return Relationship.objects.filter(hub=hub).select_related(
        "source__country", "target__country", "hub__parent__parent"
    )
