"""The engagement network as a graph: built from plain rows, measured with networkx, exported.

Pure functions, no database: ``network_views`` reads the rows (one aggregate query per kind) and
hands them here, so the rules are tested on small hand-made graphs.

Nodes are organisations (``org:<id>``), hubs (``hub:<id>``) and engagement records
(``rec:<id>``). Edges: membership (organisation–hub), participation (organisation–record), record
(record–hub), relationship (organisation–organisation, typed). When a selection holds more records
than ``MAX_RECORD_NODES`` the records are *folded*: each organisation–hub pair engaged through
records becomes one ``engagement`` edge whose weight is the number of records, so the graph stays
bounded by organisations and hubs.

Invariant: node attributes are names, countries, codes, dates and computed figures only. People,
e-mail addresses, register notes, owners and influence/interest scores never enter the graph, so
they cannot leak into the page, the API or the GEXF/GraphML exports.
"""

import io
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import networkx as nx  # type: ignore[import-untyped]  # networkx ships no type hints
import numpy as np
from scipy import sparse

SEED = 14
MAX_RECORD_NODES = 5_000
# Exact betweenness up to this many nodes; above, Brandes' algorithm from this many pivots chosen
# with a fixed seed (networkx's ``k``), so the figures are estimates but repeatable.
EXACT_BETWEENNESS_NODES = 2_000
BETWEENNESS_PIVOTS = 64
# Louvain up to this many nodes; above, fast label propagation (seeded, near-linear time): Louvain
# takes minutes on a Europe-scale graph.
LOUVAIN_MAX_NODES = 5_000
TOP_BROKERS = 10

ORG, HUB, REC = "organisation", "hub", "record"


@dataclass(frozen=True)
class OrgRow:
    id: int
    name: str
    country: str
    group: str


@dataclass(frozen=True)
class HubRow:
    id: int
    name: str
    country: str
    level: str


@dataclass(frozen=True)
class RecordRow:
    id: int
    title: str
    date: date
    hub: int
    level: str


@dataclass
class GraphInput:
    """Rows of one selection. ``members`` and ``register`` name the organisations a hub answers
    for, which may be isolated (no engagement in the period)."""

    orgs: dict[int, OrgRow] = field(default_factory=dict)
    hubs: dict[int, HubRow] = field(default_factory=dict)
    records: list[RecordRow] = field(default_factory=list)
    memberships: list[tuple[int, int]] = field(default_factory=list)  # (org, hub)
    participations: list[tuple[int, int]] = field(default_factory=list)  # (org, record)
    engagements: list[tuple[int, int, int]] = field(default_factory=list)  # folded (org, hub, n)
    relationships: list[tuple[int, int, str]] = field(
        default_factory=list
    )  # (source, target, kind)
    register: list[tuple[int, int]] = field(default_factory=list)  # (org, hub), team only
    folded: bool = False
    record_count: int = 0


def org_id(pk: int) -> str:
    return f"org:{pk}"


def hub_id(pk: int) -> str:
    return f"hub:{pk}"


def rec_id(pk: int) -> str:
    return f"rec:{pk}"


class _Ties:
    """Ties collected before the graph is built: a second tie between the same two nodes merges
    into the first (kinds joined with ';', weights added)."""

    def __init__(self) -> None:
        self.ties: dict[tuple[str, str], tuple[list[str], int]] = {}

    def add(self, a: str, b: str, kind: str, weight: int = 1) -> None:
        key = (a, b) if a < b else (b, a)
        known = self.ties.get(key)
        if known is None:
            self.ties[key] = ([kind], weight)
        else:
            kinds = known[0] if kind in known[0] else [*known[0], kind]
            self.ties[key] = (kinds, known[1] + weight)

    def edges(self):
        for (a, b), (kinds, weight) in self.ties.items():
            yield a, b, {"kind": ";".join(kinds), "weight": weight}


