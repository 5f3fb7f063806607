"""Domain exceptions raised by services and turned into messages by pages and the API."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class RuleViolation(Exception):
    """A business rule refused the change; ``field`` names the offending input."""

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def as_dict(self) -> dict:
        """The JSON error shape shared by the API and imports."""
        return {"field": self.field, "message": self.message}


class Conflict(RuleViolation):
    """The change would duplicate or contradict something already stored."""

    status = 409


def guard(allowed: bool, actor) -> None:
    """Refuse a service call the actor may not make; actor=None is the system (CLI, loaders)."""
    if actor is not None and not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))
