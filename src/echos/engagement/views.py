"""Pages of the engagement capability: a hub's records with its coverage, record pages, editing."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.exceptions import RuleViolation
from echos.core.languages import COUNTRY_LANGUAGE
from echos.core.models import Term
from echos.engagement import coverage, services
from echos.engagement import permissions as perms
from echos.engagement.forms import EngagementRecordForm
from echos.engagement.models import EngagementRecord
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
        },
    )


def record_detail(request, pk: int):
    record = get_object_or_404(
        EngagementRecord.objects.select_related("hub__country", "level", "region").prefetch_related(
            "stakeholder_groups", "organisations", "objectives", "policy_areas"
        ),
        pk=pk,
    )
    return render(
        request,
        "engagement/record.html",
        {
            "record": record,
            "activity": services.linked_activity(record),
            "can_edit": perms.can_change_record(request.user, record),
            "can_turn": perms.can_turn_into_activity(request.user, record),
        },
    )


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
