"""Revert handlers of the library: a resource's creation, a change of its fields, a new version.

Registered with ``core.revert.reverter`` when ``core.revert`` first needs it. Each goes through the
library's services, so the rules still apply and the undoing is itself audited. A deletion is not
revertible: its files are gone.
"""

from datetime import date

from django.utils.translation import gettext as _

from echos.core.exceptions import Conflict
from echos.core.revert import reverter
from echos.hubs.models import Hub, Organisation
from echos.library import services
from echos.library.models import Resource


def _resource(entry) -> Resource:
    resource = Resource.objects.filter(pk=entry.target_id).first()
    if resource is None:
        raise Conflict(_("This resource no longer exists."), "entry")
    return resource


@reverter("library.resource.created")
def _created(entry, actor):
    """Undo an addition: the resource and its files are deleted."""
    services.delete_resource(actor=actor, resource=_resource(entry))


@reverter("library.resource.updated")
def _updated(entry, actor):
    """Put back the values the change replaced (fields and tags)."""
    resource = _resource(entry)
    changes = {field: old for field, (old, _new) in entry.data.get("changed", {}).items()}
    tags = changes.pop("tags", None)
    if "hub" in changes:
        changes["hub"] = Hub.objects.filter(pk=changes["hub"]).first()
    if "organisation" in changes:
        changes["organisation"] = Organisation.objects.filter(pk=changes["organisation"]).first()
    if changes.get("published"):
        changes["published"] = date.fromisoformat(changes["published"])
    services.update_resource(
        actor=actor,
        resource=resource,
        tags=[tuple(t) for t in tags] if tags is not None else None,
        **changes,
    )


@reverter("library.version.added")
def _version_added(entry, actor):
    """Withdraw the uploaded version; the one before is current again."""
    services.withdraw_version(
        actor=actor, resource=_resource(entry), number=int(entry.data.get("version", 0))
    )
