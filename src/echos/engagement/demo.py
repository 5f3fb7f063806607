"""A year of invented engagement records on the national demo hubs, for ``echos demo``.

Everything here is demo data (``is_demo=True``, titles ending in "(demo)"): the engaged
organisations are the demo hub's own invented members, and no person is named. Real hubs
(``is_demo=False``) get no invented records.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from echos.engagement import services
from echos.engagement.models import EngagementRecord, Format
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
]


def _organisations(hub: Hub, groups: list[str]) -> list[int]:
    """The hub's current member organisations of the engaged groups (invented demo ones)."""
    return list(
        Membership.objects.current()
        .filter(hub=hub, organisation__stakeholder_group__code__in=groups)
        .values_list("organisation_id", flat=True)
        .distinct()
    )


@transaction.atomic
def load_demo() -> dict:
    """Five to eight records over the last year on every national demo hub (idempotent)."""
    hubs = Hub.objects.filter(is_demo=True, level="national").select_related("country")
    rng = random.Random(f"echos-demo:{SEED}:engagement")
    today = timezone.localdate()
    created = 0
    for hub in hubs.order_by("pk"):
        if EngagementRecord.objects.filter(hub=hub, is_demo=True).exists():
            continue
        for template in rng.sample(TEMPLATES, rng.randint(5, 8)):
            title, level, groups, fmt, objectives, areas, size, text, outcomes = template
            day = today - timedelta(days=rng.randint(3, 360))
            services.save_record(
                actor=None,
                hub=hub,
                title=f"{title} (demo)",
                description=f"Demo record with invented content. {text}",
                date=day,
                end_date=day + timedelta(days=21) if fmt == Format.SURVEY else None,
                level=level,
                stakeholder_groups=groups,
                organisations=_organisations(hub, groups),
                participants=rng.randint(*size),
                format=fmt,
                language="en",  # the invented content is English whatever the country
                objectives=objectives,
                policy_areas=areas,
                outcomes=f"Demo outcome: {outcomes}" if outcomes else "",
                is_demo=True,
            )
            created += 1
    return {"engagement_records": created}
