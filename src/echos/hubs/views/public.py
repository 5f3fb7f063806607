"""Public pages: the map of Europe, the directory of hubs and a hub's page."""

from collections import OrderedDict
from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from echos.core import fragments, i18n
from echos.core.audit import entries_for
from echos.core.charts import MAP_CODES
from echos.core.filters import form_filters, say_ignored, unknown_parameters
from echos.core.models import Country
from echos.hubs import charts
from echos.hubs import permissions as perms
from echos.hubs.forms import DirectoryFilterForm, StageChangeForm
from echos.hubs.models import STAGE_HINTS, Hub, Level, Organisation, Stage
from echos.hubs.queries import filter_hubs
from echos.hubs.views._common import _member_count

MEMBERS_PER_PAGE = 120


def europe_rows() -> list[dict]:
    """Every MS/AC country with the stage of its national hub (or none)."""
    national = {
        h.country_id: h for h in Hub.objects.national().only("pk", "country_id", "name_en", "stage")
    }
    rows = []
    for country in Country.objects.all():
        hub = national.get(country.code)
        stage = Stage(hub.stage if hub else Stage.NO_STRUCTURE)
        rows.append(
            {
                "code": country.code,
                "country": country.display_name,
                "membership": country.get_membership_display(),
                "stage": stage.value,
                "stage_label": str(stage.label),
                "hub": hub.name_en if hub else "",
                "url": reverse("hubs:country", args=[country.code]),
                "hub_url": hub.get_absolute_url() if hub else "",
            }
        )
    rows.sort(key=lambda r: r["country"])
    return rows


def home(request):
    rows = europe_rows()
    counts: OrderedDict[str, dict[str, Any]] = OrderedDict(
        (s.value, {"label": s.label, "count": 0, "hint": STAGE_HINTS[s]}) for s in Stage
    )
    for row in rows:
        counts[row["stage"]]["count"] += 1
    context = {
        "rows": rows,
        "stage_counts": counts.values(),
        "map_spec": charts.europe_map_spec(rows),
        "hub_total": Hub.objects.count(),
        "organisation_total": Organisation.objects.count(),
        "left_behind": [r for r in rows if r["stage"] == Stage.NO_STRUCTURE],
        "map_codes": MAP_CODES,
    }
    return render(request, "hubs/home.html", context)


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    hubs = Hub.objects.select_related("country", "parent", "host_organisation").annotate(
        member_count=_member_count()
    )
    # A wrong value (?country=XX) is named in the notice; the other filters still apply.
    data, ignored = form_filters(form, request.GET)
    say_ignored(request, ignored + unknown_parameters(request.GET, form.fields))
    hubs = filter_hubs(
        hubs,
        country=data.get("country") and data["country"].code,
        level=data.get("level"),
        stage=data.get("stage"),
        archetype=data.get("archetype"),
        stakeholder_group=data.get("stakeholder_group") and data["stakeholder_group"].code,
        q=data.get("q"),
    )
    page = Paginator(hubs.in_hierarchy_order(), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Each row kept under a digest of what it shows (#18: a page after a write renders one row).
    rows = fragments.render_each(
        list(page.object_list),
        "hubs/_directory_row.html",
        name="hubs:directory-row",
        fmt=1,
        as_name="hub",
        related=lambda hub: (hub.country, hub.parent),
        extra=lambda hub: (hub.member_count,),
    )
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    template = "hubs/_directory_results.html" if request.htmx else "hubs/directory.html"
    return render(request, template, context)


def hub_detail(request, pk: int):
    hub = get_object_or_404(
        Hub.objects.select_related("country", "region", "parent", "host_organisation"), pk=pk
    )
    memberships = (
        hub.memberships.current()
        .select_related("organisation__stakeholder_group", "organisation__country")
        .order_by("organisation__stakeholder_group__position", "organisation__name")
    )
    # Real hubs have tens of members; synthetic Europe-scale ones hundreds, so the list pages.
    member_page = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("members"))
    groups: OrderedDict = OrderedDict()
    for m in member_page.object_list:
        groups.setdefault(m.organisation.stakeholder_group, []).append(m)
    children = list(hub.children.select_related("region").in_hierarchy_order())
    descendants = Hub.objects.filter(pk__in=hub.descendant_ids()).select_related("region")
    points = [
        {
            "name": h.name_en,
            "latitude": h.latitude,
            "longitude": h.longitude,
            "level_label": str(h.get_level_display()),
            "url": h.get_absolute_url(),
        }
        for h in [hub, *descendants]
        if h.latitude is not None and h.longitude is not None
    ]
    can_edit = perms.can_edit_hub(request.user, hub)
    # Up to 120 member lines, kept under a digest of the rows they show (#18: a page rendered
    # again after a write to the hub reads them in one cache read).
    members_html = fragments.render_block(
        "hubs/_members.html",
        {"groups": groups, "can_edit": can_edit, "hub": hub},
        name="hubs:members",
        fmt=1,
        objects=(
            row
            for m in member_page.object_list
            for row in (m, m.organisation, m.organisation.stakeholder_group)
        ),
        extra=(hub.pk, can_edit),
    )
    context = {
        "hub": hub,
        "members_html": members_html,
        # The other languages its mission is in (#17).
        "also_in": i18n.also_in(request, hub),
        "groups": groups,
        "member_count": member_page.paginator.count,
        "member_page": member_page,
        "past_memberships": hub.memberships.exclude(
            pk__in=hub.memberships.current().values("pk")
        ).select_related("organisation")
        if can_edit
        else [],
        "children": children,
        "history": hub.stage_changes.select_related("recorded_by"),
        "map_spec": charts.country_map_spec(hub.country_id, points)
        if hub.country_id in MAP_CODES
        else None,
        "can_edit": can_edit,
        "can_change_stage": perms.can_change_stage(request.user, hub),
        "can_delete": perms.can_delete_hub(request.user, hub),
        "can_add_subhub": hub.level != Level.LOCAL
        and perms.can_create_hub(request.user, parent=hub),
        "audit": entries_for(hub)[:50] if perms.can_view_audit(request.user) else None,
        "stage_form": StageChangeForm(),
        "stages": [(s, STAGE_HINTS[s]) for s in Stage],
    }
    return render(request, "hubs/hub_detail.html", context)
