"""Numbers in the reader's language (``echos.core.numbers``).

``{% load echos_numbers %}`` then ``{{ stream.amount|money:stream.currency }}``, ``{{ total|money0 }}``
(whole euros), ``{{ value|number }}``, ``{{ value|number:2 }}``, ``{{ share|percent }}``.
"""

from django import template

from echos.core import numbers

register = template.Library()


@register.filter
def money(value, currency="EUR") -> str:
    """ "€12,500.00", "12.500,00 €"."""
    return numbers.amount(value, currency or "EUR")


@register.filter
def money0(value, currency="EUR") -> str:
    """Whole amounts for large tables: "€12,500", "12.500 €"."""
    return numbers.amount(value, currency or "EUR", digits=0)


@register.filter
def number(value, digits=None) -> str:
    """ "1,234.5", "1.234,5"; ``number:2`` fixes two decimals."""
    return numbers.number_text(value, None if digits in (None, "") else int(digits))


@register.filter
def percent(value, digits=0) -> str:
    """A share 0–1 as "26%", "26 %"."""
    return numbers.percent(value, int(digits or 0))
