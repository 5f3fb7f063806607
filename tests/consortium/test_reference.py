"""The public facts load with their sources; where sources disagree both values stay, each with its
sources; the demo's additions are marked as demo."""

from datetime import date

from echos.consortium import progress
from echos.consortium.demo import load_demo, load_reference_consortium, read_reference
from echos.consortium.models import Fact, Output, Partner, Risk, Source


def _values(project, key):
    return {
        (f.value, f.source.key)
        for f in Fact.objects.filter(project=project, key=key).select_related("source")
    }


def test_disagreeing_partner_and_country_counts_keep_both_sources(project):
    assert {("58", "occ-echos"), ("57", "sciensano-echos")} <= _values(project, "partners_count")
    assert {("28", "occ-echos"), ("26", "sciensano-echos")} <= _values(project, "countries_count")
    starts = _values(project, "start")
    assert ("2023-04", "occ-echos") in starts and ("2023-05", "sciensano-echos") in starts


def test_disagreements_are_found_by_one_query(project, django_assert_num_queries):
    with django_assert_num_queries(1):
        keys = Fact.objects.filter(project=project).disagreeing_keys()
    assert {"partners_count", "countries_count", "start", "end"} <= keys
    assert "grant_agreement" not in keys and "coordinator" not in keys


def test_summary_shows_both_values_with_their_sources(project):
    facts = {f.key: f for f in progress.summary(date(2024, 1, 1), project).facts}
    partners = facts["partners_count"]
    assert partners.disputed
    by_value = {v.value: {s["url"] for s in v.sources} for v in partners.values}
    assert "https://oslocancercluster.no/echos/" in by_value["58"]
    assert any("e-cancer.be" in url for url in by_value["57"])
    assert not facts["grant_agreement"].disputed
    assert facts["grant_agreement"].values[0].value == "101104587"


def test_every_fact_and_partner_has_a_public_source(project):
    assert not Fact.objects.filter(source__url="").exists()
    assert all(s.url.startswith("https://") for s in Source.objects.all())
    assert not Partner.objects.filter(project=project, source__isnull=True).exists()


def test_reference_file_notes_what_no_source_confirmed():
    doc = read_reference()
    assert "partner list" in doc["note"]
    keys = {s["key"] for s in doc["sources"]}
    assert {f["source"] for f in doc["facts"]} <= keys
    assert {p["source"] for p in doc["partners"]} <= keys


def test_reference_loads_only_sourced_facts_and_no_invented_outputs(project):
    assert not Output.objects.exists()
    assert not Risk.objects.exists()
    sciensano = Partner.objects.get(project=project, organisation__name="Sciensano")
    assert project.work_packages.get(number=5).lead == sciensano
    acc = Partner.objects.get(project=project, organisation__name="Alleanza Contro il Cancro")
    assert acc.role == "affiliated_entity"
    assert acc.affiliated_to.organisation.name == "Università Cattolica del Sacro Cuore"


def test_loaders_are_idempotent(demo):
    counts = (Fact.objects.count(), Partner.objects.count(), Output.objects.count())
    load_reference_consortium()
    assert load_demo() == {"skipped": True}
    assert (Fact.objects.count(), Partner.objects.count(), Output.objects.count()) == counts


def test_demo_additions_are_marked_demo(demo):
    assert Output.objects.exists() and not Output.objects.filter(is_demo=False).exists()
    assert Risk.objects.exists() and not Risk.objects.filter(is_demo=False).exists()


def test_loads_after_the_hubs_reference_and_reuses_its_organisations(db):
    from echos.hubs.demo import load_reference_hubs
    from echos.hubs.models import Organisation

    load_reference_hubs()
    before = set(Organisation.objects.values_list("pk", flat=True))
    load_reference_consortium()
    aicib = Partner.objects.get(role="coordinator").organisation
    assert aicib.pk in before and aicib.country_id == "PT"
    occ = Partner.objects.get(organisation__name="Oslo Cancer Cluster").organisation
    assert occ.pk in before
    new = set(Organisation.objects.values_list("name", flat=True).exclude(pk__in=before))
    assert "Sciensano" in new and "Oslo Cancer Cluster" not in new
