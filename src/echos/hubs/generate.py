"""Synthetic, clearly labelled hubs, organisations, memberships and stage histories for
``echos generate-data`` (run by ``site.generate``), and the run's ``Context`` that every app's
generator steps share.

Rows go in with ``bulk_create`` in batches, bypassing the services for speed but keeping their
rules: a sub-hub's parent is in its country and one level up, one national hub per country,
regions lie in the hub's country, no two organisations of a country share a normalised name, a
membership ends on or after its start, the same organisation never holds overlapping memberships
of one hub, and a hub's stage history moves forward in time and ends at ``hub.stage`` on
``hub.stage_since``. The other apps' steps (assessments, activities, events, consultation answers,
engagement records) live in their own ``generate.py``, declared as the app's ``generator_steps``.

Every value comes from ``random.Random`` seeded with the seed and the step's name, and every date
from ``REFERENCE_DATE``: the same seed gives the same rows. Each step has its own random stream,
so a step added later (``@step("events", after="memberships")``) leaves the other rows unchanged.

Rows are generated per batch and never all held in memory; only the ids of the organisations per
country and a small tuple per hub are kept for the later steps.
"""

import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from echos.core.multilingual import refresh_search_text
from echos.core.synthetic import (
    POPULATION_MILLIONS,
    REFERENCE_DATE,
    REFERENCE_DATETIME,
    Progress,
    apportion,
    chunks,
    insert,
    random_day,
    step,
)
from echos.hubs.demo import COORDS
from echos.hubs.models import (
    STAGE_ORDER,
    Archetype,
    Hub,
    Level,
    Membership,
    Organisation,
    Stage,
    StageChange,
    normalise_name,
)

# The Mission on Cancer started in September 2021: no synthetic history before that.
START_DATE = date(2021, 9, 1)
NAME_PREFIX = "Synthetic"


@dataclass
class HubInfo:
    """What later steps need to know of a generated (or reused) hub."""

    pk: int
    country: str
    level: str
    stage: str
    stage_since: date | None
    generated: bool = True


@dataclass
class Context:
    """Shared state of one generation run, passed from step to step."""

    seed: int
    scale: Any  # site.generate.Scale: the number of rows of each kind
    batch: int
    progress: Progress
    countries: list[str] = field(default_factory=list)
    top_regions: dict[str, list[str]] = field(default_factory=dict)
    sub_regions: dict[str, list[str]] = field(default_factory=dict)
    region_children: dict[str, list[str]] = field(default_factory=dict)
    stakeholder_groups: list[tuple[int, str]] = field(default_factory=list)
    org_ids: dict[str, list[int]] = field(default_factory=dict)
    hubs: list[HubInfo] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    event_ids: list[tuple[int, datetime]] = field(default_factory=list)
    event_capacity: list[int | None] = field(default_factory=list)

    def rng(self, step_name: str) -> random.Random:
        """The random stream of one step (str seeds are hashed with SHA-512: stable across runs)."""
        return random.Random(f"echos-generate:{self.seed}:{step_name}")

    def country_weight(self, code: str) -> float:
        """More populous countries get more hubs and organisations (square root: small ones too)."""
        return 1 + 2 * math.sqrt(POPULATION_MILLIONS.get(code, 1.0))


# --- steps ----------------------------------------------------------------------------------------

ORG_KINDS = {
    "citizens": ["Citizens' Cancer Panel", "Community Health Forum"],
    "patients": ["Cancer Patients' Association", "Survivors' Network", "Carers' Alliance"],
    "healthcare_providers": [
        "University Hospital",
        "Comprehensive Cancer Centre",
        "Primary Care Network",
        "Regional Hospital",
    ],
    "research": ["Cancer Research Institute", "Faculty of Medicine", "Cancer Registry", "Biobank"],
    "industry": [
        "Oncology Company",
        "MedTech Cluster",
        "Diagnostics Company",
        "Digital Health Start-up",
    ],
    "authorities": [
        "Regional Health Authority",
        "Ministry of Health Office",
        "Municipal Health Service",
    ],
    "regulators_hta": ["HTA Agency", "Medicines Agency"],
    "funders": ["Cancer Research Foundation", "Innovation Fund"],
    "civil_society": ["Community Network", "Health Literacy NGO"],
    "eu_institutions": ["EU Liaison Office"],
    "beyond_health": [
        "Employers' Network for Health",
        "School Health Network",
        "Social Services Association",
    ],
    "media": ["Health Media Outlet"],
}


