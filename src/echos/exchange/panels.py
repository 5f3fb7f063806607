"""What the network of support adds to the country and hub pages (``panels`` on the AppConfig):
the roadmap's progress and next step, overdue commitments for the hub's team, open requests."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from echos.core.models import Country
from echos.exchange import permissions as perms
from echos.exchange import roadmap
from echos.exchange.models import Commitment, Roadmap, SupportRequest
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub, Level


def _roadmap_context(request: HttpRequest | None, r: Roadmap) -> dict:
    p = roadmap.progress(r)
    offer = roadmap.stage_offer(r, p.steps)
    user = getattr(request, "user", None)
    return {
        "roadmap": r,
        "progress": p,
        "next": roadmap.step_def(p.next_step) if p.next_step else None,
        "offer": offer,
        "can_edit": perms.can_edit_roadmap(user, r),
    }


def country_panel(request: HttpRequest | None, country: Country) -> str:
    """The country's roadmap (or, for the network, an offer to start one)."""
    r = Roadmap.objects.filter(country=country).select_related("country").first()
    user = getattr(request, "user", None)
    if r is None:
        if roadmap.eligible(country) and perms.can_create_roadmap(user, country.pk):
            return render_to_string(
                "exchange/panel_country.html",
                {"country": country, "roadmap": None},
                request=request,
            )
        return ""
    return render_to_string(
        "exchange/panel_country.html",
        {"country": country, **_roadmap_context(request, r)},
        request=request,
    )


def hub_panel(request: HttpRequest | None, hub: Hub) -> str:
    """The national hub's roadmap; for signed-in users links to the hub's peer suggestions and
    exchange profile; for its team the overdue commitments and open requests."""
    user = getattr(request, "user", None)
    context: dict = {"hub": hub}
    if hub.level == Level.NATIONAL:
        r = Roadmap.objects.filter(country_id=hub.country_id).select_related("country").first()
        if r is not None:
            context.update(_roadmap_context(request, r))
    if hub_perms.can_edit_hub(user, hub):
        context["overdue"] = list(
            Commitment.objects.overdue().filter(hub=hub).select_related("session__event")
        )
        context["requests"] = list(
            SupportRequest.objects.filter(hub=hub).exclude(status=SupportRequest.Status.CLOSED)
        )
    if not perms.signed_in(user) and not context.get("roadmap"):
        return ""  # signed-in users always get the links to the hub's peers and profile
    return render_to_string("exchange/panel_hub.html", context, request=request)
