"""Revert handlers of hubs: hub profile and stage, memberships, organisations and team roles.

Registered with ``core.revert.reverter`` when ``core.revert`` first needs them (``HubsConfig``
declares this module as its ``revert_handlers``). Each undo goes through the hubs services, so
their rules still apply.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from echos.core.exceptions import Conflict
from echos.core.revert import audit_values, reverter
from echos.hubs import services
from echos.hubs.models import Hub, HubRole, Membership, Organisation, StageChange
from echos.hubs.services import roles


@reverter("hubs.hub.updated")
def _hub_updated(entry, actor):
    hub = Hub.objects.filter(pk=entry.target_id).first()
    if hub is None:
        raise Conflict(_("The hub no longer exists."), "entry")
    old = {name: values[0] for name, values in entry.data["changed"].items()}
    services.update_hub(actor=None, hub=hub, **audit_values(Hub, old))


@reverter("hubs.hub.stage_changed")
def _stage_changed(entry, actor):
    change = StageChange.objects.filter(pk=entry.data.get("stage_change")).first()
    if change is None:
        raise Conflict(_("That stage change was already removed."), "entry")
    services.delete_stage_change(actor=None, change=change)


@reverter("hubs.membership.created")
def _membership_created(entry, actor):
    membership = Membership.objects.filter(pk=entry.data["membership"]).first()
    if membership is None:
        raise Conflict(_("That membership was already removed."), "entry")
    services.delete_membership(actor=None, membership=membership)


@reverter("hubs.membership.updated")
def _membership_updated(entry, actor):
    membership = Membership.objects.filter(pk=entry.data["membership"]).first()
    if membership is None:
        raise Conflict(_("That membership no longer exists."), "entry")
    old = {name: values[0] for name, values in entry.data["changed"].items()}
    services.update_membership(actor=None, membership=membership, **audit_values(Membership, old))


@reverter("hubs.membership.deleted")
def _membership_deleted(entry, actor):
    hub = Hub.objects.filter(pk=entry.target_id).first()
    if hub is None:
        raise Conflict(_("The hub no longer exists."), "entry")
    stored = {k: v for k, v in entry.data.items() if k != "membership"}
    values = audit_values(Membership, stored)
    services.add_membership(actor=None, hub=hub, **values)


@reverter("hubs.organisation.updated")
def _organisation_updated(entry, actor):
    organisation = Organisation.objects.filter(pk=entry.target_id).first()
    if organisation is None:
        raise Conflict(_("The organisation no longer exists."), "entry")
    old = {name: values[0] for name, values in entry.data["changed"].items()}
    services.update_organisation(
        actor=None, organisation=organisation, **audit_values(Organisation, old)
    )


# Team roles (issue #16): a change or removal from the Team page is undone by the network.


@reverter("hubs.role.changed")
def _role_changed(entry, actor):
    role = HubRole.objects.filter(hub_id=entry.target_id, user_id=entry.data["user"]).first()
    if role is None:
        raise Conflict(_("That role was removed since."), "entry")
    old, new = entry.data["role"]
    if role.role != new:
        raise Conflict(_("That role was changed again since."), "entry")
    roles.change_role(actor=None, role=role, new_role=old)


@reverter("hubs.role.removed")
def _role_removed(entry, actor):
    hub = Hub.objects.filter(pk=entry.target_id).first()
    user = get_user_model().objects.filter(pk=entry.data["user"]).first()
    if hub is None or user is None:
        raise Conflict(_("The hub or the account no longer exists."), "entry")
    if HubRole.objects.filter(hub=hub, user=user).exists():
        raise Conflict(_("The person has a role on this hub again."), "entry")
    services.grant_role(actor=None, hub=hub, user=user, role=entry.data["role"])
