"""Pages of the synergies capability: catalogue, activities and suggestions, links, matrix, graph."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core import i18n
from echos.core.exceptions import RuleViolation
from echos.core.languages import language_name
from echos.core.models import Country, Term
from echos.core.multilingual import folded_search
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub
from echos.synergies import charts, matching, services
from echos.synergies.forms import ActivityForm, InitiativeForm
from echos.synergies.models import Activity, Initiative, SynergyLink


def catalogue(request):
    qs = Initiative.objects.prefetch_related("objectives")
    programme, objective, q = (
        request.GET.get("programme", ""),
        request.GET.get("objective", ""),
        request.GET.get("q", ""),
    )
    if programme:
        qs = qs.filter(programme=programme)
    if objective:
        qs = qs.filter(objectives__code=objective)
    # Every language version of name and description, acronym and partners; accents and case
    # ignored ("Pobreza" finds "pobreza", "lodz" finds "Łódź") (#17).
    qs = folded_search(qs, q[:200])
    page = Paginator(qs.distinct(), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "synergies/catalogue.html",
        {
            "page": page,
            "query": query.urlencode(),
            "programmes": Initiative.Programme.choices,
            "objectives": Term.objects.of("objectives"),
            "programme": programme,
            "objective": objective,
            "q": q,
            "can_edit": hub_perms.is_network_coordinator(request.user),
        },
    )


def initiative_detail(request, key: str):
    initiative = get_object_or_404(
        Initiative.objects.prefetch_related(
            "objectives", "policy_areas", "ebcp_pillars", "countries"
        ),
        key=key,
    )
    links = initiative.links.select_related("hub", "activity")
    return render(
        request,
        "synergies/initiative.html",
        {
            "initiative": initiative,
            "also_in": i18n.also_in(request, initiative),
            "links": links,
            "can_edit": hub_perms.is_network_coordinator(request.user),
        },
    )


def _text_fields(form) -> dict:
    """The form's own fields, the source language and the translations (#17)."""
    data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("tr-")}
    data["translations"] = form.cleaned_translations()
    if not data.get("source_language"):
        data.pop("source_language", None)  # left out of the post: unchanged
    return data


def _initiative_fields(form) -> dict:
    data = _text_fields(form)
    for name in ("objectives", "ebcp_pillars", "policy_areas"):
        data[name] = [t.code for t in data.get(name) or []]
    return data


@login_required
def initiative_edit(request, key: str | None = None):
    if not hub_perms.is_network_coordinator(request.user):
        raise PermissionDenied
    initiative = get_object_or_404(Initiative, key=key) if key else None
    form = InitiativeForm(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_initiative(
                actor=request.user,
                initiative=initiative or Initiative(),
                **_initiative_fields(form),
            )
        except RuleViolation as exc:
            if not form.add_translation_violation(exc):
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Initiative saved."))
            return redirect(saved)
    return render(
        request, "synergies/initiative_form.html", {"form": form, "initiative": initiative}
    )


def hub_activities(request, hub_id: int):
    hub = get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    can_edit = hub_perms.can_edit_hub(request.user, hub)
    return render(
        request,
        "synergies/hub.html",
        {
            "hub": hub,
            "activities": hub.activities.prefetch_related("objectives", "policy_areas"),
            "links": hub.synergy_links.select_related(
                "activity", "initiative", "other_activity__hub"
            ),
            "suggestions": matching.hub_suggestions(hub, top=8)
            if can_edit and hub.activities.exists()
            else [],
            "can_edit": can_edit,
        },
    )


def _activity_fields(form) -> dict:
    data = _text_fields(form)
    for name in ("objectives", "policy_areas", "target_groups"):
        data[name] = [t.code for t in data.get(name) or []]
    return data


@login_required
def activity_edit(request, hub_id: int | None = None, pk: int | None = None):
    activity = (
        get_object_or_404(Activity.objects.select_related("hub__country"), pk=pk) if pk else None
    )
    hub = (
        activity.hub
        if activity
        else get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    )
    if not hub_perms.can_edit_hub(request.user, hub):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, instance=activity, hub=hub)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_activity(
                actor=request.user,
                hub=hub,
                activity=activity or Activity(hub=hub),
                **_activity_fields(form),
            )
        except RuleViolation as exc:
            if not form.add_translation_violation(exc):
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Activity saved; suggestions are below."))
            return redirect(saved)
    return render(
        request, "synergies/activity_form.html", {"form": form, "hub": hub, "activity": activity}
    )


