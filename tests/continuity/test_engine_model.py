"""Months and model parsing: every bad input of issue #12 is refused with its field named."""

import copy
from decimal import Decimal

import pytest

from echos.continuity.engine import ModelInvalid, format_month, parse_model, parse_month

VALID = {
    "start": "2027-01",
    "months": 60,
    "balance": "50000",
    "currency": "EUR",
    "streams": [
        {
            "id": "eu",
            "type": "eu_grant",
            "amount": "120000",
            "period": "year",
            "start": "2027-01",
            "end": "2028-12",
            "probability": 1,
        },
        {
            "id": "fees",
            "type": "membership_fees",
            "amount": 250.5,
            "period": "month",
            "start": "2027-03",
            "end": None,
            "probability": 0.9,
            "slip_months": 2,
        },
        {
            "id": "gift",
            "type": "philanthropy",
            "amount": 10000,
            "period": "once",
            "start": "2027-06",
            "probability": "0.5",
        },
    ],
    "costs": [
        {
            "id": "staff",
            "category": "staff",
            "amount": "7000",
            "period": "month",
            "start": "2027-01",
        },
        {"id": "fair", "category": "events", "amount": "12000", "period": "year", "end": None},
    ],
}


def test_months_round_trip():
    assert parse_month("2027-01", "start") == 2027 * 12
    assert parse_month("2027-12", "start") - parse_month("2027-11", "start") == 1
    assert parse_month("2028-01", "start") - parse_month("2027-12", "start") == 1
    assert format_month(parse_month("1999-07", "x")) == "1999-07"


@pytest.mark.parametrize(
    "value",
    [
        "2027-1",
        "2027-13",
        "2027-00",
        "27-01",
        "2027/01",
        " 2027-01",
        "2027-01-01",
        "",
        202701,
        None,
    ],
)
def test_month_that_is_not_yyyy_mm_is_refused(value):
    with pytest.raises(ModelInvalid) as err:
        parse_month(value, "streams[0].start")
    assert err.value.field == "streams[0].start"


@pytest.mark.parametrize("value", ["1899-12", "2201-01"])
def test_month_outside_the_years_is_refused(value):
    with pytest.raises(ModelInvalid, match="between 1900 and 2200"):
        parse_month(value, "start")


def test_valid_model_is_parsed_exactly():
    model = parse_model(VALID)
    assert model.start == parse_month("2027-01", "s") and model.months == 60
    assert model.balance == Decimal("50000.00") and model.currency == "EUR"
    eu, fees, gift = model.streams
    assert eu.amount == Decimal("120000") and eu.end == parse_month("2028-12", "e")
    assert fees.amount == Decimal("250.50") and isinstance(fees.amount, Decimal)
    assert fees.end is None and fees.slip_months == 2 and fees.probability == 0.9
    assert gift.probability == 0.5 and gift.slip_months == 0
    # A cost without a start begins with the model.
    assert model.costs[1].start == model.start


def test_float_amounts_keep_their_decimal_digits():
    data = copy.deepcopy(VALID)
    data["streams"][1]["amount"] = 0.1
    assert parse_model(data).streams[1].amount == Decimal("0.10")


def test_error_message_names_the_field():
    data = copy.deepcopy(VALID)
    data["streams"][2]["probability"] = 1.5
    with pytest.raises(ModelInvalid) as err:
        parse_model(data)
    assert str(err.value) == "streams[2].probability: must be between 0 and 1"
    assert err.value.field == "streams[2].probability"
    assert err.value.message == "must be between 0 and 1"
    assert isinstance(err.value, ValueError)


def _set(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value


DELETE = object()

BAD = [
    (("streams", 0, "amount"), "-1", "streams[0].amount"),
    (("costs", 1, "amount"), -5, "costs[1].amount"),
    (("balance",), "lots", "balance"),
    (("streams", 0, "amount"), "NaN", "streams[0].amount"),
    (("streams", 0, "amount"), float("inf"), "streams[0].amount"),
    (("streams", 0, "amount"), "1.005", "streams[0].amount"),
    (("streams", 0, "amount"), "1e13", "streams[0].amount"),
    (("streams", 0, "amount"), True, "streams[0].amount"),
    (("streams", 0, "amount"), [1], "streams[0].amount"),
    (("streams", 0, "amount"), DELETE, "streams[0].amount"),
    (("streams", 0, "end"), "2026-12", "streams[0].end"),
    (("costs", 0, "end"), "2026-12", "costs[0].end"),
    (("streams", 1, "probability"), -0.1, "streams[1].probability"),
    (("streams", 1, "probability"), 1.01, "streams[1].probability"),
    (("streams", 1, "probability"), "often", "streams[1].probability"),
    (("streams", 1, "probability"), True, "streams[1].probability"),
    (("streams", 1, "probability"), float("nan"), "streams[1].probability"),
    (("streams", 0, "period"), "week", "streams[0].period"),
    (("costs", 0, "period"), None, "costs[0].period"),
    (("streams", 0, "type"), "lottery", "streams[0].type"),
    (("costs", 0, "category"), "travel", "costs[0].category"),
    (("months",), 121, "months"),
    (("months",), 0, "months"),
    (("months",), 12.5, "months"),
    (("months",), True, "months"),
    (("months",), "60", "months"),
    (("currency",), "EUO", "currency"),
    (("currency",), 978, "currency"),
    (("currency",), DELETE, "currency"),
    (("start",), "2027-13", "start"),
    (("start",), "January 2027", "start"),
    (("streams", 2, "start"), "2027-6", "streams[2].start"),
    (("costs", 1, "end"), 2028, "costs[1].end"),
    (("streams", 1, "id"), "eu", "streams[1].id"),
    (("costs", 1, "id"), "staff", "costs[1].id"),
    (("streams", 0, "id"), "", "streams[0].id"),
    (("streams", 0, "id"), None, "streams[0].id"),
    (("streams", 1, "slip_months"), -1, "streams[1].slip_months"),
    (("streams", 1, "slip_months"), 121, "streams[1].slip_months"),
    (("streams", 1, "slip_months"), 1.5, "streams[1].slip_months"),
    (("streams", 1, "slip_months"), False, "streams[1].slip_months"),
    (("streams",), {"id": "eu"}, "streams"),
    (("costs",), "staff", "costs"),
    (("streams", 1), ["fees"], "streams[1]"),
]


@pytest.mark.parametrize("path,value,field", BAD)
def test_bad_input_is_refused_naming_the_field(path, value, field):
    data = copy.deepcopy(VALID)
    _set(data, path, value)
    with pytest.raises(ModelInvalid) as err:
        parse_model(data)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")


@pytest.mark.parametrize("data", [None, [], "model", 3])
def test_a_model_that_is_not_an_object_is_refused(data):
    with pytest.raises(ModelInvalid) as err:
        parse_model(data)
    assert err.value.field == "model"


def test_too_many_lines_are_refused():
    data = copy.deepcopy(VALID)
    data["costs"] = [dict(VALID["costs"][0], id=str(i)) for i in range(501)]
    with pytest.raises(ModelInvalid) as err:
        parse_model(data)
    assert err.value.field == "costs"


def test_lower_case_currency_and_missing_optional_fields_are_accepted():
    data = {"start": "2027-01", "months": 1, "currency": "nok"}
    model = parse_model(data)
    assert model.currency == "NOK" and model.streams == () and model.balance == 0
