"""Indicators computed from a hub's engagement records, on read, per quarter and cumulatively.

Why on read and not stored: the figures come from records that change through many doors (the
record form, the API, imports, the admin, deletions, organisations changing group). Storing them
would need a refresh hook on every one of those doors; computing them on read cannot go stale, so a
newly recorded engagement changes the figure at once. The cost stays bounded: one aggregate query
per *kind* of computation used by the hub's indicators (whatever the number of indicators, records
or quarters), grouped in the database by day (counts and sums) or by organisation and quarter
(distinct organisations), so the rows returned grow with days and organisations, never with records.

Only records with the status "held" count: a planned or cancelled engagement engaged nobody yet.
``figures`` turns the rows into, per quarter, the figure *within* the quarter and the running total
since a date. Distinct organisations stay distinct in both: an organisation engaged in three
quarters counts once in the running total.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import TruncQuarter
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from echos.engagement.models import EngagementRecord, Format, ParticipantCount, RecordStatus

# Levels at or above "involve" on the IAP2 spectrum.
INVOLVE_OR_ABOVE = ("involve", "collaborate", "empower")
PATIENTS = "patients"
GROUP_PARAMETER = "stakeholder_group"


@dataclass(frozen=True)
class Row:
    """What one day (counts, sums) or one organisation in one quarter (distinct organisations)
    adds: ``key`` is the organisation for distinct counts (``day`` is then its last held record
    in that quarter), None for amounts that add up."""

    parameter: str
    day: date
    amount: Decimal
    key: int | None = None


# The rows of one computation for all the parameters asked; the parameter is "" when it takes none.
Series = list[Row]


@dataclass(frozen=True)
class Computation:
    """A rule computing an indicator's actual values from the hub's records."""

    code: str
    label: Promise
    description: Promise
    # What the parameter names ("" = none): ``GROUP_PARAMETER`` is a stakeholder group code.
    parameter: str
    # (hub id, parameters) -> rows, in one query.
    compute: Callable[[int, set[str]], Series]


def _held(hub_id: int) -> QuerySet:
    return EngagementRecord.objects.filter(hub_id=hub_id, status=RecordStatus.HELD)


def _as_date(value) -> date:
    """Keep a date whatever the backend answers (a datetime on some for truncated dates)."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _amounts(rows: Iterable[tuple[object, object, object]]) -> Series:
    return [Row(str(key or ""), _as_date(day), Decimal(str(n or 0))) for key, day, n in rows]


