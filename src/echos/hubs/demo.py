"""Reference hubs (real, sourced) and the clearly labelled demo set for ``echos demo``."""

import json
import re
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from echos.core.models import Country, Region, Term, User
from echos.core.reference import read_json
from echos.hubs import services
from echos.hubs.models import (
    STAGE_ORDER,
    Hub,
    HubRole,
    Level,
    Membership,
    Organisation,
    Person,
    Stage,
    StageChange,
)

DEMO_PASSWORD = "demo-echos-2026"

# Capital or main-city coordinates for placing hubs on maps.
COORDS = {
    "NO": (59.91, 10.75),
    "PL": (52.23, 21.01),
    "PT": (38.72, -9.14),
    "MT": (35.90, 14.51),
    "DE": (52.52, 13.40),
    "FR": (48.86, 2.35),
    "IT": (41.90, 12.50),
    "ES": (40.42, -3.70),
    "NL": (52.37, 4.90),
    "SE": (59.33, 18.07),
    "FI": (60.17, 24.94),
    "IE": (53.35, -6.26),
    "BE": (50.85, 4.35),
    "AT": (48.21, 16.37),
    "CZ": (50.08, 14.44),
    "RO": (44.43, 26.10),
    "GR": (37.98, 23.73),
    "SI": (46.06, 14.51),
    "LT": (54.69, 25.28),
    "UA": (50.45, 30.52),
    "TR": (39.93, 32.86),
    "EE": (59.44, 24.75),
    "HU": (47.50, 19.04),
    "DK": (55.68, 12.57),
    "HR": (45.81, 15.98),
}

# (country, stage, archetype, sub-hubs as (level, region code, name, stage, lat, lon, parent index or None))
# The demo national hubs' mission in a few languages (#17), so that a visitor switching language
# sees a translated profile, and the marker "Shown in English" in the languages left out.
DEMO_MISSION_TRANSLATIONS = {
    "de": {"mission": "Demo-Hub: ein erfundener nationaler Hub, der die Plattform vorführt."},
    "es": {"mission": "Hub de demostración: un hub nacional inventado para mostrar la plataforma."},
    "fr": {
        "mission": "Hub de démonstration : un hub national fictif qui sert à présenter la "
        "plateforme."
    },
    "pl": {"mission": "Hub demonstracyjny: zmyślony hub krajowy, który prezentuje platformę."},
    "el": {
        "mission": "Κόμβος επίδειξης: ένας φανταστικός εθνικός κόμβος που παρουσιάζει την "
        "πλατφόρμα."
    },
}

DEMO_HUBS: list[tuple[str, Stage, str, list[tuple]]] = [
    (
        "DE",
        Stage.ESTABLISHMENT,
        "research_driven",
        [
            ("regional", "DE-BY", "Bavaria", Stage.LAUNCHED, 48.14, 11.58, None),
            ("local", "DE-BY", "Munich", Stage.EXPLORING, 48.14, 11.58, 0),
            (
                "regional",
                "DE-NW",
                "North Rhine-Westphalia",
                Stage.INCEPTION_DIALOGUE,
                51.23,
                6.78,
                None,
            ),
        ],
    ),
    (
        "ES",
        Stage.OPERATIONAL,
        "mixed",
        [
            ("regional", "ES-CT", "Catalonia", Stage.OPERATIONAL, 41.39, 2.17, None),
            ("local", "ES-CT", "Barcelona", Stage.LAUNCHED, 41.39, 2.17, 0),
            ("regional", "ES-AN", "Andalusia", Stage.ESTABLISHMENT, 37.39, -5.98, None),
        ],
    ),
    # Real, sourced hubs (reference_hubs.json) stand for NL, IE, AT and MT: no demo twin there.
    ("DK", Stage.SUSTAINED, "civil_society", []),
    (
        "SE",
        Stage.LAUNCHED,
        "government_led",
        [
            ("regional", "SE-M", "Skåne", Stage.EXPLORING, 55.60, 13.00, None),
        ],
    ),
    ("FI", Stage.OPERATIONAL, "government_led", []),
    ("FR", Stage.EXPLORING, "government_led", []),
    (
        "IT",
        Stage.INCEPTION_DIALOGUE,
        "research_driven",
        [
            ("regional", "IT-25", "Lombardy", Stage.ESTABLISHMENT, 45.46, 9.19, None),
        ],
    ),
    ("HU", Stage.EXPLORING, "mixed", []),
    ("BE", Stage.INCEPTION_DIALOGUE, "mixed", []),
    ("HR", Stage.ESTABLISHMENT, "government_led", []),
    ("CZ", Stage.INCEPTION_DIALOGUE, "research_driven", []),
    ("RO", Stage.EXPLORING, "civil_society", []),
    ("GR", Stage.EXPLORING, "research_driven", []),
    ("SI", Stage.LAUNCHED, "government_led", []),
    ("LT", Stage.INCEPTION_DIALOGUE, "mixed", []),
    ("UA", Stage.EXPLORING, "civil_society", []),
    ("TR", Stage.INCEPTION_DIALOGUE, "research_driven", []),
    ("EE", Stage.ESTABLISHMENT, "mixed", []),
]