@step("organisations")
def generate_organisations(ctx: Context) -> int:
    """Organisations in every country, weighted by country size, with unique normalised names."""
    rng = ctx.rng("organisations")
    quotas = apportion(
        ctx.scale.organisations, [ctx.country_weight(c) for c in ctx.countries], minimum=1
    )
    ctx.org_ids = {code: [] for code in ctx.countries}
    source = f"echos generate-data, seed {ctx.seed}"

    def rows() -> Iterator[Organisation]:
        number = 0
        for code, quota in zip(ctx.countries, quotas, strict=True):
            regions = ctx.top_regions.get(code, []) + ctx.sub_regions.get(code, [])
            for _ in range(quota):
                number += 1
                group_id, group_code = rng.choice(ctx.stakeholder_groups)
                kind = rng.choice(ORG_KINDS.get(group_code, ["Organisation"]))
                name = f"{NAME_PREFIX} {kind} {number:05d} ({code})"
                yield Organisation(
                    name=name,
                    normalised_name=normalise_name(name),
                    stakeholder_group_id=group_id,
                    country_id=code,
                    region_id=rng.choice(regions) if regions and rng.random() < 0.8 else None,
                    website=f"https://org-{number:05d}.synthetic.example.org/"
                    if rng.random() < 0.5
                    else "",
                    description="Synthetic demo organisation generated for load testing.",
                    source=source,
                    is_demo=True,
                    created_at=REFERENCE_DATETIME,
                )

    def keep_ids(chunk: list[Organisation]) -> None:
        for org in chunk:
            ctx.org_ids[org.country_id].append(org.pk)

    return insert(
        ctx, Organisation, "organisations", _deduplicated(rows(), ctx.batch), sum(quotas), keep_ids
    )


def _deduplicated(rows: Iterable[Organisation], size: int) -> Iterator[Organisation]:
    """Rename organisations whose normalised name is taken in their country (after --force)."""
    for chunk in chunks(rows, size):
        for attempt in range(2, 100):
            taken = set(
                Organisation.objects.filter(
                    normalised_name__in={o.normalised_name for o in chunk}
                ).values_list("country_id", "normalised_name")
            )
            clashes = [o for o in chunk if (o.country_id, o.normalised_name) in taken]
            if not clashes:
                break
            for org in clashes:
                org.name = f"{org.name.rsplit(' #', 1)[0]} #{attempt}"
                org.normalised_name = normalise_name(org.name)
        yield from chunk


ARCHETYPES = Archetype.values
NATIONAL_STAGE_WEIGHTS = [4, 18, 20, 20, 16, 14, 8]
SUBNATIONAL_STAGE_WEIGHTS = [22, 28, 16, 14, 9, 7, 4]


def _pick_stage(rng: random.Random, level: str) -> tuple[str, date | None]:
    """A stage and the day it was reached; later stages need more time since the start."""
    weights = NATIONAL_STAGE_WEIGHTS if level == Level.NATIONAL else SUBNATIONAL_STAGE_WEIGHTS
    stage = rng.choices(Stage.values, weights)[0]
    rank = STAGE_ORDER[stage]
    if rank == 0:
        return stage, None
    earliest = START_DATE + timedelta(days=90 * rank)
    return stage, random_day(rng, earliest, REFERENCE_DATE - timedelta(days=1))


def _coordinates(rng: random.Random, code: str, spread: float) -> tuple[float | None, float | None]:
    if code not in COORDS:
        return None, None
    lat, lon = COORDS[code]
    return round(lat + rng.uniform(-spread, spread), 4), round(
        lon + rng.uniform(-spread, spread), 4
    )


