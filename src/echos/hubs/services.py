"""Writes to hubs, organisations, memberships and contacts: guard, transaction, audit."""

from datetime import date
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from echos.core.audit import diff, log_action, snapshot
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.models import Country, Region, Term, User
from echos.core.registry import stage_guards
from echos.core.rules import check_web_address
from echos.hubs import permissions as perms
from echos.hubs.models import (
    LEVEL_RANK,
    STAGE_ORDER,
    Archetype,
    Hub,
    HubRole,
    Level,
    Membership,
    Organisation,
    Person,
    Stage,
    StageChange,
    normalise_name,
)

HUB_FIELDS = [
    "country",
    "level",
    "parent",
    "region",
    "name",
    "name_en",
    "mission",
    "website",
    "host_organisation",
    "archetype",
    "latitude",
    "longitude",
    "is_demo",
]
ORGANISATION_FIELDS = [
    "name",
    "stakeholder_group",
    "country",
    "region",
    "website",
    "description",
    "source",
    "is_demo",
]
MEMBERSHIP_FIELDS = ["role", "since", "until", "source", "is_demo"]


# --- lookups shared by forms, API and imports -------------------------------------------


def resolve_country(code, field: str = "country") -> Country:
    """The MS/AC country with this ISO code, or a RuleViolation naming the field."""
    code = (code or "").strip().upper()
    if not code:
        raise RuleViolation(_("A country code is required."), field)
    try:
        return Country.objects.get(pk=code)
    except Country.DoesNotExist:
        raise RuleViolation(
            _("Unknown country code %(code)s: use an ISO 3166-1 alpha-2 code of an MS/AC country.")
            % {"code": code},
            field,
        ) from None


