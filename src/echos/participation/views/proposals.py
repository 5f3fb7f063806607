"""Proposal pages: list, new proposal, detail, support, comment, report, the hub's answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.abuse import check_public_post
from echos.core.exceptions import RuleViolation
from echos.core.filters import ignored_item, say_ignored, unknown_parameters
from echos.core.multilingual import folded_search
from echos.hubs.models import Hub
from echos.participation import permissions as perms
from echos.participation import services
from echos.participation.forms import (
    AnswerProposalForm,
    CommentForm,
    ProposalForm,
    ReportForm,
    SupportForm,
)
from echos.participation.models import (
    Comment,
    Consultation,
    Proposal,
)
from echos.participation.views._common import (
    PAGE,
    _get_proposal_for_user,
    _refused,
)


def proposal_list(request):
    """Public proposals, filtered by hub, consultation and status, with their supports."""
    qs = Proposal.objects.public().select_related("hub")
    hub = consultation = None
    params = request.GET
    # Values that name nothing are named in the site's one notice (core.filters), then ignored.
    ignored = unknown_parameters(params, ("hub", "consultation", "status", "order", "q"))
    for name in ("hub", "consultation"):
        if params.get(name, "") and not params[name].isdigit():
            ignored.append(ignored_item(name, params[name]))
    if params.get("status", "") and params["status"] not in Proposal.Status.values:
        ignored.append(ignored_item("status", params["status"]))
    if params.get("order", "") not in ("", "supports"):
        ignored.append(ignored_item("order", params["order"]))
    say_ignored(request, ignored)
    if request.GET.get("hub", "").isdigit():
        hub = get_object_or_404(Hub, pk=request.GET["hub"])
        qs = qs.filter(hub=hub)
    if request.GET.get("consultation", "").isdigit():
        consultation = get_object_or_404(Consultation, pk=request.GET["consultation"])
        qs = qs.filter(consultation=consultation)
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:200]
    if q:  # every word, accents and case ignored, in the author's words and every language of
        qs = folded_search(qs, q)  # the hub's answer
    order = "-support_count" if request.GET.get("order") == "supports" else "-created_at"
    qs = qs.order_by(order, "-id")
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participation/proposal_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "hub": hub,
            "consultation": consultation,
            "status": status,
            "statuses": Proposal.Status.choices,
            "order": request.GET.get("order", ""),
            "q": q,
        },
    )


def proposal_create(request, hub_id: int):
    hub = get_object_or_404(Hub, pk=hub_id)
    consultation = None
    consultation_id = request.POST.get("consultation") or request.GET.get("consultation")
    if consultation_id and str(consultation_id).isdigit():
        consultation = Consultation.objects.filter(pk=consultation_id, hub=hub).first()
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST":
        try:
            check_public_post(request, "proposal")
        except RuleViolation as exc:
            return _refused(request, exc)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.submit_proposal(
                    hub=hub,
                    consultation=consultation,
                    title=data["title"],
                    body=data["body"],
                    display_name=data["display_name"],
                    user=request.user,
                    email=data.get("email", ""),
                    language=data.get("language", ""),
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                if proposal.is_confirmed:
                    messages.success(request, _("Thank you: your proposal is published."))
                    return redirect(proposal)
                return redirect("participation:sent")
    return render(
        request,
        "participation/proposal_form.html",
        {"form": form, "hub": hub, "consultation": consultation},
        status=422 if form.errors else 200,
    )


def proposal_detail(request, pk: int):
    proposal, can_moderate = _get_proposal_for_user(request, pk)
    comments = proposal.comments.confirmed()
    if not can_moderate:
        comments = comments.filter(is_hidden=False)
    supported = (
        request.user.is_authenticated and proposal.supports.filter(user=request.user).exists()
    )
    return _proposal_page(
        request,
        proposal,
        can_moderate,
        comments=comments,
        supported=supported,
        comment_form=CommentForm(user=request.user),
        support_form=SupportForm(user=request.user),
    )


def _proposal_page(request, proposal, can_moderate, *, status=200, **context):
    context.setdefault(
        "comments",
        proposal.comments.public(),
    )
    context.setdefault("supported", False)
    context.setdefault("comment_form", CommentForm(user=request.user))
    context.setdefault("support_form", SupportForm(user=request.user))
    return render(
        request,
        "participation/proposal.html",
        {
            "proposal": proposal,
            "hub": proposal.hub,
            "can_moderate": can_moderate,
            "can_answer": perms.can_answer_proposals(request.user, proposal.hub),
            "history": proposal.moderation.all()[:50],
            "open_proposal": not proposal.is_hidden,
            **context,
        },
        status=status,
    )


@require_POST
def proposal_support(request, pk: int):
    proposal, can_moderate = _get_proposal_for_user(request, pk)
    try:
        check_public_post(request, "support")
    except RuleViolation as exc:
        return _refused(request, exc)
    form = SupportForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            made = services.support(
                proposal=proposal,
                user=request.user,
                email=form.cleaned_data.get("email", ""),
            )
        except RuleViolation as exc:
            if "email" in form.fields:
                form.add_error("email", exc.message)
            else:
                form.add_error(None, exc.message)
        else:
            if request.user.is_authenticated and made.user_id == request.user.pk:
                messages.success(request, _("Thank you for your support."))
                return redirect(proposal)
            return redirect("participation:sent")
    return _proposal_page(request, proposal, can_moderate, support_form=form, status=422)


@require_POST
def proposal_comment(request, pk: int):
    proposal, can_moderate = _get_proposal_for_user(request, pk)
    try:
        check_public_post(request, "comment")
    except RuleViolation as exc:
        return _refused(request, exc)
    form = CommentForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.comment(
                proposal=proposal,
                body=data["body"],
                display_name=data["display_name"],
                user=request.user,
                email=data.get("email", ""),
                language=data.get("language", ""),
            )
        except RuleViolation as exc:
            form.add_rule_violation(exc)
        else:
            if made.is_confirmed:
                messages.success(request, _("Your comment is published."))
                return redirect(proposal)
            return redirect("participation:sent")
    return _proposal_page(request, proposal, can_moderate, comment_form=form, status=422)


def _report_target(kind: str, pk: int):
    if kind == "proposal":
        return get_object_or_404(Proposal.objects.public().select_related("hub"), pk=pk)
    if kind == "comment":
        return get_object_or_404(
            Comment.objects.public()
            .filter(proposal__is_hidden=False)
            .select_related("proposal__hub"),
            pk=pk,
        )
    raise Http404


def report(request, kind: str, pk: int):
    """Anyone reports a proposal or a comment to the moderators, with a reason."""
    target = _report_target(kind, pk)
    proposal = target if kind == "proposal" else target.proposal
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        try:
            check_public_post(request, "report")
        except RuleViolation as exc:
            return _refused(request, exc)
        if form.is_valid():
            try:
                services.report(
                    target=target,
                    reason=form.cleaned_data["reason"],
                    details=form.cleaned_data["details"],
                    user=request.user,
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(
                    request, _("Thank you: the hub's moderators will look at your report.")
                )
                return redirect(proposal)
    return render(
        request,
        "participation/report_form.html",
        {"form": form, "target": target, "kind": kind, "proposal": proposal},
        status=422 if form.errors else 200,
    )


@login_required
def proposal_answer(request, pk: int):
    """The hub's answer to a proposal: status and reason."""
    proposal = get_object_or_404(Proposal.objects.select_related("hub").confirmed(), pk=pk)
    if not perms.can_answer_proposals(request.user, proposal.hub):
        raise PermissionDenied
    form = AnswerProposalForm(
        request.POST or None,
        initial={"status": proposal.status, "reason": proposal.answer},
        proposal=proposal,
        source_language=services.default_language(proposal.hub),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_proposal(
                actor=request.user,
                proposal=proposal,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                source_language=form.cleaned_data["source_language"],
                translations=form.cleaned_translations(),
            )
        except RuleViolation as exc:
            form.add_rule_violation(exc)
        else:
            messages.success(request, _("The hub's answer is published."))
            return redirect(proposal)
    return render(
        request,
        "participation/answer_form.html",
        {"form": form, "proposal": proposal},
        status=422 if form.errors else 200,
    )
