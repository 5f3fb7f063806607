"""An event's page, registering for it, and the personal page of a registration (its link)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core import i18n
from echos.core.abuse import TooMany, check_public_post
from echos.core.charts import country_map_spec
from echos.core.exceptions import RuleViolation
from echos.core.models import Term
from echos.core.multilingual import Shown, active_language, shown
from echos.events import permissions as perms
from echos.events import services
from echos.events.forms import RegistrationForm, StatusForm
from echos.events.models import (
    Event,
    Registration,
)
from echos.questionnaires import engine


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
                "name": event.venue or shown(event, "title").text,
                "level_label": str(event.hub.get_level_display()),
                "url": event.get_absolute_url(),
            }
        ]
    objective_labels = dict(Term.objects.of("objectives").values_list("code", "label"))
    texts = event_texts(event)
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "texts": texts,
            "fallback": next((t for t in texts.values() if t.is_fallback), None),
            "also_in": i18n.also_in(request, event),
            "source_lang_attr": source_lang_attr(event),
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


def event_texts(event: Event) -> dict[str, Shown]:
    """The event's texts in the reader's language, or in its source language (marked)."""
    return {name: shown(event, name) for name in Event.TRANSLATABLE}


def source_lang_attr(event: Event) -> SafeString:
    """`` lang="de"`` on text only written in the event's source language (status reason,
    programme) when the page is in another language."""
    if event.source_language and event.source_language != active_language():
        return format_html(' lang="{}"', event.source_language)
    return mark_safe("")


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
    if event.questions is None:
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
            if event.questions is not None
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
            "title": shown(event, "title"),
            "token": token,
            "position": services.waitlist_position(registration),
            "show_details": registration.holds_place,
        },
    )
