# ruff: noqa: E501
"""Texts of the questionnaires participation ships, listed so that makemessages extracts them.

Generated from ``data/consultation_priorities.json`` by
``python -m echos.participation.questions_i18n``: regenerate after editing them (a test checks).
See echos.questionnaires.i18n: ``_`` and ``pgettext`` only mark texts, under the names
makemessages extracts (``pgettext`` with its context).
"""

from echos.questionnaires.i18n import gettext_noop as _
from echos.questionnaires.i18n import regenerate

SOURCES = ("data/consultation_priorities.json",)
INSTRUMENTS = ("hub-priorities-consultation",)
TEXTS = [
    _("What should your Cancer Mission Hub work on?"),
    _(
        "A short public consultation (about five minutes) asking people in the hub's area which parts of the EU Mission on Cancer matter most to them and how they want to take part. Answers are anonymous in the results."
    ),
    _("Priorities"),
    _("Which describes you best?"),
    _("A citizen"),
    _("A patient or survivor"),
    _("A family member or carer"),
    _("A health or care professional"),
    _("A researcher"),
    _("Other"),
    _("Which Mission objectives should the hub focus on? Choose up to two."),
    _("Understanding cancer"),
    _("Prevention, screening and early detection"),
    _("Diagnosis and treatment"),
    _("Quality of life of patients, survivors and families"),
    _("Equitable access for everyone"),
    _("How well do you know which cancer screening programmes you are invited to?"),
    _("Not at all"),
    _("A little"),
    _("Fairly well"),
    _("Very well"),
    _("What makes it harder for people around you to get cancer care? Choose all that apply."),
    _("Distance to care"),
    _("Waiting times"),
    _("Costs"),
    _("Information that is hard to find or understand"),
    _("Language"),
    _("Work or caring duties"),
    _("Which information was hard to find or understand?"),
    _("Taking part"),
    _("How would you like to be involved in the hub's work?"),
    _("Keep me informed"),
    _("Ask my opinion now and then"),
    _("Take part in meetings and working groups"),
    _("Help design and run activities"),
    _("How likely are you to attend a hub event near you in the next year?"),
    _("Unlikely"),
    _("Maybe"),
    _("Likely"),
    _(
        "Is there anything else the hub should know or do? (Please do not include names or health details of other people.)"
    ),
]


if __name__ == "__main__":
    regenerate("participation", "questions_i18n", SOURCES)
