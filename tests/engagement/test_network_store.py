"""Large network maps are never built in a request: the page, the API and the exports answer from
the stored result of the background job (its age shown), and many visitors queue one job."""

from datetime import timedelta

import networkx as nx
import pytest
from django.urls import reverse
from django.utils import timezone

from echos.engagement import graph, network_store, network_tasks
from echos.engagement import network_views as nv
from echos.engagement.models import NetworkResult, NetworkSnapshot
from tests.engagement import test_network_pages as pages

network = pages.network  # the fixture: two hubs' records, a relationship, a register entry
url = pages.url

API = "/api/v1/engagement-network"


@pytest.fixture
def small_limit(settings, tmp_path):
    """Every selection of the test data is "large"; stored files go to a fresh directory."""
    settings.ECHOS_NETWORK_INLINE_MAX_NODES = 3
    settings.DATA_DIR = tmp_path
    return settings


class Jobs(list):
    """Keys of the queued jobs; ``run`` is the worker (after the requests: graphs allowed)."""

    def __init__(self, restore):
        super().__init__()
        self.restore = restore

    def run(self) -> None:
        self.restore()
        for key in dict.fromkeys(self):
            assert network_store.compute(key)


@pytest.fixture
def queued(monkeypatch):
    """Jobs are recorded instead of run, and any graph built meanwhile fails the test."""
    build = graph.build_graph

    def refuse(data):
        raise AssertionError("a large graph was built in the request")

    jobs = Jobs(lambda: monkeypatch.setattr(graph, "build_graph", build))
    monkeypatch.setattr(network_store, "enqueue", jobs.append)
    monkeypatch.setattr(graph, "build_graph", refuse)
    return jobs


def test_over_the_limit_the_page_answers_from_the_stored_result(
    hubs, network, small_limit, queued, login
):
    client = login(None)
    first = client.get(url())
    assert first.status_code == 200
    html = first.content.decode()
    assert 'id="network-pending"' in html and 'id="network-table"' not in html
    assert len(queued) == 1
    # A hundred visitors (and the API and the export) queue no second job.
    for _ in range(3):
        assert 'id="network-pending"' in client.get(url()).content.decode()
    assert client.get(API).status_code == 202
    export = client.get(reverse("engagement:network_export", args=["gexf"]))
    assert export.status_code == 503 and export["Retry-After"] == "60"
    assert len(queued) == 1
    row = NetworkResult.objects.get(key=queued[0])
    assert row.computed_at is None and row.queued_at is not None and row.hub is None

    queued.run()  # the worker
    row.refresh_from_db()
    assert row.computed_at is not None and row.queued_at is None and row.nodes > 3
    html = client.get(url()).content.decode()
    assert 'id="network-stored"' in html and "computed" in html and "ago" in html
    assert 'id="network-pending"' not in html and 'id="network-table"' in html
    assert "Patients&#x27; dialogue" in html and "AICIB" in html
    assert NetworkResult.objects.count() == 1


def test_the_api_and_the_exports_serve_the_stored_result(
    hubs, network, small_limit, queued, token_client, tmp_path
):
    client = token_client(None)
    assert client.get(API).status_code == 202
    queued.run()
    body = client.get(API, {"limit": 2}).json()
    assert body["computed_at"] and not body["refreshing"]
    assert len(body["nodes"]) == 2 and body["node_count"] > 2
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])
    assert "AICIB" in {b["label"] for b in client.get(API).json()["bridges"]}
    for fmt, reader in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        for r in (
            client.get(f"{API}/export/{fmt}"),
            client.get(reverse("engagement:network_export", args=[fmt])),
        ):
            assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
            path = tmp_path / f"read.{fmt}"
            path.write_bytes(b"".join(r.streaming_content))  # streamed from the stored file
            labels = {d["label"] for _n, d in reader(path).nodes(data=True)}
            assert {"Research round table", "AICIB"} <= labels
            assert "Register-only broadcaster" not in labels


def test_stored_pages_of_the_api_equal_the_pages_computed_inline(
    hubs, network, small_limit, token_client, settings
):
    client = token_client(None)
    for offset, limit in ((0, 1000), (2, 3), (5, 4), (1000, 5)):
        settings.ECHOS_NETWORK_INLINE_MAX_NODES = 3
        stored = client.get(API, {"offset": offset, "limit": limit}).json()
        settings.ECHOS_NETWORK_INLINE_MAX_NODES = 300
        inline = client.get(API, {"offset": offset, "limit": limit}).json()
        assert stored.pop("computed_at") and inline.pop("computed_at") is None
        assert stored == inline, (offset, limit)
    assert NetworkResult.objects.count() == 1


