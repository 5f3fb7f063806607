"""XLSX export of a hub's operations model: one sheet per part, the projection as numbers."""

import io

from openpyxl import Workbook

from echos.continuity import compute
from echos.continuity.engine.months import format_month
from echos.core.exceptions import RuleViolation
from echos.core.spreadsheets import append_row
from echos.hubs.models import Hub


def hub_workbook(hub: Hub) -> bytes:
    """Settings, streams, costs, projection, scenarios, risks and canvas sheets."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Streams")
    append_row(
        sheet,
        [
            "id",
            "name",
            "source_type",
            "funder",
            "amount",
            "currency",
            "period",
            "start",
            "end",
            "probability",
            "slip_months",
            "restrictions",
        ],
    )
    for s in hub.funding_streams.select_related("funder"):
        append_row(
            sheet,
            [
                s.pk,
                s.name,
                s.source_type,
                s.funder.name if s.funder else "",
                s.amount,
                s.currency,
                s.period,
                s.start,
                s.end,
                s.probability,
                s.slip_months,
                s.restrictions,
            ],
        )
    sheet = book.create_sheet("Costs")
    append_row(
        sheet,
        ["id", "name", "category", "role", "fte", "amount", "currency", "period", "start", "end"],
    )
    for c in hub.cost_lines.all():
        append_row(
            sheet,
            [
                c.pk,
                c.name,
                c.category,
                c.role,
                c.fte,
                c.amount,
                c.currency,
                c.period,
                c.start,
                c.end,
            ],
        )
    sheet = book.create_sheet("Projection")
    append_row(sheet, ["month", "income_eur", "costs_eur", "balance_eur"])
    try:
        for r in compute.projection(compute.hub_model(hub)).months:
            append_row(sheet, [format_month(r.month), r.income, r.costs, r.balance])
    except RuleViolation as exc:
        append_row(sheet, [exc.message])
    sheet = book.create_sheet("Scenarios")
    append_row(sheet, ["id", "name", "description", "changes"])
    for sc in hub.continuity_scenarios.all():
        append_row(sheet, [sc.pk, sc.name, sc.description, str(sc.changes)])
    sheet = book.create_sheet("Risks")
    append_row(
        sheet,
        [
            "id",
            "risk",
            "category",
            "likelihood",
            "impact",
            "score",
            "owner",
            "mitigation",
            "status",
            "review_date",
        ],
    )
    for r in hub.continuity_risks.all():
        append_row(
            sheet,
            [
                r.pk,
                r.title,
                r.category,
                r.likelihood,
                r.impact,
                r.score,
                r.owner,
                r.mitigation,
                r.status,
                r.review_date,
            ],
        )
    sheet = book.create_sheet("Canvas")
    version = hub.canvas_versions.order_by("-number").first()
    append_row(sheet, ["block", "content"])
    if version is not None:
        append_row(sheet, ["version", version.number])
        append_row(sheet, ["saved", version.created_at.date()])
        for name in (
            "value_proposition",
            "relationships",
            "channels",
            "key_activities",
            "key_resources",
            "cost_structure",
            "revenue_streams",
        ):
            append_row(sheet, [name, getattr(version, name)])
        append_row(
            sheet,
            ["stakeholder_segments", ", ".join(t.code for t in version.stakeholder_segments.all())],
        )
        append_row(sheet, ["key_partners", ", ".join(o.name for o in version.key_partners.all())])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
