"""Every publicly documented hub is in the registry, each fact with its source (issue #15 item 6).

The reference file is read as data: each stage, member and organisation names a source key that
the file's ``sources`` list defines with a title, a publisher, a URL and the date it was checked;
the loader turns them into hubs whose memberships carry the source text."""

from datetime import date

import pytest

from echos.hubs.demo import load_demo, load_reference_hubs, read_json_hubs
from echos.hubs.models import Hub, StageChange

NEW = {"MT", "NL", "IE", "AT"}
ALL = {"NO", "PL", "PT"} | NEW


def _hub(doc: dict, country: str) -> dict:
    return next(h for h in doc["hubs"] if h["country"] == country)


def test_every_fact_names_a_source_the_file_defines():
    doc = read_json_hubs()
    sources = {s["key"]: s for s in doc["sources"]}
    assert len(sources) == len(doc["sources"]), "duplicate source keys"
    for s in doc["sources"]:
        assert s["title"] and s["publisher"] and s["url"].startswith("http"), s["key"]
        date.fromisoformat(s["checked"])
    assert {h["country"] for h in doc["hubs"]} == ALL
    orgs = {o["key"] for o in doc["organisations"]}
    for hub in doc["hubs"]:
        for entry in hub["stages"]:
            assert entry["source"] in sources and entry["evidence"], (hub["key"], entry)
        for member in hub["members"]:
            assert member["source"] in sources and member["organisation"] in orgs
        if hub["host_organisation"]:
            assert hub["host_organisation"] in orgs
    for org in doc["organisations"]:
        if org["country"] in NEW:
            assert org["source"] in sources, org["key"]


def test_disagreeing_sources_are_both_kept():
    doc = read_json_hubs()
    malta = _hub(doc, "MT")
    readings = {(e["stage"], e["source"]) for e in malta["stages"] if e["date"] == "2024-04-01"}
    assert readings == {
        ("establishment", "mt-foundation-launch"),
        ("launched", "mt-times-crihm"),
    }
    ireland_day = next(e for e in _hub(doc, "IE")["stages"] if e["date"] == "2023-09-26")
    assert (
        "ie-hse-mission-day" in ireland_day["note"] and "ie-ucd-mission-day" in ireland_day["note"]
    )


@pytest.mark.django_db
def test_each_new_hub_is_loaded_with_its_sourced_stages_and_members():
    assert load_reference_hubs() == 7
    hubs = {h.country_id: h for h in Hub.objects.national().filter(country_id__in=NEW)}
    assert set(hubs) == NEW and not any(h.is_demo for h in hubs.values())
    assert {c: h.stage for c, h in hubs.items()} == {
        "MT": "launched",
        "NL": "operational",
        "IE": "exploring",
        "AT": "exploring",
    }
    # Malta: the contradicted April 2024 "launch" is kept in the file, not recorded.
    malta = hubs["MT"].stage_changes.order_by("date")
    assert [(s.stage, str(s.date), s.date_precision) for s in malta] == [
        ("establishment", "2024-04-01", "month"),
        ("launched", "2025-11-18", "day"),
    ]
    assert hubs["MT"].host_organisation.name == "Cancer Research and Innovation Foundation (Malta)"
    assert str(hubs["NL"].stage_changes.get(stage="launched").date) == "2022-11-17"
    assert set(hubs["NL"].memberships.values_list("organisation__name", flat=True)) >= {
        "Netherlands Comprehensive Cancer Organisation (IKNL)",
        "KWF Kankerbestrijding (Dutch Cancer Society)",
        "Dutch Federation of Cancer Patient Organisations (NFK)",
    }
    assert hubs["IE"].memberships.count() == 2 and hubs["AT"].memberships.count() == 0
    for hub in hubs.values():
        assert all("http" in m.source for m in hub.memberships.all())
        assert all(s.link.startswith("http") and s.evidence for s in hub.stage_changes.all())
    assert all(o.source for h in hubs.values() for o in [h.host_organisation] if o)


@pytest.mark.django_db
def test_loading_twice_adds_nothing_and_the_demo_leaves_real_countries_alone():
    load_reference_hubs()
    counts = (Hub.objects.count(), StageChange.objects.count())
    assert load_reference_hubs() == 0
    assert (Hub.objects.count(), StageChange.objects.count()) == counts
    load_demo()
    for code in ALL:
        national = Hub.objects.national().filter(country_id=code)
        assert [h.is_demo for h in national] == [False], code