@step("hubs")
def generate_hubs(ctx: Context) -> int:
    """One national hub per country, regional hubs below them, local hubs below regional ones."""
    rng = ctx.rng("hubs")
    existing_national = dict(Hub.objects.national().values_list("country_id", "pk"))
    for code, pk in sorted(existing_national.items()):
        ctx.hubs.append(HubInfo(pk, code, Level.NATIONAL, "", None, generated=False))
    new_national = [c for c in ctx.countries if c not in existing_national]
    below = ctx.scale.hubs - len(ctx.countries)
    if below < 0:
        raise ValueError(
            f"At least {len(ctx.countries)} hubs are needed: one national hub per country."
        )
    n_regional = round(below * ctx.scale.regional_share) if below > 1 else below
    n_local = below - n_regional
    national_pk = dict(existing_national)
    number = 0

    def make(code: str, level: str, parent: int | None, region: str | None, spread: float) -> Hub:
        nonlocal number
        number += 1
        name = f"{NAME_PREFIX} hub {number:04d} ({code})"
        stage, since = _pick_stage(rng, level)
        lat, lon = _coordinates(rng, code, spread)
        orgs = ctx.org_ids.get(code) or []
        host = rng.choice(orgs) if orgs and (level != Level.LOCAL or rng.random() < 0.5) else None
        hub = Hub(
            country_id=code,
            level=level,
            parent_id=parent,
            region_id=region,
            name=name,
            name_en=name,
            mission=f"Synthetic demo data (seed {ctx.seed}): a {level} Cancer Mission Hub "
            "generated for load testing. It brings together patients, care providers, "
            "researchers and authorities.",
            website=f"https://hub-{number:04d}.synthetic.example.org/"
            if rng.random() < 0.6
            else "",
            host_organisation_id=host,
            archetype=rng.choice(ARCHETYPES),
            stage=stage,
            stage_since=since,
            latitude=lat,
            longitude=lon,
            is_demo=True,
            created_at=REFERENCE_DATETIME,
        )
        # bulk_create skips save(): the folded search text (names, mission) is filled here (#17).
        refresh_search_text([hub])
        return hub

    def remember(chunk: list[Hub]) -> None:
        for hub in chunk:
            ctx.hubs.append(HubInfo(hub.pk, hub.country_id, hub.level, hub.stage, hub.stage_since))
            if hub.level == Level.NATIONAL:
                national_pk[hub.country_id] = hub.pk

    total = len(new_national) + n_regional + n_local
    nationals = (make(c, Level.NATIONAL, None, None, 0.0) for c in new_national)
    created = insert(ctx, Hub, "hubs", nationals, total, remember)

    # Regional hubs: countries drawn by weight, each country's regions dealt in a shuffled cycle.
    weights = [ctx.country_weight(c) for c in ctx.countries]
    regional_countries = sorted(
        rng.choices(ctx.countries, weights, k=n_regional), key=ctx.countries.index
    )
    decks: dict[str, list[str]] = {}

    def next_region(code: str) -> str | None:
        if not ctx.top_regions.get(code):
            return None
        if not decks.get(code):
            decks[code] = rng.sample(ctx.top_regions[code], len(ctx.top_regions[code]))
        return decks[code].pop()

    regional: list[tuple[int, str, str | None]] = []

    def remember_regional(chunk: list[Hub]) -> None:
        remember(chunk)
        regional.extend((h.pk, h.country_id, h.region_id) for h in chunk)

    regionals = (
        make(c, Level.REGIONAL, national_pk[c], next_region(c), 1.5) for c in regional_countries
    )
    created += insert(ctx, Hub, "hubs", regionals, total, remember_regional, done_before=created)

    # Local hubs: below a regional hub of the same country, in its region or a subdivision of it.
    def locals_() -> Iterator[Hub]:
        if not regional:
            return
        for parent_pk, code, region in sorted(rng.choices(regional, k=n_local), key=lambda r: r[0]):
            children = ctx.region_children.get(region or "", [])
            local_region = rng.choice(children) if children and rng.random() < 0.7 else region
            yield make(code, Level.LOCAL, parent_pk, local_region, 2.0)

    created += insert(ctx, Hub, "hubs", locals_(), total, remember, done_before=created)
    return created


STAGE_EVIDENCE: dict[str, str] = {
    Stage.EXPLORING: "Synthetic: a mapping found a cancer network willing to act as a hub.",
    Stage.INCEPTION_DIALOGUE: "Synthetic: inception dialogue with authorities and patients.",
    Stage.ESTABLISHMENT: "Synthetic: founding members signed a letter of intent; terms drafted.",
    Stage.LAUNCHED: "Synthetic: official launch event with the mission contact point.",
    Stage.OPERATIONAL: "Synthetic: the coordination group meets regularly; activity plan adopted.",
    Stage.SUSTAINED: "Synthetic: multi-year funding agreed and a continuity plan approved.",
}


