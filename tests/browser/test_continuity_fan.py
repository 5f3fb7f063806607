"""The cliff demo hub's runway fan chart draws in Chromium, on a wide screen and at 360 px, with no
script error; ``ECHOS_SCREENSHOT_DIR`` saves a screenshot of it (for the README)."""

import os

import pytest
from playwright.sync_api import expect

from echos.core.models import User

PASSWORD = "a long demo password 2026"


@pytest.fixture
def cliff_hub(reference_data):
    from echos.continuity.demo import load_demo as continuity_demo
    from echos.hubs.demo import load_demo as hubs_demo
    from echos.hubs.models import Hub

    hubs_demo()
    continuity_demo()
    User.objects.create_user("network-demo", password=PASSWORD, is_network_coordinator=True)
    return Hub.objects.filter(is_demo=True, level="national").order_by("pk")[1]


def test_fan_chart_draws(page, live_server, cliff_hub):
    page.goto(f"{live_server.url}/accounts/login/?next=/continuity/hubs/{cliff_hub.pk}/")
    page.get_by_label("Username").fill("network-demo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#fan.vega-ready svg")).to_be_visible(timeout=15000)
    expect(page.locator("#runway")).to_contain_text("below zero")
    folder = os.environ.get("ECHOS_SCREENSHOT_DIR")
    if folder:
        page.locator("#runway-title").scroll_into_view_if_needed()
        page.screenshot(
            path=os.path.join(folder, "continuity-fan.png"),
            full_page=False,
            clip={"x": 0, "y": 0, "width": 1280, "height": 900},
        )
        page.locator("#fan").screenshot(path=os.path.join(folder, "continuity-fan-chart.png"))
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    expect(page.locator("#fan.vega-ready svg")).to_be_visible(timeout=15000)
    # The page's own content fits (the site header's navigation is the frame's business).
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 365"
        " && !e.closest('.table-wrap, details:not([open])'))"
        ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)"
    )
    assert not wide, wide
    assert not page.js_errors, page.js_errors
