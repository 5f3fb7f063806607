"""Typed request and response shapes of the consortium API."""

from datetime import date
from typing import Annotated

from ninja import Field, Schema

from echos.consortium.models import (
    MAX_MONTHS,
    Dissemination,
    FactKey,
    Level,
    OutputKind,
    OutputStatus,
    PartnerRole,
    RiskStatus,
)
from echos.core.api import one_of

MAX_ID = 2**31 - 1
Month = Annotated[int, Field(ge=1, le=MAX_MONTHS)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class SourceOut(Schema):
    key: str
    title: str
    publisher: str
    url: str
    checked: date
    note: str


class SourceIn(Schema):
    key: str = Field(..., pattern=r"^[-a-z0-9_]{1,60}$")
    title: str = Field(..., min_length=1, max_length=300)
    publisher: str = Field(..., min_length=1, max_length=200)
    url: str = Field(..., max_length=500)
    checked: date
    note: str = Field("", max_length=2000)


class FactSourceOut(Schema):
    key: str
    title: str
    publisher: str
    url: str
    checked: date
    note: str = Field("", description="What this source says exactly, when worth noting")


class FactValueOut(Schema):
    value: str
    sources: list[FactSourceOut]


class ProgrammeFactOut(Schema):
    key: str
    label: str
    disputed: bool = Field(..., description="Sources give more than one value")
    values: list[FactValueOut]


class ProjectOut(Schema):
    acronym: str
    title: str
    start: date = Field(..., description="First day of project month 1 (working calendar)")
    months: int
    calendar_note: str
    project_month: int = Field(..., description="Today's project month")
    facts: list[ProgrammeFactOut]


class FactOut(Schema):
    id: int
    key: str
    value: str
    source: str
    note: str


class FactIn(Schema):
    key: Annotated[str, one_of(FactKey)]
    value: str = Field(..., min_length=1, max_length=300)
    source: str = Field(..., max_length=60, description="Key of a source")
    note: str = Field("", max_length=500)


class PartnerOut(Schema):
    id: int
    organisation: int
    organisation_name: str
    country: str
    role: str
    affiliated_to: int | None
    source: str | None
    note: str
    is_demo: bool


class PartnerIn(Schema):
    organisation: Id
    role: Annotated[str, one_of(PartnerRole, blank=True)] = ""
    affiliated_to: Id | None = None
    source: str | None = Field(None, max_length=60)
    note: str = Field("", max_length=500)


class PartnerPatch(Schema):
    role: Annotated[str, one_of(PartnerRole, blank=True)] | None = None
    affiliated_to: Id | None = None
    source: str | None = Field(None, max_length=60)
    note: str | None = Field(None, max_length=500)


class TaskOut(Schema):
    id: int
    number: str
    title: str
    lead: int | None
    contributors: list[int]
    start_month: int | None
    end_month: int | None
    source: str | None
    is_demo: bool


class WorkPackageOut(Schema):
    id: int
    number: int
    title: str
    lead: int | None
    start_month: int | None
    end_month: int | None
    source: str | None
    is_demo: bool
    tasks: list[TaskOut]


class WorkPackageIn(Schema):
    number: int = Field(..., ge=1, le=99)
    title: str = Field(..., min_length=1, max_length=300)
    lead: Id | None = None
    start_month: Month | None = None
    end_month: Month | None = None
    source: str | None = Field(None, max_length=60)


class WorkPackagePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    lead: Id | None = None
    start_month: Month | None = None
    end_month: Month | None = None
    source: str | None = Field(None, max_length=60)


class TaskIn(Schema):
    work_package: int = Field(..., ge=1, le=99, description="Work package number")
    number: str = Field("", max_length=5, description="For example 3.2")
    title: str = Field(..., min_length=1, max_length=300)
    lead: Id | None = None
    contributors: list[Id] = Field([], max_length=100)
    start_month: Month | None = None
    end_month: Month | None = None
    source: str | None = Field(None, max_length=60)


class TaskPatch(Schema):
    number: str | None = Field(None, max_length=5)
    title: str | None = Field(None, min_length=1, max_length=300)
    lead: Id | None = None
    contributors: list[Id] | None = Field(None, max_length=100)
    start_month: Month | None = None
    end_month: Month | None = None
    source: str | None = Field(None, max_length=60)


class OutputOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    work_package: int
    due_month: int
    due_date: date = Field(..., description="Last day of the due month")
    dissemination: str
    status: str
    overdue: bool = Field(..., description="Due month passed in project time, not submitted")
    submitted_on: date | None
    resource: int | None
    source: str | None
    is_demo: bool


class OutputIn(Schema):
    kind: Annotated[str, one_of(OutputKind)]
    number: str = Field(..., min_length=1, max_length=10, description="D5.1 or MS3")
    title: str = Field(..., min_length=1, max_length=300)
    work_package: int = Field(..., ge=1, le=99, description="Work package number")
    due_month: Month
    dissemination: Annotated[str, one_of(Dissemination)] = "PU"
    status: Annotated[str, one_of(OutputStatus)] = "planned"
    submitted_on: date | None = None
    resource: Id | None = None
    source: str | None = Field(None, max_length=60)


class OutputPatch(Schema):
    number: str | None = Field(None, min_length=1, max_length=10)
    title: str | None = Field(None, min_length=1, max_length=300)
    due_month: Month | None = None
    dissemination: Annotated[str, one_of(Dissemination)] | None = None
    status: Annotated[str, one_of(OutputStatus)] | None = None
    submitted_on: date | None = None
    resource: Id | None = None
    source: str | None = Field(None, max_length=60)


class PeriodOut(Schema):
    id: int
    number: int
    start_month: int
    end_month: int
    start: date
    end: date = Field(..., description="Last day of the period")
    source: str | None
    is_demo: bool


class PeriodIn(Schema):
    number: int = Field(..., ge=1, le=99)
    start_month: Month
    end_month: Month
    source: str | None = Field(None, max_length=60)


class PeriodPatch(Schema):
    start_month: Month | None = None
    end_month: Month | None = None
    source: str | None = Field(None, max_length=60)


class ProjectRiskOut(Schema):
    id: int
    number: int
    description: str
    likelihood: str
    impact: str
    level: str
    mitigation: str
    status: str
    work_package: int | None
    is_demo: bool


class ProjectRiskIn(Schema):
    number: int = Field(..., ge=1, le=999)
    description: str = Field(..., min_length=1, max_length=2000)
    likelihood: Annotated[str, one_of(Level)]
    impact: Annotated[str, one_of(Level)]
    mitigation: str = Field("", max_length=2000)
    status: Annotated[str, one_of(RiskStatus)] = "open"
    work_package: int | None = Field(None, ge=1, le=99, description="Work package number")


class ProjectRiskPatch(Schema):
    description: str | None = Field(None, min_length=1, max_length=2000)
    likelihood: Annotated[str, one_of(Level)] | None = None
    impact: Annotated[str, one_of(Level)] | None = None
    mitigation: str | None = Field(None, max_length=2000)
    status: Annotated[str, one_of(RiskStatus)] | None = None
    work_package: int | None = Field(None, ge=1, le=99)


class PeriodInForceOut(Schema):
    number: int
    start_month: int
    end_month: int
    start: date
    end: date


class WorkPackageProgressOut(Schema):
    number: int
    title: str
    lead: str | None
    tasks: int
    outputs: int
    outputs_done: int
    outputs_overdue: int


class ConsortiumProgressOut(Schema):
    on: date
    acronym: str
    project_month: int
    months: int
    partners: int
    overdue: int
    open_risks_by_level: dict[str, int]
    period: PeriodInForceOut | None
    work_packages: list[WorkPackageProgressOut]
