"""Public tables of the consortium in the open-data dump (core.opendata; issue #15).

The project's programme facts with their sources (both values where sources disagree), partners,
work packages and their milestones and deliverables. Risks stay out (the report counts them only).
"""

from collections.abc import Iterator

from echos.consortium.models import Fact, Output, Partner, WorkPackage
from echos.core.opendata import Field, Table, values_rows

DEMO = Field("is_demo", "boolean", "Invented demonstration data, not a real fact")
PROJECT = Field("project", "string", "Project acronym")


def _facts() -> Iterator[tuple]:
    yield from values_rows(
        Fact.objects.all(),
        ["project__acronym", "key", "value", "source__publisher", "source__title", "source__url",
         "source__checked", "note"],
    )  # fmt: skip


def _partners() -> Iterator[tuple]:
    yield from values_rows(
        Partner.objects.all(),
        ["pk", "project__acronym", "organisation_id", "organisation__name",
         "organisation__country_id", "role", "affiliated_to_id", "source__url", "is_demo"],
    )  # fmt: skip


def _work_packages() -> Iterator[tuple]:
    yield from values_rows(
        WorkPackage.objects.all(),
        ["project__acronym", "number", "title", "lead_id", "start_month", "end_month", "is_demo"],
    )


def _outputs() -> Iterator[tuple]:
    yield from values_rows(
        Output.objects.all(),
        ["work_package__project__acronym", "work_package__number", "kind", "number", "title",
         "due_month", "dissemination", "status", "submitted_on", "resource_id", "is_demo"],
    )  # fmt: skip


TABLES = [
    Table(
        name="consortium_facts",
        title="Programme facts of the consortium",
        description="Facts of the funded project, each with its source; disagreeing sources both.",
        model="consortium.Fact",
        fields=(
            PROJECT,
            Field("fact", "string", "Fact code"),
            Field("value", "string", "Value stated by the source"),
            Field("publisher", "string", "Publisher of the source"),
            Field("source_title", "string", "Title of the source"),
            Field("source_url", "string", "Link to the source"),
            Field("checked", "date", "When the source was checked"),
            Field("note", "string", "Note"),
        ),
        rows=_facts,
    ),
    Table(
        name="consortium_partners",
        title="Partners of the consortium",
        description="Organisations taking part in the project, with their role.",
        model="consortium.Partner",
        fields=(
            Field("id", "integer", "Partner identifier"),
            PROJECT,
            Field("organisation", "integer", "Organisation identifier (organisations.csv)"),
            Field("organisation_name", "string", "Name of the organisation"),
            Field("country", "string", "ISO 3166-1 alpha-2 code"),
            Field(
                "role", "string", "coordinator, beneficiary, affiliated_entity, associated_partner"
            ),
            Field("affiliated_to", "integer", "Partner it is affiliated to"),
            Field("source_url", "string", "Link to the source"),
            DEMO,
        ),
        rows=_partners,
    ),
    Table(
        name="consortium_work_packages",
        title="Work packages",
        description="Work packages of the project's work plan.",
        model="consortium.WorkPackage",
        fields=(
            PROJECT,
            Field("number", "integer", "Work package number"),
            Field("title", "string", "Title"),
            Field("lead", "integer", "Lead partner identifier"),
            Field("start_month", "integer", "Start month of the project"),
            Field("end_month", "integer", "End month of the project"),
            DEMO,
        ),
        rows=_work_packages,
    ),
    Table(
        name="consortium_deliverables",
        title="Milestones and deliverables",
        description="Milestones and deliverables with their due month and status.",
        model="consortium.Output",
        fields=(
            PROJECT,
            Field("work_package", "integer", "Work package number"),
            Field("kind", "string", "deliverable or milestone"),
            Field("number", "string", "Number (D5.1, MS3)"),
            Field("title", "string", "Title"),
            Field("due_month", "integer", "Due month of the project"),
            Field("dissemination", "string", "Dissemination level (PU public, SEN sensitive)"),
            Field("status", "string", "Status code"),
            Field("submitted_on", "date", "Submitted on"),
            Field("resource", "integer", "Library resource that holds it"),
            DEMO,
        ),
        rows=_outputs,
    ),
]
