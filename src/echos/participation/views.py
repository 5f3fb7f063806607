"""Pages of participation: consultations, results, proposals, comments, reports, moderation, follow-up."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.assessment import engine
from echos.assessment.services import AnswersInvalid
from echos.core.abuse import check_public_post
from echos.core.exceptions import RuleViolation
from echos.core.spreadsheets import SafeWriter, append_row
from echos.hubs.models import Hub
from echos.participation import charts, services
from echos.participation import permissions as perms
from echos.participation.forms import (
    AnswerIdentityForm,
    AnswerProposalForm,
    CommentForm,
    ConsultationForm,
    FollowUpForm,
    ModerationForm,
    ProposalForm,
    ReportForm,
    SupportForm,
)
from echos.participation.models import (
    Comment,
    Consultation,
    ModerationAction,
    Proposal,
    Report,
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
        Proposal.objects.select_related("hub", "consultation").filter(confirmed_at__isnull=False),
        pk=pk,
    )
    can_moderate = perms.can_moderate(request.user, proposal.hub)
    if proposal.is_hidden and not can_moderate:
        raise Http404
    return proposal, can_moderate


# --- index and "you said, we did" ----------------------------------------------------------------


def index(request):
    """Open consultations, recent proposals and each hub's "you said, we did" page."""
    now = timezone.now()
    base = Consultation.objects.select_related("hub")
    hubs_taking_part = (
        Hub.objects.filter(
            Q(consultations__isnull=False)
            | Q(proposals__is_hidden=False, proposals__confirmed_at__isnull=False)
        )
        .distinct()
        .order_by("name_en")
    )
    return render(
        request,
        "participation/index.html",
        {
            "open": base.open(now).order_by("closes_at")[:50],
            "upcoming": base.upcoming(now).order_by("opens_at")[:10],
            "closed": base.closed(now).order_by("-closes_at")[:10],
            "proposals": Proposal.objects.public().select_related("hub")[:10],
            "hubs": hubs_taking_part[:200],
            "can_moderate": perms.can_see_moderation_queue(request.user),
        },
    )


def hub_page(request, hub_id: int):
    """You said, we did: the hub's proposals with its answers and its consultations with follow-ups."""
    hub = get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    proposals = Proposal.objects.public().filter(hub=hub).order_by("-answered_at", "-created_at")
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    page = Paginator(proposals, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/hub.html",
        {
            "hub": hub,
            "page": page,
            "query": f"status={status}" if status else "",
            "status": status,
            "statuses": Proposal.Status.choices,
            "consultations": hub.consultations.order_by("-closes_at")[:100],
            "can_run": perms.can_run_consultations(request.user, hub),
            "now": timezone.now(),
        },
    )


# --- consultations -------------------------------------------------------------------------------


