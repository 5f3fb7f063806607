"""The network map in a browser: drawn without errors, a node's figures shown from the keyboard,
the table sortable, no serious accessibility violation, and no horizontal scroll at 390 px."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from echos.core.models import Country, Term
from echos.engagement import services as records
from echos.hubs import services


@pytest.fixture
def norway(reference_data):
    research = Term.objects.get(vocabulary="stakeholder_groups", code="research")
    hub = services.create_hub(
        actor=None, country=Country.objects.get(pk="NO"), level="national",
        name="Kreftmisjonshub Norge", name_en="Cancer Mission Hub Norway",
    )  # fmt: skip
    orgs = []
    for i in range(6):
        org = services.create_organisation(
            actor=None, name=f"Research institute {i}", country=hub.country,
            stakeholder_group=research,
        )  # fmt: skip
        services.add_membership(actor=None, hub=hub, organisation=org, role="member")
        orgs.append(org)
    for i in range(3):
        records.save_record(
            actor=None, hub=hub, title=f"Round table {i}", description="d",
            date=date.today() - timedelta(days=10 + i), level="involve",
            stakeholder_groups=["research"], organisations=[o.pk for o in orgs[i : i + 3]],
            format="meeting", language="nb",
        )  # fmt: skip
    return hub


def test_map_draws_and_shows_a_nodes_figures_from_the_keyboard(norway, page, live_server):
    from tests.browser.test_accessibility import serious_violations

    page.goto(f"{live_server.url}/engagement/hubs/{norway.pk}/network/")
    nodes = page.locator("#network-graph g.node")
    expect(nodes).to_have_count(10)  # 1 hub, 6 organisations, 3 records
    nodes.first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#network-details")).to_contain_text("Betweenness")
    page.get_by_role("button", name="Zoom in").click()
    page.locator("#network-colour").select_option("community")
    page.locator("#network-table thead th").nth(4).get_by_role("button").click()
    expect(page.locator("#network-table thead th").nth(4)).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert serious_violations(page, live_server.url) == []
    assert page.js_errors == []


def test_map_fits_a_390_pixel_screen(norway, browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/engagement/hubs/{norway.pk}/network/")
    expect(page.locator("#network-graph svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
