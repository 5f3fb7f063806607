"""Signed-in pages without a query-count cliff, and the cached maturity aggregates behind them.

The network view, the mapping analysis, a hub's maturity page, an event's check-in list and the
gap dashboard for a country run the same number of queries with generated data of two sizes, on
the first request after a write (the aggregates computed) and on the next (read from the cache).
The aggregates are cached per data version: a submitted assessment shows on the next request,
and which peers a user may see named is decided per user after the cache (the denied twin).
"""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from echos.assessment import benchmarks, cached, services
from echos.core import pagecache
from echos.events.models import Event
from echos.site.generate import generate
from tests.scale import SEED, SIZES, wipe


def settle() -> None:
    """Bump the topics of writes made in the test's transaction, as their commit would."""
    pending = connections[DEFAULT_DB_ALIAS].__dict__.get("_echos_pagecache")
    if pending is not None:
        pending.flush()


@pytest.fixture(autouse=True)
def fresh_aggregates():
    """No aggregate kept from another test (whose rows were rolled back without a bump)."""
    cached.clear_local()
    pagecache.bump_all()
    yield
    cached.clear_local()
    pagecache.bump_all()


@pytest.fixture
def builds(monkeypatch):
    """How many times every hub's latest scores were read from the database."""
    calls = []
    original = benchmarks.latest_scores

    def counted():
        calls.append(1)
        return original()

    monkeypatch.setattr(benchmarks, "latest_scores", counted)
    return calls


def busiest_event() -> Event:
    return Event.objects.annotate(n=Count("registrations")).order_by("-n", "pk").first()


