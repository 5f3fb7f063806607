"""Page panel of the engagement register (core.registry panels): an organisation's relationships.

Relationships are public facts between organisations, so everyone sees the panel; edit and delete
links appear for the team of the hub that recorded each one.
"""

from django.template.loader import render_to_string

from echos.engagement import relationships
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Organisation


def organisation_relationships(request, obj: Organisation) -> str:
    """HTML of the organisation's relationships (both directions) on its page."""
    user = getattr(request, "user", None)
    found = list(relationships.relationships_of(obj))
    for rel in found:
        rel.can_change = relationships.can_change_relationship(user, rel)
    can_record = bool(user is not None and hub_perms.editable_hubs(user).exists())
    if not found and not can_record:
        return ""
    return render_to_string(
        "engagement/relationship_panel.html",
        {"org": obj, "relationships": found, "can_record": can_record},
        request=request,
    )
