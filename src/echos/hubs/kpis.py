"""Key performance indicators owned by hubs (core.kpis; issue #15).

Stock KPIs read the registry as it stood on the period's last day: a hub's stage then is its latest
lifecycle change dated on or before that day (``hubs.services.stage_at``), "no structure" without
one; a hub exists from its first dated stage change or, without one, from the day it was entered.
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from echos.core.kpis import Figure, Kpi, scope_ids
from echos.core.models import Country, Term
from echos.hubs.models import STAGE_ORDER, Hub, Level, Membership, Stage, StageChange

KPIS: list[Kpi] = [
    Kpi(
        code="HUB-COUNTRIES-STAGE",
        name=_("Countries by national-hub stage"),
        definition=_(
            "The MS/AC countries in the registry, each counted once at the lifecycle stage of its "
            "most advanced national hub on the period's last day (the latest stage change dated on "
            "or before that day). A country without a national hub, or whose national hubs had no "
            "stage change by then, counts as 'No structure'. Regional and local hubs do not count."
        ),
        numerator=_("Countries whose most advanced national hub was at the stage"),
        denominator=_("None (a count); the figures add up to every MS/AC country in the registry"),
        unit=_("countries"),
        owner="hubs",
        function="echos.hubs.kpis.countries_by_stage",
        breakdown=_("lifecycle stage"),
        scopes=("network",),
        kind="stock",
        public=True,
    ),
    Kpi(
        code="HUB-HUBS-LEVEL",
        name=_("Hubs by level"),
        definition=_(
            "Hubs in the registry on the period's last day, whatever their stage, by level "
            "(national, regional, local). A hub counts from its first dated stage change, or "
            "without one from the day it was entered in the registry. For a hub: the hub and every "
            "hub below it."
        ),
        numerator=_("Hubs of the level"),
        denominator=_("None (a count)"),
        unit=_("hubs"),
        owner="hubs",
        function="echos.hubs.kpis.hubs_by_level",
        breakdown=_("hub level"),
        kind="stock",
        public=True,
    ),
    Kpi(
        code="HUB-MEMBERS-GROUP",
        name=_("Member organisations by stakeholder group"),
        definition=_(
            "Distinct organisations with a membership in force on the period's last day (started "
            "on or before it, not ended before it, not declined by the organisation; awaiting "
            "confirmation included, as on the hub's page), by the organisation's stakeholder "
            "group. An organisation member of several hubs counts once."
        ),
        numerator=_("Member organisations of the stakeholder group"),
        denominator=_("None (a count)"),
        unit=_("organisations"),
        owner="hubs",
        function="echos.hubs.kpis.members_by_group",
        breakdown=_("stakeholder group"),
        kind="stock",
        public=True,
    ),
]


def _stage_on(end: date) -> Subquery:
    return Subquery(
        StageChange.objects.filter(hub=OuterRef("pk"), date__lte=end)
        .order_by("-date", "-recorded_at", "-id")
        .values("stage")[:1]
    )


def existing(end: date):
    """Hubs that exist on ``end`` (see the module's docstring)."""
    dated = StageChange.objects.filter(hub=OuterRef("pk"), date__lte=end)
    undated = ~Exists(StageChange.objects.filter(hub=OuterRef("pk")))
    return Hub.objects.filter(Exists(dated) | (undated & Q(created_at__date__lte=end)))


def countries_by_stage(start: date, end: date, hub=None) -> list[Figure]:
    """Each country once, at its most advanced national hub's stage on ``end`` (two queries)."""
    best: dict[str, int] = {code: 0 for code in Country.objects.values_list("code", flat=True)}
    rows = (
        Hub.objects.national()
        .annotate(stage_on=_stage_on(end))
        .order_by()
        .values_list("country_id", "stage_on")
    )
    for country, stage in rows:
        if stage and country in best:
            best[country] = max(best[country], STAGE_ORDER[stage])
    counts = [0] * len(Stage.values)
    for rank in best.values():
        counts[rank] += 1
    return [Figure(s.value, str(s.label), counts[STAGE_ORDER[s]]) for s in Stage]


def hubs_by_level(start: date, end: date, hub=None) -> list[Figure]:
    """Hubs existing on ``end`` by level (one grouped query)."""
    qs = existing(end)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(pk__in=ids)
    counts = dict(qs.order_by().values_list("level").annotate(n=Count("pk")))
    return [Figure(level.value, str(level.label), counts.get(level.value, 0)) for level in Level]


def members_by_group(start: date, end: date, hub=None) -> list[Figure]:
    """Distinct member organisations on ``end`` by stakeholder group (two queries)."""
    qs = Membership.objects.current(on=end)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(hub_id__in=ids)
    counts = dict(
        qs.order_by()
        .values_list("organisation__stakeholder_group__code")
        .annotate(n=Count("organisation", distinct=True))
    )
    return [
        Figure(t.code, t.display, counts.get(t.code, 0))
        for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)
    ]
