"""A country's page: its hubs, its organisations and the map."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from echos.core.charts import MAP_CODES
from echos.core.models import Country
from echos.hubs import charts
from echos.hubs import permissions as perms
from echos.hubs.models import Level, Organisation, Stage
from echos.hubs.views._common import _member_count


def country_detail(request, code: str):
    country = get_object_or_404(Country, pk=code.upper())
    hubs = list(
        country.hubs.select_related("parent", "region")
        .annotate(member_count=_member_count())
        .in_hierarchy_order()
    )
    national = next((h for h in hubs if h.level == Level.NATIONAL), None)
    orgs = (
        Organisation.objects.filter(Q(country=country) | Q(memberships__hub__country=country))
        .distinct()
        .select_related("stakeholder_group")
        .order_by("stakeholder_group__position", "name")
    )
    points = [
        {
            "name": h.name_en,
            "latitude": h.latitude,
            "longitude": h.longitude,
            "level_label": str(h.get_level_display()),
            "url": h.get_absolute_url(),
        }
        for h in hubs
        if h.latitude is not None
    ]
    page = Paginator(orgs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "hubs/country_detail.html",
        {
            "country": country,
            "hubs": hubs,
            "national": national,
            "stage": Stage(national.stage) if national else Stage.NO_STRUCTURE,
            "page": page,
            "map_spec": charts.country_map_spec(country.code, points)
            if country.code in MAP_CODES
            else None,
            "can_create_national": national is None and perms.is_network_coordinator(request.user),
        },
    )