def build_graph(data: GraphInput) -> nx.Graph:
    """The undirected graph of a selection; an organisation appears once whatever ties it has."""
    g = nx.Graph()
    g.add_nodes_from(
        (hub_id(h.id), {"kind": HUB, "label": h.name, "country": h.country, "level": h.level})
        for h in data.hubs.values()
    )
    g.add_nodes_from(
        (org_id(o.id), {"kind": ORG, "label": o.name, "country": o.country, "group": o.group})
        for o in data.orgs.values()
    )
    ties = _Ties()
    for r in data.records:
        g.add_node(rec_id(r.id), kind=REC, label=r.title, date=r.date.isoformat(), level=r.level)
        if r.hub in data.hubs:
            ties.add(rec_id(r.id), hub_id(r.hub), "record")
    known_records = {r.id for r in data.records}
    for org, hub in data.memberships:
        if org in data.orgs and hub in data.hubs:
            ties.add(org_id(org), hub_id(hub), "membership")
    for org, rec in data.participations:
        if org in data.orgs and rec in known_records:
            ties.add(org_id(org), rec_id(rec), "participation")
    for org, hub, n in data.engagements:
        if org in data.orgs and hub in data.hubs:
            ties.add(org_id(org), hub_id(hub), "engagement", n)
    for s, t, kind in data.relationships:
        if s in data.orgs and t in data.orgs and s != t:
            ties.add(org_id(s), org_id(t), f"relationship:{kind}")
    g.add_edges_from(ties.edges())
    return g


@dataclass
class Metrics:
    """Figures of one graph: per node, and the named findings."""

    degree: dict[str, int]
    degree_centrality: dict[str, float]
    betweenness: dict[str, float]
    community: dict[str, int]
    communities: int
    brokers: list[str]
    bridges: list[str]
    bridge_edges: int
    isolated: list[str]
    exact_betweenness: bool

    def summary(self, g: nx.Graph) -> dict:
        kinds: dict[str, int] = defaultdict(int)
        for _n, kind in g.nodes(data="kind"):
            kinds[kind] += 1
        return {
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "organisations": kinds[ORG],
            "hubs": kinds[HUB],
            "records": kinds[REC],
            "communities": self.communities,
            "bridge_edges": self.bridge_edges,
            "exact_betweenness": self.exact_betweenness,
        }


def communities_of(g: nx.Graph) -> list[set[str]]:
    """Communities with a fixed seed (Louvain; label propagation on large graphs), biggest first
    (ties: smallest node id first)."""
    if g.number_of_edges() == 0:
        found = [{n} for n in g.nodes]
    elif g.number_of_nodes() <= LOUVAIN_MAX_NODES:
        found = nx.community.louvain_communities(g, weight="weight", seed=SEED)
    else:
        found = nx.community.fast_label_propagation_communities(g, weight="weight", seed=SEED)
    return sorted(found, key=lambda c: (-len(c), min(c)))


def betweenness_of(g: nx.Graph) -> tuple[dict[str, float], bool]:
    """Normalised betweenness centrality (unweighted shortest paths); exact on small graphs,
    estimated from ``BETWEENNESS_PIVOTS`` sources on large ones (``sampled_betweenness``)."""
    n = g.number_of_nodes()
    if n <= EXACT_BETWEENNESS_NODES:
        return nx.betweenness_centrality(g, normalized=True), True
    return sampled_betweenness(g, BETWEENNESS_PIVOTS), False


