"""Pages of peer matching: a hub's peer suggestions and the network's Europe-wide pairing."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from echos.core.roles import is_network_coordinator
from echos.exchange import peers
from echos.hubs.models import Hub

PAIRS_PER_PAGE = 50


@login_required
def hub_peers(request: HttpRequest, hub_id: int) -> HttpResponse:
    """Peers of a hub for any signed-in user; maturity only where the viewer may see it."""
    hub = get_object_or_404(Hub, pk=hub_id)
    result = peers.suggestions(request.user, hub)
    return render(request, "exchange/matching/peers.html", {"hub": hub, "peers": result})


@login_required
def europe_pairing(request: HttpRequest) -> HttpResponse:
    """The optimal Europe-wide pairing: network coordinators only (it reads private scores)."""
    if not is_network_coordinator(request.user):
        raise PermissionDenied
    result = peers.europe_pairing()
    page = Paginator(result["pairs"], PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/matching/pairing.html",
        {"result": result, "page": page, "query": ""},
    )
