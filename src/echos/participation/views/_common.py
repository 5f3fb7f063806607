"""What the pages of participation share: the refusal page of public forms and the lookups."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from echos.core.exceptions import RuleViolation
from echos.participation import permissions as perms
from echos.participation.models import (
    Consultation,
    Proposal,
)

PAGE = 50
TEXT_PAGE = 50


def _refused(request, exc: RuleViolation):
    """A public submission refused by the abuse checks (honeypot: 400, over the limit: 429)."""
    return render(
        request, "participation/refused.html", {"message": exc.message}, status=exc.status
    )


def _get_consultation(pk: int) -> Consultation:
    return get_object_or_404(
        Consultation.objects.select_related("hub__country", "instrument"), pk=pk
    )


def _get_proposal_for_user(request, pk: int) -> tuple[Proposal, bool]:
    """A public proposal, or a hidden one for its moderators; with the moderation flag."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("hub", "consultation").confirmed(),
        pk=pk,
    )
    can_moderate = perms.can_moderate(request.user, proposal.hub)
    if proposal.is_hidden and not can_moderate:
        raise Http404
    return proposal, can_moderate