def sampled_betweenness(g: nx.Graph, k: int | None, *, batch: int = 16) -> dict[str, float]:
    """Brandes' betweenness from ``k`` sources chosen with a fixed seed (all sources for None),
    scaled like networkx's ``betweenness_centrality(normalized=True, k=k)``.

    The same algorithm as networkx's, written as sparse matrix products over a batch of sources at
    a time (breadth-first levels forward counting shortest paths, dependencies accumulated
    backward), so a Europe-scale graph takes seconds instead of the hours a pure-Python search per
    source would.
    """
    nodes = list(g.nodes)
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in g.edges()], dtype=np.int64).reshape(-1, 2)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    adjacency = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    order = list(range(n))
    sources = order if k is None or k >= n else random.Random(SEED).sample(order, k)
    total = np.zeros(n)
    for first in range(0, len(sources), batch):
        chunk = np.array(sources[first : first + batch])
        cols = np.arange(len(chunk))
        sigma = np.zeros((n, len(chunk)))
        sigma[chunk, cols] = 1.0
        seen = sigma > 0
        levels = [seen.copy()]
        frontier = sigma.copy()
        while True:
            reach = adjacency @ frontier
            new = (reach > 0) & ~seen
            if not new.any():
                break
            sigma[new] = reach[new]
            seen |= new
            levels.append(new)
            frontier = np.where(new, sigma, 0.0)
        delta = np.zeros_like(sigma)
        safe = np.where(sigma > 0, sigma, 1.0)
        for depth in range(len(levels) - 1, 0, -1):
            back = adjacency @ np.where(levels[depth], (1.0 + delta) / safe, 0.0)
            delta += np.where(levels[depth - 1], sigma * back, 0.0)
        delta[chunk, cols] = 0.0
        total += delta.sum(axis=1)
    # networkx's rescaling: pairs (s, t) with s != t != v; a sampled source cannot pass through
    # itself, so its estimate is over one source fewer.
    k_used = len(sources)
    if k_used == n:
        scale = np.full(n, 1.0 / ((n - 1) * (n - 2)))
    else:
        scale = np.full(n, 1.0 / (k_used * (n - 2)))
        scale[sources] = 1.0 / ((k_used - 1) * (n - 2)) if k_used > 1 else 0.0
    return {node: float(total[i] * scale[i]) for i, node in enumerate(nodes)}


def isolated_of(g: nx.Graph, answerable: Iterable[int]) -> list[str]:
    """Organisations a hub answers for (members, register entries) with no engagement at all."""
    out = []
    for pk in sorted(set(answerable)):
        node = org_id(pk)
        if node not in g:
            continue
        engaged = any(
            g.edges[node, other]["kind"] != "membership"
            and not g.edges[node, other]["kind"].startswith("relationship")
            for other in g.neighbors(node)
        )
        if not engaged:
            out.append(node)
    return out


def cross_country_bridges(g: nx.Graph) -> list[str]:
    """Organisations tied to hubs of two or more countries (directly, or through a record)."""
    out = []
    for node, kind in g.nodes(data="kind"):
        if kind != ORG:
            continue
        countries = set()
        for other in g.neighbors(node):
            if g.nodes[other]["kind"] == HUB:
                countries.add(g.nodes[other]["country"])
            elif g.nodes[other]["kind"] == REC:
                countries |= {
                    g.nodes[h]["country"] for h in g.neighbors(other) if g.nodes[h]["kind"] == HUB
                }
        if len(countries) >= 2:
            out.append(node)
    return sorted(out, key=_node_order)


def _node_order(node: str) -> tuple[str, int]:
    kind, _sep, pk = node.partition(":")
    return kind, int(pk)


def measure(g: nx.Graph, *, answerable: Iterable[int] = ()) -> Metrics:
    """Degree, betweenness, communities, and the brokers, bridges and isolated organisations."""
    betweenness, exact = betweenness_of(g)
    community = {n: i for i, c in enumerate(communities_of(g)) for n in c}
    orgs = [n for n, kind in g.nodes(data="kind") if kind == ORG]
    ranked = sorted(
        (n for n in orgs if betweenness.get(n, 0) > 0),
        key=lambda n: (-betweenness[n], _node_order(n)),
    )
    return Metrics(
        degree=dict(g.degree()),
        degree_centrality=nx.degree_centrality(g) if len(g) > 1 else dict.fromkeys(g, 0.0),
        betweenness=betweenness,
        community=community,
        communities=len(set(community.values())),
        brokers=ranked[:TOP_BROKERS],
        bridges=cross_country_bridges(g),
        bridge_edges=sum(1 for _ in nx.bridges(g)) if len(g) else 0,
        isolated=isolated_of(g, answerable),
        exact_betweenness=exact,
    )


