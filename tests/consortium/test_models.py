"""Validation names the field: months within the project, numbers within their work package,
periods that end after they start; the calendar counts project months."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from echos.consortium import services
from echos.consortium.models import (
    Output,
    Partner,
    ReportingPeriod,
    Task,
    WorkPackage,
    risk_level,
)
from echos.core.exceptions import RuleViolation


def _wp(project, number=5):
    return WorkPackage.objects.get(project=project, number=number)


def _refused(obj, field):
    with pytest.raises(RuleViolation) as exc:
        services.save_record(actor=None, obj=obj)
    assert exc.value.field == field, exc.value.message
    return exc.value


def test_due_month_outside_the_project_names_due_month(project):
    o = Output(
        work_package=_wp(project), kind="deliverable", number="D5.9", title="x", due_month=37
    )
    assert "outside the project" in _refused(o, "due_month").message


def test_due_month_within_the_project_is_saved(project):
    o = Output(
        work_package=_wp(project), kind="deliverable", number="D5.9", title="x", due_month=36
    )
    assert services.save_record(actor=None, obj=o).pk


def test_deliverable_number_of_another_work_package_names_number(project):
    o = Output(work_package=_wp(project), kind="deliverable", number="D3.1", title="x", due_month=3)
    _refused(o, "number")


def test_milestone_number_format(project):
    o = Output(work_package=_wp(project), kind="milestone", number="M-1", title="x", due_month=3)
    _refused(o, "number")


def test_planned_output_with_submission_date_names_submitted_on(project):
    o = Output(
        work_package=_wp(project),
        kind="milestone",
        number="MS9",
        title="x",
        due_month=3,
        submitted_on=date(2023, 6, 1),
    )
    _refused(o, "submitted_on")


def test_task_number_not_in_its_work_package_names_number(project):
    t = Task(work_package=_wp(project, 3), number="5.1", title="x")
    assert "not in work package 3" in _refused(t, "number").message


def test_task_number_format_and_empty_number(project):
    _refused(Task(work_package=_wp(project, 3), number="three", title="x"), "number")
    assert services.save_record(actor=None, obj=Task(work_package=_wp(project, 3), title="y")).pk


def test_task_span_end_before_start_names_end_month(project):
    t = Task(work_package=_wp(project, 3), number="3.9", title="x", start_month=10, end_month=4)
    _refused(t, "end_month")


def test_reporting_period_ending_before_it_starts_names_end_month(project):
    _refused(ReportingPeriod(project=project, number=1, start_month=10, end_month=5), "end_month")


def test_reporting_period_outside_the_project(project):
    _refused(ReportingPeriod(project=project, number=1, start_month=1, end_month=40), "end_month")


def test_overlapping_reporting_periods_refused(project):
    services.save_record(
        actor=None, obj=ReportingPeriod(project=project, number=1, start_month=1, end_month=18)
    )
    _refused(
        ReportingPeriod(project=project, number=2, start_month=18, end_month=36), "start_month"
    )


def test_database_refuses_a_period_ending_before_it_starts(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.create(project=project, number=5, start_month=9, end_month=2)


def test_affiliation_only_for_affiliated_entities(project, hubs):
    other = Partner.objects.filter(project=project, role="coordinator").get()
    p = Partner(project=project, organisation=hubs["occ"], role="beneficiary", affiliated_to=other)
    _refused(p, "affiliated_to")


def test_only_network_coordinators_write(project, personas):
    from django.core.exceptions import PermissionDenied

    r = ReportingPeriod(project=project, number=1, start_month=1, end_month=6)
    with pytest.raises(PermissionDenied):
        services.save_record(actor=personas["coord_no"], obj=r)
    assert services.save_record(actor=personas["network"], obj=r).pk


def test_project_months(project):
    assert project.start == date(2023, 4, 1)
    assert project.month_of(date(2023, 4, 1)) == 1
    assert project.month_of(date(2023, 4, 30)) == 1
    assert project.month_of(date(2023, 5, 1)) == 2
    assert project.month_of(date(2026, 3, 31)) == 36
    assert project.month_of(date(2023, 3, 31)) == 0
    assert project.month_start(1) == date(2023, 4, 1)
    assert project.month_start(13) == date(2024, 4, 1)
    assert project.month_start(37) == date(2026, 4, 1)
    assert project.month_end(36) == date(2026, 3, 31)
    assert project.month_end(11) == date(2024, 2, 29)  # a leap year


@pytest.mark.parametrize(
    "likelihood,impact,level",
    [
        ("low", "low", "low"),
        ("low", "high", "medium"),
        ("medium", "high", "high"),
        ("medium", "medium", "medium"),
    ],
)
def test_risk_level(likelihood, impact, level):
    assert risk_level(likelihood, impact) == level
