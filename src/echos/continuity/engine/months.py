"""Months as integers: ``index = year * 12 + (month - 1)``, so consecutive months differ by one."""

import re

from django.utils.translation import gettext_lazy as _

from .errors import ModelInvalid

MIN_YEAR = 1900
MAX_YEAR = 2200

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value: object, field: str) -> int:
    """The month index of a ``YYYY-MM`` string; anything else raises ModelInvalid naming ``field``."""
    if not isinstance(value, str):
        raise ModelInvalid(field, _("must be a month written YYYY-MM"))
    match = _MONTH.fullmatch(value)
    if not match:
        raise ModelInvalid(field, _("must be a month written YYYY-MM"))
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ModelInvalid(field, _("must be a month written YYYY-MM"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ModelInvalid(
            field, _("year must be between %(low)s and %(high)s"), low=MIN_YEAR, high=MAX_YEAR
        )
    return year * 12 + month - 1


def format_month(index: int) -> str:
    """The ``YYYY-MM`` string of a month index."""
    year, month = divmod(index, 12)
    return f"{year:04d}-{month + 1:02d}"