def annotate(g: nx.Graph, m: Metrics) -> None:
    """Write the figures onto the nodes (for the exports and the drawing)."""
    for n in g.nodes:
        g.nodes[n]["degree"] = m.degree.get(n, 0)
        g.nodes[n]["betweenness"] = round(m.betweenness.get(n, 0.0), 6)
        g.nodes[n]["community"] = m.community.get(n, -1)


def node_rows(g: nx.Graph, m: Metrics) -> list[dict]:
    """One row per node, most central first (the table beside the graph and the API)."""
    rows = [
        {
            "id": n,
            "kind": d["kind"],
            "label": d["label"],
            "country": d.get("country", ""),
            "group": d.get("group", ""),
            "level": d.get("level", ""),
            "date": d.get("date", ""),
            "degree": m.degree.get(n, 0),
            "degree_centrality": round(m.degree_centrality.get(n, 0.0), 6),
            "betweenness": round(m.betweenness.get(n, 0.0), 6),
            "community": m.community.get(n, -1),
        }
        for n, d in g.nodes(data=True)
    ]
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], _node_order(r["id"])))
    return rows


def edge_rows(g: nx.Graph) -> list[dict]:
    return [
        {"source": a, "target": b, "kind": d["kind"], "weight": d["weight"]}
        for a, b, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1]))
    ]


EXPORT_FORMATS = {"gexf": "application/gexf+xml", "graphml": "application/graphml+xml"}


def write_export(g: nx.Graph, m: Metrics, fmt: str, target) -> None:
    """Write the annotated graph as GEXF 1.2 or GraphML (for Gephi, Kumu, yEd) to ``target``, a
    path or a binary file."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    h = g.copy()
    annotate(h, m)
    for _n, d in h.nodes(data=True):
        for key in [k for k, v in d.items() if v is None]:
            del d[key]
    if fmt == "gexf":
        nx.write_gexf(h, target)
    else:
        nx.write_graphml(h, target)


def export(g: nx.Graph, m: Metrics, fmt: str) -> bytes:
    """The annotated graph as GEXF 1.2 or GraphML, in memory (small graphs)."""
    buffer = io.BytesIO()
    write_export(g, m, fmt, buffer)
    return buffer.getvalue()


def snapshot_metrics(g: nx.Graph, m: Metrics) -> dict:
    """What a ``NetworkSnapshot`` keeps: the summary, organisations' and hubs' figures, findings."""
    nodes = {
        n: {
            "label": d["label"],
            "kind": d["kind"],
            "degree": m.degree.get(n, 0),
            "betweenness": round(m.betweenness.get(n, 0.0), 6),
            "community": m.community.get(n, -1),
        }
        for n, d in g.nodes(data=True)
        if d["kind"] != REC
    }
    return {
        "summary": m.summary(g),
        "nodes": nodes,
        "brokers": m.brokers,
        "bridges": m.bridges,
        "isolated": m.isolated,
    }


def compare(a: dict, b: dict) -> dict:
    """Two snapshots' metrics side by side: the changes from ``a`` (earlier) to ``b``."""
    sa, sb = a.get("summary", {}), b.get("summary", {})
    keys = ["nodes", "edges", "organisations", "hubs", "records", "communities"]
    labels = {**a.get("nodes", {}), **b.get("nodes", {})}
    brokers_a, brokers_b = a.get("brokers", []), b.get("brokers", [])
    isolated_a, isolated_b = set(a.get("isolated", [])), set(b.get("isolated", []))

    def named(ids):
        return [{"id": i, "label": labels.get(i, {}).get("label", i)} for i in ids]

    return {
        "summary": [
            {
                "measure": k,
                "a": sa.get(k, 0),
                "b": sb.get(k, 0),
                "change": sb.get(k, 0) - sa.get(k, 0),
            }
            for k in keys
        ],
        "entered_brokers": named([n for n in brokers_b if n not in brokers_a]),
        "left_brokers": named([n for n in brokers_a if n not in brokers_b]),
        "newly_isolated": named(sorted(isolated_b - isolated_a, key=_node_order)),
        "no_longer_isolated": named(sorted(isolated_a - isolated_b, key=_node_order)),
    }
