"""The header's language switch in a browser (issue #17): on a prefixed page it goes to the same
page under the new prefix, the cookie then chooses the unprefixed pages, it works without
JavaScript, and at 390 px it is reachable without the page scrolling sideways."""

import re


def choose(page, code: str) -> None:
    page.select_option("#lang-select", code)
    page.locator("form.lang-form button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")


def test_switch_round_trip_keeps_the_page_and_the_prefix(page, live_server, reference_data):
    page.goto(f"{live_server.url}/el/events/?view=list")
    assert page.locator("html").get_attribute("lang") == "el"
    choose(page, "pl")
    assert re.search(r"/pl/events/\?view=list$", page.url), page.url
    assert page.locator("html").get_attribute("lang") == "pl"
    hreflang = page.locator('link[rel=alternate][hreflang="x-default"]').get_attribute("href")
    assert hreflang == "/events/?view=list"
    # The cookie now chooses the unprefixed address.
    page.goto(f"{live_server.url}/events/")
    assert page.locator("html").get_attribute("lang") == "pl"
    choose(page, "el")
    assert page.url.endswith("/events/")
    assert page.locator("html").get_attribute("lang") == "el"
    assert not page.js_errors


def test_switch_works_without_javascript(browser, live_server, reference_data):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/ga/hubs/")
    assert page.locator("html").get_attribute("lang") == "ga"
    choose(page, "mt")
    assert page.url.endswith("/mt/hubs/")
    assert page.locator("html").get_attribute("lang") == "mt"
    context.close()


def test_switch_at_390_px(browser, live_server, reference_data):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/el/events/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible():
        toggle.click()
    select = page.locator("#lang-select")
    select.scroll_into_view_if_needed()
    assert select.is_visible()
    box = select.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    choose(page, "sv")
    assert page.url.endswith("/sv/events/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
