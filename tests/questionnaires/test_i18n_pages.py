"""Registration questions on an event page and the consultation priorities in the reader's language.

Translations come from a temporary catalogue (fake_catalogue); the hand-written entries of the
data files (de, fr, pl, pt, nb) win over it; questions a hub writes itself are never looked up.
"""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.questionnaires import fake_catalogue

pytestmark = pytest.mark.django_db

CATALOGUE = {
    "es": {
        "Help us welcome you": "Ayúdenos a recibirle",
        "Do you need any of these to take part?": "¿Necesita alguno de estos apoyos para participar?",
        "A quiet room": "Una sala tranquila",
        fake_catalogue.CONTEXT_KEY + "None": "Ninguna necesidad",
        "Which describes you best?": "¿Qué le describe mejor?",
        "A patient or survivor": "Un paciente o superviviente",
        "How well do you know which cancer screening programmes you are invited to?": (
            "¿Conoce los programas de cribado a los que le invitan?"
        ),
        "Fairly well": "Bastante bien",
    },
    # The data file has German of its own: it wins over this.
    "de": {"Do you need any of these to take part?": "AUS DEM KATALOG"},
}


@pytest.fixture
def catalogue(monkeypatch):
    fake_catalogue.install(monkeypatch, CATALOGUE)


def page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def event(hubs):
    from echos.events import services

    start = datetime.now() + timedelta(days=10)
    return services.create_event(
        actor=None,
        hub=hubs["norway"],
        title="Citizen dialogue on screening",
        description="An open conversation about cancer screening.",
        type="citizen_dialogue",
        format="in_person",
        languages=["nb", "en"],
        start=start,
        end=start + timedelta(hours=3),
        time_zone="Europe/Oslo",
        venue="Litteraturhuset",
        address="Wergelands vei 29, Oslo",
        status="published",
        questions="event-registration",
    )


def test_registration_form_of_an_event_in_another_language(catalogue, event, client):
    body = page(client, event.get_absolute_url(), "es")  # (the page shows no section titles)
    assert "¿Necesita alguno de estos apoyos para participar?" in body
    assert "Una sala tranquila" in body
    assert "Ninguna necesidad" in body  # "None" with its questionnaire context
    assert "Do you need any of these to take part?" not in body


def test_hand_written_entries_of_the_data_file_win_over_the_catalogue(catalogue, event, client):
    body = page(client, event.get_absolute_url(), "de")
    assert "Benötigen Sie etwas davon, um teilzunehmen?" in body
    assert "AUS DEM KATALOG" not in body


def test_organiser_sees_the_questionnaire_named_in_their_language(
    catalogue, monkeypatch, login, personas, event
):
    fake_catalogue.install(
        monkeypatch, {"es": {"Standard registration questions": "Preguntas de inscripción"}}
    )
    from django.urls import reverse

    coordinator = login(personas["coord_no"])
    form = page(coordinator, reverse("events:event_edit", args=[event.pk]), "es")
    assert "Preguntas de inscripción" in form and 'value="event-registration"' in form


def open_consultation(hubs, **extra):
    from echos.participation import services

    now = timezone.now()
    return services.open_consultation(
        actor=None,
        hub=hubs["norway"],
        title="Priorities of the Norwegian hub",
        description="Tell us what matters.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        languages=["nb", "en"],
        **extra,
    )


def test_consultation_priorities_in_another_language(catalogue, hubs, client):
    consultation = open_consultation(hubs)
    body = page(client, consultation.get_absolute_url(), "es")
    assert "¿Qué le describe mejor?" in body and "Un paciente o superviviente" in body
    assert "¿Conoce los programas de cribado a los que le invitan?" in body
    assert "Bastante bien" in body
    assert "Which describes you best?" not in body
    french = page(client, consultation.get_absolute_url(), "fr")
    assert "Qu&#x27;est-ce qui vous décrit le mieux ?" in french  # the file's own French


def test_questions_a_hub_writes_itself_are_shown_as_written(catalogue, hubs, client):
    """User content: even a text the catalogue knows is not replaced."""
    definition = {
        "title": "Our own questions",
        "sections": [
            {
                "code": "own",
                "title": "Help us welcome you",
                "questions": [
                    {"code": "role", "type": "single", "text": "Which describes you best?",
                     "options": [{"value": "p", "label": "A patient or survivor"},
                                 {"value": "o", "label": "A quiet room"}]},
                ],
            }
        ],
    }  # fmt: skip
    consultation = open_consultation(hubs, definition=json.dumps(definition))
    body = page(client, consultation.get_absolute_url(), "es")
    assert "Which describes you best?" in body and "A patient or survivor" in body
    assert "Help us welcome you" in body
    assert "¿Qué le describe mejor?" not in body and "Ayúdenos a recibirle" not in body
