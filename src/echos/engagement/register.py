"""A hub's stakeholder register: who may see it, its writes (guard, transaction, audit), the
power/interest grid and the register's filters.

The register is the hub team's working list: influence, interest, notes and the relationship owner
are judgements and names of the team, so the whole register is internal (the people who edit the
hub and the network). Nothing of it appears on public pages or in the public API. Every write is
checked before anything is stored and is one transaction with its audit entry.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echos.core.audit import log_action
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.models import Term
from echos.engagement.models import Sector, Stakeholder, StakeholderStatus
from echos.engagement.sectors import GROUP_SECTOR, sector_of
from echos.hubs import permissions as hub_perms
from echos.hubs import pickers
from echos.hubs.models import Hub, HubRole, Membership, Organisation

MAX_NOTES = 20_000
# A score at or above this is "high" on the grid (the scale's middle counts as high).
HIGH = 3
# Fields a caller may change with ``update_stakeholder``.
FIELDS = {
    "group",
    "sector_override",
    "influence",
    "interest",
    "owner",
    "status",
    "notes",
    "is_demo",
}


def can_view_register(user, hub: Hub) -> bool:
    """The register is the team's own list: the hub's editors, coordinators at or above it, and
    the network. Stakeholder members and everyone else see nothing of it."""
    return hub_perms.can_edit_hub(user, hub)


def can_edit_register(user, hub: Hub) -> bool:
    """Whoever sees the register keeps it."""
    return hub_perms.can_edit_hub(user, hub)


def team_members(hub: Hub) -> QuerySet:
    """Accounts that may own a relationship: the hub's coordinators and editors, and the
    coordinators of the hubs above it (the people who see the register)."""
    ancestors = [h.pk for h in hub.ancestors()]
    roles = HubRole.objects.filter(
        Q(hub=hub, role__in=[HubRole.Role.COORDINATOR, HubRole.Role.EDITOR])
        | Q(hub_id__in=ancestors, role=HubRole.Role.COORDINATOR)
    )
    return (
        get_user_model()
        .objects.filter(pk__in=roles.values("user_id"), is_active=True)
        .order_by("username")
    )


SCORE_LABELS = {"influence": gettext_lazy("Influence"), "interest": gettext_lazy("Interest")}


def _score(value, name: str) -> int:
    """A whole number from 1 to 5; anything else is refused naming the field."""
    if isinstance(value, str):
        value = value.strip()
        value = int(value) if value.isascii() and value.lstrip("-").isdigit() else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleViolation(_("Give a whole number from 1 to 5."), name)
    if not 1 <= value <= 5:
        raise RuleViolation(
            _("%(field)s must be between 1 and 5; %(value)s is not.")
            % {"field": SCORE_LABELS[name], "value": value},
            name,
        )
    return value


def validate_stakeholder(entry: Stakeholder) -> None:
    """Rules on an entry's own fields; the duplicate check needs the database
    (``check_not_duplicate``)."""
    entry.influence = _score(entry.influence, "influence")
    entry.interest = _score(entry.interest, "interest")
    if entry.status not in StakeholderStatus.values:
        raise RuleViolation(
            _("Choose a status: %(values)s.") % {"values": ", ".join(StakeholderStatus.values)},
            "status",
        )
    entry.sector_override = entry.sector_override or ""
    if entry.sector_override and entry.sector_override not in Sector.values:
        raise RuleViolation(
            _("Choose a Penta Helix sector: %(values)s.") % {"values": ", ".join(Sector.values)},
            "sector",
        )
    entry.notes = entry.notes or ""
    if len(entry.notes) > MAX_NOTES:
        raise RuleViolation(_("Keep the notes under 20,000 characters."), "notes")
    if entry.group_id is None:
        raise RuleViolation(_("Choose the stakeholder group."), "group")


def check_owner(owner, hub: Hub) -> None:
    """The relationship owner is a member of the hub's team (or nobody)."""
    if owner is None:
        return
    if not team_members(hub).filter(pk=owner.pk).exists():
        raise RuleViolation(
            _("%(user)s is not on the team of this hub; choose one of its coordinators or editors.")
            % {"user": owner.get_username()},
            "owner",
        )


