"""The maturity model and the mapping survey in the reader's language: pages, API and export.

Translations come from a temporary catalogue laid over the real one (whose entries these tests
pin down); a text the temporary catalogue lacks comes from the real Spanish catalogue (the fallback
to English of a text no catalogue has is tested in tests/questionnaires/test_i18n.py).
"""

import pytest

from tests.questionnaires import fake_catalogue

pytestmark = pytest.mark.django_db

SPANISH = {
    "NCMH maturity model": "Modelo de madurez NCMH",
    "Governance and leadership": "Gobernanza y liderazgo",
    "Which level best describes the hub's governance and leadership?": (
        "¿Qué nivel describe mejor la gobernanza y el liderazgo del hub?"
    ),
    "Informal": "Informal (nivel 1)",
    "No written agreement says who leads the hub or how it decides; one person or organisation "
    "calls meetings when needed and decisions are not recorded.": "Ningún acuerdo escrito dice "
    "quién dirige el hub.",
    fake_catalogue.CONTEXT_KEY + "Sustained": "Consolidado",
    "Mapping survey of hub-like structures": "Encuesta de mapeo de estructuras similares a hubs",
    "How many staff work for the structure, in full-time equivalents?": (
        "¿Cuántas personas trabajan para la estructura, en equivalentes a tiempo completo?"
    ),
    "FTE": "ETC (equivalente a tiempo completo)",
    "What is the legal form of the structure?": "¿Qué forma jurídica tiene la estructura?",
    "Association or non-profit membership organisation": (
        "Asociación u organización sin ánimo de lucro"
    ),
}
UNTRANSLATED_HELP = "Choose the highest level whose description is fully true today."


@pytest.fixture
def spanish(monkeypatch):
    fake_catalogue.install(monkeypatch, {"es": SPANISH})


def page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_maturity_model_page_in_another_language(
    spanish, instruments, hubs, personas, login, client
):
    coordinator = login(personas["coord_no"])
    url = coordinator.post("/assessment/start/maturity/", {"hub": hubs["norway"].pk})["Location"]
    body = page(coordinator, url, "es")
    assert '<html lang="es"' in body
    for english in (
        "NCMH maturity model",
        "Governance and leadership",
        "Which level best describes the hub&#x27;s governance and leadership?",
        "No written agreement says who leads the hub",
    ):
        assert english not in body
    assert "<h1>Modelo de madurez NCMH</h1>" in body
    assert "Gobernanza y liderazgo" in body
    assert "¿Qué nivel describe mejor la gobernanza y el liderazgo del hub?" in body
    assert "1 · Informal (nivel 1)" in body and "Ningún acuerdo escrito dice" in body
    assert "5 · Consolidado" in body  # a level label translated with its context
    assert UNTRANSLATED_HELP not in body  # not in the temporary catalogue: the real one's
    english = page(coordinator, url, "en")
    assert "<h1>NCMH maturity model</h1>" in english and "Modelo de madurez" not in english


def test_mapping_survey_page_in_another_language(spanish, instruments, hubs, personas, login):
    coordinator = login(personas["coord_no"])
    url = coordinator.post("/assessment/start/mapping/", {"hub": hubs["norway"].pk})["Location"]
    body = page(coordinator, url, "es")
    assert "<h1>Encuesta de mapeo de estructuras similares a hubs</h1>" in body
    assert "¿Cuántas personas trabajan para la estructura" in body
    assert "<small>ETC (equivalente a tiempo completo)</small>" in body  # the unit
    assert "How many staff work for the structure" not in body


def test_api_gives_the_instrument_in_the_requests_language(spanish, instruments, client):
    listed = client.get("/api/v1/instruments", HTTP_ACCEPT_LANGUAGE="es").json()
    titles = {i["code"]: i["title"] for i in listed["items"]}
    assert titles["ncmh-maturity"] == "Modelo de madurez NCMH"
    body = client.get("/api/v1/instruments/ncmh-maturity", HTTP_ACCEPT_LANGUAGE="es").json()
    assert body["language"] == "es"
    assert body["title"] == "Modelo de madurez NCMH"
    assert isinstance(body["description"], str) and not body["description"].startswith("A self-")
    governance = body["sections"][0]
    assert governance["title"] == "Gobernanza y liderazgo"
    scale = governance["questions"][0]
    assert scale["text"].startswith("¿Qué nivel describe mejor")
    assert scale["help"] and not scale["help"].startswith(UNTRANSLATED_HELP)  # the real catalogue
    assert scale["levels"][0] == {
        "value": 1,
        "label": "Informal (nivel 1)",
        "descriptor": "Ningún acuerdo escrito dice quién dirige el hub.",
    }
    assert scale["levels"][4]["label"] == "Consolidado"
    assert scale["options"] is None
    # The definition stays as authored: the source every language is translated from.
    assert body["definition"]["title"] == "NCMH maturity model"
    # Every text beside it is a plain string (no language dict, no lazy object).
    for section in body["sections"]:
        assert all(isinstance(section[k], str) for k in ("title", "description"))
        for q in section["questions"]:
            assert all(isinstance(q[k], str) for k in ("text", "help", "unit"))
            for item in (q["options"] or []) + (q["levels"] or []):
                assert isinstance(item["label"], str)
    english = client.get("/api/v1/instruments/ncmh-maturity", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["language"] == "en" and english["title"] == "NCMH maturity model"
    assert english["sections"][0]["questions"][0]["levels"][4]["label"] == "Sustained"


def test_mapping_export_follows_the_readers_language(spanish, instruments, personas, login):
    import random

    from echos.assessment import services
    from echos.assessment.models import Response
    from echos.assessment.synthetic import answers_for
    from echos.core.models import Country
    from echos.core.reference import vocabulary_codes

    rng = random.Random(1)
    for code in ["FR", "DE"]:
        r = Response.objects.create(
            instrument=instruments["mapping"],
            country=Country.objects.get(pk=code),
            answers={
                **answers_for(instruments["mapping"].definition, rng, options=vocabulary_codes()),
                "legal_form": "association",
            },
        )
        services.submit_response(actor=None, response=r)
    client = login(personas["network"])
    csv_es = client.get("/assessment/mapping/analysis.csv", HTTP_ACCEPT_LANGUAGE="es")
    rows_es = [line for line in csv_es.content.decode().splitlines() if ",legal_form," in line]
    assert rows_es and all("¿Qué forma jurídica tiene la estructura?" in r for r in rows_es)
    assert any("Asociación u organización sin ánimo de lucro" in r for r in rows_es)
    csv_en = client.get("/assessment/mapping/analysis.csv", HTTP_ACCEPT_LANGUAGE="en")
    rows_en = [line for line in csv_en.content.decode().splitlines() if ",legal_form," in line]
    assert rows_en and all("What is the legal form of the structure?" in r for r in rows_en)
