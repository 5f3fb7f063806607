"""A year of invented engagement records on the national demo hubs, for ``echos demo``.

Everything here is demo data (``is_demo=True``, titles ending in "(demo)"): the engaged
organisations are the demo hub's own invented members, and no person is named. Real hubs
(``is_demo=False``) get no invented records.

Each demo hub gets about two records a month over the year up to today (dated relative to
today), with participants per stakeholder group, a few planned engagements ahead and one
cancelled, and follow-up actions of which some are overdue. The hubs show different gap
patterns on their coverage pages: the first (by id) is strong in the public sector and only
informs citizens; the second is the reverse, strong with citizens and civil society and weak in
the public sector; the others mix every kind of engagement. Rows are written in bulk (a few
queries per hub) so that ``echos demo`` stays fast; they are built valid by construction.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from echos.core.models import Region, Term
from echos.engagement import services
from echos.engagement.models import (
    EngagementRecord,
    FollowUp,
    Format,
    ParticipantCount,
    RecordStatus,
)
from echos.hubs.models import Hub, Membership

SEED = 2026

# (title, level, groups, format, objectives, policy areas, participants, description, outcomes)
TEMPLATES = [
    (
        "Information evening on screening programmes",
        "inform",
        ["citizens"],
        Format.PUBLIC_EVENT,
        ["prevention"],
        ["health"],
        (40, 160),
        "An evening in the town library explaining the organised screening programmes: who is "
        "invited, at what age, and what happens after a positive test.",
        "Many questions on bowel screening; the hub will publish a plain-language leaflet.",
    ),
    (
        "Survey of patients' priorities for the hub",
        "consult",
        ["patients", "civil_society"],
        Format.SURVEY,
        ["quality_of_life", "equitable_access"],
        ["health", "social_affairs"],
        (150, 900),
        "An online and paper survey asking patients and their organisations which problems the "
        "hub should tackle first.",
        "Travel to treatment and return to work came first; both go into next year's plan.",
    ),
    (
        "Workshop with hospitals on shared care pathways",
        "involve",
        ["healthcare_providers", "patients"],
        Format.WORKSHOP,
        ["diagnosis_treatment"],
        ["health"],
        (15, 40),
        "A one-day workshop where hospitals and patient organisations mapped where care "
        "pathways break between hospitals and primary care.",
        "Three break points agreed; a working group drafts a shared referral checklist.",
    ),
    (
        "Co-design session on return to work with employers",
        "collaborate",
        ["beyond_health", "patients", "authorities"],
        Format.WORKSHOP,
        ["quality_of_life"],
        ["employment", "social_affairs"],
        (12, 30),
        "Employers' networks, patient organisations and the labour authority designed a "
        "return-to-work guide for cancer survivors together.",
        "The guide is co-owned by the partners and will be tested in five workplaces.",
    ),
    (
        "Research priorities round table",
        "consult",
        ["research", "funders", "industry"],
        Format.MEETING,
        ["understanding"],
        ["research"],
        (10, 25),
        "Research institutes, funders and industry compared their cancer research priorities "
        "with those raised by patients.",
        "",
    ),
    (
        "Citizens' panel decides the hub's awareness campaign",
        "empower",
        ["citizens", "civil_society"],
        Format.MEETING,
        ["prevention", "equitable_access"],
        ["health", "education"],
        (20, 35),
        "A panel of randomly invited residents chose the theme and channels of the hub's next "
        "awareness campaign; the hub committed in advance to follow its choice.",
        "The panel chose sun protection for young people, through schools and sports clubs.",
    ),
    (
        "Webinar for regional authorities on the Mission on Cancer",
        "inform",
        ["authorities", "regulators_hta"],
        Format.ONLINE,
        ["understanding", "equitable_access"],
        ["health"],
        (25, 120),
        "An online briefing for regional and local authorities on the Mission on Cancer and "
        "what a hub can do for them.",
        "",
    ),
    (
        "School health network meeting on prevention lessons",
        "involve",
        ["beyond_health", "citizens"],
        Format.MEETING,
        ["prevention"],
        ["education"],
        (8, 25),
        "Teachers' and school health networks reviewed prevention lessons with the hub.",
        "Two lesson plans will be adapted with the hub's patient organisations.",
    ),
    (
        "Policy dialogue with the health ministry on the cancer plan",
        "collaborate",
        ["authorities", "regulators_hta"],
        Format.POLICY_DIALOGUE,
        ["equitable_access"],
        ["health"],
        (8, 20),
        "Officials of the health ministry and the HTA agency worked through the hub's proposals "
        "for the next national cancer plan.",
        "Two proposals enter the draft plan; the hub reviews the draft in the spring.",
    ),
    (
        "Training for hospital staff on the shared referral checklist",
        "involve",
        ["healthcare_providers"],
        Format.TRAINING,
        ["diagnosis_treatment"],
        ["health"],
        (20, 60),
        "Hospital and primary-care staff trained on the referral checklist drafted with the hub.",
        "Staff asked for a pocket version; the hub prepares it with the hospitals.",
    ),
    (
        "Briefing of members of the European Parliament",
        "inform",
        ["eu_institutions", "authorities"],
        Format.MEETING,
        ["understanding"],
        ["health", "research"],
        (6, 15),
        "A briefing on the hub's first year and the Mission on Cancer in the country.",
        "",
    ),
    (
        "Conference of regional health authorities",
        "consult",
        ["authorities", "healthcare_providers"],
        Format.CONFERENCE,
        ["prevention", "equitable_access"],
        ["health"],
        (60, 200),
        "Regional health authorities compared screening uptake and asked the hub for support.",
        "Three regions asked for the hub's help with invitation letters.",
    ),
    (
        "Citizen dialogue on screening invitations",
        "involve",
        ["citizens", "patients"],
        Format.CITIZEN_DIALOGUE,
        ["prevention", "equitable_access"],
        ["health"],
        (25, 60),
        "Residents and patients rewrote the screening invitation letter with the hub.",
        "The new letter is tested in two municipalities.",
    ),
    (
        "Consultation of patient organisations on survivorship care",
        "consult",
        ["patients", "civil_society"],
        Format.CONSULTATION,
        ["quality_of_life"],
        ["health", "social_affairs"],
        (15, 80),
        "A written consultation of patient organisations on care after treatment.",
        "Psychological support and fertility advice came first.",
    ),
    (
        "Awareness campaign with local media",
        "inform",
        ["media", "citizens"],
        Format.CAMPAIGN,
        ["prevention"],
        ["health", "education"],
        (200, 2000),
        "A month of radio spots and local newspaper articles on the signs of skin cancer.",
        "",
    ),
    (
        "Penta Helix workshop on the hub's priorities",
        "collaborate",
        ["authorities", "research", "industry", "civil_society", "citizens"],
        Format.PENTA_HELIX_WORKSHOP,
        ["understanding", "equitable_access"],
        ["health", "research"],
        (25, 50),
        "Public sector, academia, industry, civil society and citizens ranked the hub's "
        "candidate priorities together.",
        "Five priorities agreed; each sector names a champion organisation.",
    ),
]

PUBLIC = {"healthcare_providers", "authorities", "regulators_hta", "eu_institutions"}
CITIZEN_SIDE = {"citizens", "patients", "civil_society"}
RECORDS_PER_HUB = 24  # about two a month
FOLLOW_UPS = [
    "Send the minutes to the participants",
    "Publish a summary on the hub's page",
    "Draft the working group's terms of reference",
    "Invite the missing stakeholder groups to the next round",
    "Report back to the participants on what was done",
]


def _pool(pattern: str) -> list[tuple]:
    """The templates a hub of one gap pattern draws from."""
    if pattern == "public_strong":
        # The public sector at every depth; citizens only at the information evening.
        return [t for t in TEMPLATES if "citizens" not in t[2] or t[0].startswith("Information")]
    if pattern == "citizens_strong":
        return [t for t in TEMPLATES if not set(t[2]) & PUBLIC]
    return list(TEMPLATES)


def _organisations(hub: Hub, groups: list[str]) -> list[int]:
    """The hub's current member organisations of the engaged groups (invented demo ones)."""
    return list(
        Membership.objects.current()
        .filter(hub=hub, organisation__stakeholder_group__code__in=groups)
        .values_list("organisation_id", flat=True)
        .distinct()
    )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` participants over ``parts`` groups, the first group the largest."""
    weights = sorted((rng.random() + 0.2 for _ in range(parts)), reverse=True)
    counts = [int(total * w / sum(weights)) for w in weights]
    counts[0] += total - sum(counts)
    return counts


@transaction.atomic
def load_demo() -> dict:
    """A year of records, participants per group and follow-ups on every national demo hub
    (idempotent: a hub that has demo records is left as it is)."""
    hubs = list(Hub.objects.filter(is_demo=True, level="national").order_by("pk"))
    rng = random.Random(f"echos-demo:{SEED}:engagement")
    today = timezone.localdate()
    terms = {
        v: dict(Term.objects.filter(vocabulary=v).values_list("code", "pk"))
        for v in ("engagement_levels", "stakeholder_groups", "objectives", "policy_areas")
    }
    regions: dict[str, list[str]] = {}
    for code, country in Region.objects.filter(
        country_id__in={h.country_id for h in hubs}, parent__isnull=True
    ).values_list("code", "country_id"):
        regions.setdefault(country, []).append(code)
    created = follow_ups = 0
    patterns = ["public_strong", "citizens_strong"]
    for index, hub in enumerate(hubs):
        if EngagementRecord.objects.filter(hub=hub, is_demo=True).exists():
            continue
        pattern = patterns[index] if index < len(patterns) else "mixed"
        pool = _pool(pattern)
        # A few regions only, so that the regional spread has gaps to show.
        reached = sorted(regions.get(hub.country_id, []))
        reached = rng.sample(reached, min(len(reached), 3))
        owner = services.team_members(hub).values_list("pk", flat=True).first()
        rows, links = [], []
        for i in range(RECORDS_PER_HUB):
            title, level, groups, fmt, objectives, areas, size, text, outcomes = (
                pool[i % len(pool)] if i < len(pool) else rng.choice(pool)
            )
            if i < 2:  # two planned engagements ahead
                day, status = today + timedelta(days=rng.randint(10, 60)), RecordStatus.PLANNED
            else:
                day = today - timedelta(days=rng.randint(1, 360))
                status = RecordStatus.CANCELLED if i == 2 else RecordStatus.HELD
            participants = rng.randint(*size)
            rows.append(
                EngagementRecord(
                    hub=hub,
                    title=f"{title} (demo)",
                    description=f"Demo record with invented content. {text}",
                    date=day,
                    end_date=day + timedelta(days=21) if fmt == Format.SURVEY else None,
                    level_id=terms["engagement_levels"][level],
                    participants=participants if status == RecordStatus.HELD else None,
                    format=fmt,
                    status=status,
                    language="en",  # the invented content is English whatever the country
                    region_id=rng.choice(reached) if reached and rng.random() < 0.7 else None,
                    outcomes=f"Demo outcome: {outcomes}" if outcomes else "",
                    is_demo=True,
                )
            )
            links.append((groups, objectives, areas, participants, status))
        records = EngagementRecord.objects.bulk_create(rows)
        group_links, org_links, goal_links, area_links, counts, actions = [], [], [], [], [], []
        orgs = {g: _organisations(hub, [g]) for g in terms["stakeholder_groups"]}
        for record, (groups, objectives, areas, participants, status) in zip(
            records, links, strict=True
        ):
            group_links += [
                EngagementRecord.stakeholder_groups.through(
                    engagementrecord_id=record.pk, term_id=terms["stakeholder_groups"][g]
                )
                for g in groups
            ]
            org_links += [
                EngagementRecord.organisations.through(
                    engagementrecord_id=record.pk, organisation_id=o
                )
                for o in sorted({o for g in groups for o in orgs.get(g, [])})
            ]
            goal_links += [
                EngagementRecord.objectives.through(
                    engagementrecord_id=record.pk, term_id=terms["objectives"][c]
                )
                for c in objectives
                if c in terms["objectives"]
            ]
            area_links += [
                EngagementRecord.policy_areas.through(
                    engagementrecord_id=record.pk, term_id=terms["policy_areas"][c]
                )
                for c in areas
                if c in terms["policy_areas"]
            ]
            if status != RecordStatus.HELD:
                continue
            for g, n in zip(groups, _split(participants, len(groups), rng), strict=True):
                counts.append(
                    ParticipantCount(
                        record=record, group_id=terms["stakeholder_groups"][g], count=n
                    )
                )
            if rng.random() < 0.45:
                due = record.date + timedelta(days=rng.randint(14, 75))
                done = due < today and rng.random() < 0.5
                actions.append(
                    FollowUp(
                        record=record,
                        title=f"{rng.choice(FOLLOW_UPS)} (demo)",
                        owner_id=owner,
                        due_date=due,
                        status=FollowUp.Status.DONE if done else FollowUp.Status.OPEN,
                        done_at=timezone.now() if done else None,
                        is_demo=True,
                    )
                )
        EngagementRecord.stakeholder_groups.through.objects.bulk_create(group_links)
        EngagementRecord.organisations.through.objects.bulk_create(org_links)
        EngagementRecord.objectives.through.objects.bulk_create(goal_links)
        EngagementRecord.policy_areas.through.objects.bulk_create(area_links)
        ParticipantCount.objects.bulk_create(counts)
        FollowUp.objects.bulk_create(actions)
        created += len(records)
        follow_ups += len(actions)
    return {"engagement_records": created, "engagement_follow_ups": follow_ups}
