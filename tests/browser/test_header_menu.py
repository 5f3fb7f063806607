"""The header at phone width: the links fold behind "Menu", nothing scrolls sideways (#16 item 1)."""

import pytest


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def test_the_menu_folds_at_390_px_and_opens_with_the_keyboard(live_server, reference_data, phone):
    phone.goto(live_server.url + "/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    menu = phone.locator("#site-menu")
    button = phone.get_by_role("button", name="Menu")
    assert not menu.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    phone.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert phone.get_by_role("link", name="Events").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.keyboard.press("Escape")
    assert not menu.is_visible()


def test_at_desktop_width_every_link_shows_without_the_button(live_server, reference_data, page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("link", name="Events").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
