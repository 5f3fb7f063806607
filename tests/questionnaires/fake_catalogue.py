"""A temporary gettext catalogue for questionnaire texts, before translators fill the .po files.

``install(monkeypatch, {"es": {"English": "Español"}})`` makes every ``gettext`` (and ``pgettext``,
which looks up ``context + "\\x04" + message``) answer from the given entries in that language and
from the real catalogues otherwise.
"""

from django.utils.translation import trans_real

CONTEXT_KEY = "questionnaire\x04"


def install(monkeypatch, entries: dict[str, dict[str, str]]) -> None:
    real = trans_real.DjangoTranslation.gettext

    def gettext(self, message):
        found = entries.get(self.language(), {}).get(message)
        return found if found is not None else real(self, message)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)