# Sub-hubs of the real national hubs (themselves invented, so labelled demo).
DEMO_SUBHUBS_OF_REAL: dict[str, list[tuple]] = {
    "NO": [
        ("regional", "NO-46", "Western Norway", Stage.ESTABLISHMENT, 60.39, 5.32, None),
        ("local", "NO-46", "Bergen", Stage.EXPLORING, 60.39, 5.32, 0),
    ],
    "PL": [("regional", "PL-14", "Masovia", Stage.INCEPTION_DIALOGUE, 52.23, 21.01, None)],
    "PT": [("regional", "PT-13", "Porto", Stage.LAUNCHED, 41.15, -8.61, None)],
}

DEMO_ORG_KINDS = [
    ("healthcare_providers", "University Hospital"),
    ("patients", "Cancer Patients' Association"),
    ("research", "Institute for Cancer Research"),
    ("authorities", "Health Authority"),
    ("industry", "Oncology Industry Association"),
    ("citizens", "Citizens' Panel on Cancer"),
    ("beyond_health", "Employers' Network for Health"),
    ("funders", "Cancer Research Foundation"),
]

# The stage sequence a demo hub walked through, with invented evidence, dated backwards from today.
STAGE_EVIDENCE = {
    Stage.EXPLORING: "Demo: a mapping interview identified an existing cancer network willing to act as a hub.",
    Stage.INCEPTION_DIALOGUE: "Demo: inception dialogue with ministries, patient groups and research institutes.",
    Stage.ESTABLISHMENT: "Demo: founding members signed a letter of intent; terms of reference drafted.",
    Stage.LAUNCHED: "Demo: official launch event with the national mission contact point.",
    Stage.OPERATIONAL: "Demo: the coordination group meets monthly; first activity plan adopted.",
    Stage.SUSTAINED: "Demo: three-year funding agreed and a continuity plan approved.",
}


def _parse_stage_date(entry: dict) -> tuple[date | None, str]:
    if entry.get("date"):
        return date.fromisoformat(entry["date"]), entry.get("date_precision", "day")
    year = re.search(r"\b(19|20)\d{2}\b", entry.get("note", "") + " " + entry.get("evidence", ""))
    return (date(int(year.group(0)), 1, 1), "year") if year else (None, "day")


