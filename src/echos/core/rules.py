"""Small input rules shared by the services of several capabilities."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation

WEB_SCHEMES = ["http", "https"]


def check_web_address(value: str, field: str) -> None:
    """Refuse anything but an http(s) address (``javascript:`` and ``data:`` links above all);
    an empty value is allowed."""
    if value:
        try:
            URLValidator(schemes=WEB_SCHEMES)(value)
        except ValidationError:
            raise RuleViolation(
                _("Enter a web address starting with http:// or https://."), field
            ) from None
