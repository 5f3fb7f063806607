"""Load reference data (countries, regions, vocabularies) from the files in ``data/``."""

import json
from datetime import date
from pathlib import Path

import pycountry
from django.db import transaction

from echos.core.models import Country, Region, Term

DATA = Path(__file__).resolve().parent / "data"


def read_json(name: str) -> dict:
    """Read one shipped data file."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def vocabulary_codes() -> dict[str, list[str]]:
    """Codes of every vocabulary, read once."""
    codes: dict[str, list[str]] = {}
    for vocabulary, code in Term.objects.order_by("vocabulary", "position").values_list(
        "vocabulary", "code"
    ):
        codes.setdefault(vocabulary, []).append(code)
    return codes


def _source_titles(doc: dict) -> dict[str, str]:
    return {s["key"]: f"{s.get('title', '')} — {s.get('url', '')}" for s in doc.get("sources", [])}


@transaction.atomic
def load_reference() -> dict[str, int]:
    """Create or update countries, regions and vocabularies; safe to run repeatedly."""
    counts = {"countries": 0, "regions": 0, "terms": 0}
    doc = read_json("countries.json")
    sources = _source_titles(doc)
    for row in doc["countries"]:
        Country.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "membership": row["membership"],
                "since": date.fromisoformat(row["since"]) if row.get("since") else None,
                "source": sources.get(row.get("source"), row.get("source", ""))[:300],
            },
        )
        counts["countries"] += 1
    counts["regions"] = _load_regions([row["code"] for row in doc["countries"]])
    vocab = read_json("vocabularies.json")["vocabularies"]
    for vocabulary, terms in vocab.items():
        for position, term in enumerate(terms):
            Term.objects.update_or_create(
                vocabulary=vocabulary,
                code=term["code"],
                defaults={
                    "label": term["label"],
                    "description": term.get("description", ""),
                    "position": position,
                },
            )
            counts["terms"] += 1
    return counts


def _load_regions(country_codes: list[str]) -> int:
    existing = set(Region.objects.values_list("code", flat=True))
    subs = [s for c in country_codes for s in (pycountry.subdivisions.get(country_code=c) or [])]
    known = {s.code for s in subs}
    rows = [
        Region(
            code=s.code,
            country_id=s.country_code,
            name=s.name,
            type=s.type,
            # Foreign keys are deferred to commit, so parents may come later in the batch.
            parent_id=s.parent_code if s.parent_code in known else None,
        )
        for s in subs
        if s.code not in existing
    ]
    Region.objects.bulk_create(rows, batch_size=500)
    return len(subs)