@transaction.atomic
def load_reference_hubs() -> int:
    """Load the real hubs and their members from hubs/data/reference_hubs.json (idempotent)."""
    doc = read_json_hubs()
    sources = {s["key"]: s for s in doc["sources"]}
    orgs = {}
    for row in doc["organisations"]:
        country = Country.objects.get(pk=row["country"])
        org = Organisation.objects.filter(country=country, name=row["name"]).first()
        if org is None:
            org = services.create_organisation(
                actor=None,
                name=row["name"],
                country=country,
                region=Region.objects.filter(pk=row.get("region") or "").first(),
                stakeholder_group=Term.objects.get(
                    vocabulary="stakeholder_groups", code=row["stakeholder_group"]
                ),
                website=row.get("website") or "",
                description=row.get("description") or "",
                source=_source_text(sources, row.get("source")),
            )
        orgs[row["key"]] = org
    created = 0
    for row in doc["hubs"]:
        if Hub.objects.filter(
            country_id=row["country"], level=row["level"], name_en=row["name_en"]
        ).exists():
            continue
        lat, lon = COORDS.get(row["country"], (None, None))
        hub = services.create_hub(
            actor=None,
            country=Country.objects.get(pk=row["country"]),
            level=row["level"],
            name=row.get("name_local") or row["name_en"],
            name_en=row["name_en"],
            mission=row.get("mission", ""),
            website=row.get("website") or "",
            archetype=row.get("archetype") or "",
            host_organisation=orgs.get(row.get("host_organisation")),
            latitude=lat,
            longitude=lon,
        )
        created += 1
        current = Stage.NO_STRUCTURE
        for entry in sorted(row["stages"], key=lambda e: _parse_stage_date(e)[0] or date.max):
            when, precision = _parse_stage_date(entry)
            # A later event that does not move the hub forward is evidence, not a regression;
            # an "alternative" entry is one source's reading that another source contradicts.
            if (
                when is None
                or entry.get("alternative")
                or STAGE_ORDER[entry["stage"]] <= STAGE_ORDER[current]
            ):
                continue
            change = services.record_stage_change(
                actor=None,
                hub=hub,
                stage=entry["stage"],
                date=when,
                evidence=entry.get("evidence", ""),
                link=entry.get("link", ""),
            )
            if precision != "day":
                StageChange.objects.filter(pk=change.pk).update(date_precision=precision)
            current = entry["stage"]
        for member in row["members"]:
            services.add_membership(
                actor=None,
                hub=hub,
                organisation=orgs[member["organisation"]],
                role=member["role"],
                since=date.fromisoformat(member["since"]) if member.get("since") else None,
                source=_source_text(sources, member.get("source")),
            )
    return created


def read_json_hubs() -> dict:
    """The sourced reference hubs file."""
    return json.loads(
        (Path(__file__).resolve().parent / "data" / "reference_hubs.json").read_text("utf-8")
    )


def _source_text(sources: dict, key) -> str:
    s = sources.get(key)
    return f"{s.get('title', '')} — {s.get('url', '')}"[:300] if s else ""


def _walk_stages(hub: Hub, target: str) -> None:
    """Record the stages up to ``target``, about five months apart, ending a few weeks ago."""
    stages = [s for s in Stage if 0 < STAGE_ORDER[s] <= STAGE_ORDER[target]]
    today = date.today()
    for i, stage in enumerate(stages):
        if stage == Stage.SUSTAINED:
            break  # needs a continuity plan: continuity.demo records it once the hub has one
        when = today - timedelta(days=(len(stages) - i) * 150 + hub.pk % 30)
        services.record_stage_change(
            actor=None, hub=hub, stage=stage, date=when, evidence=STAGE_EVIDENCE[stage]
        )


def _demo_orgs(
    country: Country, region: Region | None, place: str, kinds=DEMO_ORG_KINDS
) -> list[Organisation]:
    orgs = []
    for group, kind in kinds:
        name = f"{kind} of {place} (demo)"
        org = Organisation.objects.filter(
            country=country, name=name
        ).first() or services.create_organisation(
            actor=None,
            name=name,
            country=country,
            region=region,
            stakeholder_group=Term.objects.get(vocabulary="stakeholder_groups", code=group),
            description="Invented organisation for the demo.",
            is_demo=True,
        )
        orgs.append(org)
    return orgs


def _add_subhubs(parent: Hub, specs: list) -> list[Hub]:
    made: list[Hub] = []
    for level, region_code, place, stage, lat, lon, parent_index in specs:
        region = Region.objects.filter(pk=region_code).first()
        hub = services.create_hub(
            actor=None,
            country=parent.country,
            level=level,
            parent=made[parent_index] if parent_index is not None else parent,
            region=region,
            name=f"{place} Cancer Mission Hub (demo)",
            name_en=f"{place} Cancer Mission Hub (demo)",
            mission=f"Demo hub: brings the cancer community of {place} together around the Mission's objectives.",
            archetype="mixed",
            latitude=lat,
            longitude=lon,
            is_demo=True,
        )
        _walk_stages(hub, stage)
        for i, org in enumerate(_demo_orgs(parent.country, region, place, DEMO_ORG_KINDS[:5])):
            services.add_membership(
                actor=None,
                hub=hub,
                organisation=org,
                role="coordinating_group" if i == 0 else "member",
                is_demo=True,
            )
        made.append(hub)
    return made


