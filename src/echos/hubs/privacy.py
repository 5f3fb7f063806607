"""Personal data of hubs: contact-person records, roles on hubs, lifecycle changes recorded.

A contact-person record belongs to the person when it is linked to their account or carries one
of their e-mail addresses. Erasure deletes those records and the roles, and keeps the lifecycle
changes without who recorded them. No retention rule is needed.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.core.privacy_sections import iso as _iso
from echos.core.privacy_sections import target as _target
from echos.hubs.models import HubRole, Person, StageChange

SECTION = "hubs"
SECTION_LABELS = {
    "hubs": _("Hubs and organisations"),
    "hubs.roles": _("Roles on hubs"),
    "hubs.contact_people": _("Contact-person records"),
    "hubs.stage_changes_recorded": _("Lifecycle changes recorded"),
}
COUNT_LABELS = {
    "contact_people_deleted": _("contact-person records deleted"),
    "hub_roles_deleted": _("hub roles deleted"),
    "stage_changes_kept": _("lifecycle changes kept without who recorded them"),
}


def persons(user, emails):
    """Contact-person records of this person: linked to the account or carrying an e-mail."""
    q = Q(pk__in=[])
    if user is not None:
        q |= Q(user=user)
    for email in emails:
        q |= Q(email__iexact=email)
    return Person.objects.filter(q).select_related("organisation")


def find_people(query: str, *, limit: int = 50) -> list[tuple[str, str, str, int | None]]:
    """Contact-person records whose name or e-mail contains ``query``."""
    found = (
        Person.objects.filter(Q(email__icontains=query) | Q(name__icontains=query))
        .order_by("email", "pk")
        .values_list("email", "name", "user_id")[:limit]
    )
    return [("contact_people", email, name, user_id) for email, name, user_id in found]


def names(user, emails) -> set[str]:
    """Names, e-mails and phone numbers of the person's contact records (scrubbed on erasure)."""
    values = set()
    for p in persons(user, emails):
        values |= {p.name, p.email, p.phone}
    return values


def collect(user, emails) -> dict:
    """Roles on hubs, contact-person records and lifecycle changes the person recorded."""
    roles = HubRole.objects.filter(user=user) if user is not None else HubRole.objects.none()
    changes = (
        StageChange.objects.filter(recorded_by=user)
        if user is not None
        else StageChange.objects.none()
    )
    return {
        "roles": [
            {"hub": _target(r.hub), "country": r.hub.country_id, "role": r.role}
            for r in roles.select_related("hub").order_by("hub_id")
        ],
        "contact_people": [
            {
                "id": p.pk,
                "organisation": _target(p.organisation),
                "name": p.name,
                "email": p.email,
                "phone": p.phone,
                "position": p.position,
                "linked_to_account": p.user_id is not None,
                "is_demo": p.is_demo,
            }
            for p in persons(user, emails).order_by("pk")
        ],
        "stage_changes_recorded": [
            {
                "hub": _target(c.hub),
                "stage": c.stage,
                "date": _iso(c.date),
                "recorded_at": _iso(c.recorded_at),
            }
            for c in changes.select_related("hub")
        ],
    }


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Delete the contact records and roles; keep lifecycle changes without who recorded them."""
    mine = list(persons(user, emails).values_list("pk", flat=True))
    roles = HubRole.objects.filter(user=user) if user is not None else HubRole.objects.none()
    changes = (
        StageChange.objects.filter(recorded_by=user)
        if user is not None
        else StageChange.objects.none()
    )
    counts = {
        "contact_people_deleted": len(mine),
        "hub_roles_deleted": roles.count(),
        "stage_changes_kept": changes.count(),
    }
    if apply:
        Person.objects.filter(pk__in=mine).delete()
        roles.delete()
        changes.update(recorded_by=None)
    return counts


def retention_rules() -> list:
    return []
