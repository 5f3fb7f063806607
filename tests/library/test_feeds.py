"""The Atom feed of new public resources: valid Atom, filters, and never a non-public resource."""

from xml.etree import ElementTree as ET

import pytest

from echos.library.models import Resource, ResourceTag

ATOM = "{http://www.w3.org/2005/Atom}"


def make(title, *, language="en", type="guideline", visibility="public", hub=None, tags=()):
    resource = Resource.objects.create(
        title=title,
        description=f"About {title}.",
        language=language,
        type=type,
        visibility=visibility,
        hub=hub,
        url="https://example.org/doc",
    )
    for vocabulary, code in tags:
        ResourceTag.objects.create(resource=resource, vocabulary=vocabulary, code=code)
    return resource


def entries(client, query=""):
    response = client.get(f"/library/feed.atom{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


@pytest.fixture
def resources(hubs):
    return {
        "public": make("Funding guide", tags=[("dimensions", "funding")]),
        "pt": make("Guia de saúde", language="pt", type="training"),
        "network": make("Network draft", visibility="network"),
        "hub": make("Hub minutes", visibility="hub", hub=hubs["norway"]),
    }


def test_feed_is_valid_atom_with_required_elements(client, resources):
    root, items = entries(client)
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    assert items
    for entry in items:
        for name in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/library/")


def test_feed_lists_only_public_resources_whoever_asks(login, personas, resources):
    for user in (None, personas["member_no"], personas["coord_no"], personas["network"]):
        _root, items = entries(login(user))
        titles = {e.findtext(f"{ATOM}title") for e in items}
        assert titles == {"Funding guide", "Guia de saúde"}, user


def test_feed_filters_like_the_list(client, resources):
    _root, items = entries(client, "?language=pt")
    assert [e.findtext(f"{ATOM}title") for e in items] == ["Guia de saúde"]
    _root, items = entries(client, "?type=training")
    assert [e.findtext(f"{ATOM}title") for e in items] == ["Guia de saúde"]
    _root, items = entries(client, "?tag=dimensions:funding")
    assert [e.findtext(f"{ATOM}title") for e in items] == ["Funding guide"]
    _root, items = entries(client, "?tag_dimensions=funding")
    assert [e.findtext(f"{ATOM}title") for e in items] == ["Funding guide"]
    _root, items = entries(client, "?tag=dimensions:funding&language=pt")
    assert items == []


def test_network_resource_with_the_filtered_tag_is_still_not_in_the_feed(client, resources):
    ResourceTag.objects.create(
        resource=resources["network"], vocabulary="dimensions", code="funding"
    )
    _root, items = entries(client, "?tag=dimensions:funding")
    assert [e.findtext(f"{ATOM}title") for e in items] == ["Funding guide"]


@pytest.mark.parametrize(
    "query",
    ["?language=xx", "?type=novel", "?tag=colour:red", "?tag=dimensions:nonsense", "?tag=x"],
)
def test_unknown_filter_value_is_404_not_an_empty_feed(client, resources, query):
    assert client.get(f"/library/feed.atom{query}").status_code == 404


def test_control_characters_do_not_break_the_feed(client, db):
    make("Bad\x0btitle")
    _root, items = entries(client)
    assert items[0].findtext(f"{ATOM}title") == "Badtitle"
