"""Organisers' pages: create and change events and their programme, participants, check-in,
the participants' CSV and the event as a synergies activity."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.exceptions import RuleViolation
from echos.core.spreadsheets import SafeWriter
from echos.events import calendar, services
from echos.events import permissions as perms
from echos.events.forms import EventForm, SessionForm, StatusForm
from echos.events.models import (
    Event,
    Registration,
    country_timezone,
)
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub
from echos.questionnaires import engine


def _managed(request, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("hub", "country", "region"), pk=pk)
    if not perms.can_manage_event(request.user, event):
        raise PermissionDenied
    return event


@login_required
def event_edit(request, pk: int | None = None):
    event = _managed(request, pk) if pk else None
    if event is None:
        hubs = hub_perms.editable_hubs(request.user).select_related("country").order_by("name_en")
        hub_id = calendar.parse_id(request.GET.get("hub") or request.POST.get("hub"))
        hub = hubs.filter(pk=hub_id).first() if hub_id else None
        if hub is None:
            if not hubs.exists():
                raise PermissionDenied
            return render(request, "events/choose_hub.html", {"hubs": hubs})
    else:
        hub = event.hub
    country = event.country if event else hub.country
    if request.method == "POST":
        form = EventForm(request.POST, country=country, event=event)
        if form.is_valid():
            try:
                if event:
                    event = services.update_event(
                        actor=request.user, event=event, **form.service_fields()
                    )
                    messages.success(request, _("Event saved."))
                else:
                    event = services.create_event(
                        actor=request.user, hub=hub, **form.service_fields()
                    )
                    messages.success(
                        request, _("Draft saved. Publish it when it is ready (Status, below).")
                    )
                return redirect(event)
            except RuleViolation as exc:
                form.add_rule_violation(exc)
        status = 422
    else:
        initial = (
            EventForm.initial_for(event)
            if event
            else {
                "time_zone": _default_tz(hub),
                "registration_enabled": True,
                "offer_hours": 48,
                "languages": "en",
            }
        )
        form = EventForm(initial=initial, country=country, event=event)
        status = 200
    return render(
        request, "events/event_form.html", {"form": form, "event": event, "hub": hub}, status=status
    )


def _default_tz(hub: Hub) -> str:
    return country_timezone(hub.country_id)


@login_required
@require_POST
def event_status(request, pk: int):
    event = _managed(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(
                actor=request.user,
                event=event,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Status changed."))
        except RuleViolation as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose a status."))
    return redirect(event)


@login_required
@require_POST
def event_delete(request, pk: int):
    event = _managed(request, pk)
    try:
        services.delete_event(actor=request.user, event=event)
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(event)
    messages.success(request, _("Draft deleted."))
    return redirect("events:calendar")


@login_required
def session_add(request, pk: int):
    event = _managed(request, pk)
    if request.method == "POST":
        form = SessionForm(request.POST, time_zone=event.time_zone)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["start"] = data["start"].replace(tzinfo=None)
            data["end"] = data["end"].replace(tzinfo=None)
            try:
                services.add_session(actor=request.user, event=event, **data)
                messages.success(request, _("Session added to the programme."))
                return redirect(event)
            except RuleViolation as exc:
                form.add_rule_violation(exc)
        status = 422
    else:
        form = SessionForm(
            time_zone=event.time_zone,
            initial={
                "start": event.local_start.replace(tzinfo=None),
                "end": event.local_end.replace(tzinfo=None),
            },
        )
        status = 200
    return render(
        request, "events/session_form.html", {"form": form, "event": event}, status=status
    )


@login_required
@require_POST
def session_delete(request, pk: int, session_id: int):
    event = _managed(request, pk)
    session = get_object_or_404(event.sessions, pk=session_id)
    services.delete_session(actor=request.user, session=session)
    messages.success(request, _("Session removed."))
    return redirect(event)


@login_required
def participants(request, pk: int):
    """Organisers' check-in list, designed for a phone at the door: the search first (as one types
    with htmx, or a plain GET form), a compact summary, a large check-in button on each row, and the
    other tools (status filter, export, closing the attendance) folded below."""
    event = _managed(request, pk)
    qs = event.registrations.all()
    q = (request.GET.get("q") or "").strip()[:100]
    status = request.GET.get("status", "")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q))
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    elif status:
        if not request.htmx:
            messages.warning(
                request,
                _("Status: “%(value)s” is not a status; every status is shown.")
                % {"value": status[:30]},
            )
        status = ""
    page = Paginator(qs.order_by("name", "id"), 50).get_page(request.GET.get("page"))
    page.object_list = _labelled(page.object_list)
    context = {
        "event": event,
        "page": page,
        "q": q,
        "status": status,
        "statuses": Registration.Status.choices,
        # (code, label, number): the summary shows a status only when someone has it (registered
        # and attended always), to stay one or two lines on a phone.
        "counts": _status_counts(event),
        "query": urlencode({"q": q, "status": status}),
    }
    template = "events/_participants_rows.html" if request.htmx else "events/participants.html"
    return render(request, template, context)


def _labelled(registrations) -> list[Registration]:
    """The registrations with ``status_label`` and ``audience_label`` set from one dictionary each
    (``get_FOO_display`` rebuilds its choices, translating every label, on each call: most of a
    50-row check-in page)."""
    statuses = dict(Registration.Status.choices)
    audiences = dict(Registration._meta.get_field("audience").flatchoices)
    rows = list(registrations)
    for r in rows:
        r.status_label = statuses.get(r.status, r.status)
        r.audience_label = audiences.get(r.audience, r.audience)
    return rows


def _status_counts(event: Event) -> list[tuple[str, Any, int]]:
    """(code, label, number) of every status, in one query."""
    counts = dict(event.registrations.values_list("status").annotate(n=Count("id")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in Registration.Status.choices]


def _row_response(request, event: Event, registration, error: str = "") -> HttpResponse:
    """The participant's row (with the refusal inline, announced) and, out of band, the status
    summary, so both stay current after an htmx check-in."""
    return render(
        request,
        "events/_participant_action.html",
        {
            "event": event,
            "r": _labelled([registration])[0],
            "error": error,
            "counts": _status_counts(event),
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def participant_action(request, pk: int, registration_id: int):
    event = _managed(request, pk)
    registration = get_object_or_404(event.registrations, pk=registration_id)
    action = request.POST.get("action")
    try:
        if action in ("check_in", "undo"):
            registration = services.check_in(
                actor=request.user, registration=registration, attended=action == "check_in"
            )
        elif action == "cancel":
            registration = services.cancel_registration(
                registration, actor=request.user, reason=request.POST.get("reason", "")
            )
        else:
            raise RuleViolation(_("Unknown action."), "action")
    except RuleViolation as exc:
        if request.htmx:
            registration.refresh_from_db()
            return _row_response(request, event, registration, exc.message)
        messages.error(request, exc.message)
        return redirect("events:participants", event.pk)
    if request.htmx:
        return _row_response(request, event, registration)
    return redirect("events:participants", event.pk)


@login_required
@require_POST
def attendance_close(request, pk: int):
    event = _managed(request, pk)
    try:
        count = services.close_attendance(actor=request.user, event=event)
        messages.success(request, _("%(n)d participants marked as not attended.") % {"n": count})
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("events:participants", event.pk)


EXPORT_COLUMNS = [
    ("name", _("Name")),
    ("email", _("E-mail")),
    ("status", _("Status")),
    ("audience", _("Takes part as")),
    ("language", _("Language")),
    ("created_at", _("Registered at")),
    ("checked_in_at", _("Checked in at")),
    ("consent_at", _("Consent given at")),
]


@login_required
def participants_export(request, pk: int):
    """CSV of participants with their answers: organisers only (personal data)."""
    event = _managed(request, pk)
    definition = event.questions.definition if event.questions is not None else None
    question_codes = [q.code for q in engine.questions(definition)] if definition else []
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-participants.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = SafeWriter(response)
    writer.writerow([str(label) for _n, label in EXPORT_COLUMNS] + question_codes)
    for r in event.registrations.order_by("created_at", "id").iterator():
        row = []
        for name, _label in EXPORT_COLUMNS:
            value = getattr(r, name)
            row.append(value.isoformat() if hasattr(value, "isoformat") else value)
        row += [_answer_text(r.answers.get(c)) for c in question_codes]
        writer.writerow(row)
    services.log_export(actor=request.user, event=event)
    return response


def _answer_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


@login_required
@require_POST
def to_activity(request, pk: int):
    """Turn an event into a synergy activity of its hub, without retyping."""
    event = _managed(request, pk)
    try:
        activity = services.record_as_activity(actor=request.user, event=event)
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(event)
    messages.success(request, _("The event is now an activity; here are its synergies."))
    return redirect(activity)