def resolve_region(code, country: Country | None, field: str = "region") -> Region | None:
    """The ISO 3166-2 region, checked to lie in ``country``; empty gives None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise RuleViolation(
            _("Unknown region code %(code)s (ISO 3166-2 expected).") % {"code": code}, field
        )
    if country is not None and region.country_id != country.pk:
        raise RuleViolation(
            _("Region %(region)s is not in %(country)s.")
            % {"region": code, "country": country.code},
            field,
        )
    return region


def resolve_term(vocabulary: str, code, field: str) -> Term:
    """A vocabulary term by code, or a RuleViolation listing the valid codes."""
    code = (code or "").strip()
    term = Term.objects.filter(vocabulary=vocabulary, code=code).first()
    if term is None:
        valid = ", ".join(Term.objects.of(vocabulary).values_list("code", flat=True))
        raise RuleViolation(
            _("Unknown value %(code)r; expected one of: %(valid)s.")
            % {"code": code, "valid": valid},
            field,
        )
    return term


# --- hubs ---------------------------------------------------------------------------------


def validate_hub(hub: Hub) -> None:
    """Check hierarchy, country, region and field rules before saving."""
    if not (hub.name or "").strip() and not (hub.name_en or "").strip():
        raise RuleViolation(_("Give the hub a name."), "name")
    hub.name = (hub.name or hub.name_en).strip()
    hub.name_en = (hub.name_en or hub.name).strip()
    if hub.level not in Level.values:
        raise RuleViolation(_("Level must be national, regional or local."), "level")
    if hub.archetype and hub.archetype not in Archetype.values:
        raise RuleViolation(
            _("Unknown archetype %(value)r.") % {"value": hub.archetype}, "archetype"
        )
    if hub.region is not None and hub.region.country_id != hub.country_id:
        raise RuleViolation(_("The region is not in the hub's country."), "region")
    check_web_address(hub.website, "website")
    if hub.latitude is not None and not -90 <= hub.latitude <= 90:
        raise RuleViolation(_("Latitude must lie between -90 and 90."), "latitude")
    if hub.longitude is not None and not -180 <= hub.longitude <= 180:
        raise RuleViolation(_("Longitude must lie between -180 and 180."), "longitude")
    if hub.level == Level.NATIONAL:
        if hub.parent_id:
            raise RuleViolation(_("A national hub has no parent hub."), "parent")
        others = Hub.objects.national().filter(country_id=hub.country_id).exclude(pk=hub.pk)
        if others.exists():
            raise Conflict(
                _("%(country)s already has a national hub: %(hub)s.")
                % {"country": hub.country.display_name, "hub": others.first()},
                "level",
            )
    else:
        if not hub.parent_id:
            raise RuleViolation(_("A regional or local hub needs a parent hub."), "parent")
        parent = cast(Hub, hub.parent)  # parent_id is set
        if parent.country_id != hub.country_id:
            raise RuleViolation(
                _("The parent hub %(parent)s is in another country (%(country)s).")
                % {"parent": parent, "country": parent.country_id},
                "parent",
            )
        if LEVEL_RANK[parent.level] >= LEVEL_RANK[hub.level]:
            raise RuleViolation(
                _("A %(level)s hub cannot sit below a %(parent_level)s hub.")
                % {
                    "level": hub.get_level_display().lower(),
                    "parent_level": parent.get_level_display().lower(),
                },
                "parent",
            )
        if hub.pk and (parent.pk == hub.pk or parent.pk in hub.descendant_ids()):
            raise RuleViolation(_("That parent would make a cycle in the hub hierarchy."), "parent")
    if hub.pk:
        children = Hub.objects.filter(parent=hub)
        if children.exclude(country_id=hub.country_id).exists():
            raise RuleViolation(
                _("This hub has sub-hubs in its current country; move them first."), "country"
            )
        if any(LEVEL_RANK[c.level] <= LEVEL_RANK[hub.level] for c in children):
            raise RuleViolation(
                _("This hub has sub-hubs that would no longer sit below it."), "level"
            )


@transaction.atomic
def create_hub(*, actor, **fields) -> Hub:
    """Create a hub after checking the actor's right and the hierarchy rules."""
    unknown = set(fields) - set(HUB_FIELDS) - {"stage", "stage_date"}
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    stage = fields.pop("stage", None)
    stage_date = fields.pop("stage_date", None)
    hub = Hub(**fields)
    guard(perms.can_create_hub(actor, parent=hub.parent if hub.parent_id else None), actor)
    validate_hub(hub)
    hub.save()
    log_action(actor=actor, action="hubs.hub.created", target=hub, data=snapshot(hub, HUB_FIELDS))
    if stage and stage != Stage.NO_STRUCTURE:
        record_stage_change(
            actor=actor, hub=hub, stage=stage, date=stage_date or timezone.localdate()
        )
    return hub


