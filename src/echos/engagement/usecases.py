"""Multistakeholder use cases: Mission actions that need early cooperation of several stakeholder
groups, and which hubs already engage those groups deeply enough.

A hub *engages* a group when at least one of its held or planned (not cancelled) records of the
period reached the group at "involve" or above on the IAP2 spectrum (involve, collaborate,
empower). Use cases are public; network coordinators write them. Coverage is two queries whatever
the number of hubs and records: the (hub, group) pairs reached, and the hubs' names.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.core.models import Term
from echos.core.roles import is_network_coordinator
from echos.engagement.models import EngagementRecord, UseCase
from echos.hubs.models import Hub

DEEP_LEVELS = ("involve", "collaborate", "empower")
MAX_GROUPS = 12


def can_edit_use_cases(user) -> bool:
    """The network records the Mission's use cases."""
    return is_network_coordinator(user)


def save_use_case(
    *,
    actor,
    use_case: UseCase | None = None,
    title: str,
    description: str,
    mission_action: str,
    groups: list[str],
    source: str = "",
    is_demo: bool = False,
) -> UseCase:
    """Create or change a use case; the stakeholder groups are codes, at least one."""
    guard(can_edit_use_cases(actor), actor)
    for name, value, limit in (
        ("title", title, 250),
        ("mission_action", mission_action, 250),
        ("source", source, 300),
    ):
        if len(value) > limit:
            raise RuleViolation(
                _("At most %(n)d characters.") % {"n": limit},
                name,
            )
    if not title.strip():
        raise RuleViolation(_("A use case needs a title."), "title")
    if not mission_action.strip():
        raise RuleViolation(_("Name the Mission action the use case serves."), "mission_action")
    codes = list(dict.fromkeys(groups))
    if not codes:
        raise RuleViolation(_("Choose at least one stakeholder group."), "groups")
    terms = {
        t.code: t
        for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS).filter(code__in=codes)
    }
    unknown = [c for c in codes if c not in terms]
    if unknown:
        raise RuleViolation(
            _("Unknown stakeholder group: %(code)s.") % {"code": ", ".join(unknown)}, "groups"
        )
    with transaction.atomic():
        created = use_case is None
        uc = use_case or UseCase(created_by=actor if actor and actor.is_authenticated else None)
        uc.title, uc.description, uc.mission_action, uc.source = (
            title,
            description,
            mission_action,
            source,
        )
        if created:
            uc.is_demo = is_demo
        uc.save()
        uc.groups.set([terms[c] for c in codes])
        log_action(
            actor=actor,
            action="engagement.use_case." + ("created" if created else "changed"),
            target=uc,
            data={"groups": codes},
        )
    return uc


def delete_use_case(*, actor, use_case: UseCase) -> None:
    guard(can_edit_use_cases(actor), actor)
    with transaction.atomic():
        log_action(actor=actor, action="engagement.use_case.deleted", target=use_case)
        use_case.delete()


@dataclass
class HubCoverage:
    """One hub against a use case's groups."""

    hub_id: int
    name: str
    country: str
    level: str
    engaged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class UseCaseCoverage:
    """Which hubs engage all of a use case's groups, which engage each, which lack them."""

    start: date
    end: date
    groups: list[Term]
    complete: list[HubCoverage]
    partial: list[HubCoverage]
    none: int
    per_group: dict[str, int]

    @property
    def hubs(self) -> list[HubCoverage]:
        return self.complete + self.partial


def coverage(use_case: UseCase, *, start: date, end: date, groups: list[Term] | None = None):
    """Hubs reaching each of the use case's groups at "involve" or above in [start, end]."""
    if end < start:
        raise RuleViolation(_("The end of the period is before its start."), "end")
    groups = groups if groups is not None else list(use_case.groups.all())
    codes = [g.code for g in groups]
    through = EngagementRecord.stakeholder_groups.through
    pairs = (
        through.objects.filter(
            term__in=[g.pk for g in groups],
            engagementrecord__level__code__in=DEEP_LEVELS,
            engagementrecord__date__gte=start,
            engagementrecord__date__lte=end,
        )
        .exclude(engagementrecord__status="cancelled")
        .values_list("engagementrecord__hub_id", "term__code")
        .distinct()
        .order_by()
    )
    reached: dict[int, set[str]] = {}
    for hub_id, code in pairs:
        reached.setdefault(hub_id, set()).add(code)
    complete: list[HubCoverage] = []
    partial: list[HubCoverage] = []
    per_group = dict.fromkeys(codes, 0)
    total = 0
    for pk, name, country, level in Hub.objects.in_hierarchy_order().values_list(
        "pk", "name_en", "country_id", "level"
    ):
        total += 1
        got = reached.get(pk)
        if not got:
            continue
        row = HubCoverage(
            pk,
            name,
            country,
            level,
            engaged=[c for c in codes if c in got],
            missing=[c for c in codes if c not in got],
        )
        for c in row.engaged:
            per_group[c] += 1
        (complete if row.complete else partial).append(row)
    none = total - len(complete) - len(partial)
    return UseCaseCoverage(start, end, groups, complete, partial, none, per_group)
