"""Consortium API: public reads, risks for the secretariat and partners' staff, writes for network
coordinators, errors naming the field; each allowed case has its denied twin."""

import pytest

from echos.consortium.models import Output, Risk, WorkPackage

ROLES = ["anonymous", "coord_no", "coord_pt", "editor_no", "member_no", "network"]
READS = [
    "/api/v1/consortium/project",
    "/api/v1/consortium/progress",
    "/api/v1/consortium/sources",
    "/api/v1/consortium/facts",
    "/api/v1/consortium/partners",
    "/api/v1/consortium/work-packages",
    "/api/v1/consortium/outputs",
    "/api/v1/consortium/reporting-periods",
]


@pytest.mark.parametrize("url", READS)
@pytest.mark.parametrize("role", ["anonymous", "coord_pt", "network"])
def test_public_reads(api, personas, demo, url, role):
    assert api(personas[role]).get(url).status_code == 200


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 401),
        ("coord_no", 403),
        ("coord_pt", 403),
        ("editor_no", 403),
        ("member_no", 403),
        ("network", 200),
    ],
)
def test_risks_matrix(api, personas, demo, role, status):
    r = api(personas[role]).get("/api/v1/consortium/risks")
    assert r.status_code == status
    if status == 200:
        assert r.json()["count"] == Risk.objects.count()


def test_partner_staff_read_risks(api, staff, demo):
    r = api(staff).get("/api/v1/consortium/risks", {"status": "open"})
    assert r.status_code == 200 and r.json()["items"][0]["level"] == "high"


def test_project_shows_disagreements_with_both_sources(api, demo):
    facts = {f["key"]: f for f in api(None).get("/api/v1/consortium/project").json()["facts"]}
    partners = facts["partners_count"]
    assert partners["disputed"] is True
    by_value = {v["value"]: {s["key"] for s in v["sources"]} for v in partners["values"]}
    assert "occ-echos" in by_value["58"] and "sciensano-echos" in by_value["57"]
    assert facts["grant_agreement"]["disputed"] is False


def test_outputs_overdue_flag_and_filter(api, demo):
    wp = WorkPackage.objects.get(project=demo, number=5)
    Output.objects.create(work_package=wp, kind="milestone", number="MS7", title="x", due_month=1)
    body = api(None).get("/api/v1/consortium/outputs", {"overdue": "true"}).json()
    assert "MS7" in {o["number"] for o in body["items"]}
    assert all(o["overdue"] for o in body["items"])
    r = api(None).get("/api/v1/consortium/outputs", {"kind": "nonsense"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "kind"


NEW_OUTPUT = {
    "kind": "deliverable",
    "number": "D5.3",
    "title": "Report",
    "work_package": 5,
    "due_month": 30,
}


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 401),
        ("coord_no", 403),
        ("coord_pt", 403),
        ("editor_no", 403),
        ("member_no", 403),
        ("network", 201),
    ],
)
def test_create_output_matrix(api, personas, demo, role, status):
    r = api(personas[role]).post(
        "/api/v1/consortium/outputs", NEW_OUTPUT, content_type="application/json"
    )
    assert r.status_code == status
    assert Output.objects.filter(number="D5.3").exists() == (status == 201)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"due_month": 40}, "due_month"),
        ({"due_month": 0}, "due_month"),
        ({"number": "D3.3"}, "number"),
        ({"work_package": 9}, "work_package"),
        ({"kind": "report"}, "kind"),
        ({"source": "nowhere"}, "source"),
        ({"dissemination": "CO"}, "dissemination"),
    ],
)
def test_bad_output_names_the_field(api, personas, demo, change, field):
    r = api(personas["network"]).post(
        "/api/v1/consortium/outputs", {**NEW_OUTPUT, **change}, content_type="application/json"
    )
    assert r.status_code in (400, 422)
    assert r.json()["errors"][0]["field"] == field
    assert not Output.objects.filter(title="Report").exists()


def test_patch_output_status(api, personas, demo):
    o = Output.objects.get(number="D5.1")
    url = f"/api/v1/consortium/outputs/{o.pk}"
    r = api(personas["coord_no"]).patch(
        url, {"status": "submitted"}, content_type="application/json"
    )
    assert r.status_code == 403
    r = api(personas["network"]).patch(
        url, {"status": "submitted", "submitted_on": "2024-12-01"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted" and not r.json()["overdue"]


def test_task_number_outside_its_work_package_names_number(api, personas, demo):
    r = api(personas["network"]).post(
        "/api/v1/consortium/tasks",
        {"work_package": 3, "number": "5.1", "title": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "number"
    r = api(personas["network"]).post(
        "/api/v1/consortium/tasks",
        {"work_package": 3, "number": "3.1", "title": "x", "start_month": 2, "end_month": 8},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["number"] == "3.1"


def test_period_ending_before_it_starts_names_end_month(api, personas, project):
    r = api(personas["network"]).post(
        "/api/v1/consortium/reporting-periods",
        {"number": 1, "start_month": 12, "end_month": 6},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "end_month"


def test_fact_with_a_second_source_is_kept_beside_the_first(api, personas, project):
    body = {"key": "countries_count", "value": "27", "source": "vzc-echos"}
    r = api(personas["coord_no"]).post(
        "/api/v1/consortium/facts", body, content_type="application/json"
    )
    assert r.status_code == 403
    r = api(personas["network"]).post(
        "/api/v1/consortium/facts", body, content_type="application/json"
    )
    assert r.status_code == 201
    facts = api(None).get("/api/v1/consortium/project").json()["facts"]
    countries = next(f for f in facts if f["key"] == "countries_count")
    values = {v["value"] for v in countries["values"]}
    assert {"26", "27", "28"} <= values


def test_risk_write_and_unknown_work_package(api, personas, project):
    body = {"number": 9, "description": "x", "likelihood": "high", "impact": "low"}
    r = api(personas["network"]).post(
        "/api/v1/consortium/risks", {**body, "work_package": 7}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "work_package"
    r = api(personas["network"]).post(
        "/api/v1/consortium/risks", body, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["level"] == "medium"


def test_progress_on_a_day(api, demo):
    body = api(None).get("/api/v1/consortium/progress", {"on": "2025-04-15"}).json()
    assert body["project_month"] == 25 and body["period"]["number"] == 2
    assert api(None).get("/api/v1/consortium/progress", {"on": "2025-13-01"}).status_code == 422


def test_deliverable_held_by_a_library_resource(api, personas, demo):
    from echos.library.models import Resource

    resource = Resource.objects.create(title="D5.1 report", language="en", type="report")
    o = Output.objects.get(number="D5.1")
    url = f"/api/v1/consortium/outputs/{o.pk}"
    r = api(personas["network"]).patch(url, {"resource": 999999}, content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "resource"
    r = api(personas["network"]).patch(
        url, {"resource": resource.pk}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["resource"] == resource.pk


def test_list_queries_constant_in_data_size(api, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(None)
    urls = [
        "/api/v1/consortium/outputs",
        "/api/v1/consortium/work-packages",
        "/api/v1/consortium/partners",
        "/api/v1/consortium/project",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    small = counts()
    wp = WorkPackage.objects.get(project=demo, number=3)
    Output.objects.bulk_create(
        Output(work_package=wp, kind="milestone", number=f"MS{n}", title="x", due_month=n % 36 + 1)
        for n in range(20, 70)
    )
    from echos.consortium.models import Task

    Task.objects.bulk_create(
        Task(work_package=wp, number=f"3.{n}", title="t") for n in range(1, 30)
    )
    assert counts() == small
