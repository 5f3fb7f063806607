"""Exports of hubs, organisations and memberships as CSV, XLSX or JSON."""

import io
import json

from echos.core.multilingual import export_header, export_row, offered_languages
from echos.core.spreadsheets import SafeWriter, append_row
from echos.hubs.models import Hub, Membership, Organisation

EXPORTS = {
    "hubs": (
        lambda: Hub.objects.select_related("host_organisation").order_by("pk"),
        [
            "id",
            "country",
            "level",
            "parent",
            "region",
            "name",
            "name_en",
            "archetype",
            "stage",
            "stage_since",
            "website",
            "host_organisation",
            "mission",
            "source_language",
            "is_demo",
        ],
        lambda h: [
            h.pk,
            h.country_id,
            h.level,
            h.parent_id,
            h.region_id,
            h.name,
            h.name_en,
            h.archetype,
            h.stage,
            h.stage_since,
            h.website,
            h.host_organisation_id,
            h.mission,
            h.source_language,
            h.is_demo,
        ],
    ),
    "organisations": (
        lambda: Organisation.objects.select_related("stakeholder_group").order_by("pk"),
        [
            "id",
            "name",
            "country",
            "region",
            "stakeholder_group",
            "website",
            "description",
            "is_demo",
        ],
        lambda o: [
            o.pk,
            o.name,
            o.country_id,
            o.region_id,
            o.stakeholder_group.code,
            o.website,
            o.description,
            o.is_demo,
        ],
    ),
    "memberships": (
        lambda: Membership.objects.order_by("pk"),
        ["id", "hub", "organisation", "role", "since", "until", "status", "is_demo"],
        lambda m: [
            m.pk,
            m.hub_id,
            m.organisation_id,
            m.role,
            m.since,
            m.until,
            m.status,
            m.is_demo,
        ],
    ),
}


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# Text fields carried in every language (#17): a "mission [de]" column per language used.
TRANSLATED = {"hubs": (Hub, ("mission",))}


def _languages_used(model) -> list[str]:
    """The languages of the model's texts (source and translations), in the platform's order;
    read from two small columns, before the rows are streamed."""
    used: set[str] = set()
    rows = model.objects.values_list("source_language", "translations")
    for source, translations in rows.iterator(chunk_size=2000):
        used.add(source)
        used.update(code for code, texts in (translations or {}).items() if texts)
    order = offered_languages()
    return [c for c in order if c in used] + sorted(used - set(order))


def export(kind: str, fmt: str, out) -> int:
    """Write every row of ``kind`` to the binary stream ``out``; returns the row count."""
    queryset, header, row = EXPORTS[kind]
    if kind in TRANSLATED:
        model, fields = TRANSLATED[kind]
        languages = _languages_used(model)
        plain_row = row
        header = [*header, *export_header(fields, languages)]

        def row(obj):
            return [*plain_row(obj), *export_row(obj, fields, languages)]

    rows = (row(obj) for obj in queryset().iterator(chunk_size=2000))
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        writer = SafeWriter(text)
        writer.writerow(header)
        for values in rows:
            writer.writerow(["" if v is None else _plain(v) for v in values])
            count += 1
        text.detach()
    elif fmt == "json":
        out.write(b"[")
        for values in rows:
            out.write(
                (b",\n" if count else b"\n")
                + json.dumps(
                    dict(zip(header, map(_plain, values), strict=True)), ensure_ascii=False
                ).encode()
            )
            count += 1
        out.write(b"\n]\n")
    elif fmt == "xlsx":
        from openpyxl import Workbook  # lazy: openpyxl is heavy; CSV and JSON exports skip it

        book = Workbook(write_only=True)
        sheet = book.create_sheet(kind)
        sheet.append(header)
        for values in rows:
            append_row(sheet, list(values))
            count += 1
        book.save(out)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return count
