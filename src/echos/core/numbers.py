"""Numbers, amounts of money and percentages in the reader's language, from CLDR through Babel
(issue #17: "dates, numbers and currencies formatted per locale").

``amount(12500, "EUR")`` is "€12,500.00" in English, "12.500,00 €" in German, "12 500,00 €" in
French and Polish (with CLDR's narrow no-break space), "12 500,00 kr" style for NOK in Norwegian;
``number(1234.5, 1)`` is "1,234.5" / "1.234,5"; ``percent(0.256)`` is "26%" / "26 %".
Anything that is not a number is returned as text unchanged ("—" stays "—"), so a template never
fails on an empty cell.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel import numbers as babel_numbers

from echos.core.dates import locale_for


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def amount(
    value: Any, currency: str = "EUR", digits: int | None = None, lang: str | None = None
) -> str:
    """``value`` in ``currency`` (ISO 4217) the way the reader's language writes money;
    ``digits`` fixes the decimals (``0`` for whole euros in large tables)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    code = (currency or "EUR").upper()[:3]
    kwargs: dict[str, Any] = {"locale": locale_for(lang)}
    if digits is not None:
        kwargs.update(format_type="standard", currency_digits=False)
        number = round(number, digits)
        pattern = locale_for(lang).currency_formats["standard"]
        kwargs["format"] = _with_digits(pattern.pattern, digits)
    try:
        return babel_numbers.format_currency(number, code, **kwargs)
    except (babel_numbers.UnknownCurrencyError, ValueError):
        return f"{number_text(number, digits, lang)} {code}"


def _with_digits(pattern: str, digits: int) -> str:
    """The positive part of a CLDR currency pattern with exactly ``digits`` decimals
    ("¤#,##0.00" → "¤#,##0", "#,##0.00\u00a0¤" → "#,##0\u00a0¤")."""
    positive = pattern.split(";")[0]
    before, dot, after = positive.partition(".")
    if not dot:
        return positive
    return before + ("." + "0" * digits if digits else "") + after.lstrip("0#")


def number_text(value: Any, digits: int | None = None, lang: str | None = None) -> str:
    """``value`` with the reader's decimal and grouping signs; ``digits`` fixes the decimals,
    otherwise up to three are kept (trailing zeros dropped)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    locale = locale_for(lang)
    if digits is None:
        return babel_numbers.format_decimal(number, locale=locale)
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return babel_numbers.format_decimal(round(number, digits), format=pattern, locale=locale)


def percent(value: Any, digits: int = 0, lang: str | None = None) -> str:
    """A share (``0.256``) as a percentage in the reader's language ("26%", "26 %", "26 proc.")."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    locale = locale_for(lang)
    # the language's own percent pattern decides the spacing and the sign's side
    own = locale.percent_formats[None].pattern
    if own.startswith("%"):
        pattern = "%" + pattern[:-1]
    elif "\u00a0%" in own or " %" in own:
        pattern = pattern[:-1] + "\u00a0%"
    return babel_numbers.format_percent(number, format=pattern, locale=locale)
