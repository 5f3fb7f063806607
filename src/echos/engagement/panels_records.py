"""The follow-up panel on the hub page (slot ``"hub"``): the hub's overdue follow-up actions.

Follow-ups name their owners (accounts): the panel is for the hub's team only, and empty for
everybody else (the public sees nothing, not even that there are follow-ups).
"""

from django.template.loader import render_to_string

from echos.engagement import permissions as perms
from echos.engagement import services
from echos.hubs.models import Hub

SHOWN = 10


def hub_follow_ups(request, hub: Hub) -> str:
    """HTML of the panel: up to ten overdue follow-ups with a link to the hub's records."""
    user = getattr(request, "user", None)
    if not perms.can_view_follow_ups(user, hub):
        return ""
    overdue = list(services.overdue_follow_ups(hub).order_by("due_date", "pk")[: SHOWN + 1])
    return render_to_string(
        "engagement/followup_panel.html",
        {"hub": hub, "follow_ups": overdue[:SHOWN], "more": len(overdue) > SHOWN},
        request=request,
    )
