"""Pages of the events capability: calendar, event page, registration, organiser tools."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.assessment import engine
from echos.core.abuse import TooMany, check_public_post
from echos.core.charts import country_map_spec
from echos.core.exceptions import RuleViolation
from echos.core.models import Country, Term
from echos.core.spreadsheets import SafeWriter
from echos.events import calendar, services
from echos.events import permissions as perms
from echos.events.forms import EventForm, RegistrationForm, SessionForm, StatusForm
from echos.events.models import (
    COUNTRY_TIMEZONES,
    Audience,
    Event,
    EventType,
    Format,
    Registration,
)
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub

PAGE_SIZE = 25


def _filter_context(request, filters: calendar.Filters) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "query": query.urlencode(),
        "countries": Country.objects.all(),
        "types": EventType.choices,
        "audiences": Audience.choices,
        "formats": Format.choices,
        "objectives": Term.objects.of("objectives"),
        "hub_choice": Hub.objects.filter(pk=filters.hub).first() if filters.hub else None,
    }


def _say_ignored(request, filters: calendar.Filters) -> None:
    """Tell the reader which filters were not understood (a full page only, not an htmx swap)."""
    if filters.ignored and not request.htmx:
        messages.warning(
            request,
            _("These filters were not understood and are ignored: %(names)s.")
            % {"names": ", ".join(filters.ignored)},
        )


def calendar_list(request):
    filters = calendar.Filters.from_query(request.GET)
    _say_ignored(request, filters)
    events = filters.apply(calendar.public_events(), viewer=request.user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _filter_context(request, filters)
    today = timezone.localdate()
    context.update(
        {
            "page": page,
            "month_url": reverse("events:month", args=[today.year, today.month]),
            "can_create": bool(
                request.user.is_authenticated and hub_perms.editable_hubs(request.user).exists()
            ),
        }
    )
    template = "events/_event_list.html" if request.htmx else "events/calendar.html"
    return render(request, template, context)


def month(request, year: int | None = None, month: int | None = None):
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 1900 < year < 2200):
        raise Http404
    filters = calendar.Filters.from_query(request.GET)
    _say_ignored(request, filters)
    start, end = calendar.month_bounds(year, month, margin=True)
    events = filters.apply(
        calendar.public_events().overlapping(start, end),
        upcoming_default=False,
        viewer=request.user,
    )
    # Every event of the month as (id, start, end) — cheap — then only those the grid names.
    spans = list(events.order_by("start", "id").values_list("pk", "start", "end", "time_zone"))
    # Each event on its own local days (a Helsinki event at 00:30 on 1 February is in February).
    spans = calendar.month_spans(year, month, spans)
    weeks = calendar.month_grid(year, month, spans)
    named = {pk for week in weeks for day in week for pk in day["ids"]}
    calendar.fill_grid(weeks, calendar.public_events().in_bulk(named))
    previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    context = _filter_context(request, filters)
    context.update(
        {
            "weeks": weeks,
            "month_start": date(year, month, 1),
            "total": len(spans),
            "previous": previous,
            "following": following,
        }
    )
    return render(request, "events/month.html", context)


def _event_or_404(request, pk: int) -> Event:
    event = get_object_or_404(
        Event.objects.select_related("hub", "country", "region", "questions"), pk=pk
    )
    if not perms.can_view_event(request.user, event):
        raise Http404
    return event


def _own_registration(request, event: Event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return (
        event.registrations.filter(user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def event_detail(request, pk: int):
    return _render_event(request, _event_or_404(request, pk))


def _render_event(request, event: Event, form: RegistrationForm | None = None, status: int = 200):
    can_manage = perms.can_manage_event(request.user, event)
    published = can_manage and services.was_published(event)
    mine = _own_registration(request, event)
    is_open, why_closed = services.registration_state(event)
    show_details = (
        event.link_visibility == Event.LinkVisibility.PUBLIC
        or can_manage
        or (mine is not None and mine.holds_place)
    )
    counts = event.registrations.aggregate(
        taken=Count("id", filter=Q(status__in=Registration.HOLDS_PLACE)),
        waiting=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    left = None if event.capacity is None else max(0, event.capacity - counts["taken"])
    if form is None:
        form = RegistrationForm(
            initial={"name": request.user.get_full_name(), "email": request.user.email}
            if request.user.is_authenticated
            else None
        )
    points = []
    if event.latitude is not None and event.longitude is not None and show_details:
        points = [
            {
                "latitude": event.latitude,
                "longitude": event.longitude,
                "name": event.venue or event.title,
                "level_label": str(event.hub.get_level_display()),
                "url": event.get_absolute_url(),
            }
        ]
    objective_labels = dict(Term.objects.of("objectives").values_list("code", "label"))
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "sessions": event.sessions.all(),
            "co_organisers": event.co_organisers.all(),
            "can_manage": can_manage,
            "mine": mine,
            "is_open": is_open,
            "why_closed": why_closed,
            "show_details": show_details,
            "left": left,
            "waiting": counts["waiting"],
            "form": form,
            "question_items": _question_items(event, form),
            "map_spec": _venue_map(event, points),
            "objective_labels": [_(objective_labels.get(c, c)) for c in event.objective_codes],
            "status_form": StatusForm(initial={"status": event.status}, published=published)
            if can_manage
            else None,
            "can_delete": can_manage and not published,
        },
        status=status,
    )


def _venue_map(event: Event, points: list[dict]) -> dict:
    """The country's outline with the venue as one dot (no legend: there is one kind of point)."""
    return country_map_spec(
        event.country_id,
        points,
        encoding={
            "color": {"value": "#a4161a"},
            "tooltip": [{"field": "name", "title": _("Venue")}],
        },
    )


