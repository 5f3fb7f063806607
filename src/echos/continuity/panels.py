"""The continuity panel on the hub page (slot ``"hub"``): links and warnings for the hub's team
and the network; the published canvas link for everyone else; nothing when there is nothing."""

from django.template.loader import render_to_string
from django.utils import timezone

from echos.continuity import permissions as perms
from echos.continuity.models import HubModel, Risk
from echos.hubs.models import Hub


def flags(hub: Hub) -> dict:
    """Overdue reviews and high risks (likelihood × impact ≥ 15) without mitigation."""
    risks = list(Risk.objects.unresolved().filter(hub=hub))
    today = timezone.localdate()
    return {
        "overdue": [r for r in risks if r.review_date is not None and r.review_date < today],
        "unmitigated": [r for r in risks if r.is_high and not r.mitigation.strip()],
    }


def hub_panel(request, hub: Hub) -> str:
    """HTML of the panel, or "" when the viewer may see nothing of the hub's continuity."""
    user = getattr(request, "user", None)
    settings = HubModel.objects.filter(hub=hub).first()
    published = bool(settings and settings.canvas_published)
    if not perms.can_view_model(user, hub):
        if not published:
            return ""
        return render_to_string(
            "continuity/_panel.html", {"hub": hub, "public": True}, request=request
        )
    return render_to_string(
        "continuity/_panel.html",
        {"hub": hub, "public": False, "can_edit": perms.can_edit_model(user, hub), **flags(hub)},
        request=request,
    )
