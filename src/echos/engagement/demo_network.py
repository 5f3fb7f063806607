"""Demo data of the engagement network (labelled demo), for ``echos demo``; runs after the records'
and the register's loaders.

Use cases: three Mission on Cancer actions named as they appear, with their public source, in the
initiatives reference data (``synergies/data/initiatives.json``); which stakeholder groups each
needs is the demo's own reading, said so in the description, and the use cases are ``is_demo``.
Snapshots: one per calendar half-year of the first national demo hub's records, labelled demo.
"""

from django.db import transaction
from django.utils import timezone

from echos.engagement import network_views, usecases
from echos.engagement.models import EngagementRecord, NetworkSnapshot, UseCase
from echos.hubs.models import Hub

DEMO_NOTE = (
    "Demo use case: the stakeholder groups it needs are the demo's own reading of the action, "
    "not a statement of the Mission."
)
# (title, action as named in initiatives.json, its source there, groups, why early cooperation)
USE_CASES = [
    (
        "Patients' own data and trusted information",
        "European Cancer Patient Digital Centre (ECPDC)",
        "https://echalliance.com/towards-the-creation-of-a-european-cancer-patient-digital-centre/",
        ["patients", "healthcare_providers", "authorities", "research"],
        "A federated network of patient-controlled data needs patients, hospitals and the "
        "authorities that run health-data infrastructures at the table before it is designed.",
    ),
    (
        "A shared cancer research data platform",
        "A Coordination and Support Action to prepare UNCAN.eu platform (4.UNCAN.eu)",
        "https://cordis.europa.eu/project/id/101069496/reporting",
        ["research", "patients", "industry", "funders"],
        "Researchers, patients, industry and funders must agree early on what data is shared, "
        "how and for whom.",
    ),
    (
        "Comprehensive cancer infrastructures in every country",
        "Comprehensive Cancer Infrastructures 4 Europe (CCI4EU)",
        "https://europeancancer.org/search/campaign/impact/resource/cci4eu.html",
        ["healthcare_providers", "authorities", "research", "patients"],
        "Cancer centres, ministries, researchers and patients have to plan the infrastructure "
        "together from the first assessment.",
    ),
]


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Three demo use cases and half-yearly snapshots of one demo hub (idempotent)."""
    cases = 0
    for title, action, source, groups, why in USE_CASES:
        if UseCase.objects.filter(title=title, is_demo=True).exists():
            continue
        usecases.save_use_case(
            actor=None,
            title=title,
            description=f"{why}\n\n{DEMO_NOTE}",
            mission_action=action,
            groups=groups,
            source=source,
            is_demo=True,
        )
        cases += 1
    snapshots = 0
    hub = Hub.objects.filter(is_demo=True, level="national").order_by("pk").first()
    first = (
        EngagementRecord.objects.filter(hub=hub, is_demo=True).order_by("date").first()
        if hub
        else None
    )
    if hub and first and not NetworkSnapshot.objects.filter(hub=hub).exists():
        today = timezone.localdate()
        for start, end in network_views.half_years(first.date, today):
            half = "H1" if start.month == 1 else "H2"
            filters = network_views.parse_filters(start=start, end=end, today=today)
            network_views.save_snapshot(
                actor=None, hub=hub, filters=filters, label=f"{half} {start.year} (demo)"
            )
            snapshots += 1
    return {"use_cases": cases, "network_snapshots": snapshots}
