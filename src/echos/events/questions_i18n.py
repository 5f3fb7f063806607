# ruff: noqa: E501
"""Texts of the questionnaires events ships, listed so that makemessages extracts them.

Generated from ``data/registration_questions.json`` by
``python -m echos.events.questions_i18n``: regenerate after editing them (a test checks).
See echos.questionnaires.i18n: ``_`` and ``pgettext`` only mark texts, under the names
makemessages extracts (``pgettext`` with its context).
"""

from echos.questionnaires.i18n import gettext_noop as _
from echos.questionnaires.i18n import pgettext_noop as pgettext
from echos.questionnaires.i18n import regenerate

SOURCES = ("data/registration_questions.json",)
INSTRUMENTS = ("event-registration",)
TEXTS = [
    _("Standard registration questions"),
    _(
        "What organisers usually need to know to welcome everyone: access and dietary needs, and how people heard of the event. Answers are seen by the organisers only and deleted with the registration."
    ),
    _("Help us welcome you"),
    _("Do you need any of these to take part?"),
    _("Step-free access"),
    _("Captions"),
    _("Sign language interpretation"),
    _("Easy-read material"),
    _("A quiet room"),
    _("Dietary needs (if food is served)"),
    pgettext("questionnaire", "None"),
    _("Vegetarian"),
    _("Vegan"),
    _("Other (tell the organisers)"),
    _("How did you hear of this event?"),
    _("From the hub or its members"),
    _("A patient organisation"),
    _("A doctor, nurse or hospital"),
    _("Media or social media"),
    _("Other"),
]


if __name__ == "__main__":
    regenerate("events", "questions_i18n", SOURCES)
