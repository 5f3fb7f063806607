"""The library's pages: the list with its filters, search with snippets, the forms, versions."""

import pytest

from echos.library.models import Resource, ResourceTag

from .conftest import docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def test_nav_has_the_library(client):
    page = client.get("/").content.decode()
    assert 'href="/library/"' in page


def test_list_filters_by_every_vocabulary_language_and_type(client, make_resource):
    tagged = {
        "objectives": "prevention",
        "dimensions": "funding",
        "stakeholder_groups": "patients",
        "stages": "launched",
        "policy_areas": "employment",
    }
    for vocabulary, code in tagged.items():
        make_resource(f"Tagged {vocabulary}", tags=[(vocabulary, code)])
    make_resource("German report", language="de", type="report")
    for vocabulary, code in tagged.items():
        page = client.get("/library/", {f"tag_{vocabulary}": code}).content.decode()
        assert f"Tagged {vocabulary}" in page
        assert sum(f"Tagged {v}" in page for v in tagged) == 1
    page = client.get("/library/", {"language": "de"}).content.decode()
    assert "German report" in page and "Tagged objectives" not in page
    page = client.get("/library/", {"type": "report"}).content.decode()
    assert "German report" in page and "Tagged objectives" not in page
    # an unknown filter value is dropped, not an error
    assert client.get("/library/", {"tag_objectives": "nope", "language": "zz"}).status_code == 200


def test_search_page_shows_marked_snippets_and_groups_translations(client, make_resource):
    en = make_resource("Screening guide", description="How to run <b>screening</b> programmes")
    make_resource(
        "Guia de rastreio", language="pt", description="Rastreio do cancro", translation_of=en
    )
    page = client.get("/library/", {"q": "screening"}).content.decode()
    assert "<mark>screening</mark>" in page
    assert "&lt;b&gt;" in page
    assert page.count(f'href="/library/{en.pk}/"') == 1
    assert "Also in:" in page


@pytest.mark.parametrize("q", ["", "x", " "])
def test_search_page_refuses_short_queries_with_a_message(client, make_resource, q):
    make_resource("Anything at all")
    page = client.get("/library/", {"q": q}).content.decode()
    assert "at least two characters" in page
    assert "Anything at all" not in page


def test_add_a_document_from_the_site(personas, login, django_capture_on_commit_callbacks):
    client = login(personas["coord_no"])
    assert client.get("/library/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/library/new/",
            {
                "title": "Handbok for pasientnavigasjon",
                "description": "Kort innføring",
                "language": "nb",
                "type": "toolkit",
                "visibility": "public",
                "file": upload("handbok.docx", docx_bytes("Pasientnavigasjon på sykehus")),
                "tag_objectives": ["quality_of_life"],
                "tag_dimensions": ["governance"],
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get()
    assert resource.created_by == personas["coord_no"]
    assert set(ResourceTag.objects.values_list("vocabulary", "code")) == {
        ("objectives", "quality_of_life"),
        ("dimensions", "governance"),
    }
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "handbok.docx" in page
    assert "sykehus" not in page  # the extracted text is searchable, not shown
    found = client.get("/library/", {"q": "sykehus"}).content.decode()
    assert "<mark>sykehus</mark>" in found


def test_refused_upload_shows_the_error_on_the_field(personas, login):
    client = login(personas["coord_no"])
    response = client.post(
        "/library/new/",
        {
            "title": "Bad",
            "language": "en",
            "type": "report",
            "visibility": "public",
            "file": upload("bad.pdf", b"<html>no</html>"),
        },
    )
    assert response.status_code == 422
    assert 'id="id_file_error"' in response.content.decode()
    assert not Resource.objects.exists()


def test_edit_and_version_history(personas, login, django_capture_on_commit_callbacks):
    from echos.library import services

    owner = personas["editor_no"]
    with django_capture_on_commit_callbacks(execute=True):
        resource = services.create_resource(
            actor=owner,
            title="Plan",
            description="",
            language="en",
            type="template",
            tags=[],
            file=upload("plan.pdf", pdf_bytes("First plan")),
        )
    client = login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/library/{resource.pk}/versions/",
            {"file": upload("plan2.pdf", pdf_bytes("Second plan"))},
        )
    assert response.status_code == 302
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "plan.pdf" in page and "plan2.pdf" in page
    assert f"/library/{resource.pk}/v1/download/" in page
    response = client.post(
        f"/library/{resource.pk}/edit/",
        {"title": "Plan (revised)", "language": "en", "type": "template", "visibility": "network"},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Plan (revised)" and resource.visibility == "network"
    assert resource.versions.count() == 2


def test_add_a_translation_from_the_site(personas, login, make_resource):
    source = make_resource("Equity guide", language="en")
    client = login(personas["coord_pt"])
    form = client.get(f"/library/new/?translation_of={source.pk}")
    assert form.status_code == 200 and "Add a translation of Equity guide" in form.content.decode()
    response = client.post(
        f"/library/new/?translation_of={source.pk}",
        {
            "title": "Guia de equidade",
            "language": "pt",
            "type": "guideline",
            "visibility": "public",
            "url": "https://example.org/pt",
        },
    )
    assert response.status_code == 302
    assert Resource.objects.get(language="pt").translation_group == source.translation_group


def test_translating_a_hidden_resource_is_not_found(personas, hubs, login, make_resource):
    hidden = make_resource("Team only", hub=hubs["norway"], visibility="hub")
    client = login(personas["coord_pt"])
    assert client.get(f"/library/new/?translation_of={hidden.pk}").status_code == 404


def test_search_page_stops_counting_past_the_cap(client, make_resource, monkeypatch):
    from echos.library import search

    for n in range(4):
        make_resource(f"Registry report {n}")
    page = client.get("/library/", {"q": "registry"}).content.decode()
    assert "4 resources found" in page
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    page = client.get("/library/", {"q": "registry"}).content.decode()
    assert "More than 2 resources found" in page and "Registry report 0" in page
