"""Key performance indicators owned by assessment (core.kpis; issue #15)."""

from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from echos.assessment import scoring
from echos.assessment.models import Response
from echos.assessment.services import MATURITY, current_instrument
from echos.core.kpis import Figure, Kpi, bounds, scope_ids
from echos.questionnaires.models import Instrument

KPIS: list[Kpi] = [
    Kpi(
        code="ASM-MATURITY-MEDIAN",
        name=_("Median maturity by dimension"),
        definition=_(
            "For each dimension of the maturity model, the median level (1 to 5) over the hubs' "
            "latest official self-assessment submitted on or before the period's last day "
            "(individual ratings of a consensus round excluded). A hub without an assessment by "
            "then is left out. No median is given for a dimension scored by fewer than three hubs, "
            "so that no hub's own level can be worked out."
        ),
        numerator=_("The middle level of the hubs' levels in the dimension"),
        denominator=_("Hubs with a submitted assessment scoring the dimension (at least three)"),
        unit=_("maturity level (1 to 5)"),
        owner="assessment",
        function="echos.assessment.kpis.median_maturity",
        breakdown=_("maturity dimension"),
        kind="stock",
        additive=False,
    ),
]


def median_maturity(start: date, end: date, hub=None) -> list[Figure]:
    """Three queries: the model versions, the current model, each hub's latest response."""
    _lo, hi = bounds(start, end)
    definitions = dict(Instrument.objects.filter(code=MATURITY).values_list("pk", "definition"))
    dimension_of = {
        pk: {q.code: q.dimension for q in scoring.dimension_questions(definition)}
        for pk, definition in definitions.items()
    }
    dated = Response.objects.official().filter(
        instrument__code=MATURITY,
        status__in=[Response.Status.SUBMITTED, Response.Status.SUPERSEDED],
        submitted_at__lt=hi,
    )
    latest = dated.filter(hub=OuterRef("hub")).order_by("-submitted_at", "-pk").values("pk")[:1]
    rows = dated.filter(hub__isnull=False, pk=Subquery(latest))
    if (ids := scope_ids(hub)) is not None:
        rows = rows.filter(hub_id__in=ids)
    scores = [
        {"dimensions": {dim: answers.get(code) for code, dim in dimension_of[pk].items()}}
        for pk, answers in rows.order_by().values_list("instrument_id", "answers")
    ]
    definition = current_instrument(MATURITY).definition
    titles = scoring.dimension_titles(definition)
    dims = [scoring.dimension_of(q) for q in scoring.dimension_questions(definition)]
    medians = scoring.medians(scores, dims)
    return [Figure(d, titles.get(d, d), medians[d]) for d in dims]
