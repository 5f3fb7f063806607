"""Exports of a hub's register (its team only) and of its engagement records (public fields)."""

import io

from echos.core.spreadsheets import SafeWriter, append_row
from echos.engagement import register
from echos.engagement.models import EngagementRecord
from echos.hubs.models import Hub

REGISTER_HEADER = [
    "organisation_id",
    "organisation",
    "country",
    "stakeholder_group",
    "sector",
    "influence",
    "interest",
    "quadrant",
    "status",
    "owner",
    "notes",
]
RECORD_HEADER = [
    "id",
    "title",
    "description",
    "date",
    "end_date",
    "status",
    "level",
    "stakeholder_groups",
    "organisations",
    "participants",
    "format",
    "language",
    "region",
    "objectives",
    "policy_areas",
    "outcomes",
]


def register_rows(hub: Hub):
    """One row per register entry, with the codes the import uses."""
    for e in register.register_of(hub).order_by("organisation__name", "pk").iterator(2000):
        yield [
            e.organisation_id,
            e.organisation.name,
            e.organisation.country_id,
            e.group.code,
            e.sector,
            e.influence,
            e.interest,
            register.quadrant(e.influence, e.interest),
            e.status,
            e.owner.get_username() if e.owner else "",
            e.notes,
        ]


def record_rows(hub: Hub):
    """One row per record of the hub: the public fields only (no author, no follow-ups)."""
    records = (
        EngagementRecord.objects.filter(hub=hub)
        .select_related("level")
        .prefetch_related("stakeholder_groups", "organisations", "objectives", "policy_areas")
        .order_by("date", "pk")
    )
    for r in records.iterator(chunk_size=2000):
        yield [
            r.pk,
            r.title,
            r.description,
            r.date.isoformat(),
            r.end_date.isoformat() if r.end_date else "",
            r.status,
            r.level.code,
            ";".join(t.code for t in r.stakeholder_groups.all()),
            ";".join(str(o.pk) for o in r.organisations.all()),
            "" if r.participants is None else r.participants,
            r.format,
            r.language,
            r.region_id or "",
            ";".join(t.code for t in r.objectives.all()),
            ";".join(t.code for t in r.policy_areas.all()),
            r.outcomes,
        ]


def write(header: list[str], rows, fmt: str, sheet_name: str) -> bytes:
    """CSV or XLSX bytes, cells safe from formula injection."""
    out = io.BytesIO()
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        writer = SafeWriter(text)
        writer.writerow(header)
        writer.writerows(rows)
        text.detach()
    elif fmt == "xlsx":
        from openpyxl import Workbook  # lazy: openpyxl is heavy; CSV exports never need it

        book = Workbook(write_only=True)
        sheet = book.create_sheet(sheet_name)
        sheet.append(header)
        for row in rows:
            append_row(sheet, row)
        book.save(out)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
