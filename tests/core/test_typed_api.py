"""The core API's response schemas give the same JSON as the dicts they replace, and choices are
checked in one place (``one_of``): a bad choice is a 422 naming the field."""

import pytest

from echos.core.api import country_out, page_of, region_out, term_out
from echos.core.models import Country, Region, Term
from echos.core.schemas import CountryOut, RegionOut, TermOut

pytestmark = pytest.mark.django_db


def same_json(schema, data: dict) -> bool:
    """The schema renders ``data`` key for key and value for value."""
    return schema.model_validate(data).model_dump(mode="json") == data


def test_the_schemas_render_the_dicts_unchanged(hubs):
    country = Country.objects.exclude(since=None).first()
    assert same_json(CountryOut, country_out(country))
    assert same_json(CountryOut, country_out(Country(code="XX", name="X", membership="eu")))
    assert same_json(RegionOut, region_out(Region.objects.first()))
    assert same_json(
        RegionOut, region_out(Region(code="NO-99", country_id="NO", parent_id="NO-46"))
    )
    assert same_json(TermOut, term_out(Term.objects.first()))
    page = {"count": 1, "items": [term_out(Term.objects.first())]}
    assert same_json(page_of(TermOut), page)
    assert page_of(TermOut) is page_of(TermOut)


def test_an_unknown_vocabulary_is_refused_naming_the_field(client):
    response = client.get("/api/v1/vocabularies/colours")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "vocabulary"
    assert "stakeholder_groups" in response.json()["errors"][0]["message"]


def test_an_unknown_membership_is_refused_and_an_empty_one_ignored(hubs, client):
    response = client.get("/api/v1/countries?membership=nato")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "membership"
    assert client.get("/api/v1/countries?membership=").json()["count"] == Country.objects.count()


def test_the_openapi_schema_lists_the_choices(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/vocabularies/{vocabulary}"]["get"]
    parameter = next(p for p in operation["parameters"] if p["name"] == "vocabulary")
    assert parameter["schema"]["enum"] == Term.Vocabulary.values
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/TermPage"}
