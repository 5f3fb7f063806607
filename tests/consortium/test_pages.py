"""Consortium pages: public reading, risks for the secretariat and partners' staff only, the
disagreements shown with both sources, overdue flags and the timeline's table."""

from datetime import date

import pytest
from django.urls import reverse

from echos.consortium.models import Output

PUBLIC = ["index", "partners", "workplan", "outputs", "timeline", "periods"]
ROLES = ["anonymous", "coord_no", "coord_pt", "editor_no", "member_no", "network"]


@pytest.mark.parametrize("name", PUBLIC)
@pytest.mark.parametrize("role", ROLES)
def test_public_pages_open_to_everyone(client_for, personas, demo, name, role):
    assert client_for(personas[role]).get(reverse(f"consortium:{name}")).status_code == 200


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 403),
        ("coord_no", 403),
        ("coord_pt", 403),
        ("editor_no", 403),
        ("member_no", 403),  # a hub member who is no partner's staff
        ("network", 200),
    ],
)
def test_risks_page_matrix(client_for, personas, demo, role, status):
    r = client_for(personas[role]).get(reverse("consortium:risks"))
    assert r.status_code == status
    if status == 200:
        assert "R1" in r.content.decode()


def test_partner_staff_read_the_risks(client_for, staff, demo):
    r = client_for(staff).get(reverse("consortium:risks"))
    assert r.status_code == 200 and "demo" in r.content.decode()


def test_risks_link_only_for_those_allowed(client_for, personas, demo):
    url = reverse("consortium:risks")
    assert url not in client_for(None).get(reverse("consortium:index")).content.decode()
    assert url in client_for(personas["network"]).get(reverse("consortium:index")).content.decode()


def test_overview_shows_disagreeing_values_side_by_side(client, demo):
    html = client.get(reverse("consortium:index")).content.decode()
    for text in ("58", "57", "28", "26", "Oslo Cancer Cluster", "Sciensano", "Sources disagree"):
        assert text in html
    assert "101104587" in html and "Funded by the European Union" in html


def test_nav_has_the_consortium(client, demo):
    html = client.get(reverse("consortium:partners")).content.decode()
    assert 'href="/consortium/"' in html


def test_partners_filter_by_role(client, demo):
    html = client.get(
        reverse("consortium:partners"), {"role": "affiliated_entity"}
    ).content.decode()
    assert "Alleanza Contro il Cancro" in html and "Sciensano" not in html
    assert client.get(reverse("consortium:partners"), {"role": "nonsense"}).status_code == 200


def test_outputs_flag_overdue_and_filter(client, demo):
    wp = demo.work_packages.get(number=5)
    Output.objects.create(
        work_package=wp, kind="milestone", number="MS7", title="Long overdue", due_month=1
    )
    html = client.get(reverse("consortium:outputs"), {"overdue": "1"}).content.decode()
    assert "Long overdue" in html and 'class="overdue"' in html
    assert "Stakeholder engagement plan" not in html  # accepted: never overdue
    html = client.get(reverse("consortium:outputs"), {"kind": "deliverable"}).content.decode()
    assert "Long overdue" not in html
    for bad in ({"work_package": "999999999999"}, {"status": "x"}, {"kind": "<script>"}):
        assert client.get(reverse("consortium:outputs"), bad).status_code == 200


def test_timeline_has_chart_and_table(client, demo):
    html = client.get(reverse("consortium:timeline")).content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "<caption>" in html and "Timeline as a table" in html
    assert "WP5 Future EU network" in html
    assert "due in month 20" in html
    assert 'class="gantt-box"' in html  # scrolls inside its box at 390 px


def test_pages_without_a_project(client, db):
    for name in PUBLIC:
        assert client.get(reverse(f"consortium:{name}")).status_code == 200


def test_timeline_queries_constant(client, demo, django_assert_max_num_queries):
    wp = demo.work_packages.get(number=3)
    with django_assert_max_num_queries(12):
        client.get(reverse("consortium:timeline"))
    Output.objects.bulk_create(
        Output(work_package=wp, kind="milestone", number=f"MS{n}", title="x", due_month=n % 36 + 1)
        for n in range(20, 60)
    )
    with django_assert_max_num_queries(12):
        client.get(reverse("consortium:timeline"))


@pytest.mark.parametrize(
    "today,text,line",
    [
        (date(2025, 4, 15), "Today is project month 25 of 36.", True),
        (
            date(2026, 12, 4),
            "The project's 36 months are over (today would be month 45).",
            False,
        ),
        (date(2023, 1, 2), "The project has not started yet.", False),
    ],
)
def test_calendar_and_todays_line(client, demo, monkeypatch, today, text, line):
    from echos.consortium import views

    monkeypatch.setattr(views.timezone, "localdate", lambda: today)
    assert text in client.get(reverse("consortium:index")).content.decode()
    html = client.get(reverse("consortium:timeline")).content.decode()
    assert text in html
    assert ('class="today"' in html) == line


def test_outputs_link_the_library_resource_only_to_those_who_may_see_it(
    client_for, personas, hubs, demo
):
    from echos.library.models import Resource

    public = Resource.objects.create(title="Public report", language="en", type="report")
    private = Resource.objects.create(
        title="Hub draft",
        language="en",
        type="report",
        visibility="hub",
        hub=hubs["norway"],
    )
    Output.objects.filter(number="D3.1").update(resource=public)
    Output.objects.filter(number="D5.1").update(resource=private)
    html = client_for(None).get(reverse("consortium:outputs")).content.decode()
    assert public.get_absolute_url() in html and private.get_absolute_url() not in html
    html = client_for(personas["network"]).get(reverse("consortium:outputs")).content.decode()
    assert private.get_absolute_url() in html


@pytest.mark.parametrize(
    "role,allowed", [("network", True), ("coord_no", False), ("anonymous", False)]
)
def test_admin_edit_is_for_network_coordinators(client_for, personas, demo, role, allowed):
    r = client_for(personas[role]).get("/admin/consortium/output/")
    assert (r.status_code == 200) == allowed


def test_admin_names_the_due_month_outside_the_project(client_for, personas, demo):
    wp = demo.work_packages.get(number=5)
    r = client_for(personas["network"]).post(
        "/admin/consortium/output/add/",
        {
            "work_package": wp.pk,
            "kind": "milestone",
            "number": "MS8",
            "title": "x",
            "due_month": 50,
            "dissemination": "PU",
            "status": "planned",
        },
    )
    assert r.status_code == 200  # the form again, with the error on the field
    assert "outside the project" in r.content.decode()
    assert not Output.objects.filter(number="MS8").exists()
