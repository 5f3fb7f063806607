"""What a report says, computed once and written as PDF or XLSX (issue #15 item 4).

``build(spec)`` runs inside ``translation.override(spec.language)`` and returns plain data: the
KPI figures from ``core.kpis.compute`` (the same function as the dashboards, the API and the open
data, so a figure never differs between two places), the Europe map rows, the consortium's progress
and the funding acknowledgement. Aggregates only: memory and queries depend on the number of KPIs,
countries and consortium items, never on the number of members, events or answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from echos.consortium import progress as consortium_progress
from echos.consortium.models import Dissemination, OutputKind, OutputStatus
from echos.core import kpis
from echos.core.models import Country
from echos.hubs.models import STAGE_ORDER, Hub, Stage, StageChange
from echos.reports import render_charts

GRANT = "101104587"
# Rows of a breakdown shown in a KPI table; the rest is summed into one "other" row (top-N).
TOP = 15


def acknowledgement() -> str:
    """The EU funding acknowledgement and disclaimer (the wording of the site's footer)."""
    return _(
        "Funded by the European Union under the Horizon Europe Framework Programme (ECHoS, Grant "
        "Agreement No 101104587). Views and opinions expressed are those of the author(s) only "
        "and do not necessarily reflect those of the European Union or the European Health and "
        "Digital Executive Agency (HaDEA). Neither the European Union nor the granting authority "
        "can be held responsible for them."
    )


@dataclass(frozen=True)
class ReportSpec:
    """A checked request: ``kind`` network or hub, the hub, the period, format and language."""

    kind: str
    hub_id: int | None
    start: date
    end: date
    language: str
    format: str


@dataclass
class KpiBlock:
    code: str
    name: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    owner: str
    breakdown: str
    kind: str
    figures: list[tuple[str, str, Any, Any]]  # key, label, value, previous period's value
    total: Any
    previous_total: Any
    monthly: list[tuple[str, Any]] = field(default_factory=list)
    chart_svg: str = ""
    monthly_svg: str = ""

    @property
    def top_figures(self) -> list[tuple[str, str, Any, Any]]:
        """The figures of the PDF's table: the largest ``TOP`` and the rest summed (additive)."""
        return _top(self.figures) if self.total is not None else self.figures

    @property
    def headline(self) -> tuple[Any, Any]:
        """The figure of the key-figures table and its previous value: the total when the figures
        add up, else the figure that counts everything once ("all"), else none."""
        if self.total is not None or self.previous_total is not None:
            return self.total, self.previous_total
        for key, _label, value, previous in self.figures:
            if key in ("", "all"):
                return value, previous
        return None, None

    @property
    def change(self) -> Any:
        value, previous = self.headline
        if value is None or previous is None:
            return None
        return value - previous


@dataclass
class Report:
    spec: ReportSpec
    title: str
    subtitle: str
    hub_name: str
    generated_at: datetime
    kpis: list[KpiBlock]
    map_rows: list[dict]
    map_svg: str
    progress: Any  # consortium.progress.ConsortiumProgress or None
    acknowledgement: str

    @property
    def period_label(self) -> str:
        return kpis.period_label(self.spec.start, self.spec.end)


def map_rows(on: date) -> list[dict]:
    """Every MS/AC country at its most advanced national hub's stage on ``on`` (the map's data).

    The rule of the KPI HUB-COUNTRIES-STAGE (a test checks the counts are that KPI's figures).
    """
    stage_on = Subquery(
        StageChange.objects.filter(hub=OuterRef("pk"), date__lte=on)
        .order_by("-date", "-recorded_at", "-id")
        .values("stage")[:1]
    )
    best: dict[str, tuple[int, str]] = {}
    for country, stage, name in (
        Hub.objects.national()
        .annotate(stage_on=stage_on)
        .values_list("country_id", "stage_on", "name_en")
    ):
        if stage and STAGE_ORDER[stage] > best.get(country, (0, ""))[0]:
            best[country] = (STAGE_ORDER[stage], name)
    order = list(Stage)
    rows = []
    for country in Country.objects.all():
        rank, hub = best.get(country.code, (0, ""))
        stage = order[rank]
        rows.append(
            {
                "code": country.code,
                "country": country.display_name,
                "stage": stage.value,
                "stage_label": str(stage.label),
                "hub": hub,
            }
        )
    rows.sort(key=lambda r: r["country"])
    return rows


def _top(figures: list[tuple[str, str, Any, Any]]) -> list[tuple[str, str, Any, Any]]:
    if len(figures) <= TOP:
        return figures
    ranked = sorted(figures, key=lambda f: -(f[2] or 0))
    rest = ranked[TOP - 1 :]

    def total(i: int) -> Any:
        values = [f[i] for f in rest if f[i] is not None]
        return sum(values) if values else None

    return ranked[: TOP - 1] + [("other", _("All others"), total(2), total(3))]


def kpi_block(kpi: kpis.Kpi, spec: ReportSpec, hub: Hub | None, *, charts: bool) -> KpiBlock:
    """One KPI over the period and the previous one, with its chart (for the PDF)."""
    result = kpis.compute(kpi, spec.start, spec.end, hub)
    before = kpis.compute(kpi, *kpis.previous_period(spec.start, spec.end), hub)
    previous = {f.key: f.value for f in before.figures}
    figures = [(f.key, str(f.label), f.value, previous.get(f.key)) for f in result.figures]
    block = KpiBlock(
        code=kpi.code,
        name=str(kpi.name),
        definition=str(kpi.definition),
        numerator=str(kpi.numerator),
        denominator=str(kpi.denominator),
        unit=str(kpi.unit),
        owner=kpi.owner,
        breakdown=str(kpi.breakdown),
        kind=kpi.kind,
        figures=figures,
        total=result.total,
        previous_total=before.total,
    )
    if kpi.kind == "flow" and kpis.month_count(spec.start, spec.end) > 1:
        block.monthly = [
            (f"{r.start:%Y-%m}", r.total) for r in kpis.monthly(kpi, spec.start, spec.end, hub)
        ]
    if charts:
        plotted = [
            (label, value) for _k, label, value, _p in block.top_figures if value is not None
        ]
        if len(plotted) > 1:
            block.chart_svg = render_charts.bar_chart(plotted, unit=block.unit)
        if len(block.monthly) > 1:
            points = [(m, v or 0) for m, v in block.monthly]
            block.monthly_svg = render_charts.line_chart(points, unit=block.unit)
    return block


def build(
    spec: ReportSpec, *, charts: bool, progress: Callable[[int], object] | None = None
) -> Report:
    """Everything the report says, in ``spec.language``; ``progress`` gets a percent (0-90)."""
    tell = progress or (lambda percent: None)
    with translation.override(spec.language):
        hub = Hub.objects.get(pk=spec.hub_id) if spec.hub_id else None
        scope = "hub" if hub else "network"
        catalogue = kpis.catalogue(scope)
        blocks = []
        for i, kpi in enumerate(catalogue):
            blocks.append(kpi_block(kpi, spec, hub, charts=charts))
            tell(5 + int(70 * (i + 1) / max(len(catalogue), 1)))
        rows = map_rows(spec.end) if hub is None else []
        map_svg = ""
        if rows and charts:
            map_svg = render_charts.europe_map(
                rows, title=_("Stage of the national hub"), detail_title=_("National hub")
            )
        tell(80)
        summary = None
        if hub is None:
            summary = consortium_progress.summary(on=min(spec.end, timezone.localdate()))
        tell(85)
        if hub is None:
            title = _("Network periodic report")
            subtitle = _("Europe's National Cancer Mission Hubs")
        else:
            title = _("Hub report")
            subtitle = hub.name_en
        return Report(
            spec=spec,
            title=title,
            subtitle=subtitle,
            hub_name=hub.name_en if hub else "",
            generated_at=timezone.localtime(),
            kpis=blocks,
            map_rows=rows,
            map_svg=map_svg,
            progress=summary,
            acknowledgement=acknowledgement(),
        )


def stage_counts(rows: list[dict]) -> list[dict]:
    """Countries per national-hub stage, every stage listed (for the map's table)."""
    counts: dict[str, dict[str, Any]] = {
        s.value: {"label": str(s.label), "count": 0, "countries": []} for s in Stage
    }
    for row in rows:
        counts[row["stage"]]["count"] += 1
        counts[row["stage"]]["countries"].append(row["country"])
    return list(counts.values())


def consortium_rows(summary) -> dict | None:
    """The consortium's progress with its codes turned into labels in the current language."""
    if summary is None:
        return None
    statuses = {k: str(v) for k, v in OutputStatus.choices}
    kinds = {k: str(v) for k, v in OutputKind.choices}
    levels = {k: str(v) for k, v in Dissemination.choices}
    outputs = [
        {
            "o": o,
            "kind": kinds.get(o.kind, o.kind),
            "status": statuses.get(o.status, o.status),
            "dissemination": levels.get(o.dissemination, o.dissemination),
        }
        for o in sorted(summary.outputs, key=lambda o: (o.due_month, o.kind, o.number))
    ]
    return {
        "s": summary,
        "outputs": outputs,
        "overdue": [row for row in outputs if row["o"].overdue],
        "risks": [
            (_("High"), summary.open_risks_by_level.get("high", 0)),
            (_("Medium"), summary.open_risks_by_level.get("medium", 0)),
            (_("Low"), summary.open_risks_by_level.get("low", 0)),
        ],
    }
