"""A write that cannot get the database lock is answered 503 with Retry-After, never 500."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from echos.core.dblock import is_lock_timeout
from echos.events import services as event_services
from echos.hubs import imports
from echos.hubs import services as hub_services
from tests.events import race

pytestmark = pytest.mark.django_db

LOCKED = OperationalError("database is locked")


class _PostgresError(Exception):
    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _postgres(sqlstate: str) -> OperationalError:
    exc = OperationalError("canceling statement")
    exc.__cause__ = _PostgresError(sqlstate)
    return exc


@pytest.fixture
def event(db):
    return race.make_event(capacity=10)


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


@pytest.mark.parametrize(
    "exc, busy",
    [
        (LOCKED, True),
        (OperationalError("database table is locked: hubs_membership"), True),
        (_postgres("55P03"), True),  # lock_timeout
        (_postgres("40P01"), True),  # deadlock_detected
        (_postgres("40001"), True),  # serialization_failure
        (_postgres("42P01"), False),  # undefined_table: a real fault
        (OperationalError("no such table: hubs_hub"), False),
        (ValueError("database is locked"), False),
    ],
)
def test_which_errors_mean_the_database_is_busy(exc, busy):
    assert is_lock_timeout(exc) is busy


def test_a_locked_registration_is_a_503_page_in_the_site_frame(event, client, monkeypatch):
    monkeypatch.setattr(event_services, "register", locked)
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"name": "Kari", "email": "kari@example.invalid", "consent": "on"},
    )
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    page = response.content.decode()
    assert "Nothing was saved" in page and "</nav>" in page
    assert not event.registrations.exists()


def test_a_locked_import_is_a_503_page(hubs, personas, login, monkeypatch):
    monkeypatch.setattr(imports, "run_import", locked)
    upload = SimpleUploadedFile("m.csv", b"organisation,role\nOslo Cancer Cluster,member\n")
    response = login(personas["coord_no"]).post(
        f"/hubs/{hubs['vestland'].pk}/members/import/", {"file": upload}
    )
    assert response.status_code == 503 and "Retry-After" in response


def test_a_locked_api_write_is_a_json_503(hubs, personas, token_client, monkeypatch):
    monkeypatch.setattr(hub_services, "create_organisation", locked)
    response = token_client(personas["coord_no"]).post(
        "/api/v1/organisations",
        json.dumps({"name": "Busy Org", "country": "NO", "stakeholder_group": "research"}),
        content_type="application/json",
    )
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "busy" in response.json()["detail"]


def test_a_lock_timeout_on_postgresql_is_a_503_too(event, client, monkeypatch):
    def lock_timeout(*args, **kwargs):
        raise _postgres("55P03")

    monkeypatch.setattr(event_services, "register", lock_timeout)
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"name": "Kari", "email": "kari@example.invalid", "consent": "on"},
    )
    assert response.status_code == 503


def test_other_database_errors_are_not_hidden(event, client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: events_registration")

    monkeypatch.setattr(event_services, "register", broken)
    with pytest.raises(OperationalError, match="no such table"):
        client.post(
            reverse("events:register", args=[event.pk]),
            {"name": "Kari", "email": "kari@example.invalid", "consent": "on"},
        )
