"""Memberships: adding and changing them (the hub's team), confirming or declining them (the organisation)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.exceptions import RuleViolation
from echos.hubs import permissions as perms
from echos.hubs import pickers, services
from echos.hubs.forms import MembershipEditForm, MembershipForm
from echos.hubs.models import Membership, Organisation
from echos.hubs.views._common import _apply, _get_hub_for_user


def _current_members(hub):
    """The picker's marks: organisations already members of ``hub`` cannot be chosen again."""

    def marks(ids: list[int]) -> dict[int, str]:
        members = Membership.objects.current().filter(hub=hub, organisation_id__in=ids)
        return dict.fromkeys(
            members.values_list("organisation_id", flat=True), _("already a member")
        )

    return marks


@login_required
def membership_add(request, pk: int):
    """Find the organisation in the picker (name, country, group), then give its role and dates."""
    hub = _get_hub_for_user(request, pk)
    found = pickers.picker(
        request.GET,
        url=reverse("hubs:membership_add", args=[hub.pk]),
        choose="organisation",
        marks=_current_members(hub),
    )
    if request.method == "GET" and pickers.wants_results(request):
        status = 200 if found.valid else 422
        return render(request, "hubs/_org_picker_results.html", {"picker": found}, status=status)
    pick = request.GET.get("organisation", "")
    initial = {"organisation": int(pick)} if pick.isascii() and pick.isdigit() else {}
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved = _apply(
            request,
            form,
            lambda: services.add_membership(actor=request.user, hub=hub, **data),
            _("Member added."),
        )
        if saved is not None:
            _tell_about(request, saved, hub)
            return redirect(hub)
    chosen_id = form["organisation"].value()
    chosen = (
        Organisation.objects.select_related("country", "stakeholder_group")
        .filter(pk=chosen_id)
        .first()
        if str(chosen_id or "").isdigit() and int(chosen_id) < 2**63
        else None
    )
    context = {
        "hub": hub,
        "form": form,
        "picker": found,
        "chosen": chosen,
        "chosen_member": chosen is not None and bool(_current_members(hub)([chosen.pk])),
        "register_url": _register_url(hub),
    }
    status = 422 if form.errors or not found.valid else 200
    return render(request, "hubs/membership_form.html", context, status=status)


def _register_url(hub) -> str:
    """Organisation registration that comes back here with the new organisation chosen."""
    query = urlencode(
        {"next": reverse("hubs:membership_add", args=[hub.pk]), "country": hub.country_id}
    )
    return f"{reverse('hubs:organisation_create')}?{query}"


def _tell_about(request, saved: Membership, hub) -> None:
    if saved.is_pending:
        messages.info(
            request,
            _(
                "%(org)s is listed as awaiting the organisation's confirmation: its "
                "representatives have been asked. Until they confirm, the hub's team "
                "cannot change its details or see its contacts."
            )
            % {"org": saved.organisation.name},
        )
    if saved.organisation.country_id != hub.country_id:
        messages.info(
            request,
            _(
                "%(org)s is registered in another country: it is listed as a partner of "
                "this hub, but its details and contacts stay with the hubs of its own country."
            )
            % {"org": saved.organisation.name},
        )


@login_required
def membership_edit(request, pk: int, membership_id: int):
    hub = _get_hub_for_user(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), pk=membership_id, hub=hub
    )
    form = MembershipEditForm(request.POST or None, instance=membership)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_membership(actor=request.user, membership=membership)
        messages.success(request, _("Membership removed."))
        return redirect(hub)
    if request.method == "POST" and form.is_valid():
        fresh = Membership.objects.get(pk=membership.pk)
        saved = _apply(
            request,
            form,
            lambda: services.update_membership(
                actor=request.user, membership=fresh, **form.cleaned_data
            ),
            _("Membership saved."),
        )
        if saved is not None:
            return redirect(hub)
    return render(
        request, "hubs/membership_form.html", {"hub": hub, "form": form, "membership": membership}
    )


@login_required
def membership_requests(request):
    """Memberships waiting for the user's organisations to confirm them (the network: all)."""
    pending = (
        perms.decidable_memberships(request.user)
        .select_related("hub__country", "organisation__country")
        .order_by("organisation__name", "hub__name_en")
    )
    if perms.is_network_coordinator(request.user):
        # Organisations nobody represents can only be answered for by the network: those first.
        pending = pending.annotate(
            represented=Count(
                "organisation__contacts", filter=Q(organisation__contacts__user__isnull=False)
            )
        ).order_by("represented", "organisation__name", "hub__name_en")
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "hubs/membership_requests.html", {"page": page})


def _decide(request, membership_id: int, decide, success: str):
    membership = get_object_or_404(
        Membership.objects.select_related("hub", "organisation"), pk=membership_id
    )
    if not perms.can_decide_membership(request.user, membership):
        raise PermissionDenied
    try:
        decide(actor=request.user, membership=membership)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success % {"org": membership.organisation, "hub": membership.hub})
    if request.POST.get("next") == "organisation":
        return redirect(membership.organisation)
    return redirect("hubs:membership_requests")


@login_required
@require_POST
def membership_confirm(request, membership_id: int):
    return _decide(
        request,
        membership_id,
        services.confirm_membership,
        _("You confirmed that %(org)s is a member of %(hub)s."),
    )


@login_required
@require_POST
def membership_decline(request, membership_id: int):
    return _decide(
        request,
        membership_id,
        services.decline_membership,
        _("You declined the membership of %(org)s in %(hub)s."),
    )
