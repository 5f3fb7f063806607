"""The work plan as a Gantt-like chart: rows, month spans and markers, laid out for an SVG drawn
by the template (attributes, not inline styles, so the strict CSP holds) and the table beside it."""

from dataclasses import dataclass
from datetime import date

from echos.consortium.models import Output, Project, WorkPackage

LABEL_WIDTH = 260
MONTH_WIDTH = 18
ROW_HEIGHT = 24


@dataclass(frozen=True)
class Row:
    kind: str  # "wp", "task", "milestone" or "deliverable"
    label: str
    start: int | None
    end: int | None
    overdue: bool = False
    status: str = ""
    is_demo: bool = False
    y: int = 0

    @property
    def x(self) -> int:
        return LABEL_WIDTH + ((self.start or 1) - 1) * MONTH_WIDTH

    @property
    def width(self) -> int:
        if self.start is None or self.end is None:
            return 0
        return (self.end - self.start + 1) * MONTH_WIDTH

    @property
    def marker_x(self) -> int:
        """Centre of the due month, for milestones and deliverables."""
        return LABEL_WIDTH + ((self.end or 1) - 1) * MONTH_WIDTH + MONTH_WIDTH // 2

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT - 8


@dataclass(frozen=True)
class Timeline:
    rows: list[Row]
    months: int
    width: int
    height: int
    today_month: int
    today_x: int | None  # None when today is outside the project
    ticks: list[tuple[int, int]]  # (month, x) every sixth month


def build(project: Project, on: date) -> Timeline:
    """Rows for work packages, their tasks and their outputs (three queries)."""
    wps = list(
        WorkPackage.objects.filter(project=project).prefetch_related("tasks").order_by("number")
    )
    month = project.month_of(on)
    outputs: dict[int, list[Output]] = {}
    for o in Output.objects.filter(work_package__project=project).order_by("due_month", "number"):
        outputs.setdefault(o.work_package_id, []).append(o)
    rows: list[Row] = []

    def add(**kw) -> None:
        rows.append(Row(y=30 + len(rows) * ROW_HEIGHT, **kw))

    for wp in wps:
        add(kind="wp", label=str(wp), start=wp.start_month, end=wp.end_month, is_demo=wp.is_demo)
        for t in wp.tasks.all():
            add(kind="task", label=str(t), start=t.start_month, end=t.end_month, is_demo=t.is_demo)
        for o in outputs.get(wp.pk, []):
            add(
                kind=o.kind,
                label=str(o),
                start=o.due_month,
                end=o.due_month,
                overdue=o.is_overdue(month),
                status=o.get_status_display(),
                is_demo=o.is_demo,
            )
    inside = 1 <= month <= project.months
    return Timeline(
        rows=rows,
        months=project.months,
        width=LABEL_WIDTH + project.months * MONTH_WIDTH + 10,
        height=30 + len(rows) * ROW_HEIGHT + 10,
        today_month=month,
        today_x=LABEL_WIDTH + (month - 1) * MONTH_WIDTH + MONTH_WIDTH // 2 if inside else None,
        ticks=[
            (m, LABEL_WIDTH + (m - 1) * MONTH_WIDTH)
            for m in range(1, project.months + 1)
            if m == 1 or m % 6 == 0
        ],
    )