def citizen_dialogues_held(hub_id: int, parameters: set[str]) -> Series:
    """Held records in the citizen dialogue format, per day."""
    rows = (
        _held(hub_id)
        .filter(format=Format.CITIZEN_DIALOGUE)
        .values_list("date")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _amounts(("", day, n) for day, n in rows)


def _distinct_organisations(hub_id: int, **filters) -> Series:
    """One row per organisation and quarter, dated by its last held record in the quarter."""
    through: Any = EngagementRecord.organisations.through  # the stubs cannot see annotations
    rows = (
        through.objects.filter(
            engagementrecord__hub_id=hub_id,
            engagementrecord__status=RecordStatus.HELD,
            **filters,
        )
        .annotate(q=TruncQuarter("engagementrecord__date"))
        .values_list("organisation_id", "q")
        .annotate(last=Max("engagementrecord__date"))
        .order_by()
    )
    return [Row("", _as_date(last), Decimal(1), key) for key, _q, last in rows]


def patient_organisations_involved(hub_id: int, parameters: set[str]) -> Series:
    """Distinct patient organisations in held records at "involve" or above."""
    return _distinct_organisations(
        hub_id,
        organisation__stakeholder_group__code=PATIENTS,
        engagementrecord__level__code__in=INVOLVE_OR_ABOVE,
    )


def organisations_engaged(hub_id: int, parameters: set[str]) -> Series:
    """Distinct organisations named in held records, at any level."""
    return _distinct_organisations(hub_id)


def participants_from_group(hub_id: int, parameters: set[str]) -> Series:
    """Participants counted for each stakeholder group in held records, per day."""
    rows = (
        ParticipantCount.objects.filter(
            record__hub_id=hub_id, record__status=RecordStatus.HELD, group__code__in=parameters
        )
        .values_list("group__code", "record__date")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return _amounts(rows)


def records_reaching_group(hub_id: int, parameters: set[str]) -> Series:
    """Held records that reached each stakeholder group, per day."""
    through: Any = EngagementRecord.stakeholder_groups.through  # the stubs cannot see annotations
    rows = (
        through.objects.filter(
            engagementrecord__hub_id=hub_id,
            engagementrecord__status=RecordStatus.HELD,
            term__code__in=parameters,
        )
        .values_list("term__code", "engagementrecord__date")
        .annotate(n=Count("engagementrecord_id", distinct=True))
        .order_by()
    )
    return _amounts(rows)


COMPUTATIONS: dict[str, Computation] = {
    c.code: c
    for c in [
        Computation(
            "citizen_dialogues_held",
            _("Citizen dialogues held"),
            _("The number of held engagement records in the format 'citizen dialogue'."),
            "",
            citizen_dialogues_held,
        ),
        Computation(
            "patient_organisations_involved",
            _("Patient organisations engaged at 'involve' or above"),
            _(
                "The number of distinct organisations of the stakeholder group 'patients' named in "
                "held records at the level involve, collaborate or empower."
            ),
            "",
            patient_organisations_involved,
        ),
        Computation(
            "participants_from_group",
            _("Participants from a stakeholder group"),
            _(
                "The sum of the participants counted for one stakeholder group (the parameter) in "
                "held records."
            ),
            GROUP_PARAMETER,
            participants_from_group,
        ),
        Computation(
            "records_reaching_group",
            _("Engagements reaching a stakeholder group"),
            _("The number of held records that reached one stakeholder group (the parameter)."),
            GROUP_PARAMETER,
            records_reaching_group,
        ),
        Computation(
            "organisations_engaged",
            _("Organisations engaged"),
            _("The number of distinct organisations named in held records, at any level."),
            "",
            organisations_engaged,
        ),
    ]
}


def computation_choices() -> list[tuple[str, Promise | str]]:
    """Choices for a form: empty (entered by hand) first."""
    return [
        ("", _("None: values are entered by hand")),
        *((c.code, c.label) for c in COMPUTATIONS.values()),
    ]


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: date) -> date:
    month = start.month + 2
    following = date(start.year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def quarters(end: date, count: int) -> list[date]:
    """The starts of ``count`` quarters up to and including the one holding ``end``."""
    q = quarter_start(end)
    starts = []
    for _i in range(count):
        starts.append(q)
        q = quarter_start(date.fromordinal(q.toordinal() - 1))
    return starts[::-1]


@dataclass(frozen=True)
class QuarterFigure:
    """One quarter of a computed indicator: the figure within it and the running total at its end
    (None when the quarter ends before the date the total runs from)."""

    start: date
    within: Decimal
    running: Decimal | None


def figures(rows: Iterable[Row], starts: list[date], *, since: date | None) -> list[QuarterFigure]:
    """Per quarter of ``starts`` (consecutive, oldest first): the figure within the quarter and the
    running total of everything from ``since`` (None: from the first row, however old) to the
    quarter's end. Rows after the last quarter are left out. Keys count once (distinct)."""
    if not starts:
        return []
    ends = [quarter_end(s) for s in starts]
    n = len(starts)
    within: list[Decimal] = [Decimal(0)] * n
    within_keys: list[set[int]] = [set() for _i in range(n)]
    added: list[Decimal] = [Decimal(0)] * n  # to the running total, from this quarter on
    first_seen: dict[int, int] = {}  # key -> first quarter index it counts in the running total
    for row in rows:
        if row.day > ends[-1]:
            continue
        index = _index(row.day, starts)  # -1: before the first quarter shown
        if index >= 0:
            if row.key is None:
                within[index] += row.amount
            else:
                within_keys[index].add(row.key)
        if since is not None and row.day < since:
            continue
        at = max(index, 0)
        if row.key is None:
            added[at] += row.amount
        else:
            first_seen[row.key] = min(first_seen.get(row.key, at), at)
    for key_index in first_seen.values():
        added[key_index] += 1
    result, total = [], Decimal(0)
    for i, start in enumerate(starts):
        total += added[i]
        counted = within[i] + len(within_keys[i])
        running = None if since is not None and ends[i] < since else total
        result.append(QuarterFigure(start, counted, running))
    return result


def _index(day: date, starts: list[date]) -> int:
    """The index of the quarter of ``starts`` holding ``day``; -1 before the first."""
    if day < starts[0]:
        return -1
    first = starts[0]
    return (day.year - first.year) * 4 + (day.month - 1) // 3 - (first.month - 1) // 3


def for_parameter(series: Series, parameter: str) -> list[Row]:
    """The rows of one parameter ("" for computations that take none)."""
    return [row for row in series if row.parameter == parameter]


def compute(hub_id: int, wanted: Iterable[tuple[str, str]]) -> dict[str, Series]:
    """Values by computation code for the (code, parameter) pairs wanted: one query per code."""
    by_code: dict[str, set[str]] = {}
    for code, parameter in wanted:
        if code in COMPUTATIONS:
            by_code.setdefault(code, set()).add(parameter)
    return {code: COMPUTATIONS[code].compute(hub_id, params) for code, params in by_code.items()}