def activity_detail(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("hub__country", "region"), pk=pk)
    can_edit = hub_perms.can_edit_hub(request.user, activity.hub)
    return render(
        request,
        "synergies/activity.html",
        {
            "activity": activity,
            "source_language_name": language_name(activity.source_language),
            "also_in": i18n.also_in(request, activity),
            "can_edit": can_edit,
            "suggestions": matching.suggestions(activity, top=10),
            "links": activity.links.select_related("initiative", "other_activity__hub"),
            "statuses": SynergyLink.Status.choices,
        },
    )


@login_required
@require_POST
def decide(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("hub"), pk=pk)
    initiative = Initiative.objects.filter(key=request.POST.get("initiative", "")).first()
    try:
        other_pk = int(request.POST.get("activity") or 0)
        if not 0 <= other_pk < 2**63:
            raise ValueError
    except ValueError:
        messages.error(request, _("The activity to link must be given by its number."))
        return redirect(activity)
    other = Activity.objects.filter(pk=other_pk).first() if other_pk else None
    try:
        score = float(request.POST.get("score") or 0) or None
    except ValueError:
        messages.error(request, _("The score must be a number."))
        return redirect(activity)
    try:
        services.decide(
            actor=request.user,
            activity=activity,
            verdict=request.POST.get("verdict", ""),
            initiative=initiative,
            other_activity=other,
            score=score,
        )
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Suggestion accepted: a synergy link is proposed.")
            if request.POST.get("verdict") == "accepted"
            else _("Suggestion rejected: it will not be shown again."),
        )
    return redirect(activity)


@login_required
@require_POST
def link_update(request, pk: int):
    link = get_object_or_404(SynergyLink.objects.select_related("hub", "activity"), pk=pk)
    try:
        services.update_link(
            actor=request.user,
            link=link,
            status=request.POST.get("status"),
            notes=request.POST.get("notes"),
        )
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Synergy link updated."))
    return redirect(link.activity)


def matrix(request):
    """Mission objectives × policy areas, per country: where activities exist and where nobody works."""
    country = Country.objects.filter(pk=(request.GET.get("country") or "").upper()).first()
    objectives = list(Term.objects.of("objectives"))
    areas = list(Term.objects.of("policy_areas"))
    through_o = Activity.objectives.through.objects.all()
    through_p = Activity.policy_areas.through.objects.all()
    if country:
        through_o = through_o.filter(activity__hub__country=country)
        through_p = through_p.filter(activity__hub__country=country)
    objectives_of = defaultdict(set)
    for activity_id, term_id in through_o.values_list("activity_id", "term_id"):
        objectives_of[activity_id].add(term_id)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for activity_id, term_id in through_p.values_list("activity_id", "term_id"):
        for objective_id in objectives_of.get(activity_id, ()):
            counts[(objective_id, term_id)] += 1
    rows = [
        {
            "objective": o,
            "cells": [{"area": a, "count": counts.get((o.pk, a.pk), 0)} for a in areas],
        }
        for o in objectives
    ]
    # Countries with activities per objective (across all policy areas), for the Europe-wide view.
    per_country: defaultdict[str, defaultdict[int, int]] = defaultdict(lambda: defaultdict(int))
    for code, term_id in Activity.objectives.through.objects.values_list(
        "activity__hub__country_id", "term_id"
    ):
        per_country[code][term_id] += 1
    countries = [
        {"country": c, "cells": [per_country[c.code].get(o.pk, 0) for o in objectives]}
        for c in Country.objects.all()
    ]
    spec = charts.matrix_spec(
        [
            {"objective": r["objective"].display, "area": c["area"].display, "count": c["count"]}
            for r in rows
            for c in r["cells"]
        ]
    )
    return render(
        request,
        "synergies/matrix.html",
        {
            "rows": rows,
            "areas": areas,
            "objectives": objectives,
            "country": country,
            "countries": countries,
            "all_countries": Country.objects.all(),
            "spec": spec,
            "empty": sum(1 for r in rows for c in r["cells"] if c["count"] == 0),
        },
    )


def graph(request):
    """Hubs, their activities and the initiatives they are linked to, as a network and a table."""
    links = list(
        SynergyLink.objects.select_related("hub", "activity", "initiative", "other_activity__hub")[
            :400
        ]
    )
    return render(
        request, "synergies/graph.html", {"links": links, "spec": charts.graph_spec(links)}
    )
