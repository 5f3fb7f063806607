"""Consultation pages: index, hub page, opening, answering, confirmation, results, exports, follow-up."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

from echos.core import i18n
from echos.core.abuse import check_public_post
from echos.core.exceptions import RuleViolation
from echos.core.multilingual import shown
from echos.core.spreadsheets import SafeWriter, append_row
from echos.hubs.models import Hub
from echos.participation import charts, services
from echos.participation import permissions as perms
from echos.participation.forms import (
    AnswerIdentityForm,
    ConsultationForm,
    ConsultationTextForm,
    FollowUpForm,
)
from echos.participation.models import (
    Consultation,
    Proposal,
)
from echos.participation.views._common import (
    PAGE,
    TEXT_PAGE,
    _get_consultation,
    _refused,
)
from echos.questionnaires import engine
from echos.questionnaires.services import AnswersInvalid


def index(request):
    """Open consultations, recent proposals and each hub's "you said, we did" page."""
    now = timezone.now()
    base = Consultation.objects.select_related("hub")
    hubs_taking_part = (
        Hub.objects.filter(
            Q(consultations__isnull=False) | Q(pk__in=Proposal.objects.public().values("hub_id"))
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


@login_required
def consultation_create(request, hub_id: int):
    hub = get_object_or_404(Hub, pk=hub_id)
    if not perms.can_run_consultations(request.user, hub):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, source_language=services.default_language(hub))
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
                source_language=data["source_language"],
                translations=form.cleaned_translations(),
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
            "also_in": i18n.also_in(request, consultation, shown(consultation, "title").language),
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
        book = Workbook(write_only=True)
        sheet = book.create_sheet("answers")
        for row in rows:
            append_row(sheet, row)
        # The consultation's own text in every language (title [en], title [fr], …).
        about = book.create_sheet("consultation")
        for row in services.text_rows(consultation):
            append_row(about, row)
        out: io.BytesIO | io.StringIO = io.BytesIO()
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
    form = FollowUpForm(
        request.POST or None,
        initial={"follow_up": consultation.follow_up},
        consultation=consultation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_follow_up(
                actor=request.user,
                consultation=consultation,
                text=form.cleaned_data["follow_up"],
                translations=form.cleaned_translations(),
            )
        except RuleViolation as exc:
            if not form.add_translation_violation(exc):
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect(consultation)
    return render(
        request,
        "participation/follow_up_form.html",
        {"form": form, "consultation": consultation},
        status=422 if form.errors else 200,
    )


@login_required
def consultation_texts(request, pk: int):
    """Change the title and description of a consultation and their translations."""
    consultation = _get_consultation(pk)
    if not perms.can_run_consultations(request.user, consultation.hub):
        raise PermissionDenied
    form = ConsultationTextForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.translate_consultation(
                actor=request.user,
                consultation=consultation,
                title=data["title"],
                description=data["description"],
                source_language=data["source_language"],
                translations=form.cleaned_translations(),
            )
        except RuleViolation as exc:
            form.add_rule_violation(exc)
        else:
            messages.success(request, _("Consultation saved."))
            return redirect(consultation)
    return render(
        request,
        "participation/consultation_texts_form.html",
        {"form": form, "consultation": consultation},
        status=422 if form.errors else 200,
    )
