"""The peers page and the Europe-wide pairing page: who sees what (with the denied twin of every
allowed case), and a number of queries that does not grow with the registry."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from echos.core.models import Country
from echos.hubs.models import Hub
from tests.exchange import test_peers

# The fixtures of the suggestion tests, shared.
maturity, assess, network_of_two = test_peers.maturity, test_peers.assess, test_peers.network_of_two

pytestmark = pytest.mark.django_db

ROLES = ["network", "coord_no", "coord_pt", "editor_no", "member_no", "anonymous"]
NORWAY_TEAM = {"network", "coord_no", "editor_no", "member_no"}


def section(html: str, name: str) -> str:
    """The part of the page from ``<section id="name">`` to the next section."""
    start = html.find(f'<section id="{name}">')
    if start < 0:
        return ""
    end = html.find("</section>", start)
    return html[start:end]


@pytest.mark.parametrize("role", ROLES)
def test_peers_page_shows_maturity_only_to_who_may_see_it(network_of_two, personas, login, role):
    hubs, _portugal = network_of_two  # both private
    response = login(personas[role]).get(reverse("exchange:peers", args=[hubs["norway"].pk]))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == 200
    html = response.content.decode()
    learn = section(html, "learn-from")
    if role in NORWAY_TEAM:
        assert 'id="maturity-private"' not in html
        assert "Hubs you can learn from" in learn
    else:
        # Portugal's coordinator may not see Norway's private results: nothing compared.
        assert 'id="maturity-private"' in html
        assert learn == "" and "they 5, you 2" not in html
    if role == "network":
        # Portugal's private results are the network's to see: named, with its numbers.
        assert "National Cancer Hub Portugal" in learn and "they 5, you 2" in learn
    else:
        # Denied twin: Norway's team may not see Portugal's private results, so Portugal is
        # never named as strong; it appears only as similar in context, without numbers.
        assert "National Cancer Hub Portugal" not in learn
        assert "National Cancer Hub Portugal" in section(html, "similar")


def test_public_peer_is_named_to_the_hubs_team(network_of_two, personas, login):
    hubs, portugal = network_of_two
    portugal.is_public = True
    portugal.save()
    html = (
        login(personas["member_no"])
        .get(reverse("exchange:peers", args=[hubs["norway"].pk]))
        .content.decode()
    )
    learn = section(html, "learn-from")
    assert "National Cancer Hub Portugal" in learn
    assert "they 5, you 2 (+3, counted twice" in learn
    assert "What they can learn from you" in learn
    assert "Both work in English." in learn


def test_unknown_hub_is_404(personas, login):
    assert login(personas["network"]).get("/exchange/hubs/999999/peers/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_europe_pairing_is_for_the_network(network_of_two, personas, login, role):
    response = login(personas[role]).get(reverse("exchange:pairing"))
    if role == "network":
        assert response.status_code == 200
        html = response.content.decode()
        assert "total benefit" in html and 'id="pairs"' in html
        # Norway (governance 5) mentors Portugal, weakest in governance (1): 2 × 4; Portugal mentors
        # Norway: funding 2 × 3 and 2 × 1 on six other dimensions, Norway's weakest all (2).
        assert "Mentor: Cancer Mission Hub Norway (Norway). Benefit 8." in html
        assert "Mentor: National Cancer Hub Portugal (Portugal). Benefit 18." in html
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def grow(n: int, assess) -> Hub:
    """``n`` launched national-level hubs with private assessments across a few countries."""
    countries = list(Country.objects.order_by("code")[:6])
    made = Hub.objects.bulk_create(
        [
            Hub(
                country=countries[i % len(countries)],
                level="national" if i % 3 == 0 else "regional",
                name=f"Generated hub {i}",
                name_en=f"Generated hub {i}",
                stage="launched" if i % 2 else "operational",
                archetype="mixed",
            )
            for i in range(n)
        ]
    )
    for i, hub in enumerate(made):
        assess(hub, {"funding": 1 + i % 5, "governance": 1 + (i * 3) % 5}, public=i % 2 == 0)
    return made[0]


# Session, user, two-factor devices, the hub, contexts (2), scores (2), the model, the viewer's roles
# and the hubs below the ones they coordinate (one query per level of the tree: at most 3).
MAX_QUERIES = 20


def test_peers_page_queries_do_not_grow(
    network_of_two, assess, personas, login, django_assert_max_num_queries
):
    client = login(personas["coord_no"])
    url = reverse("exchange:peers", args=[network_of_two[0]["norway"].pk])
    counts = []
    for n in (10, 60):
        grow(n, assess)
        client.get(url)  # warm the caches that fill once
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_pairing_is_read_back_from_the_cache_until_an_assessment_changes(
    network_of_two, assess, personas, login, django_assert_max_num_queries
):
    client = login(personas["network"])
    first = section(client.get(reverse("exchange:pairing")).content.decode(), "pairs")
    with django_assert_max_num_queries(6):  # session, user, devices, the stamp: no pairing
        again = client.get(reverse("exchange:pairing")).content.decode()
    assert section(again, "pairs") == first and "Bergen hub" not in first
    assess(network_of_two[0]["bergen"], default=1)
    assert "Bergen hub" in client.get(reverse("exchange:pairing")).content.decode()


def test_pairing_page_queries_do_not_grow(
    network_of_two, assess, personas, login, django_assert_max_num_queries
):
    client = login(personas["network"])
    counts = []
    for n in (10, 60):
        grow(n, assess)
        client.get(reverse("exchange:pairing"))
        cache.clear()  # count the queries of computing the pairing, not of reading it back
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            assert client.get(reverse("exchange:pairing")).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
