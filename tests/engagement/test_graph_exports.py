"""GEXF and GraphML exports, read back by networkx: the same nodes, ties and figures, and nothing
about people (names, e-mails), register notes or influence scores."""

import io
from datetime import timedelta

import networkx as nx
import pytest
from django.urls import reverse
from django.utils import timezone

from echos.engagement import graph, network_views
from echos.engagement.models import Relationship, Stakeholder

READERS = {"gexf": nx.read_gexf, "graphml": nx.read_graphml}


def hand_made() -> graph.GraphInput:
    data = graph.GraphInput(
        orgs={1: graph.OrgRow(1, "Patients' league", "NO", "patients"),
              2: graph.OrgRow(2, "Cancer institute", "PT", "research")},
        hubs={7: graph.HubRow(7, "Hub Norway", "NO", "national")},
        records=[graph.RecordRow(3, "Workshop", timezone.localdate(), 7, "involve")],
        memberships=[(1, 7)],
        participations=[(1, 3), (2, 3)],
        relationships=[(1, 2, "funds"), (2, 1, "partners_with")],
    )  # fmt: skip
    return data


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_reads_back_with_the_same_nodes_edges_and_figures(fmt):
    g = graph.build_graph(hand_made())
    m = graph.measure(g, answerable=[1])
    back = READERS[fmt](io.BytesIO(graph.export(g, m, fmt)))
    assert set(back.nodes) == set(g.nodes) == {"org:1", "org:2", "hub:7", "rec:3"}
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in g.edges}
    for node, data in g.nodes(data=True):
        got = back.nodes[node]
        assert got["kind"] == data["kind"]
        assert got.get("label", node) == data["label"]
        assert int(got["degree"]) == m.degree[node]
        assert float(got["betweenness"]) == pytest.approx(m.betweenness[node], abs=1e-6)
        assert int(got["community"]) == m.community[node]
    assert back.nodes["org:2"]["country"] == "PT" and back.nodes["rec:3"]["level"] == "involve"
    # Two relationships between the same two organisations: one tie with both kinds.
    tie = back.edges["org:1", "org:2"]
    assert tie["kind"] == "relationship:funds;relationship:partners_with"
    assert int(tie["weight"]) == 2


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_exports_of_a_hub_carry_no_personal_or_register_data(
    fmt, hubs, personas, make_record, terms, login, tmp_path
):
    Stakeholder.objects.create(
        hub=hubs["norway"], organisation=hubs["ncs"], group=terms["patients"], influence=4,
        interest=5, owner=personas["coord_no"], notes="Call back after the summer",
    )  # fmt: skip
    Relationship.objects.create(
        source=hubs["occ"], target=hubs["ncs"], kind="funds", hub=hubs["norway"],
        source_note="Annual report", created_by=personas["coord_no"],
    )  # fmt: skip
    make_record(date=timezone.localdate() - timedelta(days=3))
    # The team's view (which holds the register) is the one most at risk of leaking.
    page = login(personas["coord_no"]).get(
        reverse("engagement:network_export_hub", args=[hubs["norway"].pk, fmt])
    )
    text = page.content.decode()
    for secret in ("Call back", "Test Contact", "contact@example.invalid", "Member person",
                   "coordinator-no", "influence", "interest", "notes", "owner", "Annual report"):  # fmt: skip
        assert secret not in text, secret
    path = tmp_path / f"network.{fmt}"
    path.write_bytes(page.content)
    back = READERS[fmt](path)
    kinds = {d["kind"] for _n, d in back.nodes(data=True)}
    assert kinds <= {"organisation", "hub", "record"}
    allowed = {"kind", "label", "country", "group", "level", "date", "degree", "betweenness",
               "community"}  # fmt: skip
    for _n, d in back.nodes(data=True):
        assert set(d) <= allowed | {"id"}, d
    assert {f"org:{hubs['occ'].pk}", f"org:{hubs['ncs'].pk}"} <= set(back.nodes)


def test_the_export_holds_what_the_page_shows(hubs, make_record, login, tmp_path):
    make_record(date=timezone.localdate() - timedelta(days=3))
    today = timezone.localdate()
    filters = network_views.parse_filters(today=today)
    m = network_views.network_map(user=None, hub=hubs["norway"], filters=filters)
    page = login(None).get(
        reverse("engagement:network_export_hub", args=[hubs["norway"].pk, "gexf"])
    )
    path = tmp_path / "n.gexf"
    path.write_bytes(page.content)
    back = nx.read_gexf(path)
    assert set(back.nodes) == {r["id"] for r in m.rows()}
    assert back.number_of_edges() == len(m.edges())