def test_a_write_shows_after_the_job_and_the_result_says_its_age(
    hubs, network, small_limit, make_record, login
):
    """Tasks run at once in tests: the visit that queues the job reads its result back."""
    client = login(None)
    html = client.get(url()).content.decode()
    assert "Patients&#x27; dialogue" in html and "Late addition" not in html
    make_record(title="Late addition", date=timezone.localdate() - timedelta(days=3))
    # Fresh: the stored result is shown, the new record not yet.
    assert "Late addition" not in client.get(url()).content.decode()
    row = NetworkResult.objects.get()
    NetworkResult.objects.update(computed_at=row.computed_at - timedelta(hours=2))
    html = client.get(url()).content.decode()
    assert "Late addition" in html
    row.refresh_from_db()
    assert timezone.now() - row.computed_at < timedelta(minutes=5)


def test_register_entries_are_stored_apart_from_the_public_map(
    hubs, network, small_limit, personas, login
):
    assert "Register-only broadcaster" in login(personas["network"]).get(url()).content.decode()
    public = login(None).get(url()).content.decode()
    assert 'id="network-table"' in public and "Register-only broadcaster" not in public
    assert sorted(NetworkResult.objects.values_list("with_register", flat=True)) == [False, True]


def test_small_selections_are_computed_in_the_request(hubs, network, login, settings):
    settings.ECHOS_NETWORK_INLINE_MAX_NODES = 300
    html = login(None).get(url(hubs["norway"])).content.decode()
    assert 'id="network-data"' in html and 'id="network-stored"' not in html
    assert not NetworkResult.objects.exists()


def test_a_hub_over_the_limit_is_stored_too(hubs, network, small_limit, queued, login):
    assert 'id="network-pending"' in login(None).get(url(hubs["norway"])).content.decode()
    assert NetworkResult.objects.get().hub == hubs["norway"]


def test_one_claim_per_queued_job(hubs, network, small_limit, queued):
    f = nv.parse_filters(today=timezone.localdate())
    row = network_store._row(None, f, with_register=False)
    assert network_store.queue_once(row) is True
    assert network_store.queue_once(row) is False
    # A job that never finished may be queued again after QUEUE_TIMEOUT.
    NetworkResult.objects.update(queued_at=timezone.now() - network_store.QUEUE_TIMEOUT * 2)
    assert network_store.queue_once(row) is True
    assert len(queued) == 2


def test_at_most_a_few_selections_wait_for_the_worker(hubs, network, small_limit, queued):
    today = timezone.localdate()
    rows = [
        network_store._row(None, nv.parse_filters(today=today - timedelta(days=i)),
                           with_register=False)
        for i in range(network_store.MAX_QUEUED + 1)
    ]  # fmt: skip
    assert [network_store.queue_once(r) for r in rows] == [True] * network_store.MAX_QUEUED + [
        False
    ]
    queued.run()
    assert network_store.queue_once(rows[-1]) is True


def test_nightly_task_computes_the_whole_network(hubs, network, small_limit):
    f = nv.parse_filters(today=timezone.localdate() - timedelta(days=30))
    old = network_store._row(None, f, with_register=False)
    network_store.compute(old.key)
    NetworkResult.objects.filter(pk=old.pk).update(computed_at=timezone.now() - timedelta(days=8))
    assert list(network_store.directory().glob(f"{old.key}.*"))
    assert network_tasks.nightly_network_map.call_local() == 2
    assert not NetworkResult.objects.filter(pk=old.pk).exists()  # unused for a week: pruned
    assert not list(network_store.directory().glob(f"{old.key}.*"))
    rows = NetworkResult.objects.all()
    assert len(rows) == 2 and all(r.computed_at and r.hub is None for r in rows)
    f = nv.parse_filters(today=timezone.localdate())
    assert {r.period_end for r in rows} == {f.end}


def test_compare_and_snapshot_over_the_limit_use_the_stored_results(
    hubs, network, small_limit, queued, personas, login
):
    client = login(personas["network"])
    today = timezone.localdate()
    compare = reverse("engagement:network_compare")
    periods = {
        "a_start": today - timedelta(days=900), "a_end": today - timedelta(days=400),
        "b_start": today - timedelta(days=365), "b_end": today,
    }  # fmt: skip
    assert 'id="network-pending"' in client.get(compare, periods).content.decode()
    post = reverse("engagement:network_snapshot")
    client.post(post, {"start": today - timedelta(days=365), "end": today, "label": "Year"})
    assert not NetworkSnapshot.objects.exists()  # refused while being computed
    queued.run()
    page = client.get(compare, periods)
    assert page.status_code == 200 and 'id="network-pending"' not in page.content.decode()
    client.post(post, {"start": today - timedelta(days=365), "end": today, "label": "Year"})
    snap = NetworkSnapshot.objects.get()
    assert snap.metrics["summary"]["records_in_period"] == 3
