"""The open-data dump: a valid Frictionless Data Package of public facts, streamed and atomic."""

import csv
import json
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models

from echos.core import opendata, registry
from echos.core.privacy import PERSONAL_KEYS
from echos.hubs.models import Person
from echos.reports import opendata_dump

frictionless = pytest.importorskip("frictionless")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture
def demo(db):
    """The whole demo: every app's public facts and its invented people."""
    for load in registry.demo_loaders():
        load()


def personal_fields() -> tuple[set[str], set[tuple[str, str]]]:
    """Column names and (model, field) pairs that hold personal data.

    Collected from the privacy sections: the keys they strip from exports (``PERSONAL_KEYS``),
    and for every model a privacy module handles, its e-mail fields, its links to an account and
    the person fields (name, phone) of the models that describe one person.
    """
    user_model = get_user_model()
    names = set(PERSONAL_KEYS)
    pairs: set[tuple[str, str]] = set()
    privacy_models = [
        value
        for module in registry.privacy_modules().values()
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, models.Model)
    ]
    assert Person in privacy_models and len(privacy_models) > 10
    for model in privacy_models:
        for field in model._meta.get_fields():
            link = getattr(field, "related_model", None) is user_model
            person = field.name in {"name", "phone", "position"} and any(
                isinstance(f, models.EmailField) for f in model._meta.get_fields()
            )
            if isinstance(field, models.EmailField) or link or person:
                pairs.add((model._meta.label, field.name))
                if field.name != "name" and field.name != "position":
                    # Hubs, organisations and vocabularies have public names and positions (order):
                    # those two are checked on the person models only, through ``pairs``.
                    names.add(field.name)
    return names, pairs


def test_every_app_declares_its_tables():
    declared = {t.name for t in opendata.tables()}
    assert {"countries", "hubs", "hub_memberships", "initiatives", "events"} <= declared
    assert {"consultation_results", "engagement_records", "library_resources"} <= declared
    assert len(declared) == len(opendata.tables())  # names are unique


