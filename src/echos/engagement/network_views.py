"""The network map as a view of the data: who may see what, the rows of a selection, snapshots.

(Not HTTP views: those are in ``views_network``.) A *selection* is a scope — one hub, or the whole
network — with filters: a period, a stakeholder group, a Mission objective.

What is public: hubs, memberships, engagement records and relationships are public elsewhere on the
site, so the map of any hub and of the whole network is public. A hub's stakeholder register is
its team's working list: register entries that are not members appear (as possibly isolated
organisations) only to the hub's team — whoever may edit the hub — and, on the whole-network map,
to network coordinators. Snapshots are saved and read by the same people.

Queries: a fixed number per selection (about seven), whatever the size of the data: every kind of
row is read once with the organisations' and hubs' names joined in, and sets of ids stay in
subqueries. The figures of a large graph are cached under a digest of its rows, so they are never
stale.
"""

import hashlib
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import networkx as nx  # type: ignore[import-untyped]  # networkx ships no type hints
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.core.models import Term
from echos.core.roles import is_network_coordinator
from echos.engagement import graph
from echos.engagement.coverage import check_in_range, last_twelve_months
from echos.engagement.models import EngagementRecord, NetworkSnapshot, Relationship, Stakeholder
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub, Membership

MAX_PERIOD_YEARS = 5
CACHE_FROM_NODES = 500
CACHE_SECONDS = 600


def can_view_network(user, hub: Hub | None) -> bool:
    """The map shows public data (hubs, memberships, records, relationships): everyone."""
    return True


def sees_register(user, hub: Hub | None) -> bool:
    """Register entries (not members) are the team's: a hub's editors and coordinators; on the
    whole network, network coordinators."""
    if hub is None:
        return is_network_coordinator(user)
    return hub_perms.can_edit_hub(user, hub)


def can_snapshot(user, hub: Hub | None) -> bool:
    """Save, list and compare snapshots: the same people (a snapshot may hold register entries)."""
    return sees_register(user, hub)


@dataclass(frozen=True)
class Filters:
    """A validated selection's filters."""

    start: date
    end: date
    group: str = ""
    objective: str = ""

    def as_dict(self) -> dict:
        return {k: str(v) for k, v in asdict(self).items() if v}


def parse_filters(
    *,
    start: date | None = None,
    end: date | None = None,
    group: str = "",
    objective: str = "",
    today: date,
    known: dict[str, set[str]] | None = None,
) -> Filters:
    """Check the filters; a refusal names the parameter. Default period: the last 12 months."""
    default_start, default_end = last_twelve_months(today)
    for value, name in ((start, "start"), (end, "end")):
        if value is not None:
            check_in_range(value, name, today=today)
    end = end or default_end
    start = start or (end - (default_end - default_start))
    if end < start:
        raise RuleViolation(_("The end of the period is before its start."), "end")
    if (end - start).days > 366 * MAX_PERIOD_YEARS:
        raise RuleViolation(
            _("The period may not be longer than %(years)d years.") % {"years": MAX_PERIOD_YEARS},
            "end",
        )
    known = known if known is not None else known_codes()
    if group and group not in known["group"]:
        raise RuleViolation(_("Unknown stakeholder group: %(code)s.") % {"code": group}, "group")
    if objective and objective not in known["objective"]:
        raise RuleViolation(
            _("Unknown Mission objective: %(code)s.") % {"code": objective}, "objective"
        )
    return Filters(start=start, end=end, group=group, objective=objective)


def known_codes() -> dict[str, set[str]]:
    """Stakeholder group and objective codes (one query)."""
    out: dict[str, set[str]] = {"group": set(), "objective": set()}
    vocab = {Term.Vocabulary.STAKEHOLDER_GROUPS: "group", Term.Vocabulary.OBJECTIVES: "objective"}
    for v, code in Term.objects.filter(vocabulary__in=list(vocab)).values_list(
        "vocabulary", "code"
    ):
        out[vocab[v]].add(code)
    return out


def _overlapping(prefix: str, f: Filters) -> Q:
    """Ties (``since``/``until``) in force at some point of the period."""
    return (Q(**{f"{prefix}since__isnull": True}) | Q(**{f"{prefix}since__lte": f.end})) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": f.start})
    )


def _records(hub: Hub | None, f: Filters):
    qs = EngagementRecord.objects.between(f.start, f.end).exclude(status="cancelled")
    if hub is not None:
        qs = qs.filter(hub=hub)
    if f.group:
        qs = qs.reaching(f.group)
    if f.objective:
        qs = qs.filter(objectives__code=f.objective)
    return qs


