"""Overdue computation and the report summary (stable for the reports app)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from echos.consortium import progress
from echos.consortium.models import Output, ReportingPeriod, Risk, WorkPackage


def _output(project, number="MS9", due=5, status="planned", wp=5):
    return Output.objects.create(
        work_package=WorkPackage.objects.get(project=project, number=wp),
        kind="milestone",
        number=number,
        title="x",
        due_month=due,
        status=status,
    )


def test_overdue_once_the_due_month_has_passed_and_not_submitted(project):
    o = _output(project, due=5)
    in_month_5 = project.month_start(5)
    after = project.month_start(6)
    assert not o.is_overdue(project.month_of(in_month_5))
    assert not o.is_overdue(project.month_of(project.month_end(5)))  # due by its last day
    assert o.is_overdue(project.month_of(after))
    assert list(Output.objects.overdue(project.month_of(after))) == [o]
    assert not Output.objects.overdue(project.month_of(in_month_5)).exists()


@pytest.mark.parametrize("status", ["submitted", "accepted", "revision_requested"])
def test_submitted_outputs_are_never_overdue(project, status):
    o = _output(project, due=2, status=status)
    assert not o.is_overdue(30)
    assert not Output.objects.overdue(30).exists()


def test_summary_counts(demo):
    on = demo.month_start(25)  # project month 25
    s = progress.summary(on, demo)
    assert s.project_month == 25
    assert s.period.number == 2 and s.period.start == date(2024, 10, 1)
    assert s.period.end == date(2026, 3, 31)
    d51 = next(o for o in s.outputs if o.number == "D5.1")
    assert d51.due_date == date(2024, 11, 30)
    wp5 = next(w for w in s.work_packages if w.number == 5)
    assert wp5.lead == "Sciensano"
    # D5.1 (due 20, in progress) and MS2 (due 24, planned) are overdue in month 25; D5.2 is not.
    assert wp5.outputs == 3 and wp5.outputs_overdue == 2
    assert s.overdue == 2
    assert {o.number for o in s.outputs if o.overdue} == {"D5.1", "MS2"}
    assert s.open_risks_by_level == {"high": 2, "medium": 0, "low": 0}


def test_summary_before_the_start_has_no_period(demo):
    s = progress.summary(date(2023, 1, 15), demo)
    assert s.project_month < 1 and s.period is None and s.overdue == 0


def test_summary_without_a_project_is_none(db):
    assert progress.summary(date(2024, 1, 1)) is None


def test_summary_queries_constant_in_data_size(demo):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            progress.summary(demo.month_start(30), demo)
        return len(ctx.captured_queries)

    small = count()
    wp = WorkPackage.objects.get(project=demo, number=3)
    Output.objects.bulk_create(
        Output(work_package=wp, kind="milestone", number=f"MS{n}", title="x", due_month=n % 36 + 1)
        for n in range(10, 60)
    )
    Risk.objects.bulk_create(
        Risk(project=demo, number=n, description="x", likelihood="high", impact="high")
        for n in range(10, 40)
    )
    ReportingPeriod.objects.all().delete()
    assert count() <= small
