"""Multistakeholder use cases: the network writes them, everyone reads them with the hubs that
engage their groups at "involve" or above (and the groups each hub lacks), in bounded queries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from echos.core.exceptions import RuleViolation
from echos.engagement import usecases
from echos.engagement.models import UseCase

FORM = {
    "title": "Survivorship passport",
    "mission_action": "smartCARE",
    "description": "Survivors, care providers and employers shape the card together.",
    "groups": ["patients", "healthcare_providers", "beyond_health"],
    "source": "",
}


@pytest.fixture
def case(db):
    return usecases.save_use_case(actor=None, **{**FORM, "groups": ["patients", "research"]})


def test_service_refuses_bad_input_naming_the_field(db, personas):
    network = personas["network"]
    for change, field in [
        ({"groups": []}, "groups"),
        ({"groups": ["patients", "astronauts"]}, "groups"),
        ({"title": " "}, "title"),
        ({"mission_action": ""}, "mission_action"),
        ({"title": "x" * 251}, "title"),
    ]:
        with pytest.raises(RuleViolation) as exc:
            usecases.save_use_case(actor=network, **{**FORM, **change})
        assert exc.value.field == field
    with pytest.raises(PermissionDenied):
        usecases.save_use_case(actor=personas["coord_no"], **FORM)
    assert not UseCase.objects.exists()


@pytest.mark.parametrize(
    "who,status",
    [("anonymous", 302), ("member_no", 403), ("editor_no", 403), ("coord_no", 403),
     ("coord_pt", 403), ("network", 302)],
)  # fmt: skip
def test_who_may_create_a_use_case(personas, login, who, status):
    page = login(personas[who]).post(reverse("engagement:use_case_create"), FORM)
    assert page.status_code == status
    created = UseCase.objects.filter(title=FORM["title"]).exists()
    assert created is (who == "network")


@pytest.mark.parametrize("who,status", [("coord_no", 403), ("network", 302)])
def test_who_may_edit_and_delete(case, personas, login, who, status):
    client = login(personas[who])
    edited = client.post(
        reverse("engagement:use_case_edit", args=[case.pk]), {**FORM, "title": "T"}
    )
    assert edited.status_code == status
    case.refresh_from_db()
    assert (case.title == "T") is (who == "network")
    deleted = client.post(reverse("engagement:use_case_delete", args=[case.pk]))
    assert deleted.status_code == status
    assert UseCase.objects.filter(pk=case.pk).exists() is (who != "network")


def test_form_errors_name_the_field(personas, login):
    page = login(personas["network"]).post(
        reverse("engagement:use_case_create"), {**FORM, "groups": ["astronauts"]}
    )
    assert page.status_code == 422
    assert "astronauts" in page.content.decode()


def test_pages_are_public_and_list_the_hubs_with_the_groups_they_lack(
    case, hubs, make_record, login
):
    today = timezone.localdate()
    make_record(date=today - timedelta(days=10), level="collaborate",
                stakeholder_groups=["patients", "research"])  # fmt: skip
    make_record(hub=hubs["portugal"], date=today - timedelta(days=10), level="involve",
                stakeholder_groups=["research"], language="pt", region=None)  # fmt: skip
    make_record(hub=hubs["bergen"], date=today - timedelta(days=10), level="inform",
                stakeholder_groups=["patients", "research"])  # fmt: skip
    listing = login(None).get(reverse("engagement:use_cases"))
    assert listing.status_code == 200 and case.title in listing.content.decode()
    page = login(None).get(reverse("engagement:use_case", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    table = html.split('id="hub-coverage"')[1]
    assert "Cancer Mission Hub Norway" in table and "National Cancer Hub Portugal" in table
    portugal_row = table.split("National Cancer Hub Portugal")[1].split("</tr>")[0]
    assert "Patients and patient organisations" in portugal_row  # what Portugal lacks
    assert "Bergen hub" not in table  # informing is not involving
    assert "1 hub engages all of the groups." in html


def test_period_is_adjustable_and_checked(case, hubs, make_record, login):
    make_record(date=date(2024, 3, 1), level="empower", stakeholder_groups=["patients", "research"])
    target = reverse("engagement:use_case", args=[case.pk])
    html = login(None).get(target, {"start": "2024-01-01", "end": "2024-12-31"}).content.decode()
    assert "1 hub engages all of the groups." in html
    bad = login(None).get(target, {"start": "2024-12-31", "end": "2024-01-01"})
    assert bad.status_code == 400 and "before its start" in bad.content.decode()


def many_hubs_with_records(n: int):
    """``n`` hubs of Portugal's country, each with a record reaching patients at "involve"."""
    from echos.core.models import Term
    from echos.engagement.models import EngagementRecord
    from echos.hubs.models import Hub

    hubs = Hub.objects.bulk_create(
        Hub(country_id="PT", level="local", name=f"Hub {i}", name_en=f"Hub {i}") for i in range(n)
    )
    level = Term.objects.get(vocabulary="engagement_levels", code="involve")
    patients = Term.objects.get(vocabulary="stakeholder_groups", code="patients")
    day = timezone.localdate() - timedelta(days=3)
    records = EngagementRecord.objects.bulk_create(
        EngagementRecord(hub=h, title="R", description="d", date=day, level=level,
                         format="meeting", language="pt")
        for h in hubs
    )  # fmt: skip
    through = EngagementRecord.stakeholder_groups.through
    through.objects.bulk_create(through(engagementrecord=r, term=patients) for r in records)


@pytest.mark.parametrize("size", [3, 40])
def test_use_case_page_queries_do_not_grow_with_hubs_and_records(case, login, size):
    many_hubs_with_records(size)
    client = login(None)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("engagement:use_case", args=[case.pk]))
    assert page.status_code == 200
    assert f"{size} hubs engage some of them." in page.content.decode()
    assert len(queries) <= 8, [q["sql"] for q in queries.captured_queries]


def test_demo_loader_adds_labelled_use_cases_and_half_year_snapshots(hubs, make_record):
    from echos.engagement import demo_network
    from echos.engagement.models import NetworkSnapshot
    from echos.hubs.models import Hub

    Hub.objects.filter(pk=hubs["norway"].pk).update(is_demo=True)
    today = timezone.localdate()
    make_record(date=today - timedelta(days=300), is_demo=True)
    make_record(date=today - timedelta(days=20), is_demo=True)
    first = demo_network.load_demo()
    assert first["use_cases"] == 3 and first["network_snapshots"] >= 2
    assert all(c.is_demo and c.source.startswith("https://") for c in UseCase.objects.all())
    labels = list(
        NetworkSnapshot.objects.filter(hub=hubs["norway"]).values_list("label", flat=True)
    )
    assert len(labels) == first["network_snapshots"] and all("(demo)" in x for x in labels)
    assert demo_network.load_demo() == {"use_cases": 0, "network_snapshots": 0}  # idempotent


def test_demo_use_cases_name_actions_of_the_initiatives_reference_data():
    import json
    from pathlib import Path

    import echos.synergies
    from echos.engagement import demo_network

    data = json.loads(
        (Path(echos.synergies.__file__).parent / "data" / "initiatives.json").read_text()
    )
    urls = {s["key"]: s["url"] for s in data["sources"]}
    known = {
        f"{i['name']} ({i['acronym']})": urls[i["source"]]
        for i in data["initiatives"]
        if i["programme"] == "mission_on_cancer"
    }
    for _title, action, source, _groups, _why in demo_network.USE_CASES:
        assert known.get(action) == source, action