def check_not_duplicate(entry: Stakeholder) -> None:
    """One entry per organisation in a hub's register."""
    taken = Stakeholder.objects.filter(hub_id=entry.hub_id, organisation_id=entry.organisation_id)
    if entry.pk:
        taken = taken.exclude(pk=entry.pk)
    if taken.exists():
        raise Conflict(
            _("%(org)s is already in this hub's register.") % {"org": entry.organisation},
            "organisation",
        )


def resolve_group(code, field_name: str = "group") -> Term:
    """A stakeholder group by code, naming the field when unknown."""
    term = Term.objects.filter(vocabulary=Term.Vocabulary.STAKEHOLDER_GROUPS, code=code).first()
    if term is None:
        raise RuleViolation(
            _("Unknown stakeholder group %(code)r.") % {"code": code or ""}, field_name
        )
    return term


def _audit(entry: Stakeholder) -> dict:
    """What the audit keeps: the scores and links, never the notes' text."""
    return {
        "hub": entry.hub_id,
        "organisation": entry.organisation_id,
        "group": entry.group_id,
        "sector_override": entry.sector_override,
        "influence": entry.influence,
        "interest": entry.interest,
        "owner": entry.owner_id,
        "status": entry.status,
        "notes_length": len(entry.notes or ""),
    }


@transaction.atomic
def add_stakeholder(
    *,
    actor,
    hub: Hub,
    organisation: Organisation,
    influence,
    interest,
    group: Term | str | None = None,
    sector_override: str = "",
    owner=None,
    status: str = StakeholderStatus.TO_APPROACH,
    notes: str = "",
    is_demo: bool = False,
) -> Stakeholder:
    """Put an organisation (a member, or any organisation of the registry) in a hub's register;
    its group defaults to the organisation's own."""
    guard(can_edit_register(actor, hub), actor)
    if isinstance(group, str):
        group = resolve_group(group)
    entry = Stakeholder(
        hub=hub,
        organisation=organisation,
        group=group or organisation.stakeholder_group,
        sector_override=sector_override,
        influence=influence,
        interest=interest,
        owner=owner,
        status=status or StakeholderStatus.TO_APPROACH,
        notes=notes,
        is_demo=is_demo,
    )
    validate_stakeholder(entry)
    check_owner(owner, hub)
    check_not_duplicate(entry)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        check_not_duplicate(entry)  # stored meanwhile by someone else: the same message
        raise
    log_action(actor=actor, action="engagement.stakeholder.added", target=entry, data=_audit(entry))
    return entry


@transaction.atomic
def update_stakeholder(*, actor, stakeholder: Stakeholder, **changes) -> Stakeholder:
    """Change an entry's group, sector, scores, owner, status or notes."""
    unknown = set(changes) - FIELDS
    if unknown:
        raise TypeError(f"update_stakeholder() got unexpected fields: {', '.join(sorted(unknown))}")
    guard(can_edit_register(actor, stakeholder.hub), actor)
    before = _audit(stakeholder)
    if isinstance(changes.get("group"), str):
        changes["group"] = resolve_group(changes["group"])
    for key, value in changes.items():
        setattr(stakeholder, key, value)
    validate_stakeholder(stakeholder)
    if "owner" in changes:
        check_owner(stakeholder.owner, stakeholder.hub)
    stakeholder.save()
    after = _audit(stakeholder)
    log_action(
        actor=actor,
        action="engagement.stakeholder.updated",
        target=stakeholder,
        data={"changes": {k: [before[k], v] for k, v in after.items() if before[k] != v}},
    )
    return stakeholder


