"""The one error of the engine: bad input, with the field it is about.

The message is a lazy translatable string with named placeholders (``params``); it is rendered in
the language active when it is read (``message``, ``str(error)``), so the site and the API show it
in the user's language and the command in English (it reads it under ``translation.override``).
"""

from typing import Any

from django.utils.functional import Promise


class ModelInvalid(ValueError):
    """Bad input; ``field`` names where it is (``streams[2].probability``), ``message`` says why."""

    def __init__(self, field: str, message: "str | Promise", **params: Any) -> None:
        super().__init__(field, message)
        self.field = field
        self.template = message
        self.params = params

    @property
    def message(self) -> str:
        """The message in the active language, its placeholders filled in."""
        text = str(self.template)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"