def stage_history(rng: random.Random, stage: str, since: date | None) -> list[tuple[str, date]]:
    """Forward moves ending at ``stage`` on ``since``, dated backwards; some may be skipped."""
    if since is None or STAGE_ORDER[stage] == 0:
        return []
    history = [(stage, since)]
    when = since
    for earlier in reversed(Stage.values[1 : STAGE_ORDER[stage]]):
        when = when - timedelta(days=rng.randint(20, 300))
        if when < START_DATE:
            break
        if rng.random() < 0.15:  # a stage nobody documented: the hub moved on without it
            continue
        history.append((earlier, when))
    history.reverse()
    return history


@step("stage_changes")
def generate_stage_changes(ctx: Context) -> int:
    """The lifecycle history of each generated hub, consistent with its current stage."""
    rng = ctx.rng("stage_changes")
    hubs = [h for h in ctx.hubs if h.generated]

    def rows() -> Iterator[StageChange]:
        for hub in hubs:
            for stage, when in stage_history(rng, hub.stage, hub.stage_since):
                yield StageChange(
                    hub_id=hub.pk,
                    stage=stage,
                    date=when,
                    evidence=STAGE_EVIDENCE[stage],
                    recorded_at=datetime.combine(when, time(12, 0), tzinfo=UTC),
                )

    estimate = sum(STAGE_ORDER[h.stage] for h in hubs)
    created = insert(ctx, StageChange, "stage changes", rows(), estimate)
    ctx.progress("stage changes", created, created)  # the estimate counted skipped stages
    return created


LEVEL_MEMBER_WEIGHT: dict[str, float] = {
    Level.NATIONAL: 12.0,
    Level.REGIONAL: 3.0,
    Level.LOCAL: 1.0,
}


@step("memberships")
def generate_memberships(ctx: Context) -> int:
    """Members of each hub, from its own country first; national hubs have the most.

    When a country has fewer organisations than its hubs' quota (always so at small scale), the
    rest come from other countries, as European networks and companies join foreign hubs.
    Every generated membership is confirmed, as the members of a running network are.
    """
    rng = ctx.rng("memberships")
    hubs = [h for h in ctx.hubs if h.generated or h.level == Level.NATIONAL]
    weights = [LEVEL_MEMBER_WEIGHT[h.level] * rng.uniform(0.5, 1.5) for h in hubs]
    everyone = [pk for code in ctx.countries for pk in ctx.org_ids.get(code, [])]
    # An organisation holds at most one membership of a hub at a time: at most one per org.
    quotas = [min(q, len(everyone)) for q in apportion(ctx.scale.memberships, weights)]
    source = f"echos generate-data, seed {ctx.seed}"
    last_day = REFERENCE_DATE - timedelta(days=1)

    def rows() -> Iterator[Membership]:
        for hub, quota in zip(hubs, quotas, strict=True):
            if quota == 0:
                continue
            home = ctx.org_ids.get(hub.country, [])
            members = rng.sample(home, min(quota, len(home)))
            if len(members) < quota:
                local = set(home)
                foreign = rng.sample(everyone, min(len(everyone), quota + len(home)))
                members += [pk for pk in foreign if pk not in local][: quota - len(members)]
            emitted = 0
            for index, org in enumerate(members):
                if emitted >= quota:
                    break
                role: str
                if index < 3:
                    role = Membership.Role.COORDINATING_GROUP
                else:
                    role = rng.choices(Membership.Role.values, [0, 12, 80, 8])[0]
                since = random_day(rng, START_DATE, last_day) if rng.random() < 0.9 else None
                until = None
                if (
                    since is not None
                    and index >= 3
                    and rng.random() < 0.08
                    and since < last_day - timedelta(30)
                ):
                    until = random_day(rng, since + timedelta(days=30), last_day)
                yield Membership(
                    hub_id=hub.pk,
                    organisation_id=org,
                    role=role,
                    since=since,
                    until=until,
                    source=source,
                    is_demo=True,
                    status=Membership.Status.CONFIRMED,
                )
                emitted += 1
                # Some who left joined again later: a second, non-overlapping period.
                if (
                    until is not None
                    and until < last_day
                    and emitted < quota
                    and rng.random() < 0.3
                ):
                    yield Membership(
                        hub_id=hub.pk,
                        organisation_id=org,
                        role=Membership.Role.MEMBER,
                        since=random_day(rng, until + timedelta(days=1), last_day),
                        until=None,
                        source=source,
                        is_demo=True,
                        status=Membership.Status.CONFIRMED,
                    )
                    emitted += 1

    return insert(ctx, Membership, "memberships", rows(), sum(quotas))
