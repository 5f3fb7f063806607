"""Pages of the engagement capability: a hub's records with its coverage, record pages, editing."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.exceptions import RuleViolation
from echos.core.languages import COUNTRY_LANGUAGE
from echos.core.models import Term
from echos.engagement import coverage, coverage_charts, services, suggestions
from echos.engagement import permissions as perms
from echos.engagement.forms import FOLLOW_UP_ACTIONS, EngagementRecordForm, FollowUpForm
from echos.engagement.models import EngagementRecord, FollowUp
from echos.hubs.models import Hub

PAGE_SIZE = 25


@dataclass
class Filters:
    """The list's filters; values that match nothing known are dropped."""

    level: str = ""
    group: str = ""
    year: int | None = None

    @classmethod
    def from_query(cls, query, *, levels, groups) -> "Filters":
        level = query.get("level", "")
        group = query.get("group", "")
        year = query.get("year", "")
        return cls(
            level=level if level in {t.code for t in levels} else "",
            group=group if group in {t.code for t in groups} else "",
            year=int(year) if year.isdigit() and 1900 < int(year) < 2200 else None,
        )

    def apply(self, records):
        if self.level:
            records = records.at_level(self.level)
        if self.group:
            records = records.reaching(self.group)
        if self.year:
            records = records.filter(date__year=self.year)
        return records


def hub_records(request, hub_id: int):
    """Public: the hub's records, filtered, and which groups it reaches how deeply."""
    hub = get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    if not perms.can_view_records(request.user, hub):
        raise PermissionDenied
    levels = list(Term.objects.of(Term.Vocabulary.ENGAGEMENT_LEVELS))
    groups = list(Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS))
    filters = Filters.from_query(request.GET, levels=levels, groups=groups)
    if filters.year:
        start, end = date(filters.year, 1, 1), date(filters.year, 12, 31)
    else:
        start, end = coverage.last_twelve_months(timezone.localdate())
    table = coverage.hub_coverage(hub, start=start, end=end, levels=levels, groups=groups)
    records = filters.apply(
        hub.engagement_records.select_related("level").prefetch_related("stakeholder_groups")
    )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagement/hub.html",
        {
            "hub": hub,
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "coverage": table,
            "levels": levels,
            "groups": groups,
            "years": [d.year for d in hub.engagement_records.dates("date", "year", order="DESC")],
            "can_edit": perms.can_record_engagement(request.user, hub),
            "overdue": _overdue(request.user, hub),
        },
    )


def _overdue(user, hub: Hub):
    """The hub's overdue follow-ups for its team; None for everybody else."""
    if not perms.can_view_follow_ups(user, hub):
        return None
    return list(services.overdue_follow_ups(hub).order_by("due_date", "pk")[:50])


def hub_coverage_page(request, hub_id: int):
    """Public: coverage and gaps of one hub over a period (counts only; follow-ups for the team)."""
    hub = get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    if not perms.can_view_records(request.user, hub):
        raise PermissionDenied
    today = timezone.localdate()
    team = perms.can_view_follow_ups(request.user, hub)
    context = {
        "hub": hub,
        "start": request.GET.get("start", ""),
        "end": request.GET.get("end", ""),
        "error": None,
        "report": None,
    }
    try:
        start, end = coverage.parse_period(
            request.GET.get("start"), request.GET.get("end"), today=today
        )
    except RuleViolation as exc:
        context["error"] = exc
        return render(request, "engagement/coverage.html", context, status=400)
    report = coverage.coverage_report(hub, start=start, end=end)
    context.update(
        start=start.isoformat(),
        end=end.isoformat(),
        report=report,
        suggestions=suggestions.suggest(report, include_team=team, today=today),
        balance_spec=coverage_charts.balance_spec(report.balance),
        trend_spec=coverage_charts.trend_spec(report.trend),
        map_spec=coverage_charts.regions_spec(hub, report.regions),
        team=team,
    )
    return render(request, "engagement/coverage.html", context)


