"""Helpers shared by participation's services: text fields and the closing date as people read it."""

from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.dates import medium_datetime, zone_label
from echos.core.exceptions import RuleViolation
from echos.participation.models import Consultation


def _text(value: str, field: str, limit: int, *, required: bool, message: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise RuleViolation(message or _("This field is required."), field)
    if len(text) > limit:
        raise RuleViolation(
            _("Keep this under %(n)d characters (it has %(len)d).")
            % {"n": limit, "len": len(text)},
            field,
        )
    return text


def _closing(consultation: Consultation) -> str:
    """When a consultation closes, in the current time zone, named by its city ("Brussels time")."""
    zone = timezone.get_current_timezone_name()
    return f"{medium_datetime(consultation.closes_at, tz=zone)} ({zone_label(zone)})"
