"""The impact panel on the hub page (slot ``"hub"``): progress against targets, with a link."""

from django.template.loader import render_to_string

from echos.engagement import impact
from echos.hubs.models import Hub

SHOWN = 5


def hub_impact(request, obj: Hub) -> str:
    """HTML of the panel: up to five indicators with a target; "" for an empty model seen by the
    public (the hub's team gets the link to start one)."""
    user = getattr(request, "user", None)
    if not impact.can_view_impact(user, obj):
        return ""
    model = impact.impact_model(obj)
    if model.is_empty and not impact.can_edit_impact(user, obj):
        return ""
    rows = model.with_target
    return render_to_string(
        "engagement/impact_panel.html",
        {
            "hub": obj,
            "rows": rows[:SHOWN],
            "more": max(0, len(rows) - SHOWN),
            "empty": model.is_empty,
        },
        request=request,
    )
