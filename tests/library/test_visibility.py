"""Visibility: a network-only or hub-only resource never appears to others, in the list, in
search, on its page, in its downloads and in the API; each allowed reader has a denied twin."""

import pytest

from echos.library.models import Resource
from echos.library.search import browse, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def resources(personas, hubs, make_resource):
    """One public, one network-only and one Norway-team-only resource, all about 'navigation'."""
    return {
        "public": make_resource("Public navigation guide", visibility="public"),
        "network": make_resource("Network navigation guide", visibility="network"),
        "hub": make_resource("Norway navigation guide", visibility="hub", hub=hubs["norway"]),
    }


# Who sees what: the anonymous public only public; any signed-in member also network; the
# Norway team (any role, and coordinators above) also the Norway-only one; the network all.
EXPECTED = {
    "anonymous": {"public"},
    "coord_pt": {"public", "network"},
    "member_no": {"public", "network", "hub"},
    "editor_no": {"public", "network", "hub"},
    "coord_no": {"public", "network", "hub"},
    "network": {"public", "network", "hub"},
}


def _names(resources, found) -> set[str]:
    by_pk = {r.pk: name for name, r in resources.items()}
    return {by_pk[r.pk] for r in found}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_list_and_search(personas, resources, who):
    user = personas[who]
    assert _names(resources, Resource.objects.visible_to(user)) == EXPECTED[who]
    assert _names(resources, browse(user=user)) == EXPECTED[who]
    hits = search("navigation", user=user).results
    assert _names(resources, [h.resource for h in hits]) == EXPECTED[who]


@pytest.mark.parametrize("who", list(EXPECTED))
def test_pages_and_downloads(personas, resources, login, who):
    client = login(personas[who])
    listing = client.get("/library/", {"q": "navigation"}).content.decode()
    plain = client.get("/library/").content.decode()
    for name, resource in resources.items():
        status = client.get(f"/library/{resource.pk}/").status_code
        link = client.get(f"/library/{resource.pk}/open/").status_code
        if name in EXPECTED[who]:
            assert status == 200 and link == 302
            assert resource.title in listing and resource.title in plain
        else:
            assert status == 404 and link == 404
            assert resource.title not in listing and resource.title not in plain


@pytest.mark.parametrize("who", list(EXPECTED))
def test_api(personas, resources, token_client, who):
    client = token_client(personas[who])
    listed = client.get("/api/v1/resources").json()
    searched = client.get("/api/v1/resources", {"q": "navigation"}).json()
    for name, resource in resources.items():
        visible = name in EXPECTED[who]
        assert (resource.pk in [i["id"] for i in listed["items"]]) is visible
        assert (resource.pk in [i["id"] for i in searched["items"]]) is visible
        assert client.get(f"/api/v1/resources/{resource.pk}").status_code == (
            200 if visible else 404
        )


def test_a_hub_coordinator_above_sees_the_regional_team_resource(personas, hubs, make_resource):
    vestland = make_resource("Vestland only", visibility="hub", hub=hubs["vestland"])
    assert vestland in Resource.objects.visible_to(personas["coord_no"])
    assert vestland not in Resource.objects.visible_to(personas["member_no"])
    assert vestland not in Resource.objects.visible_to(personas["coord_pt"])


def test_the_uploader_always_sees_their_own(personas, hubs, make_resource):
    own = make_resource("Mine", actor=personas["coord_no"], visibility="hub", hub=hubs["norway"])
    from echos.hubs.models import HubRole

    HubRole.objects.filter(user=personas["coord_no"]).delete()
    personas["coord_no"].__dict__.pop("_echos_hub_roles", None)
    assert own in Resource.objects.visible_to(personas["coord_no"])


def test_translations_of_a_hidden_resource_are_not_named(personas, hubs, make_resource):
    public = make_resource("Guide on equity", language="en")
    make_resource(
        "Guia sobre equidade",
        language="pt",
        translation_of=public,
        visibility="hub",
        hub=hubs["norway"],
    )
    hit = search("equity", user=None).results[0]
    assert hit.translations == []
    hit = search("equity", user=personas["member_no"], prefer_language="en").results[0]
    assert [t.language for t in hit.translations] == ["pt"]
