"""Demo data of the engagement register (labelled demo): registers of the national demo hubs and
relationships between the demo organisations, for ``echos demo``.

Every entry is ``is_demo=True``. Register entries are the demo hub's invented members plus a few
real organisations of the reference data from other countries; the influence and interest scores
are invented demo judgements, said so in their notes, and never an assessment of a real
organisation. Relationships join invented (demo) organisations only, so no tie between real
organisations is claimed.
"""

import random
from datetime import date

from django.db import transaction

from echos.engagement import register, relationships
from echos.engagement.models import Relationship, Stakeholder, StakeholderStatus
from echos.hubs.models import Hub, Membership, Organisation

SEED = 2026
DEMO_NOTE = "Demo: invented scores and notes, not an assessment of this organisation."
# Real organisations of the reference data that a demo hub lists as "to approach" (abroad).
REAL_ABROAD = [
    "Netherlands Comprehensive Cancer Organisation (IKNL)",
    "Dutch Federation of Cancer Patient Organisations (NFK)",
    "Oslo Cancer Cluster",
]
# (group of the source, kind, group of the target): ties inside one demo hub's members.
TIES = [
    ("funders", Relationship.Kind.FUNDS, "research"),
    ("authorities", Relationship.Kind.FUNDS, "healthcare_providers"),
    ("healthcare_providers", Relationship.Kind.HOSTS, "citizens"),
    ("patients", Relationship.Kind.REPRESENTS, "citizens"),
    ("industry", Relationship.Kind.PARTNERS_WITH, "research"),
    ("beyond_health", Relationship.Kind.PARTNERS_WITH, "patients"),
]
STATUSES = [
    StakeholderStatus.PARTNER,
    StakeholderStatus.ENGAGED,
    StakeholderStatus.ENGAGED,
    StakeholderStatus.DORMANT,
    StakeholderStatus.TO_APPROACH,
]


def _owner(hub: Hub):
    return register.team_members(hub).first()


@transaction.atomic
def load_demo() -> dict:
    """A register on every national demo hub and ties between its demo members (idempotent)."""
    rng = random.Random(f"echos-demo:{SEED}:register")
    hubs = list(Hub.objects.filter(is_demo=True, level="national").order_by("pk"))
    real = list(Organisation.objects.filter(name__in=REAL_ABROAD, is_demo=False))
    entries = ties = 0
    institutes = []
    for hub in hubs:
        members = list(
            Organisation.objects.filter(
                pk__in=Membership.objects.current().filter(hub=hub).values("organisation_id"),
                is_demo=True,
            )
            .select_related("stakeholder_group")
            .order_by("pk")
        )
        by_group = {o.stakeholder_group.code: o for o in members}
        if "research" in by_group:
            institutes.append((hub, by_group["research"]))
        if Stakeholder.objects.filter(hub=hub, is_demo=True).exists():
            continue
        owner = _owner(hub)
        for org in [*members, *(o for o in real if o.country_id != hub.country_id)]:
            abroad = org.country_id != hub.country_id
            register.add_stakeholder(
                actor=None,
                hub=hub,
                organisation=org,
                influence=rng.randint(1, 3) if abroad else rng.randint(1, 5),
                interest=rng.randint(1, 3) if abroad else rng.randint(2, 5),
                status=StakeholderStatus.TO_APPROACH if abroad else rng.choice(STATUSES),
                owner=owner if not abroad else None,
                notes=DEMO_NOTE,
                is_demo=True,
            )
            entries += 1
        for source, kind, target in TIES:
            if source in by_group and target in by_group:
                relationships.add_relationship(
                    actor=None,
                    hub=hub,
                    source=by_group[source],
                    target=by_group[target],
                    kind=kind,
                    since=date(2024, 1 + rng.randint(0, 11), 1),
                    source_note="Demo: an invented relationship between invented organisations.",
                    is_demo=True,
                )
                ties += 1
    # Bridges between national hubs: their research institutes partner across borders.
    for (hub, a), (_other, b) in zip(institutes, institutes[1:], strict=False):
        if not Relationship.objects.filter(source=a, target=b).exists():
            relationships.add_relationship(
                actor=None,
                hub=hub,
                source=a,
                target=b,
                kind=Relationship.Kind.PARTNERS_WITH,
                since=date(2025, 3, 1),
                source_note="Demo: an invented partnership between invented organisations.",
                is_demo=True,
            )
            ties += 1
    return {"stakeholders": entries, "relationships": ties}
