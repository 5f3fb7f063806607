"""Every date and number filter of pages and API, at the edges of the calendar and of integers:
never a 500; the API refuses with a 4xx naming the field (or answers normally)."""

import re

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXTREMES = ["0001-01-01", "9999-12-31", str(10**30), "-1"]

# (url name, args from the fixtures, query parameters parsed by the page)
PAGES = [
    ("events:calendar", None, ["from", "to", "hub", "page", "when", "q"]),
    ("events:month_current", None, ["from", "to", "hub"]),
    ("events:feed", None, ["from", "to", "hub"]),
    ("events:gap", None, ["from", "to", "country", "objective"]),
    ("events:gap_csv", None, ["from", "to"]),
    ("events:event_create", None, ["hub"]),
    ("hubs:directory", None, ["q", "country", "level", "stage", "page"]),
    ("hubs:organisations", None, ["country", "group", "page", "q"]),
    ("hubs:hub", "norway", ["members"]),
    ("hubs:hub_create", None, ["parent"]),
    ("engagement:hub", "norway", ["level", "group", "year", "page"]),
    ("participation:index", None, ["page", "hub"]),
    ("participation:proposals", None, ["hub", "consultation", "status", "order", "page"]),
    ("participation:hub", "norway", ["status", "page"]),
    ("participation:moderation", None, ["hub", "consultation", "status", "order", "page"]),
    ("synergies:catalogue", None, ["programme", "objective", "q", "page"]),
    ("synergies:graph", None, ["country"]),
    ("synergies:matrix", None, ["country", "page"]),
    ("assessment:network", None, ["sort", "page"]),
    ("assessment:mapping", None, ["question"]),
    ("assessment:mapping_export", None, ["question"]),
]


def _page_cases() -> list:
    return [
        pytest.param(name, arg, param, value, id=f"{name}-{param}={value}")
        for name, arg, params in PAGES
        for param in params
        for value in EXTREMES
    ]


@pytest.fixture
def network_client(login, personas):
    return login(personas["network"])


@pytest.mark.parametrize(("name", "arg", "param", "value"), _page_cases())
def test_page_filter_with_extreme_value_is_never_a_500(
    client, network_client, hubs, name, arg, param, value
):
    url = reverse(name, args=[hubs[arg].pk] if arg else [])
    for visitor in (client, network_client):
        response = visitor.get(url, {param: value})
        assert response.status_code < 500, (url, param, value, response.status_code)


def _api_operations():
    """Every GET operation of the API with its path and query parameters, from the schema."""
    from echos.api import api

    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        for parameter in operation.get("parameters", []):
            yield path, parameter["name"], parameter["in"]


# Path parameters that name something by code rather than by id.
PATH_SAMPLES = {"vocabulary": "objectives", "code": "NO", "key": "x", "fmt": "gexf"}


def _api_cases() -> list:
    return [
        pytest.param(path, param, where, value, id=f"{path}-{param}={value}")
        for path, param, where in _api_operations()
        for value in EXTREMES
    ]


@pytest.mark.parametrize(("path", "param", "where", "value"), _api_cases())
def test_api_filter_with_extreme_value_is_refused_naming_the_field(
    token_client, personas, path, param, where, value
):
    client = token_client(personas["network"])
    url = path.replace("{" + param + "}", value) if where == "path" else path
    # Other path parameters name an object that may not exist: a 404 is then a fair answer.
    url = re.sub(r"\{([^}]+)\}", lambda m: PATH_SAMPLES.get(m.group(1), "1"), url)
    response = client.get(url, {param: value} if where == "query" else {})
    assert response.status_code < 500, (url, param, value, response.content[:300])
    if response.status_code in (400, 422):
        body = response.json()
        assert param in {e["field"] for e in body["errors"]}, body
        assert all(e["message"] for e in body["errors"]), body


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("param", ["from", "to"])
def test_api_calendar_date_out_of_range_names_the_field(client, param, value):
    response = client.get("/api/v1/events", {param: value})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == param and "YYYY-MM-DD" in error["message"]


@pytest.mark.parametrize("page", ["events:calendar", "events:month_current"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("param", ["from", "to"])
def test_calendar_date_out_of_range_is_ignored_and_said(client, page, param, value):
    response = client.get(reverse(page), {param: value})
    assert response.status_code == 200
    assert "not understood" in response.content.decode()


def test_a_number_beyond_any_column_is_named_in_words(client):
    response = client.get("/api/v1/organisations", {"hub": str(10**30)})
    if connection.vendor != "sqlite":  # PostgreSQL compares it and finds no row
        assert response.status_code == 200 and response.json()["count"] == 0
        return
    # SQLite cannot bind an integer beyond 64 bits: the answer names the field in words.
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "hub" and "hub" in error["message"]
    assert "too large" in error["message"] and "-9223372036854775807" not in error["message"]