def test_the_dump_validates_and_holds_no_personal_data(demo, tmp_path):
    target = tmp_path / "dump"
    descriptor = opendata_dump.write_dump(target)
    report = frictionless.validate(str(target / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"

    names, pairs = personal_fields()
    people = set(Person.objects.values_list("name", flat=True)) | {
        u.get_full_name() for u in get_user_model().objects.all() if u.get_full_name()
    }
    people.discard("")
    assert people, "the demo has invented people to look for"
    tables = {t.name: t for t in opendata.tables()}
    rows_seen = 0
    for resource in descriptor["resources"]:
        table = tables[resource["path"].removeprefix("data/").removesuffix(".csv")]
        model_fields = set()
        if table.model:
            model = registry.apps.get_model(table.model)
            model_fields = {f.name for f in model._meta.get_fields()}
        with (target / resource["path"]).open(encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            assert header == [field["name"] for field in resource["schema"]["fields"]]
            for column in header:
                assert column not in names, f"{table.name}.{column} is a personal field"
                if column in model_fields:
                    assert (model._meta.label, column) not in pairs, f"{table.name}.{column}"
            for row in reader:
                rows_seen += 1
                for value in row:
                    assert not EMAIL.search(value), f"{table.name}: an e-mail address {value!r}"
                    assert value not in people, f"{table.name}: a person's name {value!r}"
    assert rows_seen > 100


def test_the_personal_field_check_finds_a_personal_column(demo):
    """Denied twin: a table exposing contact people would be caught by the same lists."""
    names, pairs = personal_fields()
    assert "email" in names and "phone" in names
    assert ("hubs.Person", "name") in pairs


def test_the_dump_replaces_the_old_one_atomically(hubs, tmp_path):
    target = tmp_path / "dump"
    opendata_dump.write_dump(target)
    (target / "stale.txt").write_text("from the previous dump")

    def broken():
        yield ("x",)
        raise RuntimeError("database went away")

    bad = opendata.Table("broken", "Broken", "", (opendata.Field("a", "string", ""),), broken)
    with pytest.raises(RuntimeError):
        opendata_dump.write_dump(target, tables=[*opendata.tables(), bad])
    assert (target / "stale.txt").exists()  # the previous dump is intact
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dump-")]

    opendata_dump.write_dump(target)
    assert not (target / "stale.txt").exists()


def test_the_hub_table_has_typed_values(hubs, tmp_path):
    opendata_dump.write_dump(tmp_path / "d")
    with (tmp_path / "d" / "data" / "hubs.csv").open() as f:
        rows = {r["name_en"]: r for r in csv.DictReader(f)}
    norway = rows["Cancer Mission Hub Norway"]
    assert norway["country"] == "NO" and norway["stage"] == "launched"
    assert norway["stage_since"] == "2024-01-10" and norway["is_demo"] == "false"


def test_the_command_writes_a_dump(hubs, tmp_path, capsys):
    call_command("opendata", "-o", str(tmp_path / "out"))
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    assert any(r["path"] == "data/hubs.csv" for r in descriptor["resources"])
    assert "hubs" in capsys.readouterr().err


def test_the_zip_holds_the_dump(hubs, tmp_path):
    opendata_dump.write_dump(tmp_path / "d")
    opendata_dump.write_zip(tmp_path / "d", tmp_path / "d.zip")
    names = zipfile.ZipFile(tmp_path / "d.zip").namelist()
    assert "datapackage.json" in names and "data/hubs.csv" in names


def test_the_open_data_page_lists_tables_licence_and_public_endpoints(
    hubs, client, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    page = client.get("/reports/open-data/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "data/hubs.csv" in html and "CC BY 4.0" in html
    assert "/api/v1/hubs" in html  # a public read endpoint of the API, listed as open data
    assert "/api/v1/reports/jobs" not in html  # needs a token: not open data
    assert 'href="/reports/open-data/"' in html  # the footer link, on every page
    assert 'href="/reports/open-data/"' in client.get("/").content.decode()


def test_the_zip_is_built_on_first_request_then_served_from_the_build(
    hubs, client, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    assert client.get("/reports/open-data/datapackage.json").status_code == 404
    response = client.get("/reports/open-data/echos-open-data.zip")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"PK")
    built = opendata_dump.zip_path().stat().st_mtime_ns
    client.get("/reports/open-data/echos-open-data.zip")
    assert opendata_dump.zip_path().stat().st_mtime_ns == built  # not rebuilt per request
    assert client.get("/reports/open-data/datapackage.json").status_code == 200


def test_the_api_describes_the_open_data(hubs, client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    body = client.get("/api/v1/open-data").json()
    assert body["licence"] == "CC-BY-4.0" and body["created"] is None
    hubs_table = next(r for r in body["resources"] if r["name"] == "hubs")
    assert {
        "name": "stage",
        "type": "string",
        "description": "Current lifecycle stage",
    } in hubs_table["fields"]
    opendata_dump.build_published()
    body = client.get("/api/v1/open-data").json()
    assert (
        body["created"] and next(r for r in body["resources"] if r["name"] == "hubs")["rows"] == 4
    )
    download = client.get("/api/v1/open-data/download")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")


def test_the_nightly_task_publishes_the_dump(hubs, settings, tmp_path):
    from echos.reports.tasks import nightly_open_data

    settings.DATA_DIR = tmp_path
    assert nightly_open_data.call_local() > 10
    assert opendata_dump.published_descriptor()["licenses"][0]["name"] == "CC-BY-4.0"


def test_a_missing_dump_is_queued_once_and_answered_503_meanwhile(
    hubs, client, settings, tmp_path, monkeypatch
):
    """With a separate worker the build is not inline: the page answers 503 with Retry-After and
    queues one build however many people ask."""
    from echos.reports import tasks

    settings.DATA_DIR = tmp_path
    queued = []
    monkeypatch.setattr(tasks, "build_open_data", lambda: queued.append(1))
    for _ in range(3):
        response = client.get("/reports/open-data/echos-open-data.zip")
        assert response.status_code == 503 and response["Retry-After"] == "60"
    assert queued == [1]