@transaction.atomic
def remove_stakeholder(*, actor, stakeholder: Stakeholder) -> None:
    """Take an organisation off the register (the organisation itself stays in the registry)."""
    guard(can_edit_register(actor, stakeholder.hub), actor)
    log_action(
        actor=actor,
        action="engagement.stakeholder.removed",
        target=stakeholder.hub,
        data={"stakeholder": stakeholder.pk, **_audit(stakeholder)},
    )
    stakeholder.delete()


# The power/interest grid -------------------------------------------------------------------------

QUADRANTS = {
    "manage_closely": gettext_lazy("Manage closely"),
    "keep_satisfied": gettext_lazy("Keep satisfied"),
    "keep_informed": gettext_lazy("Keep informed"),
    "monitor": gettext_lazy("Monitor"),
}
QUADRANT_HELP = {
    "manage_closely": gettext_lazy("High influence, high interest"),
    "keep_satisfied": gettext_lazy("High influence, low interest"),
    "keep_informed": gettext_lazy("Low influence, high interest"),
    "monitor": gettext_lazy("Low influence, low interest"),
}


def quadrant(influence: int, interest: int) -> str:
    """The grid quadrant of an entry: influence is power, a score of HIGH or more is high."""
    if influence >= HIGH:
        return "manage_closely" if interest >= HIGH else "keep_satisfied"
    return "keep_informed" if interest >= HIGH else "monitor"


@dataclass
class Quadrant:
    code: str
    label: str
    help: str
    entries: list = field(default_factory=list)
    shown: list = field(default_factory=list)  # the names a page has room for
    more: int = 0  # the entries not shown


def grid(entries) -> list[Quadrant]:
    """The four quadrants in reading order: high influence on top, high interest on the right."""
    cells = {
        code: Quadrant(code, str(QUADRANTS[code]), str(QUADRANT_HELP[code])) for code in QUADRANTS
    }
    for entry in entries:
        cells[quadrant(entry.influence, entry.interest)].entries.append(entry)
    return [
        cells["keep_satisfied"],
        cells["manage_closely"],
        cells["monitor"],
        cells["keep_informed"],
    ]


# Listing -----------------------------------------------------------------------------------------


def register_of(hub: Hub) -> QuerySet:
    """The hub's entries with what the page and exports show, in one query."""
    return Stakeholder.objects.filter(hub=hub).select_related(
        "organisation__country", "group", "owner"
    )


def groups_of_sector(sector: str) -> list[str]:
    """Stakeholder group codes whose derived sector is ``sector``."""
    return [code for code, s in GROUP_SECTOR.items() if s == sector]


def filter_register(
    qs: QuerySet, *, group: str = "", sector: str = "", status: str = "", owner: int | None = None
) -> QuerySet:
    """Entries of one group, sector (override or derived), status or owner."""
    if group:
        qs = qs.filter(group__code=group)
    if sector:
        derived = Q(sector_override="") & Q(group__code__in=groups_of_sector(sector))
        if sector == sector_of(""):  # groups missing from the mapping fall to civil society
            derived |= Q(sector_override="") & ~Q(group__code__in=list(GROUP_SECTOR))
        qs = qs.filter(Q(sector_override=sector) | derived)
    if status:
        qs = qs.filter(status=status)
    if owner:
        qs = qs.filter(owner_id=owner)
    return qs


def members_not_in_register(hub: Hub) -> QuerySet:
    """The hub's current member organisations that are not in its register yet."""
    members = Membership.objects.current().filter(hub=hub).values("organisation_id")
    listed = Stakeholder.objects.filter(hub=hub).values("organisation_id")
    return (
        Organisation.objects.filter(pk__in=members)
        .exclude(pk__in=listed)
        .select_related("country", "stakeholder_group")
        .order_by("name")
    )


def search_organisations(text: str, *, limit: int = 20) -> QuerySet:
    """Organisations of the registry, in any country, whose name contains ``text`` (the hubs'
    organisation picker, any case and accents)."""
    return pickers.search_organisations(text, limit=limit)
