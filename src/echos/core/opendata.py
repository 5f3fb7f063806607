"""Open data (issue #15): the public tables every app declares, and core's own.

Each app lists its tables in the module named by ``open_data`` on its ``AppConfig`` (``TABLES``).
A :class:`Table` names its CSV file, says what it holds, declares every field with a Frictionless
Table Schema type, and yields its rows one by one (an iterator over ``QuerySet.iterator()``), so the
dump writer (``reports.opendata_dump``) keeps constant memory whatever the data size.

Public facts only: a table never holds people's names, e-mails or phones, nor any field that points
to an account; ``model`` names the Django model the rows come from so that a test can check every
column against the personal fields of the privacy sections.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import QuerySet
from django.utils import timezone

from echos.core import kpis, registry
from echos.core.models import Country, Region, Term

FieldType = Literal["string", "integer", "number", "boolean", "date", "datetime"]
# Rows are read from the database in chunks of this size (bounded memory).
CHUNK = 2000


@dataclass(frozen=True)
class Field:
    """One column: its name, Frictionless type and a one-line description in English."""

    name: str
    type: FieldType
    description: str


@dataclass(frozen=True)
class Table:
    """One CSV file of the dump. ``rows()`` yields tuples in the order of ``fields``."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterator[tuple]]
    model: str = ""  # "app_label.ModelName" the rows come from (empty for a vocabulary)

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"


def values_rows(queryset: QuerySet, columns: Iterable[str]) -> Iterator[tuple]:
    """Stream ``queryset.values_list(*columns)`` in chunks, ordered by primary key."""
    yield from queryset.order_by("pk").values_list(*columns).iterator(chunk_size=CHUNK)


def joined(values: Iterable[Any]) -> str:
    """Several codes in one cell, separated by ``;`` (a Frictionless string)."""
    return ";".join(sorted(str(v) for v in values if v))


def tables() -> list[Table]:
    """Every installed app's public tables, in ``INSTALLED_APPS`` order."""
    return [table for module in registry.open_data_modules() for table in module.TABLES]


# --- core's own tables ---------------------------------------------------------------------------


def _countries() -> Iterator[tuple]:
    yield from values_rows(Country.objects.all(), ["code", "name", "membership", "since", "source"])


def _regions() -> Iterator[tuple]:
    yield from values_rows(
        Region.objects.all(), ["code", "country_id", "name", "type", "parent_id"]
    )


def _terms() -> Iterator[tuple]:
    yield from values_rows(
        Term.objects.all(), ["vocabulary", "code", "label", "description", "position"]
    )


def _kpi_figures() -> Iterator[tuple]:
    """The public KPIs of the network month by month over the last ``kpis.MAX_MONTHS`` months."""
    today = timezone.localdate()
    start = kpis.month_start(kpis.month_index(today) - kpis.MAX_MONTHS + 1)
    for kpi in kpis.catalogue("network"):
        if not kpi.public:
            continue
        for result in kpis.monthly(kpi, start, today):
            for f in result.figures:
                yield (kpi.code, result.start, result.end, f.key, f.label, f.value, str(kpi.unit),
                       kpi.kind)  # fmt: skip


TABLES: list[Table] = [
    Table(
        name="countries",
        title="Countries",
        description="EU Member States and countries associated to Horizon Europe (MS/AC).",
        model="core.Country",
        fields=(
            Field("code", "string", "ISO 3166-1 alpha-2 code"),
            Field("name", "string", "English name"),
            Field("membership", "string", "member_state or associated country"),
            Field("since", "date", "Member or associated since"),
            Field("source", "string", "Public source of the membership"),
        ),
        rows=_countries,
    ),
    Table(
        name="regions",
        title="Regions",
        description="ISO 3166-2 subdivisions of the MS/AC countries.",
        model="core.Region",
        fields=(
            Field("code", "string", "ISO 3166-2 code"),
            Field("country", "string", "ISO 3166-1 alpha-2 code of the country"),
            Field("name", "string", "Name"),
            Field("type", "string", "Type of subdivision"),
            Field("parent", "string", "ISO 3166-2 code of the parent subdivision"),
        ),
        rows=_regions,
    ),
    Table(
        name="vocabularies",
        title="Vocabularies",
        description=(
            "Controlled vocabularies: Mission objectives, stakeholder groups, engagement levels, "
            "policy areas and the others the platform uses."
        ),
        model="core.Term",
        fields=(
            Field("vocabulary", "string", "Vocabulary code"),
            Field("code", "string", "Stable term code"),
            Field("label", "string", "English label"),
            Field("description", "string", "Definition"),
            Field("position", "integer", "Order within the vocabulary"),
        ),
        rows=_terms,
    ),
    Table(
        name="kpi_figures",
        title="Key performance indicators of the network, by month",
        description=(
            "The public KPIs of the whole network for each of the last 36 months, computed by the "
            "same function as the dashboards, the reports and the API. Flows count what happened "
            "in the month; stocks give the state on its last day. Definitions: /reports/kpis/."
        ),
        fields=(
            Field("kpi", "string", "KPI code"),
            Field("period_start", "date", "First day of the month"),
            Field("period_end", "date", "Last day of the month (today for this month)"),
            Field("key", "string", "Breakdown key (empty: the single figure)"),
            Field("label", "string", "Breakdown label in English"),
            Field("value", "number", "The figure (empty: not available)"),
            Field("unit", "string", "Unit"),
            Field("kind", "string", "flow or stock"),
        ),
        rows=_kpi_figures,
    ),
]
