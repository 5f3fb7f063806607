"""A hub's exchange profile over JSON (part of the /api/v1/exchange/ router): read by anyone (it
is what the peers pages show), replaced by the hub's team and the network (``profiles``)."""

from django.shortcuts import get_object_or_404
from ninja import Path, Router

from echos.core.api import TokenAuth
from echos.exchange import profiles
from echos.exchange.models import ExchangeProfile
from echos.exchange.schemas import MAX_ID, ExchangeProfileIn, ExchangeProfileOut
from echos.hubs.models import Hub

router = Router(tags=["exchange"])
auth = TokenAuth()


def profile_out(hub: Hub) -> dict:

    profile = ExchangeProfile.objects.filter(hub=hub).first()
    offer = profiles.offer_for(hub)
    return {
        "hub": hub.pk,
        "from_profile": offer.from_profile,
        "capacity": profile.capacity if profile else offer.capacity,
        "languages": sorted(offer.languages),
        "open_to_mentoring": offer.open_to_mentoring,
        "effective_capacity": offer.capacity,
    }


@router.get(
    "/exchange/hubs/{hub_id}/profile", response=ExchangeProfileOut, summary="Exchange profile"
)
def get_profile(request, hub_id: int = Path(..., ge=1, le=MAX_ID)):
    """The hub's hosting capacity, working languages and openness to mentoring requests, or the
    defaults peers and the pairing use without a profile (``from_profile`` false)."""
    return profile_out(get_object_or_404(Hub, pk=hub_id))


@router.put(
    "/exchange/hubs/{hub_id}/profile",
    response=ExchangeProfileOut,
    auth=auth,
    summary="Set the exchange profile",
)
def put_profile(request, payload: ExchangeProfileIn, hub_id: int = Path(..., ge=1, le=MAX_ID)):
    """Replace the hub's exchange profile: its team and the network; audited, revertible."""
    hub = get_object_or_404(Hub, pk=hub_id)
    profiles.update_profile(actor=request.user, hub=hub, **payload.dict())
    return profile_out(hub)
