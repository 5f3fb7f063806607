"""Personal data of the continuity capability.

Figures name organisations, never people, with three exceptions: the account that saved a canvas
version, the named successor for the coordinator role, and a risk's owner (the forms ask for a role
rather than a person, but a name may be typed). Export lists the canvas versions the person saved
and the successor or owner entries carrying their name; erasure unlinks the versions (they stay as
the hub's history) and blanks those entries. No retention rule is needed.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.continuity.models import CanvasVersion, HubModel, Risk

SECTION = "continuity"
SECTION_LABELS = {
    "continuity": _("Continuity"),
    "continuity.canvas_versions_saved": _("Canvas versions saved"),
    "continuity.named_successor": _("Named as successor for the coordinator role"),
    "continuity.risk_owner": _("Named as owner of a continuity risk"),
}
COUNT_LABELS = {
    "canvas_versions_unlinked": _("canvas versions kept without their author"),
    "successor_names_erased": _("successor names erased"),
    "risk_owners_erased": _("risk owners erased"),
}


def _person_names(user) -> set[str]:
    if user is None:
        return set()
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return {n for n in (full,) if len(n) >= 3}


def _named(model, field: str, user):
    names = _person_names(user)
    if not names:
        return model.objects.none()
    q = Q()
    for name in names:
        q |= Q(**{f"{field}__iexact": name})
    return model.objects.filter(q)


def find_people(query: str, *, limit: int = 50) -> list[tuple[str, str, str, int | None]]:
    """Successor and risk-owner entries containing ``query`` (names only; no e-mails are kept)."""
    successors = HubModel.objects.filter(successor__icontains=query).values_list(
        "successor", flat=True
    )[:limit]
    owners = Risk.objects.filter(owner__icontains=query).values_list("owner", flat=True)[:limit]
    found = sorted(set(successors) | set(owners))[:limit]
    return [(SECTION, "", name, None) for name in found]


def names(user, emails) -> set[str]:
    """The person's full name, as it may appear in successor and owner entries."""
    return _person_names(user)


def collect(user, emails) -> dict:
    """Canvas versions the person saved; entries that name them as successor or risk owner."""
    versions = (
        CanvasVersion.objects.filter(created_by=user).select_related("hub").order_by("pk")
        if user is not None
        else []
    )
    return {
        "canvas_versions_saved": [
            {"hub": v.hub.name_en, "version": v.number, "saved_at": v.created_at.isoformat()}
            for v in versions
        ],
        "named_successor": [
            {"hub": m.hub.name_en, "successor": m.successor}
            for m in _named(HubModel, "successor", user).select_related("hub")
        ],
        "risk_owner": [
            {"hub": r.hub.name_en, "risk": r.title, "owner": r.owner}
            for r in _named(Risk, "owner", user).select_related("hub")
        ],
    }


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Unlink the person's canvas versions; blank the entries naming them."""
    versions = (
        CanvasVersion.objects.filter(created_by=user)
        if user is not None
        else CanvasVersion.objects.none()
    )
    successors = _named(HubModel, "successor", user)
    owners = _named(Risk, "owner", user)
    counts = {
        "canvas_versions_unlinked": versions.count(),
        "successor_names_erased": successors.count(),
        "risk_owners_erased": owners.count(),
    }
    if apply:
        versions.update(created_by=None)
        successors.update(successor="")
        owners.update(owner="")
    return counts


def retention_rules() -> list:
    return []
