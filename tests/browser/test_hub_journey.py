"""A visitor sees the map and filters the directory; Norway's coordinator records a stage change."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from echos.core.models import Country, Term, User
from echos.hubs import services
from echos.hubs.models import HubRole

PASSWORD = "a long demo password 2026"


@pytest.fixture
def data(reference_data):
    research = Term.objects.get(vocabulary="stakeholder_groups", code="research")
    norway = services.create_hub(
        actor=None,
        country=Country.objects.get(pk="NO"),
        level="national",
        name="Kreftmisjonshub Norge",
        name_en="Cancer Mission Hub Norway",
        stage="launched",
        stage_date=date(2024, 1, 10),
    )
    poland = services.create_hub(
        actor=None,
        country=Country.objects.get(pk="PL"),
        level="national",
        name="Polski Hub",
        name_en="Polish Cancer Mission Hub",
        stage="launched",
        stage_date=date(2025, 5, 20),
    )
    org = services.create_organisation(
        actor=None, name="Oslo Cancer Cluster", country=norway.country, stakeholder_group=research
    )
    services.add_membership(actor=None, hub=norway, organisation=org, role="coordinating_group")
    user = User.objects.create_user("coordinator-no", password=PASSWORD)
    HubRole.objects.create(user=user, hub=norway, role="coordinator")
    return {"norway": norway, "poland": poland}


def test_map_directory_login_and_stage_change(page, live_server, data):
    page.goto(live_server.url + "/")
    # The Vega map draws one path per country with a stage colour, and the table says the same.
    expect(page.locator("#europe-map.vega-ready svg")).to_be_visible(timeout=15000)
    assert page.locator("#europe-map svg path").count() > 40
    expect(page.get_by_role("row", name=re.compile("Norway"))).to_contain_text("Launched")
    expect(page.get_by_role("row", name=re.compile("France"))).to_contain_text("No hub yet")

    page.goto(live_server.url + "/hubs/")
    expect(page.locator(".result-count")).to_contain_text("2 hubs")
    page.get_by_label("Country").select_option("NO")
    expect(page.locator(".result-count")).to_contain_text("1 hub found")
    assert "country=NO" in page.url
    expect(page.locator("#results")).to_contain_text("Cancer Mission Hub Norway")
    expect(page.locator("#results")).not_to_contain_text("Polish")

    page.goto(f"{live_server.url}/accounts/login/?next=/hubs/{data['norway'].pk}/")
    page.get_by_label("Username").fill("coordinator-no")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancer Mission Hub Norway")

    page.get_by_text("Record a stage change").click()
    page.get_by_label("New stage").select_option("operational")
    page.get_by_label("Date of the change").fill("2025-06-02")
    page.get_by_label("Evidence", exact=True).fill("Coordination group meets every month")
    page.get_by_role("button", name="Record stage change").click()
    expect(page.locator(".timeline")).to_contain_text(
        "Coordination group meets every month", timeout=10000
    )
    expect(page.locator("p .stage-chip").first).to_have_text("Operational")
    data["norway"].refresh_from_db()
    assert data["norway"].stage == "operational"
    assert not [e for e in page.js_errors if "favicon" not in e], page.js_errors


def test_backward_stage_change_without_reason_shows_the_error(page, live_server, data):
    page.goto(f"{live_server.url}/accounts/login/?next=/hubs/{data['norway'].pk}/")
    page.get_by_label("Username").fill("coordinator-no")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Record a stage change").click()
    page.get_by_label("New stage").select_option("exploring")
    page.get_by_role("button", name="Record stage change").click()
    expect(page.locator("#stage-form")).to_contain_text("needs a reason")
    data["norway"].refresh_from_db()
    assert data["norway"].stage == "launched"
