"""Reference data (the public facts of ECHoS with their sources) and the demo's additions.

``load_reference_consortium`` reads ``data/echos_consortium.json``: only what a public source
states, each row with its source; it is idempotent. ``load_demo`` adds what no source gives but a
demo needs (reporting periods, milestones and deliverables with statuses, risks), every row
``is_demo=True``.
"""

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from echos.consortium.models import (
    Fact,
    Output,
    Partner,
    Project,
    ReportingPeriod,
    Risk,
    Source,
    Task,
    WorkPackage,
)
from echos.core.models import Country, Term
from echos.hubs import services as hub_services
from echos.hubs.models import Organisation, normalise_name

DATA = Path(__file__).resolve().parent / "data" / "echos_consortium.json"


def read_reference() -> dict:
    """The sourced consortium file."""
    return json.loads(DATA.read_text("utf-8"))


def _organisation(row: dict, source: Source) -> Organisation:
    """The registry's organisation of that name and country, registered when missing."""
    found = Organisation.objects.filter(
        country_id=row["country"], normalised_name=normalise_name(row["name"])
    ).first()
    if found:
        return found
    return hub_services.create_organisation(
        actor=None,
        name=row["name"],
        country=Country.objects.get(pk=row["country"]),
        stakeholder_group=Term.objects.get(
            vocabulary="stakeholder_groups", code=row["stakeholder_group"]
        ),
        source=f"{source.title} — {source.url}"[:300],
    )


@transaction.atomic
def load_reference_consortium() -> dict:
    """Load the project, its sourced facts, partners and work packages (idempotent)."""
    doc = read_reference()
    sources: dict[str, Source] = {}
    for row in doc["sources"]:
        sources[row["key"]], _ = Source.objects.update_or_create(
            key=row["key"],
            defaults={
                "title": row["title"],
                "publisher": row["publisher"],
                "url": row["url"],
                "checked": date.fromisoformat(row["checked"]),
                "note": row.get("note", ""),
            },
        )
    p = doc["project"]
    project, _ = Project.objects.get_or_create(
        acronym=p["acronym"],
        defaults={
            "title": p["title"],
            "start": date.fromisoformat(p["start"]),
            "months": p["months"],
            "calendar_note": p["calendar_note"],
        },
    )
    facts = 0
    for row in doc["facts"]:
        _, made = Fact.objects.get_or_create(
            project=project,
            key=row["key"],
            value=row["value"],
            source=sources[row["source"]],
            defaults={"note": row.get("note", "")},
        )
        facts += made
    first_source = {r["organisation"]: sources[r["source"]] for r in doc["partners"]}
    orgs = {
        row["key"]: _organisation(row, first_source.get(row["key"], sources["occ-echos"]))
        for row in doc["organisations"]
    }
    partners: dict[str, Partner] = {}
    for row in doc["partners"]:
        partners[row["organisation"]], _ = Partner.objects.get_or_create(
            project=project,
            organisation=orgs[row["organisation"]],
            defaults={
                "role": row["role"],
                "source": sources[row["source"]],
                "note": row.get("note", ""),
                "affiliated_to": partners.get(row.get("affiliated_to") or ""),
            },
        )
    for row in doc["work_packages"]:
        wp, _ = WorkPackage.objects.get_or_create(
            project=project,
            number=row["number"],
            defaults={
                "title": row["title"],
                "lead": partners.get(row["lead"] or ""),
                "source": sources[row["source"]],
            },
        )
        for t in row["tasks"]:
            Task.objects.get_or_create(
                work_package=wp,
                title=t["title"],
                defaults={
                    "number": t["number"],
                    "lead": partners.get(t["lead"] or ""),
                    "source": sources[t["source"]],
                },
            )
    return {"sources": len(sources), "facts": facts, "partners": len(partners)}


#: Demo additions: no public source gives these; every row is marked as demo.
DEMO_OUTPUTS = [
    (3, "deliverable", "D3.1", "Stakeholder engagement plan (demo)", 6, "PU", "accepted"),
    (3, "milestone", "MS1", "Stakeholder register in use (demo)", 9, "PU", "accepted"),
    (3, "deliverable", "D3.2", "Impact models and training sets (demo)", 18, "PU", "submitted"),
    (5, "deliverable", "D5.1", "Design study: first draft (demo)", 20, "SEN", "in_progress"),
    (5, "milestone", "MS2", "Design study consulted with the hubs (demo)", 24, "PU", "planned"),
    (5, "deliverable", "D5.2", "Business continuity model (demo)", 34, "PU", "planned"),
]
DEMO_RISKS = [
    (
        1,
        "Hubs in countries without a national host stall after the project (demo).",
        "medium",
        "high",
        "Continuity plans per hub; network-level funding options (demo).",
        "open",
        5,
    ),
    (
        2,
        "Low citizen participation in consultations (demo).",
        "high",
        "medium",
        "Calendar of events and local partners reaching citizens (demo).",
        "monitored",
        3,
    ),
    (
        3,
        "Delayed deliverable reviews by partners (demo).",
        "low",
        "low",
        "Review calendar agreed at the general assembly (demo).",
        "closed",
        None,
    ),
]


@transaction.atomic
def load_demo() -> dict:
    """Add demo reporting periods, outputs and risks to the reference project (once)."""
    project = Project.objects.filter(acronym="ECHoS").first()
    if project is None or Risk.objects.filter(project=project, is_demo=True).exists():
        return {"skipped": True}
    ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(project=project, number=1, start_month=1, end_month=18, is_demo=True),
            ReportingPeriod(project=project, number=2, start_month=19, end_month=36, is_demo=True),
        ]
    )
    wps = {wp.number: wp for wp in project.work_packages.all()}
    outputs = [
        Output(
            work_package=wps[wp],
            kind=kind,
            number=number,
            title=title,
            due_month=due,
            dissemination=level,
            status=status,
            submitted_on=project.month_start(due) if status in ("submitted", "accepted") else None,
            is_demo=True,
        )
        for wp, kind, number, title, due, level, status in DEMO_OUTPUTS
        if wp in wps
    ]
    Output.objects.bulk_create(outputs)
    Risk.objects.bulk_create(
        [
            Risk(
                project=project,
                number=n,
                description=d,
                likelihood=lk,
                impact=im,
                mitigation=m,
                status=st,
                work_package=wps.get(wp) if wp else None,
                is_demo=True,
            )
            for n, d, lk, im, m, st, wp in DEMO_RISKS
        ]
    )
    return {"periods": 2, "outputs": len(outputs), "risks": len(DEMO_RISKS)}
