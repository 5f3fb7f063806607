"""The header links come from the apps' ``nav`` declarations, per persona, in a fixed order."""

import re

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = [
    ("/", "Map"),
    ("/hubs/", "Hubs"),
    ("/organisations/", "Organisations"),
    ("/events/", "Events"),
    ("/participate/", "Have your say"),
    ("/library/", "Library"),
    ("/synergies/", "Synergies"),
    ("/api/v1/docs", "API"),
]
# Signed-in people also see the network of support, between Events and Have your say, and their
# API tokens after the API.
SIGNED_IN = [
    *PUBLIC[:4],
    ("/exchange/", "Support network"),
    *PUBLIC[4:],
    ("/accounts/tokens/", "API tokens"),
]

# The account's own language (issue #17), before Sign out.
YOUR_LANGUAGE = ("/accounts/language/", "Your language")


def header_links(client):
    html = client.get("/").content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', nav)


def test_anonymous_header(client):
    assert header_links(client) == [*PUBLIC, ("/accounts/login/?next=/", "Sign in")]


def test_member_header(client, make_user):
    client.force_login(make_user("member"))
    assert header_links(client) == [*SIGNED_IN, ("/assessment/", "Assessment"), YOUR_LANGUAGE]


def test_network_coordinator_header(client, make_user):
    client.force_login(make_user("secretariat", is_network_coordinator=True))
    assert header_links(client) == [
        *SIGNED_IN,
        ("/assessment/", "Assessment"),
        ("/continuity/network/", "Continuity"),
        ("/reports/network/", "Dashboard"),
        ("/admin/", "Admin"),
        YOUR_LANGUAGE,
    ]


def test_header_labels_are_translated(client):
    client.cookies["django_language"] = "fr"
    links = dict(header_links(client))
    assert links["/"] == "Carte" and links["/events/"] == "Événements"


def test_the_footer_links_the_consortium_and_the_open_data(client):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="/consortium/"' in footer and 'href="/reports/open-data/"' in footer