def record_detail(request, pk: int, follow_up_form: FollowUpForm | None = None, status=200):
    record = get_object_or_404(
        EngagementRecord.objects.select_related("hub__country", "level", "region").prefetch_related(
            "stakeholder_groups", "organisations", "objectives", "policy_areas"
        ),
        pk=pk,
    )
    team = perms.can_view_follow_ups(request.user, record.hub)
    can_manage = perms.can_manage_follow_ups(request.user, record.hub)
    if can_manage and follow_up_form is None:
        follow_up_form = FollowUpForm(
            team=services.team_members(record.hub),
            initial={"due_date": max(record.date, timezone.localdate())},
            auto_id="fu_%s",
        )
    return render(
        request,
        "engagement/record.html",
        {
            "record": record,
            "counts": record.participant_counts.select_related("group"),
            "activity": services.linked_activity(record),
            "can_edit": perms.can_change_record(request.user, record),
            "can_turn": perms.can_turn_into_activity(request.user, record),
            "follow_ups": list(record.follow_ups.select_related("owner")) if team else None,
            "can_manage_follow_ups": can_manage,
            "follow_up_form": follow_up_form if can_manage else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_POST
def follow_up_create(request, pk: int):
    """Add a follow-up action from the record page; errors are shown on its form there."""
    record = get_object_or_404(EngagementRecord.objects.select_related("hub__country"), pk=pk)
    if not perms.can_manage_follow_ups(request.user, record.hub):
        raise PermissionDenied
    form = FollowUpForm(request.POST, team=services.team_members(record.hub), auto_id="fu_%s")
    if form.is_valid():
        try:
            services.save_follow_up(
                actor=request.user,
                record=record,
                title=form.cleaned_data["title"],
                owner=form.cleaned_data["owner"] or None,
                due_date=form.cleaned_data["due_date"],
            )
        except RuleViolation as exc:
            form.add_rule_violation(exc)
        else:
            messages.success(request, _("Follow-up action added."))
            return redirect(record.get_absolute_url() + "#follow-ups")
    return record_detail(request, pk, follow_up_form=form, status=422)


@login_required
@require_POST
def follow_up_status(request, pk: int, action: str):
    """Complete, cancel or reopen a follow-up action."""
    follow_up = get_object_or_404(FollowUp.objects.select_related("record__hub"), pk=pk)
    if not perms.can_manage_follow_ups(request.user, follow_up.record.hub):
        raise PermissionDenied
    if action not in FOLLOW_UP_ACTIONS:
        raise Http404
    services.set_follow_up_status(
        actor=request.user, follow_up=follow_up, status=FOLLOW_UP_ACTIONS[action]
    )
    messages.success(request, _("Follow-up action updated."))
    return redirect(follow_up.record.get_absolute_url() + "#follow-ups")


def _editable(request, pk: int) -> EngagementRecord:
    record = get_object_or_404(EngagementRecord.objects.select_related("hub__country"), pk=pk)
    if not perms.can_change_record(request.user, record):
        raise PermissionDenied
    return record


@login_required
def record_edit(request, hub_id: int | None = None, pk: int | None = None):
    """Create (``hub_id``) or change (``pk``) a record; errors are shown on the fields they name."""
    record = _editable(request, pk) if pk else None
    hub = (
        record.hub
        if record
        else get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    )
    if record is None and not perms.can_record_engagement(request.user, hub):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = EngagementRecordForm(request.POST, hub=hub, record=record)
        if form.is_valid():
            try:
                saved = services.save_record(
                    actor=request.user, hub=hub, record=record, **form.service_fields()
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Engagement record saved."))
                return redirect(saved)
        status = 422
    else:
        initial = (
            EngagementRecordForm.initial_for(record)
            if record
            else {
                "language": COUNTRY_LANGUAGE.get(hub.country_id, "en"),
                "date": timezone.localdate(),
            }
        )
        form = EngagementRecordForm(initial=initial, hub=hub, record=record)
    return render(
        request,
        "engagement/record_form.html",
        {"form": form, "hub": hub, "record": record},
        status=status,
    )


@login_required
def record_delete(request, pk: int):
    """A confirmation page, then the deletion."""
    record = _editable(request, pk)
    if request.method == "POST":
        hub_id = record.hub_id
        services.delete_record(actor=request.user, record=record)
        messages.success(request, _("Engagement record deleted."))
        return redirect("engagement:hub", hub_id)
    return render(
        request,
        "engagement/record_delete.html",
        {"record": record, "activity": services.linked_activity(record)},
    )


@login_required
@require_POST
def record_to_activity(request, pk: int):
    """Turn the record into a synergy activity of its hub (or refresh it) and show its synergies."""
    record = get_object_or_404(EngagementRecord.objects.select_related("hub__country"), pk=pk)
    if not perms.can_turn_into_activity(request.user, record):
        raise PermissionDenied
    try:
        activity = services.activity_from_record(actor=request.user, record=record)
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(record)
    messages.success(request, _("The record is now a synergy activity; here are its synergies."))
    return redirect(activity)