@transaction.atomic
def load_demo() -> dict:
    """Invented hubs, organisations and accounts, every one labelled demo."""
    if Hub.objects.filter(is_demo=True).exists():
        return {"skipped": True}
    for country_code, stage, archetype, subs in DEMO_HUBS:
        if Hub.objects.national().filter(country_id=country_code, is_demo=False).exists():
            continue  # a real hub is never shadowed by an invented one
        country = Country.objects.get(pk=country_code)
        lat, lon = COORDS.get(country_code, (None, None))
        hub = services.create_hub(
            actor=None,
            country=country,
            level=Level.NATIONAL,
            name=f"Cancer Mission Hub {country.name} (demo)",
            name_en=f"Cancer Mission Hub {country.name} (demo)",
            mission="Demo hub: an invented national hub used to show the platform.",
            translations=DEMO_MISSION_TRANSLATIONS,
            archetype=archetype,
            latitude=lat,
            longitude=lon,
            is_demo=True,
        )
        _walk_stages(hub, stage)
        for i, org in enumerate(_demo_orgs(country, None, country.name)):
            role = "coordinating_group" if i < 2 else ("founding_member" if i < 4 else "member")
            services.add_membership(actor=None, hub=hub, organisation=org, role=role, is_demo=True)
        _add_subhubs(hub, subs)
    for code, specs in DEMO_SUBHUBS_OF_REAL.items():
        national = Hub.objects.national().filter(country_id=code).first()
        if national:
            _add_subhubs(national, specs)
    accounts = _demo_accounts()
    _pending_example()
    return {"hubs": Hub.objects.filter(is_demo=True).count(), "accounts": accounts}


def _pending_example() -> None:
    """One membership awaiting confirmation, for the demo: Norway's Bergen demo hub lists the Oslo
    Cancer Cluster, whose contact (the member-no account) confirms or declines it."""
    org = Organisation.objects.filter(name="Oslo Cancer Cluster").first()
    hub = Hub.objects.filter(is_demo=True, country_id="NO", level=Level.LOCAL).first()
    if org is None or hub is None or hub.memberships.filter(organisation=org).exists():
        return
    services.add_membership(
        actor=None,
        hub=hub,
        organisation=org,
        role="member",
        source="Demo: a membership awaiting the organisation's confirmation.",
        is_demo=True,
        status=Membership.Status.PENDING,
    )


DEMO_ACCOUNTS = [
    # username, description, hub country (national hub), role
    ("secretariat", "Network coordinator (European secretariat)", None, None),
    (
        "coordinator-no",
        "Hub coordinator of Norway (and its sub-hubs)",
        "NO",
        HubRole.Role.COORDINATOR,
    ),
    ("coordinator-pt", "Hub coordinator of Portugal", "PT", HubRole.Role.COORDINATOR),
    ("editor-pl", "Hub editor of Poland", "PL", HubRole.Role.EDITOR),
    (
        "member-no",
        "Stakeholder member (Oslo Cancer Cluster contact in Norway's hub)",
        "NO",
        HubRole.Role.MEMBER,
    ),
]


def _demo_accounts() -> list[tuple[str, str]]:
    listed = []
    for username, description, country, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"is_demo": True, "first_name": "Demo", "last_name": username.title()},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_network_coordinator = country is None
            user.is_staff = country is None
            user.email = f"{username}@demo.invalid"
            user.save()
        if country:
            hub = Hub.objects.national().filter(country_id=country).first()
            if hub:
                HubRole.objects.get_or_create(user=user, hub=hub, defaults={"role": role})
        if username == "member-no":
            org = Organisation.objects.filter(name="Oslo Cancer Cluster").first()
            if org and not Person.objects.filter(user=user).exists():
                Person.objects.create(
                    organisation=org,
                    name="Demo Member (invented person)",
                    email="member-no@demo.invalid",
                    position="Demo contact",
                    user=user,
                    is_demo=True,
                )
        listed.append((username, description))
    return listed


__all__ = ["Membership", "read_json"]
