"""The consortium's progress on a day, for reports (``reports`` calls ``summary``) and pages.

Stable interface: ``summary(on) -> ConsortiumProgress``. Fields are only added, never renamed.
A constant number of queries whatever the data size (aggregates and one list per kind).
Risks are counted, never described: the report may go to readers who may not see the risk table.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from echos.consortium.models import (
    OPEN_STATUSES,
    Fact,
    Output,
    Project,
    ReportingPeriod,
    Risk,
    WorkPackage,
    risk_level,
)


@dataclass(frozen=True)
class FactValue:
    """One value of a programme fact and the sources stating it."""

    value: str
    sources: list[dict]  # {"key", "title", "publisher", "url", "checked"}


@dataclass(frozen=True)
class ProgrammeFact:
    key: str
    label: str
    values: list[FactValue]

    @property
    def disputed(self) -> bool:
        """Sources disagree: the report shows every value with its sources."""
        return len(self.values) > 1


@dataclass(frozen=True)
class WorkPackageProgress:
    number: int
    title: str
    lead: str | None
    tasks: int
    outputs: int
    outputs_done: int
    outputs_overdue: int


@dataclass(frozen=True)
class OutputProgress:
    kind: str
    number: str
    title: str
    work_package: int
    due_month: int
    due_date: date
    dissemination: str
    status: str
    overdue: bool
    is_demo: bool


@dataclass(frozen=True)
class PeriodInForce:
    number: int
    start_month: int
    end_month: int
    start: date
    end: date  # last day of the period


@dataclass(frozen=True)
class ConsortiumProgress:
    """What the network report shows of the consortium on ``on``."""

    on: date
    acronym: str
    title: str
    project_month: int  # may be 0 or less before the start, past ``months`` after the end
    months: int
    calendar_note: str
    facts: list[ProgrammeFact]
    work_packages: list[WorkPackageProgress]
    outputs: list[OutputProgress]
    open_risks_by_level: dict[str, int]
    period: PeriodInForce | None
    partners: int = 0
    overdue: int = field(default=0)


def _facts(project: Project) -> list[ProgrammeFact]:
    grouped: dict[str, dict[str, list[dict]]] = {}
    labels: dict[str, str] = {}
    for f in Fact.objects.filter(project=project).select_related("source").order_by("key", "pk"):
        labels[f.key] = str(f.get_key_display())
        grouped.setdefault(f.key, {}).setdefault(f.value, []).append(
            {
                "key": f.source.key,
                "title": f.source.title,
                "publisher": f.source.publisher,
                "url": f.source.url,
                "checked": f.source.checked,
                "note": f.note,
            }
        )
    return [
        ProgrammeFact(key, labels[key], [FactValue(v, s) for v, s in values.items()])
        for key, values in grouped.items()
    ]


def summary(on: date, project: Project | None = None) -> ConsortiumProgress | None:
    """The consortium's progress on ``on`` (the first project when none is given; None if no
    project is loaded)."""
    project = project or Project.objects.order_by("pk").first()
    if project is None:
        return None
    month = project.month_of(on)
    open_q = Q(outputs__status__in=OPEN_STATUSES)
    wps = (
        WorkPackage.objects.filter(project=project)
        .select_related("lead__organisation")
        .annotate(
            n_tasks=Count("tasks", distinct=True),
            n_outputs=Count("outputs", distinct=True),
            n_done=Count(
                "outputs", filter=Q(outputs__status__in=["submitted", "accepted"]), distinct=True
            ),
            n_overdue=Count(
                "outputs", filter=open_q & Q(outputs__due_month__lt=month), distinct=True
            ),
        )
    )
    outputs = [
        OutputProgress(
            kind=o.kind,
            number=o.number,
            title=o.title,
            work_package=o.work_package.number,
            due_month=o.due_month,
            due_date=project.month_end(o.due_month),
            dissemination=o.dissemination,
            status=o.status,
            overdue=o.is_overdue(month),
            is_demo=o.is_demo,
        )
        for o in Output.objects.filter(work_package__project=project).select_related("work_package")
    ]
    by_level = {"high": 0, "medium": 0, "low": 0}
    for row in (
        Risk.objects.filter(project=project)
        .open()
        .values("likelihood", "impact")
        .annotate(n=Count("pk"))
    ):
        by_level[risk_level(row["likelihood"], row["impact"])] += row["n"]
    period = (
        ReportingPeriod.objects.filter(
            project=project, start_month__lte=month, end_month__gte=month
        )
        .order_by("number")
        .first()
    )
    return ConsortiumProgress(
        on=on,
        acronym=project.acronym,
        title=project.title,
        project_month=month,
        months=project.months,
        calendar_note=project.calendar_note,
        facts=_facts(project),
        work_packages=[
            WorkPackageProgress(
                number=w.number,
                title=w.title,
                lead=w.lead.organisation.name if w.lead else None,
                tasks=w.n_tasks,
                outputs=w.n_outputs,
                outputs_done=w.n_done,
                outputs_overdue=w.n_overdue,
            )
            for w in wps
        ],
        outputs=outputs,
        open_risks_by_level=by_level,
        period=PeriodInForce(
            period.number,
            period.start_month,
            period.end_month,
            project.month_start(period.start_month),
            project.month_end(period.end_month),
        )
        if period
        else None,
        partners=project.partners.count(),
        overdue=sum(o.overdue for o in outputs),
    )
