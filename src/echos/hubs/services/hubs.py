"""Hubs: their profile, place in the hierarchy, creation and deletion."""

from typing import cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import diff, log_action, snapshot
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.multilingual import clean_source_language, clean_translations, field_limits
from echos.core.rules import check_web_address
from echos.hubs import permissions as perms
from echos.hubs.models import LEVEL_RANK, Archetype, Hub, Level, Stage
from echos.hubs.services.stages import record_stage_change

HUB_FIELDS = [
    "country",
    "level",
    "parent",
    "region",
    "name",
    "name_en",
    "mission",
    "source_language",
    "translations",
    "website",
    "host_organisation",
    "archetype",
    "latitude",
    "longitude",
    "is_demo",
]


def validate_hub(hub: Hub) -> None:
    """Check hierarchy, country, region and field rules before saving."""
    if not (hub.name or "").strip() and not (hub.name_en or "").strip():
        raise RuleViolation(_("Give the hub a name."), "name")
    hub.name = (hub.name or hub.name_en).strip()
    hub.name_en = (hub.name_en or hub.name).strip()
    if hub.level not in Level.values:
        raise RuleViolation(_("Level must be national, regional or local."), "level")
    hub.source_language = clean_source_language(hub.source_language)
    hub.translations = clean_translations(hub.translations, field_limits(Hub), hub.source_language)
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