def selection(hub: Hub | None, f: Filters, *, with_register: bool) -> tuple[graph.GraphInput, set]:
    """The rows of a selection, and the organisations it answers for (members, register)."""
    data = graph.GraphInput()
    answerable: set[int] = set()
    records = _records(hub, f)
    through = EngagementRecord.organisations.through
    links = through.objects.filter(engagementrecord__in=records.values("pk"))
    if f.group:
        links = links.filter(organisation__stakeholder_group__code=f.group)
    org_fields = (
        "organisation__name",
        "organisation__country_id",
        "organisation__stakeholder_group__code",
    )

    def org(pk, name, country, group):
        if pk not in data.orgs:
            data.orgs[pk] = graph.OrgRow(pk, name, country, group)

    def add_hub(pk, name, country, level):
        if pk not in data.hubs:
            data.hubs[pk] = graph.HubRow(pk, name, country, level)

    if hub is None:
        for row in Hub.objects.values_list("pk", "name_en", "country_id", "level"):
            add_hub(*row)
    else:
        add_hub(hub.pk, hub.name_en, hub.country_id, hub.level)
    data.record_count = records.count()
    data.folded = data.record_count > graph.MAX_RECORD_NODES
    if data.folded:
        rows = (
            links.values_list("organisation_id", "engagementrecord__hub_id", *org_fields)
            .annotate(n=Count("id"))
            .order_by()
        )
        for o, h, name, country, group, n in rows:
            org(o, name, country, group)
            data.engagements.append((o, h, n))
    else:
        for pk, title, day, h, level in records.values_list(
            "pk", "title", "date", "hub_id", "level__code"
        ).order_by("date", "pk"):
            data.records.append(graph.RecordRow(pk, title, day, h, level))
        for o, r, name, country, group in links.values_list(
            "organisation_id", "engagementrecord_id", *org_fields
        ):
            org(o, name, country, group)
            data.participations.append((o, r))
    members = Membership.objects.exclude(status=Membership.Status.DECLINED).filter(
        _overlapping("", f)
    )
    if f.group:
        members = members.filter(organisation__stakeholder_group__code=f.group)
    if hub is not None:
        # The hub's members, and every other hub its members and participants belong to: that is
        # how a hub's map shows the bridges to other hubs.
        members = members.filter(
            Q(hub=hub)
            | Q(organisation_id__in=links.values("organisation_id"))
            | Q(organisation_id__in=Membership.objects.filter(hub=hub).values("organisation_id"))
        )
    for o, h, name, country, group, hname, hcountry, hlevel in members.values_list(
        "organisation_id", "hub_id", *org_fields, "hub__name_en", "hub__country_id", "hub__level"
    ):
        org(o, name, country, group)
        add_hub(h, hname, hcountry, hlevel)
        data.memberships.append((o, h))
        if hub is None or h == hub.pk:
            answerable.add(o)
    if with_register:
        register = Stakeholder.objects.all() if hub is None else Stakeholder.objects.filter(hub=hub)
        if f.group:
            register = register.filter(group__code=f.group)
        for o, h, name, country, group in register.values_list(
            "organisation_id", "hub_id", *org_fields[:2], "group__code"
        ):
            org(o, name, country, group)
            data.register.append((o, h))
            answerable.add(o)
    rels = Relationship.objects.filter(_overlapping("", f))
    if hub is not None:
        # Recorded by the hub, or touching one of its members or participants.
        scope = [
            Membership.objects.filter(hub=hub).values("organisation_id"),
            links.values("organisation_id"),
        ]
        touching = Q(hub=hub)
        for ids in scope:
            touching |= Q(source_id__in=ids) | Q(target_id__in=ids)
        rels = rels.filter(touching)
    if f.group:
        rels = rels.filter(
            source__stakeholder_group__code=f.group, target__stakeholder_group__code=f.group
        )
    for s, t, kind, *names in rels.values_list(
        "source_id",
        "target_id",
        "kind",
        "source__name",
        "source__country_id",
        "source__stakeholder_group__code",
        "target__name",
        "target__country_id",
        "target__stakeholder_group__code",
    ):
        org(s, *names[:3])
        org(t, *names[3:])
        data.relationships.append((s, t, kind))
    return data, answerable


@dataclass
class NetworkMap:
    """A measured selection, ready for a page, the API, an export or a snapshot."""

    hub: Hub | None
    filters: Filters
    g: nx.Graph
    metrics: graph.Metrics
    data: graph.GraphInput
    with_register: bool

    @property
    def summary(self) -> dict:
        out = self.metrics.summary(self.g)
        out["records_in_period"] = self.data.record_count
        out["folded"] = self.data.folded
        return out

    def rows(self) -> list[dict]:
        return graph.node_rows(self.g, self.metrics)

    def edges(self) -> list[dict]:
        return graph.edge_rows(self.g)

    def labelled(self, ids: list[str]) -> list[dict]:
        g = self.g
        return [
            {"id": n, "label": g.nodes[n]["label"], "country": g.nodes[n].get("country", "")}
            for n in ids
        ]

    def export(self, fmt: str) -> bytes:
        return graph.export(self.g, self.metrics, fmt)


