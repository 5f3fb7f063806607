"""Norway's coordinator completes the maturity self-assessment and sees the radar."""

from datetime import date

import pytest
from playwright.sync_api import expect

from echos.assessment import services
from echos.core.models import Country, User
from echos.hubs import services as hub_services
from echos.hubs.models import HubRole

PASSWORD = "a long demo password 2026"


@pytest.fixture
def coordinator(reference_data):
    services.load_instruments()
    norway = hub_services.create_hub(
        actor=None,
        country=Country.objects.get(pk="NO"),
        level="national",
        name="Kreftmisjonshub Norge",
        name_en="Cancer Mission Hub Norway",
        stage="launched",
        stage_date=date(2024, 1, 10),
    )
    user = User.objects.create_user("coordinator-no", password=PASSWORD)
    HubRole.objects.create(user=user, hub=norway, role="coordinator")
    return norway


def test_coordinator_completes_the_self_assessment_and_sees_the_radar(
    page, live_server, coordinator
):
    page.goto(f"{live_server.url}/accounts/login/?next=/assessment/hubs/{coordinator.pk}/")
    page.get_by_label("Username").fill("coordinator-no")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Start a self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("maturity")

    # Submitting too early lists what is missing.
    page.locator("#q-governance_level input[type=radio]").nth(2).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#error-summary")).to_contain_text("7 answers need attention")
    expect(page.locator("#q-governance_level input[type=radio]").nth(2)).to_be_checked()

    for i, fieldset in enumerate(page.locator("fieldset[id$='_level']").all()):
        fieldset.locator("input[type=radio]").nth(1 + i % 3).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#radar.vega-ready svg")).to_be_visible(timeout=15000)
    expect(page.locator("#scores")).to_contain_text("Governance and leadership")
    expect(page.locator(".overall")).to_contain_text("Overall score")
    # The early submission answered 422 on purpose; nothing else may fail.
    assert not [e for e in page.js_errors if "422" not in e], page.js_errors
