"""Organisations: registration, details, deletion, and the duplicate check by normalised name."""

from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.audit import diff, log_action, snapshot
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.rules import check_web_address
from echos.hubs import permissions as perms
from echos.hubs.models import Organisation, normalise_name

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
