"""Key performance indicators owned by continuity (core.kpis; issue #15)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from echos.continuity import analysis
from echos.continuity.guards import RUNWAY_NEEDED
from echos.continuity.network import this_month
from echos.core.kpis import Figure, Kpi, scope_ids

KPIS: list[Kpi] = [
    Kpi(
        code="CON-RUNWAY-24",
        name=_("Hubs with 24 months of committed runway"),
        definition=_(
            "Hubs with a funding model (at least one funding stream or cost line) whose baseline "
            "projection, on committed funding only (probability 1), keeps a positive balance for "
            "at least 24 months from the projection's starting month: the runway rule of the "
            "'sustained' stage and the same projection as the continuity network page. Funding "
            "plans keep no history: every period shows the plans as they stand today. A model that "
            "cannot be projected (a currency without a EUR rate) counts under 'cannot be "
            "projected'."
        ),
        numerator=_("Hubs whose committed runway is 24 months or more"),
        denominator=_("Hubs with a funding model (the sum of the figures)"),
        unit=_("hubs"),
        owner="continuity",
        function="echos.continuity.kpis.runway_24",
        breakdown=_("runway: 24 months or more, less, cannot be projected"),
        kind="stock",
    ),
]


def runway_24(start: date, end: date, hub=None) -> list[Figure]:
    """The continuity network rows (a fixed number of queries, cached), counted by runway."""
    rows = analysis.network_rows(this_month())
    ids = scope_ids(hub)
    if ids is not None:
        wanted = set(ids)
        rows = [r for r in rows if r.hub_id in wanted]
    failed = sum(1 for r in rows if r.error)
    covered = sum(1 for r in rows if not r.error and r.runway >= RUNWAY_NEEDED)
    return [
        Figure("covered", str(_("24 months or more")), covered),
        Figure("short", str(_("Less than 24 months")), len(rows) - failed - covered),
        Figure("invalid", str(_("Cannot be projected")), failed),
    ]
