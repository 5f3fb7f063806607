"""Forms that scale, in a phone-sized browser (issue #16): typing in the organisation picker and
choosing with the keyboard, the region select following the country, clicking the map to place
a venue."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from echos.core.models import Country, Term, User
from echos.core.outline import country_outline
from echos.hubs import services
from echos.hubs.models import HubRole, Membership
from tests.browser.test_accessibility import serious_violations

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
    occ = services.create_organisation(
        actor=None, name="Oslo Cancer Cluster", country=norway.country, stakeholder_group=research
    )
    services.add_membership(actor=None, hub=norway, organisation=occ, role="coordinating_group")
    ipo = services.create_organisation(
        actor=None,
        name="Instituto Português de Oncologia",
        country=Country.objects.get(pk="PT"),
        stakeholder_group=research,
    )
    user = User.objects.create_user("coordinator-no", password=PASSWORD)
    HubRole.objects.create(user=user, hub=norway, role="coordinator")
    return {"norway": norway, "occ": occ, "ipo": ipo}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def sign_in(page, live_server, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("coordinator-no")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_typing_in_the_picker_and_choosing_with_the_keyboard(live_server, data, phone):
    url = f"/hubs/{data['norway'].pk}/members/add/"
    sign_in(phone, live_server, url)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Add a member")
    name = phone.get_by_label("Name", exact=True)
    name.focus()
    phone.keyboard.type("portugues onco")  # no accent, any case
    results = phone.locator("#org-results")
    expect(results).to_contain_text("Instituto Português de Oncologia", timeout=10000)
    assert "q=portugues" in phone.url  # the search is in the address: back and reload keep it
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(phone, live_server.url) == []
    name.fill("")
    phone.get_by_label("Country", exact=True).select_option("NO")
    expect(results).to_contain_text("Oslo Cancer Cluster (already a member)", timeout=10000)
    expect(results.get_by_role("link", name="Oslo Cancer Cluster")).to_have_count(0)
    phone.get_by_label("Country", exact=True).select_option("")
    name.fill("PORTUGUÊS")
    link = results.get_by_role("link", name="Instituto Português de Oncologia")
    expect(link).to_be_visible(timeout=10000)
    link.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(".chosen-org")).to_contain_text("Instituto Português de Oncologia")
    phone.get_by_label("Role").select_option("member")
    phone.get_by_role("button", name="Add as member").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Cancer Mission Hub Norway")
    assert Membership.objects.filter(hub=data["norway"], organisation=data["ipo"]).exists()
    assert not phone.js_errors, phone.js_errors


def test_the_region_select_follows_the_country(live_server, data, phone):
    sign_in(phone, live_server, "/organisations/new/")
    region = phone.get_by_label("Region")
    expect(region.locator("option")).to_have_count(1)
    phone.get_by_label("Country").select_option("PT")
    expect(region.locator("option[value='PT-11']")).to_have_count(1, timeout=10000)
    expect(region.locator("option[value='NO-46']")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_clicking_the_map_places_the_venue(live_server, data, phone):
    sign_in(phone, live_server, f"/events/new/?hub={data['norway'].pk}")
    latitude = phone.get_by_label("Latitude", exact=True)
    longitude = phone.get_by_label("Longitude", exact=True)
    svg = phone.locator(".point-map svg")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    assert box and box["width"] <= 390
    outline = country_outline("NO")
    # Click where Bergen (60.39 N, 5.32 E) is drawn; the fields get about those coordinates.
    x, y = outline.point(60.39, 5.32)
    scale = min(box["width"] / outline.width, box["height"] / outline.height)
    left = box["x"] + (box["width"] - outline.width * scale) / 2
    top = box["y"] + (box["height"] - outline.height * scale) / 2
    phone.mouse.click(left + x * scale, top + y * scale)
    expect(latitude).not_to_have_value("")
    assert abs(float(latitude.input_value()) - 60.39) < 0.3
    assert abs(float(longitude.input_value()) - 5.32) < 0.3
    expect(phone.locator(".point-map-marker")).to_have_attribute("visibility", "visible")
    phone.get_by_role("button", name="Use the centre of Norway").click()
    expect(latitude).to_have_value(str(outline.centre_lat))
    expect(longitude).to_have_value(str(outline.centre_lon))
    assert serious_violations(phone, live_server.url) == []
    latitude.fill("59.91")  # typing stays possible, the marker follows
    longitude.fill("10.75")
    cy = phone.locator(".point-map-marker").get_attribute("cy")
    assert abs(float(cy) - outline.point(59.91, 10.75)[1]) < 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert not phone.js_errors, phone.js_errors


def test_calendar_filters_by_language_and_region_names(live_server, data, phone):
    phone.goto(f"{live_server.url}/events/?country=PT&region=PT-11")
    region = phone.locator("#f-region")
    expect(region).to_have_value("PT-11")
    phone.locator("#f-country").select_option("NO")
    # The region of the previous country is not sent with the new one, and Norway's are listed.
    expect(region.locator("option[value='NO-46']")).to_have_count(1, timeout=10000)
    expect(phone).to_have_url(re.compile(r"country=NO"), timeout=10000)
    assert "region=PT-11" not in phone.url
    phone.locator("#f-language").select_option(label="Polish")
    expect(phone).to_have_url(re.compile(r"language=pl"), timeout=10000)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert not phone.js_errors, phone.js_errors
