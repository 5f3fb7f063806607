"""Numbers, money and percentages follow the reader's language (issue #17, item 1)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from echos.core.numbers import amount, number_text, percent

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "€12,500.00"),
        ("de", f"12.500,00{NBSP}€"),
        ("pl", f"12{NBSP}500,00{NBSP}€"),
        ("el", f"12.500,00{NBSP}€"),
    ],
)
def test_money_per_language(lang, expected):
    assert amount(Decimal("12500"), "EUR", lang=lang).replace(NNBSP, NBSP) == expected


def test_whole_amounts_and_other_currencies():
    assert amount(12500, "EUR", digits=0, lang="en") == "€12,500"
    assert amount(12500.4, "EUR", digits=0, lang="de") == f"12.500{NBSP}€"
    assert amount(99.5, "NOK", lang="nb").endswith("kr")


def test_numbers_and_percentages_per_language():
    assert number_text(1234.5, lang="en") == "1,234.5"
    assert number_text(1234.5, lang="de") == "1.234,5"
    assert number_text(1234.5, 2, lang="fr").replace(NNBSP, NBSP) == f"1{NBSP}234,50"
    assert percent(0.256, lang="en") == "26%"
    assert percent(0.256, lang="de") == f"26{NBSP}%"


@pytest.mark.parametrize("value", [None, "", "—", "n/a", float("nan"), True])
def test_anything_else_is_left_as_text(value):
    out = amount(value)
    assert out == ("" if value is None else str(value))


def test_filters_follow_the_active_language():
    tpl = Template('{% load echos_numbers %}{{ v|money:"EUR" }} {{ v|money0 }} {{ v|number:1 }}')
    with translation.override("de"):
        assert tpl.render(Context({"v": Decimal("1234.56")})) == (
            f"1.234,56{NBSP}€ 1.235{NBSP}€ 1.234,6"
        )
