"""The network figures on small hand-made graphs, compared with values computed by hand."""

from datetime import date

import pytest

from echos.engagement import graph
from echos.engagement.graph import GraphInput, HubRow, OrgRow, RecordRow


def two_cliques() -> GraphInput:
    """Organisations 1-4 all tied to each other, 5-8 likewise, and one tie 4-5."""
    data = GraphInput(orgs={i: OrgRow(i, f"Org {i}", "NO", "research") for i in range(1, 9)})
    for block in ((1, 2, 3, 4), (5, 6, 7, 8)):
        data.relationships += [(a, b, "partners_with") for a in block for b in block if a < b]
    data.relationships.append((4, 5, "funds"))
    return data


def test_betweenness_of_two_cliques_matches_the_hand_computed_values():
    g = graph.build_graph(two_cliques())
    m = graph.measure(g)
    # Organisation 4 lies on every shortest path between {1, 2, 3} and {5, 6, 7, 8}: 3 x 4 = 12
    # pairs; normalised for 8 nodes, 12 x 2 / (7 x 6) = 4/7. Organisation 5 likewise; the others
    # lie on no shortest path between two other nodes.
    assert m.betweenness["org:4"] == pytest.approx(4 / 7)
    assert m.betweenness["org:5"] == pytest.approx(4 / 7)
    assert all(m.betweenness[f"org:{i}"] == 0 for i in (1, 2, 3, 6, 7, 8))
    assert m.degree["org:4"] == 4 and m.degree["org:1"] == 3
    assert m.degree_centrality["org:4"] == pytest.approx(4 / 7)
    assert m.exact_betweenness


def test_communities_of_two_cliques_are_the_two_cliques():
    g = graph.build_graph(two_cliques())
    m = graph.measure(g)
    assert m.communities == 2
    first = {m.community[f"org:{i}"] for i in (1, 2, 3, 4)}
    second = {m.community[f"org:{i}"] for i in (5, 6, 7, 8)}
    assert len(first) == 1 and len(second) == 1 and first != second
    # The single tie between the two cliques is the only bridge edge.
    assert m.bridge_edges == 1


def test_brokers_are_ranked_by_betweenness_then_id_and_exclude_zero():
    m = graph.measure(graph.build_graph(two_cliques()))
    assert m.brokers == ["org:4", "org:5"]


def two_countries() -> GraphInput:
    """Hub 1 (Norway) with members 1, 2, 5; hub 2 (Portugal) with members 3, 5; a Norwegian
    record with organisation 1; organisation 4 engaged by the Portuguese hub's record only."""
    return GraphInput(
        orgs={i: OrgRow(i, f"Org {i}", "NO", "patients") for i in range(1, 6)},
        hubs={1: HubRow(1, "Norway", "NO", "national"), 2: HubRow(2, "Portugal", "PT", "national")},
        records=[
            RecordRow(10, "Workshop", date(2025, 3, 1), 1, "involve"),
            RecordRow(11, "Survey", date(2025, 4, 1), 2, "consult"),
        ],
        memberships=[(1, 1), (2, 1), (5, 1), (3, 2), (5, 2)],
        participations=[(1, 10), (4, 11), (4, 10)],
    )


def test_bridges_are_organisations_tied_to_hubs_of_two_countries():
    m = graph.measure(graph.build_graph(two_countries()))
    # 5 is a member of both hubs; 4 took part in a record of each.
    assert m.bridges == ["org:4", "org:5"]


def test_isolated_are_answerable_organisations_with_no_engagement():
    m = graph.measure(graph.build_graph(two_countries()), answerable=[1, 2, 5, 99])
    # 1 took part in a record; 2 and 5 are only members; 99 is not in the graph.
    assert m.isolated == ["org:2", "org:5"]


def test_an_organisation_of_the_register_with_no_tie_is_an_isolated_node():
    data = two_countries()
    data.orgs[7] = OrgRow(7, "Register only", "NO", "media")
    g = graph.build_graph(data)
    assert g.degree["org:7"] == 0
    assert "org:7" in graph.measure(g, answerable=[7]).isolated


def test_folded_records_become_weighted_engagement_edges():
    data = two_countries()
    data.records, data.participations = [], []
    data.engagements = [(1, 1, 3), (4, 2, 2)]
    g = graph.build_graph(data)
    assert g.edges["org:1", "hub:1"] == {"kind": "membership;engagement", "weight": 4}
    assert g.edges["org:4", "hub:2"]["weight"] == 2
    assert graph.measure(g, answerable=[1, 2]).isolated == ["org:2"]


def test_compare_names_who_entered_and_left_the_brokers_and_who_became_isolated():
    a = {
        "summary": {"nodes": 5, "edges": 4, "communities": 2},
        "nodes": {"org:1": {"label": "One"}, "org:2": {"label": "Two"}},
        "brokers": ["org:1"],
        "isolated": ["org:3"],
    }
    b = {
        "summary": {"nodes": 7, "edges": 4, "communities": 1},
        "nodes": {"org:2": {"label": "Two"}, "org:4": {"label": "Four"}},
        "brokers": ["org:2"],
        "isolated": ["org:4"],
    }
    out = graph.compare(a, b)
    assert out["entered_brokers"] == [{"id": "org:2", "label": "Two"}]
    assert out["left_brokers"] == [{"id": "org:1", "label": "One"}]
    assert out["newly_isolated"] == [{"id": "org:4", "label": "Four"}]
    assert out["no_longer_isolated"] == [{"id": "org:3", "label": "org:3"}]
    nodes = next(r for r in out["summary"] if r["measure"] == "nodes")
    assert nodes == {"measure": "nodes", "a": 5, "b": 7, "change": 2}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sparse_betweenness_equals_networkx_exactly_and_with_the_same_sample(seed):
    import networkx as nx

    g = nx.relabel_nodes(nx.gnm_random_graph(60, 90, seed=seed), lambda i: f"org:{i}")
    g.add_node("org:999")  # an isolated node, and the graph is usually disconnected
    exact = nx.betweenness_centrality(g, normalized=True)
    assert graph.sampled_betweenness(g, None, batch=7) == pytest.approx(exact, abs=1e-9)
    sampled = nx.betweenness_centrality(g, k=12, normalized=True, seed=graph.SEED)
    assert graph.sampled_betweenness(g, 12) == pytest.approx(sampled, abs=1e-9)


def test_large_graphs_use_the_sampled_estimate(monkeypatch):
    monkeypatch.setattr(graph, "EXACT_BETWEENNESS_NODES", 4)
    m = graph.measure(graph.build_graph(two_cliques()))
    assert not m.exact_betweenness
    assert m.betweenness["org:4"] == pytest.approx(4 / 7)  # 8 pivots of 8 nodes: every source


def test_large_graphs_find_communities_by_label_propagation(monkeypatch):
    monkeypatch.setattr(graph, "LOUVAIN_MAX_NODES", 4)
    m = graph.measure(graph.build_graph(two_cliques()))
    assert m.communities >= 1 and set(m.community) == {f"org:{i}" for i in range(1, 9)}
    assert m.community["org:1"] == m.community["org:2"] == m.community["org:3"]
