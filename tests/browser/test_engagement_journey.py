"""Norway's coordinator records a citizen dialogue with its participants on the site, then sees the
coverage matrix count it and the impact model's computed indicators change (issue #14)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from echos.core.models import Country, Term, User
from echos.engagement import impact
from echos.hubs import services
from echos.hubs.models import HubRole
from tests.browser.test_accessibility import serious_violations

PASSWORD = "a long demo password 2026"


@pytest.fixture
def data(reference_data):
    patients = Term.objects.get(vocabulary="stakeholder_groups", code="patients")
    norway = services.create_hub(
        actor=None,
        country=Country.objects.get(pk="NO"),
        level="national",
        name="Kreftmisjonshub Norge",
        name_en="Cancer Mission Hub Norway",
        stage="launched",
        stage_date=date(2024, 1, 10),
    )
    org = services.create_organisation(
        actor=None,
        name="Norwegian Cancer Society",
        country=norway.country,
        stakeholder_group=patients,
    )
    services.add_membership(actor=None, hub=norway, organisation=org, role="member")
    user = User.objects.create_user("coordinator-no", password=PASSWORD)
    HubRole.objects.create(user=user, hub=norway, role="coordinator")
    element = impact.save_element(actor=None, hub=norway, stage="outputs", title="Citizens heard")
    dialogues = impact.save_indicator(
        actor=None,
        element=element,
        name="Citizen dialogues held",
        unit="dialogues",
        baseline=0,
        target=4,
        computation="citizen_dialogues_held",
    )
    citizens = impact.save_indicator(
        actor=None,
        element=element,
        name="Citizens taking part",
        unit="participants",
        baseline=0,
        target=100,
        computation="participants_from_group",
        parameter="citizens",
    )
    return {"norway": norway, "dialogues": dialogues, "citizens": citizens}


def citizens_row(page):
    return page.locator("#coverage tbody tr").filter(
        has=page.get_by_role("rowheader", name="Citizens", exact=True)
    )


def test_recorded_dialogue_counts_in_coverage_and_moves_the_indicators(page, live_server, data):
    hub = data["norway"].pk
    dialogues = f"#indicator-{data['dialogues'].pk} .indicator-latest"
    citizens = f"#indicator-{data['citizens'].pk} .indicator-latest"

    page.goto(f"{live_server.url}/engagement/hubs/{hub}/coverage/")
    # Columns: inform, consult, involve, collaborate, empower, all levels, deepest level.
    expect(citizens_row(page).locator("td").nth(5)).to_have_text("0")
    page.goto(f"{live_server.url}/engagement/hubs/{hub}/impact/")
    expect(page.locator(dialogues)).to_have_text("0")
    expect(page.locator(citizens)).to_have_text("0")

    page.goto(f"{live_server.url}/accounts/login/?next=/engagement/hubs/{hub}/new/")
    page.get_by_label("Username").fill("coordinator-no")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record an engagement")

    page.get_by_label("Title").fill("Citizen dialogue on screening in Oslo")
    page.get_by_label("What happened").fill("An evening where citizens discussed screening.")
    page.locator("input[name=level][value=involve]").check()
    page.locator("input[name=stakeholder_groups][value=citizens]").check()
    page.locator("input[name=participants_citizens]").fill("35")
    page.get_by_label("Format").select_option("citizen_dialogue")
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Citizen dialogue on screening in Oslo", timeout=10000
    )

    page.goto(f"{live_server.url}/engagement/hubs/{hub}/coverage/")
    row = citizens_row(page).locator("td")
    expect(row.nth(2)).to_have_text("1")  # involve
    expect(row.nth(5)).to_have_text("1")  # all levels
    expect(row.nth(6)).to_have_text("Involve")

    page.goto(f"{live_server.url}/engagement/hubs/{hub}/impact/")
    expect(page.locator(dialogues)).to_have_text("1")
    expect(page.locator(citizens)).to_have_text("35")
    expect(page.locator(f"#indicator-{data['dialogues'].pk}")).to_contain_text("25% of the way")
    progress = page.get_by_role("row", name=re.compile("Citizens taking part"))
    expect(progress.first).to_contain_text("35%")
    # The chart draws from the same figures as the table.
    expect(page.locator("#progress-chart.vega-ready svg")).to_be_visible(timeout=15000)
    # No serious WCAG 2.1 AA violation, with the team's edit links and the chart drawn.
    assert serious_violations(page, live_server.url) == []
    # On a phone the five columns stack and nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    inputs, impact_box = (
        page.locator("#column-inputs").bounding_box(),
        page.locator("#column-impact").bounding_box(),
    )
    assert inputs and impact_box and impact_box["y"] > inputs["y"]
    assert not [e for e in page.js_errors if "favicon" not in e], page.js_errors
