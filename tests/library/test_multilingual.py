"""Content in several languages (issue #17) in the library: ``language`` is the document's own
language; the catalogue text (title, description) has a source language and translations."""

import pytest
from django.test import Client

from echos.core.exceptions import RuleViolation
from echos.library import search
from echos.library.models import Resource

pytestmark = pytest.mark.django_db

TR = {
    "fr": {"title": "Étude de cas : dépistage", "description": "Résumé en français."},
    "el": {"title": "Μελέτη για την Υγεία"},
}


def test_catalogue_text_defaults_to_the_documents_language(make_resource):
    r = make_resource("Estudo de caso", language="pt")
    assert r.language == "pt" and r.source_language == "pt"
    r = make_resource("Case study", language="pl", source_language="en", translations=TR)
    assert (r.language, r.source_language) == ("pl", "en")
    assert r.translations["fr"]["title"] == "Étude de cas : dépistage"


@pytest.mark.parametrize(
    ("translations", "field"),
    [
        ({"tlh": {"title": "?"}}, "translations.tlh"),
        ({"fr": {"licence": "CC"}}, "translations.fr.licence"),
        ({"fr": {"title": "t" * 301}}, "translations.fr.title"),
    ],
)
def test_bad_translations_refused_naming_the_field(make_resource, translations, field):
    with pytest.raises(RuleViolation) as caught:
        make_resource("Guide", translations=translations)
    assert caught.value.field == field
    assert not Resource.objects.exists()


def test_search_finds_every_language_accents_and_case_ignored(make_resource):
    r = make_resource("Case study", language="pl", source_language="en", translations=TR)
    for q in ("depistage", "ÉTUDE", "υγεια", "case study"):
        found = search.search(q, user=None)
        assert [hit.resource.pk for hit in found.results] == [r.pk], q


def test_pages_show_the_readers_language_or_the_source_with_marker(make_resource):
    r = make_resource(
        "Case study", description="Summary.", language="pl", source_language="en", translations=TR
    )
    client = Client()
    french = client.get(r.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Étude de cas : dépistage" in french and "source-language-marker" not in french
    german = client.get(r.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<h1 lang="en">Case study' in german and "source-language-marker" in german
    listing = client.get("/library/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr">Étude de cas : dépistage</a>' in listing


def test_form_takes_translations_and_only_editors_may_change_them(
    make_resource, personas, login, hubs
):
    r = make_resource("Guide", actor=personas["editor_no"], hub=hubs["norway"], language="nb")
    url = f"/library/{r.pk}/edit/"
    assert login(personas["coord_pt"]).get(url).status_code == 403
    client = login(personas["editor_no"])
    page = client.get(url).content.decode()
    assert 'name="tr-fr-title"' in page
    data = {
        "title": "Guide",
        "description": "",
        "language": "nb",
        "type": "guideline",
        "url": r.url,
        "hub": hubs["norway"].pk,
        "visibility": "public",
        "source_language": "en",
        "tr-de-title": "Leitfaden",
    }
    bad = client.post(url, {**data, "tr-de-title": "t" * 301})
    assert bad.status_code == 422
    assert client.post(url, data).status_code == 302
    r.refresh_from_db()
    assert r.source_language == "en" and r.translations == {"de": {"title": "Leitfaden"}}


def test_api_and_oai_carry_every_language(make_resource, personas, token_client):
    r = make_resource(
        "Case study", description="Summary.", language="pl", source_language="en", translations=TR
    )
    body = Client().get(f"/api/v1/resources/{r.pk}").json()
    assert body["language"] == "pl" and body["source_language"] == "en"
    assert body["catalogue_translations"] == TR
    # "translations" keeps its v1 meaning: the ids of the same document in other languages
    assert body["translations"] == [] and body["other_languages"] == []
    oai = Client().get(
        "/library/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc",
                         "identifier": f"oai:testserver:library/{r.pk}"},
    )  # fmt: skip
    text = oai.content.decode()
    assert oai.status_code == 200
    assert 'xml:lang="fr">Étude de cas : dépistage</dc:title>' in text
    assert 'xml:lang="en">Case study</dc:title>' in text


def test_api_write_refuses_an_unoffered_language(make_resource, personas, token_client):
    r = make_resource("Guide", actor=personas["editor_no"])
    client = token_client(personas["editor_no"])
    bad = client.patch(
        f"/api/v1/resources/{r.pk}",
        {"catalogue_translations": {"xx": {"title": "?"}}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "catalogue_translations.xx"
    ok = client.patch(
        f"/api/v1/resources/{r.pk}",
        {"catalogue_translations": {"sv": {"title": "Vägledning"}}},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["catalogue_translations"] == {"sv": {"title": "Vägledning"}}
    assert search.search("vagledning", user=None).count == 1


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '["fr"]', "{not json"])
def test_api_upload_refuses_deep_or_malformed_translations_naming_the_field(
    personas, token_client, text
):
    client = token_client(personas["editor_no"])
    response = client.post(
        "/api/v1/resources",
        {"title": "Guide", "language": "en", "type": "toolkit", "url": "https://example.org/g",
         "catalogue_translations": text},
    )  # fmt: skip
    assert response.status_code == 400, response.content[:300]
    assert response.json()["errors"][0]["field"] == "catalogue_translations"