def _question_items(event: Event, form) -> list[dict]:
    """Registration questions (from the questionnaire engine) with posted values and errors."""
    if not event.questions_id:
        return []
    definition = event.questions.definition
    posted = engine.answers_from_post(definition, form.data) if form.is_bound else {}
    errors = {
        name[2:]: errs[0] for name, errs in form.errors.items() if name and name.startswith("q_")
    }
    return [
        {
            "q": q,
            "value": posted.get(q.code),
            "error": errors.get(q.code),
            "visible": engine.is_visible(q, posted),
        }
        for q in engine.questions(definition)
    ]


@require_POST
def register(request, pk: int):
    event = _event_or_404(request, pk)
    form = RegistrationForm(request.POST)
    try:
        check_public_post(request, "register")
    except TooMany as exc:
        return HttpResponse(exc.message, status=429, content_type="text/plain; charset=utf-8")
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(event)
    if form.is_valid():
        answers = (
            engine.answers_from_post(event.questions.definition, request.POST)
            if event.questions_id
            else {}
        )
        # Read before registering, from the event alone: the same whoever the address belongs to.
        was_full = services.places_left(event) == 0
        try:
            registration = services.register(
                event=event,
                user=request.user,
                answers=answers,
                **form.cleaned_data,
            )
        except RuleViolation as exc:
            if exc.field and exc.field.startswith("q_"):
                form.errors[exc.field] = form.error_class([exc.message])
                form.add_error(None, _("Answer the organisers' questions below."))
            else:
                form.add_rule_violation(exc)
        else:
            if services.opens_personal_page(registration, request.user):
                if registration.status == Registration.Status.WAITLISTED:
                    messages.warning(
                        request,
                        _(
                            "The event is full: you are number %(n)d on the waitlist. "
                            "We will e-mail you if a place frees up."
                        )
                        % {"n": services.waitlist_position(registration)},
                    )
                else:
                    messages.success(request, _("You are registered."))
                return redirect("events:registration", services.personal_token(registration))
            # Everyone else sees the same page whether or not the address was already registered
            # (the e-mail tells them which); nothing here depends on the registration returned.
            if was_full:
                messages.warning(
                    request,
                    _(
                        "The event is full: new registrations join the waitlist, "
                        "and our e-mail tells you your place on it."
                    ),
                )
            request.session["registration_sent"] = services.normal_email(form.cleaned_data["email"])
            return redirect("events:registration_sent")
    return _render_event(request, event, form, status=422)


def registration_sent(request):
    return render(
        request,
        "events/registration_sent.html",
        {"email": request.session.get("registration_sent", "")},
    )


def registration_page(request, token: str):
    """The personal page from the link in every e-mail: confirm, accept an offer, cancel."""
    try:
        registration = services.registration_from_token(token)
    except services.LinkExpired as exc:
        return render(
            request,
            "events/registration_expired.html",
            {"message": exc.message, "event": exc.event, "hub": exc.event.hub},
            status=exc.status,
        )
    except RuleViolation as exc:
        return render(
            request, "events/registration_invalid.html", {"message": exc.message}, status=404
        )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.confirm_email(registration)
                messages.success(request, _("Thank you: your e-mail address is confirmed."))
            elif action == "accept":
                services.accept_offer(registration)
                messages.success(request, _("The place is yours. See you there!"))
            elif action == "cancel":
                services.cancel_registration(registration, reason=request.POST.get("reason", ""))
                messages.success(request, _("Your registration is cancelled."))
            else:
                messages.error(request, _("Unknown action."))
        except RuleViolation as exc:
            messages.error(request, exc.message)
        return redirect("events:registration", token)
    services.process_event(registration.event)
    registration.refresh_from_db()
    event = registration.event
    return render(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": event,
            "token": token,
            "position": services.waitlist_position(registration),
            "show_details": registration.holds_place,
        },
    )


# --- organisers -------------------------------------------------------------------------------


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
        form = EventForm(request.POST, country=country)
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
        form = EventForm(initial=initial, country=country)
        status = 200
    return render(
        request, "events/event_form.html", {"form": form, "event": event, "hub": hub}, status=status
    )


def _default_tz(hub: Hub) -> str:
    return COUNTRY_TIMEZONES.get(hub.country_id, "Europe/Brussels")


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
    """Organisers' list with search and check-in buttons; works on a phone."""
    event = _managed(request, pk)
    qs = event.registrations.all()
    q = (request.GET.get("q") or "").strip()[:100]
    status = request.GET.get("status", "")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q))
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    counts = dict(event.registrations.values_list("status").annotate(n=Count("id")).order_by())
    page = Paginator(qs.order_by("name", "id"), 50).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "page": page,
        "q": q,
        "status": status,
        "statuses": Registration.Status.choices,
        "counts": [(label, counts.get(value, 0)) for value, label in Registration.Status.choices],
        "query": f"q={q}&status={status}",
    }
    template = "events/_participants_rows.html" if request.htmx else "events/participants.html"
    return render(request, template, context)


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
            return HttpResponse(exc.message, status=422)
        messages.error(request, exc.message)
        return redirect("events:participants", event.pk)
    if request.htmx:
        return render(request, "events/_participant_row.html", {"event": event, "r": registration})
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
    definition = event.questions.definition if event.questions_id else None
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
