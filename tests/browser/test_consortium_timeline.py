"""The consortium's timeline and facts at 390 px: the page never scrolls sideways (the chart and the
tables scroll inside their boxes), the chart draws and its table is there, with no script error."""

import pytest

PAGES = ["/consortium/", "/consortium/timeline/", "/consortium/outputs/", "/consortium/partners/"]


@pytest.fixture
def consortium(reference_data):
    from echos.consortium.demo import load_demo, load_reference_consortium

    load_reference_consortium()
    load_demo()


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_page_scroll_at_390_px(browser, live_server, consortium, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not errors
    context.close()


def test_timeline_chart_scrolls_inside_its_box(page, live_server, consortium):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/consortium/timeline/")
    box = page.locator(".gantt-box")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.locator("svg.gantt .row-deliverable").count() >= 1
    assert page.locator("table caption", has_text="Timeline as a table").count() == 1