@login_required
def consultation_create(request, hub_id: int):
    hub = get_object_or_404(Hub, pk=hub_id)
    if not perms.can_run_consultations(request.user, hub):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.open_consultation(
                actor=request.user,
                hub=hub,
                title=data["title"],
                description=data["description"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                languages=data["languages"],
                mode=data["mode"],
                definition=data["definition"] or None,
            )
        except RuleViolation as exc:
            form.add_rule_violation(exc)
        else:
            messages.success(request, _("Consultation saved."))
            return redirect(consultation)
    return render(
        request,
        "participation/consultation_form.html",
        {"form": form, "hub": hub},
        status=422 if form.errors else 200,
    )


def _question_items(consultation: Consultation, answers: dict, errors: dict) -> list[dict]:
    """Sections with each question, the value typed so far and its error, for the form."""
    return [
        {
            "section": section,
            "items": [
                {
                    "q": q,
                    "value": answers.get(q.code),
                    "error": errors.get(q.code),
                    "visible": engine.is_visible(q, answers),
                }
                for q in section.questions
            ],
        }
        for section in engine.parse(consultation.instrument.definition)
    ]


def consultation_detail(request, pk: int):
    """The consultation, its answer form while open, its follow-up once closed."""
    consultation = _get_consultation(pk)
    answers, errors = {}, {}
    identity = AnswerIdentityForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        try:
            check_public_post(request, "consultation")
        except RuleViolation as exc:
            return _refused(request, exc)
        answers = engine.answers_from_post(consultation.instrument.definition, request.POST)
        if identity.is_valid():
            try:
                answer = services.submit_answer(
                    consultation=consultation,
                    answers=answers,
                    user=request.user,
                    email=identity.cleaned_data.get("email", ""),
                    language=get_language() or "",
                )
            except AnswersInvalid as exc:
                errors = exc.errors
            except RuleViolation as exc:
                if exc.field == "email" and "email" in identity.fields:
                    identity.add_error("email", exc.message)
                else:
                    messages.error(request, exc.message)
                    errors = {"__all__": exc.message}
            else:
                # Decided by who is signed in, never by the answer returned: for an address that
                # already answered, the service returns the earlier (maybe confirmed) answer.
                if request.user.is_authenticated and answer.user_id == request.user.pk:
                    messages.success(request, _("Thank you: your answer is counted."))
                    return redirect(consultation)
                return redirect("participation:sent")
        else:
            # Still validate the answers, so every problem is listed at once.
            _cleaned, errors = engine.validate(
                consultation.instrument.definition, answers, complete=True
            )
        status = 422
    already = (
        request.user.is_authenticated and consultation.answers.filter(user=request.user).exists()
    )
    return render(
        request,
        "participation/consultation.html",
        {
            "consultation": consultation,
            "hub": consultation.hub,
            "sections": _question_items(consultation, answers, errors),
            "errors": {k: v for k, v in errors.items() if k != "__all__"},
            "identity": identity,
            "already": already,
            "is_open": consultation.is_open(),
            "can_run": perms.can_run_consultations(request.user, consultation.hub),
            "can_export": perms.can_export_answers(request.user, consultation),
            "results_public": consultation.is_closed(),
            "proposals": consultation.proposals.public()[:20],
        },
        status=status,
    )


def sent(request):
    """After an anonymous submission: check your inbox."""
    return render(request, "participation/sent.html")


def confirm(request, token: str):
    """The e-mailed link: a page with one button (mail scanners open links; only people press buttons)."""
    if request.method == "POST":
        try:
            kind, obj = services.confirm(token)
        except RuleViolation as exc:
            return render(request, "participation/confirm.html", {"error": exc.message}, status=400)
        return render(request, "participation/confirmed.html", {"kind": kind, "object": obj})
    try:
        services.check_token(token)
    except RuleViolation as exc:
        return render(request, "participation/confirm.html", {"error": exc.message}, status=400)
    return render(request, "participation/confirm.html", {"token": token})


def results(request, pk: int):
    """Charts and tables from the tallies; public once closed, for the hub team meanwhile."""
    consultation = _get_consultation(pk)
    can_run = perms.can_run_consultations(request.user, consultation.hub)
    if not consultation.is_closed() and not can_run:
        raise PermissionDenied(_("Results are published when the consultation closes."))
    rows = services.results(consultation)
    for row in rows:
        row["spec"] = charts.question_spec(row) if row["charted"] else None
        row["spec_id"] = f"spec-{row['code']}"
    return render(
        request,
        "participation/results.html",
        {
            "consultation": consultation,
            "results": rows,
            "can_read_text": perms.can_read_free_text(request.user, consultation),
            "can_export": perms.can_export_answers(request.user, consultation),
        },
    )


@login_required
def text_answers(request, pk: int, code: str):
    """Free-text answers to one question, paged, for moderators."""
    consultation = _get_consultation(pk)
    if not perms.can_read_free_text(request.user, consultation):
        raise PermissionDenied
    question = next(
        (q for q in engine.questions(consultation.instrument.definition) if q.code == code), None
    )
    if question is None or question.type != "text":
        raise Http404
    page = Paginator(services.text_answers(consultation, code), TEXT_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participation/text_answers.html",
        {
            "consultation": consultation,
            "question": question,
            "page": page,
            "items": [(a.answers.get(code, ""), a.confirmed_at) for a in page],
            "query": "",
        },
    )


@login_required
def export(request, pk: int, fmt: str):
    """Every confirmed answer, without identities, as CSV or XLSX (hub coordinators)."""
    consultation = _get_consultation(pk)
    if not perms.can_export_answers(request.user, consultation):
        raise PermissionDenied
    rows = services.export_rows(consultation)
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("answers")
        for row in rows:
            append_row(sheet, row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        out = io.StringIO()
        SafeWriter(out).writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="consultation-{pk}-answers.{fmt}"'
    return response


@login_required
def follow_up(request, pk: int):
    """Write or change "what we did with your input"."""
    consultation = _get_consultation(pk)
    if not perms.can_run_consultations(request.user, consultation.hub):
        raise PermissionDenied
    form = FollowUpForm(request.POST or None, initial={"follow_up": consultation.follow_up})
    if request.method == "POST" and form.is_valid():
        services.publish_follow_up(
            actor=request.user, consultation=consultation, text=form.cleaned_data["follow_up"]
        )
        messages.success(request, _("Follow-up saved."))
        return redirect(consultation)
    return render(
        request,
        "participation/follow_up_form.html",
        {"form": form, "consultation": consultation},
        status=422 if form.errors else 200,
    )


# --- proposals -----------------------------------------------------------------------------------


def proposal_list(request):
    """Public proposals, filtered by hub, consultation and status, with their supports."""
    qs = Proposal.objects.public().select_related("hub")
    hub = consultation = None
    if request.GET.get("hub", "").isdigit():
        hub = get_object_or_404(Hub, pk=request.GET["hub"])
        qs = qs.filter(hub=hub)
    if request.GET.get("consultation", "").isdigit():
        consultation = get_object_or_404(Consultation, pk=request.GET["consultation"])
        qs = qs.filter(consultation=consultation)
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        qs = qs.filter(status=status)
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
    comments = proposal.comments.filter(confirmed_at__isnull=False)
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
        proposal.comments.filter(confirmed_at__isnull=False, is_hidden=False),
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
    proposal = get_object_or_404(
        Proposal.objects.select_related("hub").filter(confirmed_at__isnull=False), pk=pk
    )
    if not perms.can_answer_proposals(request.user, proposal.hub):
        raise PermissionDenied
    form = AnswerProposalForm(
        request.POST or None, initial={"status": proposal.status, "reason": proposal.answer}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_proposal(
                actor=request.user,
                proposal=proposal,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
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


# --- moderation ----------------------------------------------------------------------------------


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
            "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "participation:moderation")
