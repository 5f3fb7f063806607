"""Public tables of exchange in the open-data dump (core.opendata; issue #15).

The establishment roadmaps' steps, public on the roadmap pages; a step's owner (free text that may
name a person) and the roadmap's notes are left out.
"""

from collections.abc import Iterator

from echos.core.opendata import Field, Table, values_rows
from echos.exchange.models import RoadmapStep


def _steps() -> Iterator[tuple]:
    yield from values_rows(
        RoadmapStep.objects.all(),
        ["roadmap__country_id", "code", "position", "due", "status", "completed_on", "link",
         "roadmap__is_demo"],
    )  # fmt: skip


TABLES = [
    Table(
        name="roadmap_steps",
        title="Establishment roadmaps",
        description="Steps of the countries' roadmaps towards a national hub.",
        model="exchange.RoadmapStep",
        fields=(
            Field("country", "string", "ISO 3166-1 alpha-2 code"),
            Field("step", "string", "Step code"),
            Field("position", "integer", "Order of the step"),
            Field("due", "date", "Due date"),
            Field("status", "string", "Status code"),
            Field("completed_on", "date", "Completed on"),
            Field("link", "string", "Link to the public evidence"),
            Field("is_demo", "boolean", "Invented demonstration data, not a real fact"),
        ),
        rows=_steps,
    ),
]