def _measured(g, answerable: set[int]) -> graph.Metrics:
    """The figures of a graph; a large one's are cached under a digest of its nodes and edges."""
    if g.number_of_nodes() < CACHE_FROM_NODES:
        return graph.measure(g, answerable=answerable)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(sorted(g.nodes)).encode())
    digest.update(repr(sorted((a, b, d["weight"]) for a, b, d in g.edges(data=True))).encode())
    digest.update(repr(sorted(answerable)).encode())
    key = f"engagement:network-metrics:{digest.hexdigest()}"
    metrics = cache.get(key)
    if metrics is None:
        metrics = graph.measure(g, answerable=answerable)
        cache.set(key, metrics, CACHE_SECONDS)
    return metrics


def measured_map(*, hub: Hub | None, filters: Filters, with_register: bool) -> NetworkMap:
    """Read, build and measure a selection (in a request only when it is small: the callers ask
    ``network_store.too_large`` first; the background job computes the large ones)."""
    data, answerable = selection(hub, filters, with_register=with_register)
    g = graph.build_graph(data)
    return NetworkMap(hub, filters, g, _measured(g, answerable), data, with_register)


def network_map(*, user, hub: Hub | None, filters: Filters) -> NetworkMap:
    """The map of a hub (or of the whole network) as ``user`` may see it."""
    return measured_map(hub=hub, filters=filters, with_register=sees_register(user, hub))


def save_snapshot(
    *, actor, hub: Hub | None, filters: Filters, label: str = "", metrics: dict | None = None
) -> NetworkSnapshot:
    """Keep the figures of a period so that it can be compared with another later. ``metrics``:
    figures already computed (a large selection's stored result); else computed now."""
    guard(can_snapshot(actor, hub), actor)
    if len(label) > 120:
        raise RuleViolation(_("The label may be at most 120 characters long."), "label")
    if metrics is None:
        # The system (demo loader, CLI: actor None) sees everything.
        with_register = True if actor is None else sees_register(actor, hub)
        m = measured_map(hub=hub, filters=filters, with_register=with_register)
        metrics = graph.snapshot_metrics(m.g, m.metrics)
        metrics["summary"].update(records_in_period=m.data.record_count, folded=m.data.folded)
    with transaction.atomic():
        snap = NetworkSnapshot.objects.create(
            hub=hub,
            label=label or f"{filters.start:%Y-%m-%d} – {filters.end:%Y-%m-%d}",
            period_start=filters.start,
            period_end=filters.end,
            filters={k: v for k, v in filters.as_dict().items() if k in ("group", "objective")},
            metrics=metrics,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        log_action(
            actor=actor,
            action="engagement.network_snapshot.saved",
            target=snap,
            data={"hub": hub.pk if hub else None, "summary": metrics["summary"]},
        )
    return snap


def snapshots_of(hub: Hub | None):
    """A scope's snapshots, newest period first."""
    return (
        NetworkSnapshot.objects.filter(hub=hub)
        if hub
        else NetworkSnapshot.objects.filter(hub__isnull=True)
    )


def compare_snapshots(*, actor, a: NetworkSnapshot, b: NetworkSnapshot) -> dict:
    """Two snapshots side by side (the earlier period as ``a``); both readable by ``actor``."""
    for snap in (a, b):
        guard(can_snapshot(actor, snap.hub), actor)
    if a.period_end > b.period_end:
        a, b = b, a
    return {"a": a, "b": b, **graph.compare(a.metrics, b.metrics)}


def compare_periods(*, user, hub: Hub | None, a: Filters, b: Filters) -> dict:
    """Two periods computed now, side by side (what ``user`` may see of each)."""
    ma, mb = (network_map(user=user, hub=hub, filters=f) for f in (a, b))
    metrics = []
    for m in (ma, mb):
        snap = graph.snapshot_metrics(m.g, m.metrics)
        snap["summary"]["records"] = m.data.record_count
        metrics.append(snap)
    return graph.compare(metrics[0], metrics[1])


def half_years(first: date, last: date) -> list[tuple[date, date]]:
    """The calendar half-years from the one holding ``first`` to the one holding ``last``."""
    out = []
    start = date(first.year, 1 if first.month <= 6 else 7, 1)
    while start <= last:
        nxt = date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)
        out.append((start, nxt - timedelta(days=1)))
        start = nxt
    return out