def pages() -> dict[str, str]:
    from echos.hubs.models import Hub

    return {
        "network view": "/assessment/network/",
        "mapping analysis": "/assessment/mapping/",
        "hub maturity page": f"/assessment/hubs/{Hub.objects.national().get(country_id='DE').pk}/",
        "check-in list": f"/events/{busiest_event().pk}/participants/",
        "gap dashboard for a country": "/events/gap/?country=DE",
    }


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def test_query_counts_of_signed_in_pages_do_not_grow_with_data(db, make_user):
    user = make_user("secretariat-scale", is_network_coordinator=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    measured = []
    for size in SIZES:
        wipe()
        generate(scale="small", seed=SEED, **size)
        settle()
        cached.clear_local()
        urls = pages()
        for url in urls.values():
            client.get(url)  # caches that fill once whatever the data (translations, types)
        pagecache.bump_all()  # as a write would: the next request recomputes every aggregate
        cold = {page: count(client, url) for page, url in urls.items()}
        warm = {page: count(client, url) for page, url in urls.items()}
        measured.append((cold, warm))
    (small_cold, small_warm), (large_cold, large_warm) = measured
    assert small_cold == large_cold
    assert small_warm == large_warm
    # Warm, the network view reads no scores: the session, the user and the data version only.
    assert small_warm["network view"] < small_cold["network view"]


def submit(actor, instrument, hub, level_answers, public: bool) -> None:
    response = services.start_response(actor=actor, instrument=instrument, hub=hub)
    services.submit_response(
        actor=actor, response=response, answers=level_answers, is_public=public
    )


def test_a_submitted_assessment_shows_on_the_next_request(
    instruments, hubs, personas, login, levels_answers, builds, django_capture_on_commit_callbacks
):
    network = personas["network"]
    submit(network, instruments["maturity"], hubs["norway"], levels_answers(2), True)
    settle()
    client = login(network)
    first = client.get("/assessment/network/").content.decode()
    assert "Hub Norway</a></th>" in first and "Hub Portugal</a></th>" not in first
    assert len(builds) == 1
    again = client.get("/assessment/network/").content.decode()
    assert len(builds) == 1 and "Hub Portugal</a></th>" not in again  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        submit(network, instruments["maturity"], hubs["portugal"], levels_answers(4), False)
    same_page = client.get("/assessment/network/").content.decode()
    assert len(builds) == 2 and "Hub Portugal</a></th>" in same_page  # rows rendered anew
    after = client.get("/assessment/network/?sort=overall").content.decode()
    assert after.index("Hub Portugal</a></th>") < after.index("Hub Norway</a></th>")
    hub_page = client.get(f"/assessment/hubs/{hubs['portugal'].pk}/").content.decode()
    assert "Overall score <strong>4.0</strong>" in hub_page
    assert len(builds) == 2  # the hub page reads the same cached scores


def test_a_peer_private_to_one_viewer_is_never_named_to_another_from_the_cache(
    instruments, hubs, personas, login, levels_answers, builds
):
    network = personas["network"]
    submit(network, instruments["maturity"], hubs["norway"], levels_answers(1), True)
    submit(network, instruments["maturity"], hubs["portugal"], levels_answers(5), False)
    settle()
    url = f"/assessment/hubs/{hubs['norway'].pk}/"
    seen_by_network = login(network).get(url).content.decode()
    assert "Hubs strong in this dimension" in seen_by_network
    assert "National Cancer Hub Portugal" in seen_by_network
    assert len(builds) == 1
    # The same cached scores, filtered for each viewer: Portugal's are private to its team.
    for viewer in ("coord_no", "member_no", "anonymous"):
        body = login(personas[viewer]).get(url)
        assert body.status_code == 200, viewer
        assert "National Cancer Hub Portugal" not in body.content.decode(), viewer
    assert len(builds) == 1
    # Portugal's own coordinator sees its page; Norway's may not open it.
    assert (
        login(personas["coord_pt"]).get(f"/assessment/hubs/{hubs['portugal'].pk}/").status_code
        == 200
    )
    assert (
        login(personas["coord_no"]).get(f"/assessment/hubs/{hubs['portugal'].pk}/").status_code
        == 403
    )


@pytest.mark.parametrize("viewer", ["anonymous", "member_no", "coord_no", "coord_pt"])
def test_network_pages_stay_closed_to_everyone_but_the_network(
    instruments, hubs, personas, login, levels_answers, viewer
):
    submit(personas["network"], instruments["maturity"], hubs["norway"], levels_answers(3), True)
    settle()
    assert login(personas["network"]).get("/assessment/network/").status_code == 200
    client = login(personas[viewer])
    for url in ("/assessment/network/", "/assessment/mapping/", "/assessment/network/maturity.csv"):
        response = client.get(url)
        assert response.status_code in (302, 403), (viewer, url)
        assert "Cancer Mission Hub Norway" not in response.content.decode()


def test_unknown_sort_and_question_add_no_cache_entry(instruments, hubs, personas, login):
    client = login(personas["network"])
    settle()
    client.get("/assessment/network/")
    client.get("/assessment/mapping/")
    kept = len(cached._local)
    for n in range(5):
        assert client.get(f"/assessment/network/?sort=x{n}").status_code == 200
        assert client.get(f"/assessment/mapping/?question=x{n}").status_code == 200
    assert len(cached._local) == kept


def test_the_history_shows_each_dimensions_change(
    instruments, hubs, personas, login, levels_answers
):
    network = personas["network"]
    submit(network, instruments["maturity"], hubs["norway"], levels_answers(2), True)
    submit(network, instruments["maturity"], hubs["norway"], levels_answers({"funding": 4}), True)
    page = login(personas["coord_no"]).get(f"/assessment/hubs/{hubs['norway'].pk}/")
    history = page.content.decode().split("<tbody>")[-1].split("</tbody>")[0]
    # Every dimension went from 2 to 3, funding from 2 to 4.
    assert history.count("<small>(+1)</small>") == 7 and history.count("<small>(+2)</small>") == 1


def test_a_submitted_mapping_survey_shows_on_the_next_request(
    instruments, hubs, personas, login, django_capture_on_commit_callbacks
):
    import random

    from echos.assessment.models import Response
    from echos.assessment.synthetic import answers_for
    from echos.core.models import Country
    from echos.core.reference import vocabulary_codes

    rng = random.Random(1)

    def survey(code: str) -> None:
        response = Response.objects.create(
            instrument=instruments["mapping"],
            country=Country.objects.get(pk=code),
            answers=answers_for(instruments["mapping"].definition, rng, options=vocabulary_codes()),
        )
        services.submit_response(actor=None, response=response)

    for code in ("FR", "DE", "IT"):
        survey(code)
    settle()
    client = login(personas["network"])
    url = "/assessment/mapping/?question=legal_form"
    assert "mapping surveys of 3 countries" in client.get(url).content.decode()
    assert "mapping surveys of 3 countries" in client.get(url).content.decode()  # cached
    with django_capture_on_commit_callbacks(execute=True):
        survey("SE")
    assert "mapping surveys of 4 countries" in client.get(url).content.decode()
