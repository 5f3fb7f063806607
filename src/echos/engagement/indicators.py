"""Indicators computed from a hub's engagement records, by quarter, on read.

Why on read and not stored: the figures come from records that change through many doors (the
record form, the API, imports, the admin, deletions, organisations changing group). Storing them
would need a refresh hook on every one of those doors; computing them on read cannot go stale, so a
newly recorded engagement changes the figure at once. The cost stays bounded: one aggregate query
per *kind* of computation used by the hub's indicators (whatever the number of indicators, records
or quarters), grouped by quarter in the database.

Only records with the status "held" count: a planned or cancelled engagement engaged nobody yet.
Each value is the figure *within* its quarter (distinct organisations are distinct within the
quarter), never a running total.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncQuarter
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from echos.engagement.models import EngagementRecord, Format, ParticipantCount, RecordStatus

# Levels at or above "involve" on the IAP2 spectrum.
INVOLVE_OR_ABOVE = ("involve", "collaborate", "empower")
PATIENTS = "patients"
GROUP_PARAMETER = "stakeholder_group"

# (parameter, quarter start) -> value; the parameter is "" for computations without one.
Series = dict[tuple[str, date], Decimal]


@dataclass(frozen=True)
class Computation:
    """A rule computing an indicator's actual value per quarter from the hub's records."""

    code: str
    label: Promise
    description: Promise
    # What the parameter names ("" = none): ``GROUP_PARAMETER`` is a stakeholder group code.
    parameter: str
    # (hub id, parameters) -> values by (parameter, quarter start), in one query.
    compute: Callable[[int, set[str]], Series]


def _held(hub_id: int) -> QuerySet:
    return EngagementRecord.objects.filter(hub_id=hub_id, status=RecordStatus.HELD)


def _as_date(value) -> date:
    """TruncQuarter answers a date on a DateField; keep it a date whatever the backend."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _series(rows: Iterable[tuple[object, object, object]]) -> Series:
    return {(str(key or ""), _as_date(q)): Decimal(str(n or 0)) for key, q, n in rows}


def citizen_dialogues_held(hub_id: int, parameters: set[str]) -> Series:
    """Held records in the citizen dialogue format, per quarter."""
    rows = (
        _held(hub_id)
        .filter(format=Format.CITIZEN_DIALOGUE)
        .annotate(q=TruncQuarter("date"))
        .values_list("q")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _series(("", q, n) for q, n in rows)


def _distinct_organisations(hub_id: int, **filters) -> Series:
    through: Any = EngagementRecord.organisations.through  # the stubs cannot see annotations
    rows = (
        through.objects.filter(
            engagementrecord__hub_id=hub_id,
            engagementrecord__status=RecordStatus.HELD,
            **filters,
        )
        .annotate(q=TruncQuarter("engagementrecord__date"))
        .values_list("q")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    )
    return _series(("", q, n) for q, n in rows)


def patient_organisations_involved(hub_id: int, parameters: set[str]) -> Series:
    """Distinct patient organisations in held records at "involve" or above, per quarter."""
    return _distinct_organisations(
        hub_id,
        organisation__stakeholder_group__code=PATIENTS,
        engagementrecord__level__code__in=INVOLVE_OR_ABOVE,
    )


def organisations_engaged(hub_id: int, parameters: set[str]) -> Series:
    """Distinct organisations named in held records, at any level, per quarter."""
    return _distinct_organisations(hub_id)


def participants_from_group(hub_id: int, parameters: set[str]) -> Series:
    """Participants counted for each stakeholder group in held records, per quarter."""
    rows = (
        ParticipantCount.objects.filter(
            record__hub_id=hub_id, record__status=RecordStatus.HELD, group__code__in=parameters
        )
        .annotate(q=TruncQuarter("record__date"))
        .values_list("group__code", "q")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return _series(rows)


def records_reaching_group(hub_id: int, parameters: set[str]) -> Series:
    """Held records that reached each stakeholder group, per quarter."""
    through: Any = EngagementRecord.stakeholder_groups.through  # the stubs cannot see annotations
    rows = (
        through.objects.filter(
            engagementrecord__hub_id=hub_id,
            engagementrecord__status=RecordStatus.HELD,
            term__code__in=parameters,
        )
        .annotate(q=TruncQuarter("engagementrecord__date"))
        .values_list("term__code", "q")
        .annotate(n=Count("engagementrecord_id", distinct=True))
        .order_by()
    )
    return _series(rows)


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


def compute(hub_id: int, wanted: Iterable[tuple[str, str]]) -> dict[str, Series]:
    """Values by computation code for the (code, parameter) pairs wanted: one query per code."""
    by_code: dict[str, set[str]] = {}
    for code, parameter in wanted:
        if code in COMPUTATIONS:
            by_code.setdefault(code, set()).add(parameter)
    return {code: COMPUTATIONS[code].compute(hub_id, params) for code, params in by_code.items()}
