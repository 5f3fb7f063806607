"""List filters behave the same everywhere and say what they ignored, in one notice (issue #16,
defects item 5): the hub directory, organisations, the calendar, proposals and the library."""

import re

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from echos.core import filters
from echos.hubs.forms import DirectoryFilterForm

pytestmark = pytest.mark.django_db

NOTICE = "These filters were not understood and are ignored: "


def notice(html: str) -> str:
    """The text of the one notice of a page ('' when there is none)."""
    found = re.findall(re.escape(NOTICE) + r"([^<]*)\.", html)
    assert len(found) <= 1, found
    return found[0] if found else ""


def test_helpers_name_parameters_and_values():
    params = QueryDict("country=XX&colour=red&page=2&q=")
    assert filters.unknown_parameters(params, ["country", "q"]) == ["colour=red"]
    assert filters.ignored_item("q", "x" * 100) == "q=" + "x" * 39 + "…"
    data, ignored = filters.form_filters(
        DirectoryFilterForm(QueryDict("country=XX&level=national")), QueryDict("country=XX")
    )
    assert ignored == ["country=XX"] and data["level"] == "national" and "country" not in data
    unbound, none = filters.form_filters(DirectoryFilterForm(None), QueryDict(""))
    assert none == [] and unbound["level"] is None


def test_directory_names_the_unknown_country_and_keeps_the_other_filters(hubs, personas, login):
    html = login(personas["member_no"]).get("/hubs/?country=XX&level=national&colour=red")
    html = html.content.decode()
    assert notice(html) == "country=XX, colour=red"
    assert "Cancer Mission Hub Norway" in html and "National Cancer Hub Portugal" in html
    assert "Vestland hub" not in html  # the level filter still applies


def test_calendar_names_an_unknown_country_instead_of_quietly_showing_nothing(hubs, client):
    html = client.get("/events/?country=XX").content.decode()
    assert notice(html) == "country=XX"
    assert notice(client.get("/events/?country=NO").content.decode()) == ""
    assert notice(client.get("/events/?region=NO-99&type=party").content.decode()) in (
        "region=NO-99, type=party",
        "type=party, region=NO-99",
    )


def test_organisations_proposals_and_library_use_the_same_notice(hubs, client, personas, login):
    html = client.get("/organisations/?country=XX&group=nope").content.decode()
    assert notice(html) == "country=XX, group=nope"
    assert "Oslo Cancer Cluster" in html  # the unknown values do not empty the list
    html = client.get("/participate/proposals/?status=zzz&order=up").content.decode()
    assert notice(html) == "status=zzz, order=up"
    html = client.get("/library/?type=zzz").content.decode()
    assert notice(html) == "type=zzz"
    signed_in = login(personas["member_no"])
    assert notice(signed_in.get("/library/?colour=red").content.decode()) == "colour=red"


def test_every_list_filters_live_with_a_submit_button_for_no_javascript(hubs, client):
    for url, target in [
        ("/hubs/", "#results"),
        ("/organisations/", "#results"),
        ("/events/", "#event-list"),
        ("/participate/proposals/", "#proposal-results"),
        ("/library/", "#library-results"),
    ]:
        html = client.get(url).content.decode()
        form = html[html.rindex("<form", 0, html.index(f'hx-target="{target}"')) :]
        form = form[: form.index("</form>")]
        assert 'method="get"' in form and 'hx-push-url="true"' in form, url
        assert re.search(r'hx-trigger="change[^"]*submit"', form), url
        assert '<button type="submit"' in form, url
        assert f'id="{target[1:]}"' in html, url


def test_an_htmx_swap_carries_no_notice_for_the_next_page(hubs, client):
    response = client.get("/hubs/?country=XX", headers={"HX-Request": "true"})
    assert notice(response.content.decode()) == ""
    assert notice(client.get("/hubs/").content.decode()) == ""
    request = RequestFactory().get("/hubs/?country=XX")
    request.htmx = True
    filters.say_ignored(request, ["country=XX"])  # no message store needed: nothing is added
