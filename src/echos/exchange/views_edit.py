"""Pages that edit what was API-only: a hub's exchange profile, a commitment's owner, date, hub
and text, and a twinning's self-rated levels before and after (corrected by hand)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.exchange import forms, forms_edit, peers, profiles, sessions, twinning
from echos.exchange import permissions as perms
from echos.exchange.levels import dimension_titles
from echos.exchange.models import Commitment, ExchangeProfile, Twinning
from echos.exchange.pairing import language_name
from echos.hubs.models import Hub


@login_required
def hub_profile(request: HttpRequest, hub_id: int) -> HttpResponse:
    """The hub's exchange profile for every signed-in user; the form for its team."""
    hub = get_object_or_404(Hub, pk=hub_id)
    can_edit = profiles.can_edit_profile(request.user, hub)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    profile = ExchangeProfile.objects.filter(hub=hub).first()
    offer = profiles.offer_for(hub)
    form = None
    status = 200
    if can_edit:
        initial = {
            "capacity": profile.capacity if profile else offer.capacity,
            "languages": sorted(offer.languages),
            "open_to_mentoring": offer.open_to_mentoring,
        }
        form = forms_edit.ProfileForm(
            request.POST if request.method == "POST" else None, initial=initial
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    profiles.update_profile(actor=request.user, hub=hub, **form.cleaned_data)
                except RuleViolation as exc:
                    form.add_rule_violation(exc)
                else:
                    messages.success(request, _("Exchange profile saved."))
                    return redirect("exchange:profile", hub_id=hub.pk)
            status = 422

    return render(
        request,
        "exchange/profile.html",
        {
            "hub": hub,
            "profile": profile,
            "offer": offer,
            "languages": sorted(language_name(c) for c in offer.languages),
            "default_capacity": peers.DEFAULT_CAPACITY,
            "form": form,
        },
        status=status,
    )


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a commitment's hub, owner, text and date: the session's organisers and the
    committed hub's team."""
    c = get_object_or_404(Commitment.objects.select_related("session__event", "hub"), pk=pk)
    if not perms.can_update_commitment(request.user, c):
        raise PermissionDenied
    initial = {"hub": c.hub_id, "owner": c.owner, "what": c.what, "due": c.due}
    form = forms.CommitmentForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sessions.update_commitment(actor=request.user, commitment=c, **form.cleaned_data)
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Commitment updated."))
                return redirect(c.session)
        status = 422
    return render(
        request, "exchange/commitment_form.html", {"commitment": c, "form": form}, status=status
    )


@login_required
def twinning_levels(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the self-rated levels before and after by hand: the agreement's editors."""
    t = get_object_or_404(Twinning, pk=pk)
    if not perms.can_view_twinning(request.user, t) or not perms.can_edit_twinning(request.user, t):
        raise PermissionDenied
    hubs = list(t.hubs.all())
    form = forms_edit.TwinningLevelsForm(
        request.POST if request.method == "POST" else None,
        twinning=t,
        hubs=hubs,
        titles=dimension_titles(),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                twinning.update_twinning(actor=request.user, twinning=t, **form.levels())
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Levels saved."))
                return redirect(t)
        status = 422
    return render(
        request, "exchange/twinning_levels.html", {"twinning": t, "form": form}, status=status
    )
