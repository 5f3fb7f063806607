"""The moderation queue of reported and hidden contributions, and the moderators' decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.exceptions import RuleViolation
from echos.participation import permissions as perms
from echos.participation import services
from echos.participation.forms import (
    ModerationForm,
)
from echos.participation.models import (
    Comment,
    ModerationAction,
    Proposal,
    Report,
)


@login_required
def moderation_queue(request):
    """Reported and hidden proposals and comments of the hubs the user moderates."""
    if not perms.can_see_moderation_queue(request.user):
        raise PermissionDenied
    hub_ids = perms.moderated_hub_ids(request.user)
    open_reports = Prefetch(
        "reports", queryset=Report.objects.filter(resolved_at__isnull=True), to_attr="open_list"
    )
    proposals = (
        Proposal.objects.select_related("hub")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .prefetch_related(open_reports)
    )
    comments = (
        Comment.objects.select_related("proposal__hub")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .prefetch_related(open_reports)
    )
    history = ModerationAction.objects.select_related("hub", "proposal", "comment", "actor")
    if hub_ids is not None:
        proposals = proposals.filter(hub_id__in=hub_ids)
        comments = comments.filter(proposal__hub_id__in=hub_ids)
        history = history.filter(hub_id__in=hub_ids)
    reported_proposals = proposals.filter(open_reports__gt=0).order_by("-open_reports", "-id")
    reported_comments = comments.filter(open_reports__gt=0).order_by("-open_reports", "-id")
    return render(
        request,
        "participation/moderation.html",
        {
            "reported_proposals": reported_proposals[:100],
            "reported_comments": reported_comments[:100],
            "hidden_proposals": proposals.filter(is_hidden=True).order_by("-id")[:100],
            "hidden_comments": comments.filter(is_hidden=True).order_by("-id")[:100],
            "history": history[:100],
            "form": ModerationForm(),
        },
    )


@login_required
@require_POST
def moderate(request, kind: str, pk: int):
    """Hide, restore or dismiss reports, with a reason."""
    model = {"proposal": Proposal, "comment": Comment}.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.moderate(
                actor=request.user,
                target=target,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Moderation decision recorded."))
    else:
        messages.error(
            request,
            "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),  # type: ignore[arg-type]  # ErrorList yields the messages (str)
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "participation:moderation")
