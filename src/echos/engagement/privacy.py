"""Personal data of the engagement capability.

Records name organisations and stakeholder groups, never people; the one link to a person is the
account that created a record. Export lists those records; erasure unlinks them (they stay, as the
hub's records). No retention rule is needed.
"""

from django.utils.translation import gettext_lazy as _

from echos.engagement.models import EngagementRecord

SECTION = "engagement"
SECTION_LABELS = {
    "engagement": _("Engagement"),
    "engagement.engagement_records_created": _("Engagement records created"),
}
COUNT_LABELS = {
    "engagement_records_unlinked": _("engagement records kept without their author"),
}


def find_people(query: str, *, limit: int = 50) -> list:
    """Records hold no names or e-mails of people: nothing to find here."""
    return []


def names(user, emails) -> set[str]:
    """No names of people are kept here."""
    return set()


def collect(user, emails) -> dict:
    """Engagement records the person created."""
    records = (
        EngagementRecord.objects.filter(created_by=user).select_related("hub").order_by("pk")
        if user is not None
        else []
    )
    return {
        "engagement_records_created": [
            {
                "id": r.pk,
                "hub": r.hub.name_en,
                "title": r.title,
                "date": r.date.isoformat(),
                "created_at": r.created_at.isoformat(),
            }
            for r in records
        ]
    }


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Unlink the records the person created; the records stay."""
    created = (
        EngagementRecord.objects.filter(created_by=user)
        if user is not None
        else EngagementRecord.objects.none()
    )
    counts = {"engagement_records_unlinked": created.count()}
    if apply:
        created.update(created_by=None)
    return counts


def retention_rules() -> list:
    return []
