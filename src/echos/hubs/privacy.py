"""Personal data of hubs: contact-person records, roles on hubs, lifecycle changes recorded.

A contact-person record belongs to the person when it is linked to their account or carries one
of their e-mail addresses. Erasure deletes those records and the roles, and keeps the lifecycle
changes without who recorded them. Invitations to a hub's team (issue #16) are found by the
invited address, with or without an account, and deleted on erasure. No retention rule is needed.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.core.privacy_sections import iso as _iso
from echos.core.privacy_sections import target as _target
from echos.hubs.models import HubRole, Invitation, Person, StageChange

SECTION = "hubs"
SECTION_LABELS = {
    "hubs": _("Hubs and organisations"),
    "hubs.roles": _("Roles on hubs"),
    "hubs.contact_people": _("Contact-person records"),
    "hubs.stage_changes_recorded": _("Lifecycle changes recorded"),
    "hubs.invitations_received": _("Invitations to a hub's team"),
    "hubs.invitations_sent": _("Invitations sent to a hub's team"),
}
COUNT_LABELS = {
    "contact_people_deleted": _("contact-person records deleted"),
    "hub_roles_deleted": _("hub roles deleted"),
    "stage_changes_kept": _("lifecycle changes kept without who recorded them"),
    "invitations_deleted": _("invitations to a hub's team deleted"),
    "invitations_sent_kept": _("invitations sent kept without who sent them"),
}


def persons(user, emails):
    """Contact-person records of this person: linked to the account or carrying an e-mail."""
    q = Q(pk__in=[])
    if user is not None:
        q |= Q(user=user)
    for email in emails:
        q |= Q(email__iexact=email)
    return Person.objects.filter(q).select_related("organisation")


def invitations_received(user, emails):
    """Invitations to the team of a hub sent to one of the person's addresses or accepted by them
    (issue #16): the address is personal data even when no account exists yet."""
    q = Q(pk__in=[])
    if user is not None:
        q |= Q(accepted_by=user)
    for email in emails:
        q |= Q(email__iexact=email)
    return Invitation.objects.filter(q).select_related("hub")


def find_people(query: str, *, limit: int = 50) -> list[tuple[str, str, str, int | None]]:
    """Contact-person records and invitations whose name or e-mail contains ``query``."""
    found = (
        Person.objects.filter(Q(email__icontains=query) | Q(name__icontains=query))
        .order_by("email", "pk")
        .values_list("email", "name", "user_id")[:limit]
    )
    invited = (
        Invitation.objects.filter(email__icontains=query)
        .order_by("email", "pk")
        .values_list("email", "accepted_by_id")[:limit]
    )
    return [("contact_people", email, name, user_id) for email, name, user_id in found] + [
        ("invitations_received", email, "", user_id) for email, user_id in invited
    ]


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
        "invitations_received": [
            {
                "hub": _target(i.hub),
                "email": i.email,
                "role": i.role,
                "sent_at": _iso(i.sent_at),
                "expires_at": _iso(i.expires_at),
                "accepted_at": _iso(i.accepted_at),
                "revoked_at": _iso(i.revoked_at),
            }
            for i in invitations_received(user, emails).order_by("pk")
        ],
        "invitations_sent": [
            {"hub": _target(i.hub), "role": i.role, "sent_at": _iso(i.sent_at)}
            for i in (
                Invitation.objects.filter(invited_by=user).select_related("hub").order_by("pk")
                if user is not None
                else []
            )
        ],
    }


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Delete the contact records, roles and invitations to the person; keep lifecycle changes and
    invitations they sent without who recorded or sent them."""
    mine = list(persons(user, emails).values_list("pk", flat=True))
    roles = HubRole.objects.filter(user=user) if user is not None else HubRole.objects.none()
    changes = (
        StageChange.objects.filter(recorded_by=user)
        if user is not None
        else StageChange.objects.none()
    )
    received = invitations_received(user, emails)
    sent = (
        Invitation.objects.filter(invited_by=user)
        if user is not None
        else Invitation.objects.none()
    )
    counts = {
        "contact_people_deleted": len(mine),
        "hub_roles_deleted": roles.count(),
        "stage_changes_kept": changes.count(),
        "invitations_deleted": received.count(),
        "invitations_sent_kept": sent.exclude(pk__in=received.values("pk")).count(),
    }
    if apply:
        Person.objects.filter(pk__in=mine).delete()
        roles.delete()
        changes.update(recorded_by=None)
        received.delete()
        sent.update(invited_by=None)
    return counts


def retention_rules() -> list:
    return []
