"""`echos consortium progress|facts|load`: the figures of ``progress.summary`` and of the API,
the facts with their sources (disagreements side by side), the idempotent loader; each bad
option is a CommandError naming it."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from echos.consortium import progress
from echos.consortium.models import Fact, Project, Source

pytestmark = pytest.mark.django_db
ON = "2024-06-15"


def run(*args) -> str:
    out = io.StringIO()
    call_command("consortium", *args, stdout=out)
    return out.getvalue()


def test_progress_json_is_the_summary_and_the_api(demo, client):
    data = json.loads(run("progress", "--on", ON, "--format", "json"))
    summary = progress.summary(date(2024, 6, 15))
    assert data["project_month"] == summary.project_month
    assert data["overdue"] == summary.overdue and data["partners"] == summary.partners
    api = client.get("/api/v1/consortium/progress", {"on": ON}).json()
    for key in ("project_month", "months", "partners", "overdue", "open_risks_by_level"):
        assert data[key] == api[key], key
    assert data["work_packages"] == api["work_packages"]
    assert data["period"]["number"] == api["period"]["number"]


def test_progress_text(demo):
    text = run("progress", "--on", ON)
    summary = progress.summary(date(2024, 6, 15))
    assert f"project month {summary.project_month} of {summary.months}" in text
    assert f"Overdue outputs: {summary.overdue}" in text and "Open risks:" in text


def test_facts_show_every_source_and_disagreements_side_by_side(project):
    text = run("facts")
    for source in Source.objects.filter(facts__isnull=False).distinct():
        assert source.url in text
    disputed = json.loads(run("facts", "--disputed", "--format", "json"))
    keys = set(Fact.objects.filter(project=project).disagreeing_keys())
    assert {f["key"] for f in disputed} == keys and keys
    assert all(len(f["values"]) > 1 and f["disputed"] for f in disputed)
    only = run("facts", "--disputed")
    assert "sources disagree" in only
    assert only.count("sources disagree") == len(keys)


def test_load_is_idempotent(hubs):
    first = run("load")
    counts = (Project.objects.count(), Source.objects.count(), Fact.objects.count())
    again = run("load")
    assert "0 new facts" in again and "0 new facts" not in first
    assert (Project.objects.count(), Source.objects.count(), Fact.objects.count()) == counts
    assert counts[0] == 1 and counts[2] > 0


def test_without_a_project_progress_says_to_load(db):
    with pytest.raises(CommandError, match="consortium load"):
        run("progress")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["progress", "--on", "2026-13-01"], "--on"),
        (["progress", "--on", "tomorrow"], "--on"),
        (["progress", "--format", "csv"], "--format"),
        (["facts", "--format", "xml"], "--format"),
    ],
)
def test_bad_options_name_the_option(project, args, named):
    with pytest.raises(CommandError) as info:
        run(*args)
    assert named in str(info.value)
