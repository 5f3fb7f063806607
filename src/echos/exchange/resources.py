"""Library resources attached to roadmap steps and sessions, listed only where the viewer may read
them (``library.Resource.objects.visible_to``)."""

from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.library.models import Resource


def visible_resources(manager, user) -> list[dict]:
    """The attached resources ``user`` may read, as ``{"id", "title", "url"}``."""
    ids = list(manager.values_list("pk", flat=True))
    if not ids:
        return []
    found = Resource.objects.visible_to(user).filter(pk__in=ids).order_by("pk")
    return [{"id": r.pk, "title": str(r.title), "url": _url(r)} for r in found]


def _url(resource: Resource) -> str:
    try:
        return resource.get_absolute_url()
    except NoReverseMatch:  # the library's pages are not mounted (yet)
        return ""


def attachable(user, ids: list[int], field: str) -> list[Resource]:
    """Resources the user may attach (those they may read; the system: any); an unknown or hidden
    one is refused, naming the field."""

    ids = [int(i) for i in ids][:50]
    pool = Resource.objects.all() if user is None else Resource.objects.visible_to(user)
    found = list(pool.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise RuleViolation(_("Unknown resource."), field)
    return found
