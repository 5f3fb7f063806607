"""Personal data of the engagement capability.

Records, register entries, relationships, snapshots and use cases name organisations and
stakeholder groups, never people; their links to a person are accounts: who created a record,
relationship, network snapshot or use case, who owns a register entry (relationship owner), and
who owns a follow-up action. Export lists those rows; erasure unlinks the account (the rows stay,
as the hub's or the network's). Follow-up actions and register entries keep their content without
an owner. Nothing here holds a name or an e-mail of its own, so search finds nothing extra (the
accounts themselves are found by the accounts section). No retention rule is needed.
"""

from django.utils.translation import gettext_lazy as _

from echos.core.privacy_sections import iso, owned, target, unlink
from echos.engagement.models import (
    EngagementRecord,
    FollowUp,
    NetworkSnapshot,
    Relationship,
    Stakeholder,
    UseCase,
)

SECTION = "engagement"
SECTION_LABELS = {
    "engagement": _("Engagement"),
    "engagement.engagement_records_created": _("Engagement records created"),
    "engagement.follow_ups_owned": _("Follow-up actions you own"),
    "engagement.stakeholders_owned": _("Stakeholders whose relationship you own"),
    "engagement.relationships_created": _("Relationships between organisations you recorded"),
    "engagement.snapshots_created": _("Network snapshots you saved"),
    "engagement.use_cases_created": _("Multistakeholder use cases you recorded"),
}
COUNT_LABELS = {
    "engagement_records_unlinked": _("engagement records kept without their author"),
    "follow_ups_unlinked": _("follow-up actions kept without their owner"),
    "stakeholders_unlinked": _("register entries kept without their relationship owner"),
    "relationships_unlinked": _("relationships kept without who recorded them"),
    "snapshots_unlinked": _("network snapshots kept without who saved them"),
    "use_cases_unlinked": _("use cases kept without who recorded them"),
}

KEPT = [
    (EngagementRecord, "created_by", "engagement_records_unlinked"),
    (FollowUp, "owner", "follow_ups_unlinked"),
    (Stakeholder, "owner", "stakeholders_unlinked"),
    (Relationship, "created_by", "relationships_unlinked"),
    (NetworkSnapshot, "created_by", "snapshots_unlinked"),
    (UseCase, "created_by", "use_cases_unlinked"),
]


def find_people(query: str, *, limit: int = 50) -> list:
    """Nothing here holds names or e-mails of people: nothing to find here."""
    return []


def names(user, emails) -> set[str]:
    """No names of people are kept here."""
    return set()


def collect(user, emails) -> dict:
    """Rows linked to the person's account."""
    return {
        "engagement_records_created": [
            {
                "id": r.pk,
                "hub": r.hub.name_en,
                "title": r.title,
                "date": r.date.isoformat(),
                "created_at": r.created_at.isoformat(),
            }
            for r in owned(EngagementRecord, user, created_by=user)
            .select_related("hub")
            .order_by("pk")
        ],
        "follow_ups_owned": [
            {
                "id": f.pk,
                "record": target(f.record),
                "title": f.title,
                "due_date": iso(f.due_date),
                "status": f.status,
                "done_at": iso(f.done_at),
                "last_reminded_at": iso(f.last_reminded_at),
            }
            for f in owned(FollowUp, user, owner=user).select_related("record").order_by("pk")
        ],
        "stakeholders_owned": [
            {
                "id": s.pk,
                "hub": target(s.hub),
                "organisation": target(s.organisation),
                "status": s.status,
            }
            for s in owned(Stakeholder, user, owner=user)
            .select_related("hub", "organisation")
            .order_by("pk")
        ],
        "relationships_created": [
            {
                "id": r.pk,
                "source": target(r.source),
                "kind": r.kind,
                "target": target(r.target),
                "created_at": iso(r.created_at),
            }
            for r in owned(Relationship, user, created_by=user)
            .select_related("source", "target")
            .order_by("pk")
        ],
        "snapshots_created": [
            {
                "id": s.pk,
                "hub": target(s.hub),
                "label": s.label,
                "period_start": iso(s.period_start),
                "period_end": iso(s.period_end),
                "created_at": iso(s.created_at),
            }
            for s in owned(NetworkSnapshot, user, created_by=user)
            .select_related("hub")
            .order_by("pk")
        ],
        "use_cases_created": [
            {"id": u.pk, "title": u.title, "created_at": iso(u.created_at)}
            for u in owned(UseCase, user, created_by=user).order_by("pk")
        ],
    }


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Unlink the person's account from every row; the rows stay."""
    return unlink(user, KEPT, apply=apply)


def retention_rules() -> list:
    return []
