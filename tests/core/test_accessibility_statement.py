"""The accessibility statement (issue #16 item 8): the sections of the EU model, linked from
every page's footer, with the operator's contact and enforcement body when configured."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Compliance status",
    "Non-accessible content",
    "How this statement was prepared",
    "Feedback and contact information",
    "Enforcement procedure",
]


def test_the_statement_has_every_section_of_the_model():
    body = Client().get("/accessibility/").content.decode()
    for heading in SECTIONS:
        assert f"<h2>{heading}</h2>" in body
    assert "WCAG" in body and "2016/2102" in body


def test_every_page_links_to_it_in_the_footer():
    body = Client().get("/about/").content.decode()
    assert 'href="/accessibility/"' in body


@override_settings(
    ECHOS_ACCESSIBILITY_CONTACT="access@hub.example.eu",
    ECHOS_ACCESSIBILITY_ENFORCEMENT_URL="https://enforcement.example.eu/",
)
def test_the_operator_contact_and_enforcement_body_are_shown():
    body = Client().get("/accessibility/").content.decode()
    assert "mailto:access@hub.example.eu" in body
    assert 'href="https://enforcement.example.eu/"' in body


@override_settings(ECHOS_ACCESSIBILITY_CONTACT="", ECHOS_PRIVACY_CONTACT="dpo@hub.example.eu")
def test_without_its_own_contact_the_privacy_contact_answers():
    assert "mailto:dpo@hub.example.eu" in Client().get("/accessibility/").content.decode()