@transaction.atomic
def update_hub(*, actor, hub: Hub, **changes) -> Hub:
    """Change a hub's profile fields; stage changes go through ``record_stage_change``."""
    guard(perms.can_edit_hub(actor, hub), actor)
    unknown = set(changes) - set(HUB_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    if ("parent" in changes or "level" in changes or "country" in changes) and actor is not None:
        # Moving a hub in the hierarchy, or to another country, needs the right to create it at
        # its new place. The country matters beyond the map: a hub answers for the organisations
        # of its country (permissions.home_hubs), so an editor who could move their hub abroad
        # would gain rights over that country's organisations and their contacts.
        new_parent = changes.get("parent", hub.parent)
        new_country = changes.get("country", hub.country_id)
        moved_country = getattr(new_country, "pk", new_country) != hub.country_id
        if (
            new_parent != hub.parent
            or changes.get("level", hub.level) != hub.level
            or moved_country
        ) and not perms.can_create_hub(actor, parent=new_parent):
            raise PermissionDenied(_("You may not move this hub there."))
    before = snapshot(hub, HUB_FIELDS)
    for key, value in changes.items():
        setattr(hub, key, value)
    validate_hub(hub)
    hub.save()
    changed = diff(before, snapshot(hub, HUB_FIELDS))
    if changed:
        log_action(actor=actor, action="hubs.hub.updated", target=hub, data={"changed": changed})
    return hub


@transaction.atomic
def delete_hub(*, actor, hub: Hub) -> None:
    """Delete a hub that has no sub-hubs; its memberships and history go with it (logged)."""
    guard(perms.can_delete_hub(actor, hub), actor)
    if hub.children.exists():
        raise Conflict(_("This hub has sub-hubs: delete or move them first."), "children")
    data = snapshot(hub, HUB_FIELDS)
    data["memberships"] = list(hub.memberships.values("organisation_id", "role", "since", "until"))
    data["stage_changes"] = list(
        hub.stage_changes.values("stage", "date", "evidence", "link", "reason")
    )
    log_action(actor=actor, action="hubs.hub.deleted", target=hub, data=data)
    hub.delete()


def stage_at(hub: Hub, on: date, exclude: StageChange | None = None) -> tuple[str, date | None]:
    """The stage in effect on a date, from the recorded history."""
    changes = hub.stage_changes.filter(date__lte=on)
    if exclude is not None:
        changes = changes.exclude(pk=exclude.pk)
    latest = changes.order_by("-date", "-recorded_at", "-id").first()
    return (latest.stage, latest.date) if latest else (Stage.NO_STRUCTURE, None)


def _refresh_current_stage(hub: Hub) -> None:
    latest = hub.stage_changes.order_by("-date", "-recorded_at", "-id").first()
    hub.stage = latest.stage if latest else Stage.NO_STRUCTURE
    hub.stage_since = latest.date if latest else None
    hub.save(update_fields=["stage", "stage_since", "updated_at"])


@transaction.atomic
def record_stage_change(
    *, actor, hub: Hub, stage: str, date: date, evidence: str = "", link: str = "", reason: str = ""
) -> StageChange:
    """Move a hub to a lifecycle stage on a date; moving back needs a reason."""
    guard(perms.can_change_stage(actor, hub), actor)
    if stage not in Stage.values:
        raise RuleViolation(_("Unknown stage %(stage)r.") % {"stage": stage}, "stage")
    if date is None:
        raise RuleViolation(_("Give the date of the change."), "date")
    if date > timezone.localdate():
        raise RuleViolation(_("A stage change cannot be dated in the future."), "date")
    check_web_address(link, "link")
    missing = [m for check in stage_guards() for m in check(hub, stage, date)]
    if missing:
        raise RuleViolation(
            _("The hub cannot move to this stage yet: %(missing)s")
            % {"missing": "; ".join(str(m) for m in missing)},
            "stage",
        )
    previous, since = stage_at(hub, date)
    if stage == previous:
        raise RuleViolation(
            _("The hub was already at this stage on that date (since %(since)s).")
            % {"since": since},
            "stage",
        )
    if STAGE_ORDER[stage] < STAGE_ORDER[previous] and not (reason or "").strip():
        raise RuleViolation(
            _("Moving back from %(previous)s needs a reason.")
            % {"previous": Stage(previous).label},
            "reason",
        )
    change = StageChange.objects.create(
        hub=hub,
        stage=stage,
        date=date,
        evidence=evidence.strip(),
        link=link,
        reason=reason.strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    old = hub.stage
    _refresh_current_stage(hub)
    log_action(
        actor=actor,
        action="hubs.hub.stage_changed",
        target=hub,
        data={
            "from": old,
            "to": hub.stage,
            "recorded": stage,
            "date": date,
            "evidence": evidence,
            "link": link,
            "reason": reason,
            "stage_change": change.pk,
        },
    )
    return change


@transaction.atomic
def delete_stage_change(*, actor, change: StageChange) -> None:
    """Remove a wrongly recorded stage change (the audit log keeps it)."""
    hub = change.hub
    guard(perms.can_change_stage(actor, hub), actor)
    log_action(
        actor=actor,
        action="hubs.stage_change.deleted",
        target=hub,
        data=snapshot(change, ["stage", "date", "evidence", "link", "reason"]),
    )
    change.delete()
    _refresh_current_stage(hub)


# --- organisations --------------------------------------------------------------------------


def validate_organisation(org: Organisation) -> None:
    """Name, country, region and duplicate checks."""
    org.name = (org.name or "").strip()
    if not org.name:
        raise RuleViolation(_("Give the organisation's name."), "name")
    if org.region is not None and org.region.country_id != org.country_id:
        raise RuleViolation(_("The region is not in the organisation's country."), "region")
    check_web_address(org.website, "website")
    duplicate = (
        Organisation.objects.filter(
            country_id=org.country_id, normalised_name=normalise_name(org.name)
        )
        .exclude(pk=org.pk)
        .first()
    )
    if duplicate:
        raise Conflict(
            _("%(name)s is already registered in %(country)s (organisation %(pk)s).")
            % {"name": duplicate.name, "country": org.country_id, "pk": duplicate.pk},
            "name",
        )


@transaction.atomic
def create_organisation(*, actor, **fields) -> Organisation:
    """Register an organisation (any signed-in coordinator or editor may)."""
    guard(perms.is_network_coordinator(actor) or perms.editable_hubs(actor).exists(), actor)
    org = Organisation(**fields)
    validate_organisation(org)
    org.save()
    log_action(
        actor=actor,
        action="hubs.organisation.created",
        target=org,
        data=snapshot(org, ORGANISATION_FIELDS),
    )
    return org


@transaction.atomic
def update_organisation(*, actor, organisation: Organisation, **changes) -> Organisation:
    """Change an organisation's details."""
    guard(perms.can_edit_organisation(actor, organisation), actor)
    before = snapshot(organisation, ORGANISATION_FIELDS)
    for key, value in changes.items():
        if key not in ORGANISATION_FIELDS:
            raise RuleViolation(_("Unknown field."), key)
        setattr(organisation, key, value)
    validate_organisation(organisation)
    organisation.save()
    changed = diff(before, snapshot(organisation, ORGANISATION_FIELDS))
    if changed:
        log_action(
            actor=actor,
            action="hubs.organisation.updated",
            target=organisation,
            data={"changed": changed},
        )
    return organisation


@transaction.atomic
def delete_organisation(*, actor, organisation: Organisation) -> None:
    """Delete an organisation that hosts no hub."""
    guard(perms.can_delete_organisation(actor, organisation), actor)
    if organisation.hosted_hubs.exists():
        raise Conflict(
            _("This organisation hosts a hub; choose another host first."), "host_organisation"
        )
    data = snapshot(organisation, ORGANISATION_FIELDS)
    data["memberships"] = list(organisation.memberships.values("hub_id", "role", "since", "until"))
    log_action(actor=actor, action="hubs.organisation.deleted", target=organisation, data=data)
    organisation.delete()


# --- memberships ------------------------------------------------------------------------------


def validate_membership(m: Membership) -> None:
    """Period and overlap rules."""
    if m.role not in Membership.Role.values:
        raise RuleViolation(_("Unknown membership role %(role)r.") % {"role": m.role}, "role")
    if m.since and m.until and m.until < m.since:
        raise RuleViolation(_("A membership cannot end before it starts."), "until")
    others = Membership.objects.filter(hub_id=m.hub_id, organisation_id=m.organisation_id).exclude(
        pk=m.pk
    )
    for other in others:
        starts_before_other_ends = other.until is None or m.since is None or m.since <= other.until
        ends_after_other_starts = m.until is None or other.since is None or m.until >= other.since
        if starts_before_other_ends and ends_after_other_starts:
            raise Conflict(
                _("%(org)s is already a member of this hub for an overlapping period.")
                % {"org": m.organisation},
                "organisation",
            )


def confirmed_at_once(actor, organisation: Organisation) -> bool:
    """Whether a membership added by ``actor`` needs no confirmation: added by the system
    (``actor=None``) or by someone who decides for the organisation. Imports follow it too."""
    return actor is None or perms.can_decide_membership(
        actor, Membership(organisation=organisation)
    )


@transaction.atomic
def add_membership(*, actor, hub: Hub, organisation: Organisation, **fields) -> Membership:
    """Make an organisation a member of a hub.

    The hub's editors may list any organisation, a partner abroad included; the membership gives
    rights over the organisation (its details, its contacts) only when the hub is in the
    organisation's own country and the organisation confirmed it (``permissions.home_hubs``).
    It is confirmed at once when added by someone who may decide for the organisation (its own
    representative, the network) or by the system (``actor=None``: loaders, reverts, which may
    pass the ``status`` to restore); otherwise it waits, and the organisation's representatives
    are asked by e-mail.
    """
    guard(perms.can_edit_hub(actor, hub), actor)
    status = fields.pop("status", None)
    if status is not None and actor is not None:
        raise RuleViolation(
            _("The organisation confirms its membership itself; the hub cannot set it."), "status"
        )
    if status is not None and status not in Membership.Status.values:
        raise RuleViolation(_("Unknown confirmation state %(s)r.") % {"s": status}, "status")
    m = Membership(hub=hub, organisation=organisation, **fields)
    validate_membership(m)
    if status is None:
        confirmed = confirmed_at_once(actor, organisation)
        status = Membership.Status.CONFIRMED if confirmed else Membership.Status.PENDING
    m.status = status
    if status != Membership.Status.PENDING:
        m.decided_at = timezone.now()
        m.decided_by = actor if actor is not None and actor.is_authenticated else None
    m.save()
    log_action(
        actor=actor,
        action="hubs.membership.created",
        target=hub,
        data={"membership": m.pk, **snapshot(m, ["organisation", *MEMBERSHIP_FIELDS, "status"])},
    )
    if m.is_pending:
        _request_confirmation_after_commit(m)
    return m


def representatives(organisation: Organisation) -> list[Person]:
    """The organisation's contact people who have an active account: those who decide for it."""
    return list(
        organisation.contacts.filter(user__isnull=False, user__is_active=True).select_related(
            "user"
        )
    )


def _request_confirmation_after_commit(membership: Membership) -> None:
    """Queue the request to the representatives once the membership is stored (a rollback sends
    nothing); an organisation nobody represents waits in the network's list instead."""
    from echos.hubs.tasks import send_membership_request

    pk = membership.pk
    transaction.on_commit(lambda: send_membership_request(pk))


def send_membership_request_now(membership: Membership) -> int:
    """E-mail the organisation's representatives that a hub lists it and waits for their answer."""
    recipients = sorted(
        {p.email or cast(User, p.user).email for p in representatives(membership.organisation)}
        - {""}
    )
    if not recipients:
        return 0
    base = settings.SITE_URL.rstrip("/")
    context = {
        "membership": membership,
        "hub_url": base + membership.hub.get_absolute_url(),
        "requests_url": base + reverse("hubs:membership_requests"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("hubs/membership_request_email.txt", context)
        subject = _("%(hub)s lists %(org)s as a member: please confirm") % {
            "hub": membership.hub,
            "org": membership.organisation,
        }
    # One message per address: representatives do not see each other's e-mail addresses.
    for address in recipients:
        send_mail(subject, body, None, [address])
    return len(recipients)


def _decide_membership(*, actor, membership: Membership, status: str, action: str) -> Membership:
    guard(perms.can_decide_membership(actor, membership), actor)
    if membership.status == status:
        already: dict[str, str] = {
            Membership.Status.CONFIRMED: _("This membership is already confirmed."),
            Membership.Status.DECLINED: _("This membership is already declined."),
        }
        raise Conflict(already[status], "status")
    previous = membership.status
    membership.status = status
    membership.decided_at = timezone.now()
    membership.decided_by = actor if actor is not None and actor.is_authenticated else None
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    log_action(
        actor=actor,
        action=action,
        target=membership.hub,
        data={
            "membership": membership.pk,
            "organisation": membership.organisation_id,
            "changed": {"status": [previous, status]},
        },
    )
    return membership


@transaction.atomic
def confirm_membership(*, actor, membership: Membership) -> Membership:
    """The organisation (its representative, or the network) confirms that it belongs to the hub:
    from now on the hub's team may edit it and see its contacts (if the hub is in its country)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    return _decide_membership(
        actor=actor,
        membership=membership,
        status=Membership.Status.CONFIRMED,
        action="hubs.membership.confirmed",
    )


@transaction.atomic
def decline_membership(*, actor, membership: Membership) -> Membership:
    """The organisation says it does not belong to the hub (or no longer wants the hub to hold
    rights over it): the membership stays listed for the hub's team, marked declined, and grants
    nothing."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    return _decide_membership(
        actor=actor,
        membership=membership,
        status=Membership.Status.DECLINED,
        action="hubs.membership.declined",
    )


@transaction.atomic
def update_membership(*, actor, membership: Membership, **changes) -> Membership:
    """Change role or period of a membership (ending it sets ``until``)."""
    guard(perms.can_edit_hub(actor, membership.hub), actor)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    for key, value in changes.items():
        if key not in MEMBERSHIP_FIELDS:
            raise RuleViolation(_("Unknown field."), key)
        setattr(membership, key, value)
    validate_membership(membership)
    membership.save()
    changed = diff(before, snapshot(membership, MEMBERSHIP_FIELDS))
    if changed:
        log_action(
            actor=actor,
            action="hubs.membership.updated",
            target=membership.hub,
            data={
                "membership": membership.pk,
                "organisation": membership.organisation_id,
                "changed": changed,
            },
        )
    return membership


@transaction.atomic
def delete_membership(*, actor, membership: Membership) -> None:
    """Remove a membership recorded by mistake (to end one, set ``until``)."""
    guard(perms.can_edit_hub(actor, membership.hub), actor)
    log_action(
        actor=actor,
        action="hubs.membership.deleted",
        target=membership.hub,
        data={
            "membership": membership.pk,
            **snapshot(membership, ["organisation", *MEMBERSHIP_FIELDS, "status"]),
        },
    )
    membership.delete()


# --- contacts and roles ------------------------------------------------------------------------


@transaction.atomic
def add_contact(
    *,
    actor,
    organisation: Organisation,
    name: str,
    email: str = "",
    phone: str = "",
    position: str = "",
    user=None,
    is_demo: bool = False,
) -> Person:
    """Record a contact person of an organisation (private data)."""
    guard(perms.can_edit_organisation(actor, organisation), actor)
    if not name.strip():
        raise RuleViolation(_("Give the person's name."), "name")
    person = Person.objects.create(
        organisation=organisation,
        name=name.strip(),
        email=email,
        phone=phone,
        position=position,
        user=user,
        is_demo=is_demo,
    )
    # Personal data stays out of the audit log: only the fact and the id.
    log_action(
        actor=actor, action="hubs.contact.created", target=organisation, data={"person": person.pk}
    )
    return person


@transaction.atomic
def delete_contact(*, actor, person: Person) -> None:
    """Erase a contact person."""
    guard(perms.can_edit_organisation(actor, person.organisation), actor)
    log_action(
        actor=actor,
        action="hubs.contact.deleted",
        target=person.organisation,
        data={"person": person.pk},
    )
    person.delete()


@transaction.atomic
def grant_role(*, actor, hub: Hub, user, role: str) -> HubRole:
    """Give a user a role on a hub (replacing any earlier role there)."""
    guard(perms.can_manage_roles(actor, hub), actor)
    if role not in HubRole.Role.values:
        raise RuleViolation(_("Unknown role %(role)r.") % {"role": role}, "role")
    if (
        role == HubRole.Role.COORDINATOR
        and actor is not None
        and not perms.is_network_coordinator(actor)
    ):
        if not any(perms._coordinates(actor, h) for h in hub.ancestors()):
            raise PermissionDenied(
                _("Only the network or a coordinator above may appoint a coordinator.")
            )
    obj, _created = HubRole.objects.update_or_create(user=user, hub=hub, defaults={"role": role})
    log_action(
        actor=actor, action="hubs.role.granted", target=hub, data={"user": user.pk, "role": role}
    )
    return obj
