"""Filters shared by the directory page, the API and exports."""

from django.db.models import Q

from echos.hubs.models import Hub, Membership, Organisation


def filter_hubs(
    qs,
    *,
    country=None,
    level=None,
    stage=None,
    parent=None,
    archetype=None,
    stakeholder_group=None,
    q=None,
):
    """Narrow a hub QuerySet by the directory's filters (empty values are ignored)."""
    if country:
        qs = qs.filter(country_id=str(country).upper())
    if level:
        qs = qs.filter(level=level)
    if stage:
        qs = qs.filter(stage=stage)
    if parent:
        qs = qs.filter(parent_id=parent)
    if archetype:
        qs = qs.filter(archetype=archetype)
    if stakeholder_group:
        members = Membership.objects.current().filter(
            organisation__stakeholder_group__code=stakeholder_group
        )
        qs = qs.filter(pk__in=members.values("hub_id"))
    if q:
        qs = qs.search(q)
    return qs


def filter_organisations(qs, *, country=None, stakeholder_group=None, hub=None, q=None):
    """Narrow an organisation QuerySet."""
    if country:
        qs = qs.filter(country_id=str(country).upper())
    if stakeholder_group:
        qs = qs.filter(stakeholder_group__code=stakeholder_group)
    if hub:
        qs = qs.filter(pk__in=Membership.objects.filter(hub_id=hub).values("organisation_id"))
    if q:
        for word in q.split():
            qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return qs


__all__ = ["filter_hubs", "filter_organisations", "Hub", "Organisation"]
