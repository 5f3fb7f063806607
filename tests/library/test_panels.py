"""The library's panels on lower apps' pages: maturity next steps (by dimension, the viewer's
language first, one per translation group, at most five) and the hub's publications, each showing
only what the viewer may read (denied twins), in one query."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from echos.library import panels
from echos.library.models import Resource, ResourceTag


def make(title, *, language="en", visibility="public", hub=None, dimension="funding", group=None):
    resource = Resource.objects.create(
        title=title,
        language=language,
        type="guideline",
        visibility=visibility,
        hub=hub,
        url="https://example.org/doc",
        **({"translation_group": group} if group else {}),
    )
    ResourceTag.objects.create(resource=resource, vocabulary="dimensions", code=dimension)
    return resource


def request_of(user, language="en"):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.LANGUAGE_CODE = language
    return request


@pytest.fixture
def library(hubs):
    guide = make("Funding guide")
    return {
        "guide": guide,
        "guia": make("Guia de financiamento", language="pt", group=guide.translation_group),
        "network": make("Network budget notes", visibility="network"),
        "norway": make("Norway team budget", visibility="hub", hub=hubs["norway"]),
        "other": make("Governance toolkit", dimension="governance"),
    }


def test_next_steps_show_the_viewers_language_once_per_group(library):
    html = panels.next_steps(request_of(None, "pt"), {"dimension": "funding"})
    assert "Guia de financiamento" in html and "Funding guide" not in html
    html = panels.next_steps(request_of(None, "en"), {"dimension": "funding"})
    assert "Funding guide" in html and "Guia de financiamento" not in html
    assert "Governance toolkit" not in html
    assert "tag_dimensions=funding" in html


@pytest.mark.parametrize(
    ("persona", "network", "norway"),
    [
        ("anonymous", False, False),
        ("coord_pt", True, False),  # signed in, but not in Norway's team
        ("member_no", True, True),
        ("coord_no", True, True),
        ("network", True, True),
    ],
)
def test_next_steps_show_only_what_the_viewer_may_read(library, personas, persona, network, norway):
    html = panels.next_steps(request_of(personas[persona]), {"dimension": "funding"})
    assert ("Network budget notes" in html) is network
    assert ("Norway team budget" in html) is norway


def test_next_steps_are_at_most_five_in_one_query(hubs, django_assert_num_queries, personas):
    for i in range(8):
        make(f"Guide {i}")
    with django_assert_num_queries(1):
        html = panels.next_steps(request_of(personas["member_no"]), {"dimension": "funding"})
    assert html.count("<li>") == 5


def test_nothing_to_show_is_an_empty_string(library, personas):
    assert panels.next_steps(request_of(None), {"dimension": "monitoring"}) == ""
    assert panels.next_steps(request_of(None), {}) == ""
    make("Hidden", dimension="monitoring", visibility="network")
    assert panels.next_steps(request_of(None), {"dimension": "monitoring"}) == ""
    assert panels.next_steps(request_of(personas["coord_pt"]), {"dimension": "monitoring"})
    assert panels.hub_publications(request_of(None), library["norway"].hub) == ""


def test_hub_page_lists_its_publications_to_those_who_may_read_them(library, hubs, login, personas):
    make("Norway public report", hub=hubs["norway"])
    url = hubs["norway"].get_absolute_url()
    public = login(None).get(url).content.decode()
    assert "Norway public report" in public and "Norway team budget" not in public
    assert "Norway team budget" not in login(personas["coord_pt"]).get(url).content.decode()
    assert "Norway team budget" in login(personas["member_no"]).get(url).content.decode()
    portugal = login(None).get(hubs["portugal"].get_absolute_url()).content.decode()
    assert "library-publications" not in portugal


def test_hub_panel_is_one_query(library, hubs, django_assert_num_queries, personas):
    with django_assert_num_queries(1):
        html = panels.hub_publications(request_of(personas["coord_no"]), hubs["norway"])
    assert "Norway team budget" in html


def test_maturity_page_next_steps_list_library_resources(hubs, personas, login):
    from echos.assessment import scoring, services

    services.load_instruments()
    maturity = services.current_instrument(services.MATURITY)
    answers = {q.code: 2 for q in scoring.dimension_questions(maturity.definition)}
    response = services.start_response(
        actor=personas["network"], instrument=maturity, hub=hubs["norway"]
    )
    services.submit_response(actor=personas["network"], response=response, answers=answers)
    for code, _title in scoring.dimension_titles(maturity.definition).items():
        make(f"Guide on {code}", dimension=code)
    make("Portugal team notes", visibility="hub", hub=hubs["portugal"], dimension="governance")
    page = login(personas["coord_no"]).get(f"/assessment/hubs/{hubs['norway'].pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Resources from the library" in html and "Guide on " in html
    assert "Portugal team notes" not in html
