"""Defects of issue #16 in a browser, at 390 and 1366 px: chart and map legends and labels lie
inside their drawing and box, every empty cell of the matrix is marked (striped rows too), and
the calendar follows its filters without the button."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from echos.core.models import Country, Region
from echos.events.models import Event, Registration
from echos.hubs import services
from echos.synergies import services as synergies

WIDTHS = [390, 1366]

# Texts of every drawn chart that stick out of their SVG or of the chart's box (its scrolled
# width counted: a wide chart scrolls inside its box by design).
OUTSIDE = """(selector) => {
  const out = [];
  document.querySelectorAll(selector).forEach((box) => {
    const svg = box.querySelector("svg");
    if (!svg) { out.push([box.id, "not drawn"]); return; }
    const s = svg.getBoundingClientRect(), b = box.getBoundingClientRect();
    const right = Math.min(s.right, b.left + box.scrollWidth);
    svg.querySelectorAll("text").forEach((t) => {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) return;
      if (r.left < Math.max(s.left, b.left) - 1 || r.right > right + 1 ||
          r.top < s.top - 1 || r.bottom > s.bottom + 1) out.push([box.id, t.textContent]);
    });
  });
  return out;
}"""


@pytest.fixture
def data(reference_data):
    """Hubs at every stage (the map's legend), an activity (the matrix) and a year of events."""
    stages = ["no_structure", "exploring", "inception_dialogue", "establishment", "launched"]
    hubs = []
    for code, stage in zip(["NO", "PT", "PL", "SE", "FI"], stages, strict=True):
        hubs.append(
            services.create_hub(
                actor=None,
                country=Country.objects.get(pk=code),
                level="national",
                name=f"Hub {code}",
                name_en=f"Hub {code}",
                stage=stage,
                stage_date=timezone.localdate() - timedelta(days=30),
            )  # fmt: skip
        )
    synergies.save_activity(
        actor=None, hub=hubs[0], title="Skole uten røyk", description="Forebygging i skolen.",
        language="nb", objectives=["prevention"], policy_areas=["education"],
    )  # fmt: skip
    now = timezone.now()
    for month in range(11):
        start = now - timedelta(days=30 * month + 3)
        event = Event.objects.create(
            title=f"Open day {month}", description="Talks.", type="workshop", hub=hubs[0],
            format="in_person", country=hubs[0].country, region=Region.objects.get(pk="NO-46"),
            languages=",no,", objectives=",prevention,quality_of_life,", start=start,
            end=start + timedelta(hours=2), time_zone="Europe/Oslo", status="published",
            audiences=",citizens,",
        )  # fmt: skip
        for i in range(6):
            Registration.objects.create(
                event=event, name=f"P{i}", email=f"p{month}-{i}@example.invalid",
                audience="citizens" if i % 2 else "health_professionals", status="registered",
            )  # fmt: skip
    return hubs


@pytest.mark.parametrize("width", WIDTHS)
def test_legends_and_labels_stay_inside_their_charts(data, browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    for path in ["/", "/events/gap/", "/synergies/matrix/"]:
        page.goto(live_server.url + path)
        page.wait_for_selector(".vega-chart.vega-ready", timeout=15000)
        page.wait_for_timeout(300)
        charts = page.locator(".vega-chart")
        expect(page.locator(".vega-chart.vega-ready")).to_have_count(charts.count())
        assert page.evaluate(OUTSIDE, ".vega-chart") == [], (path, width)
    # The gap page's legends are lists that wrap inside the page.
    page.goto(live_server.url + "/events/gap/")
    for legend in page.locator(".chart-legend li").all():
        box = legend.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    # The map's legend names every stage, one entry a line, above the map.
    page.goto(live_server.url + "/")
    page.wait_for_selector(".vega-chart.vega-ready")
    texts = page.evaluate(
        "() => [...document.querySelectorAll('.vega-chart svg .role-legend text')]"
        ".map(t => t.textContent)"
    )
    assert "Exploring" in texts and "Inception dialogue held" in texts
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_empty_matrix_cell_is_marked_on_striped_and_plain_rows(
    data, browser, live_server, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/synergies/matrix/")
    styles = page.evaluate(
        """() => [...document.querySelectorAll('#matrix tbody tr')].flatMap((row, i) =>
            [...row.querySelectorAll('td')].map(td => {
              const s = getComputedStyle(td);
              return [i, td.textContent.trim(), s.outlineStyle, s.backgroundImage !== 'none',
                      s.fontStyle];
            }))"""
    )
    zeros = [s for s in styles if s[1] == "0"]
    assert {row for row, *_ in zeros} == {0, 1, 2, 3, 4}  # striped (odd) and plain rows alike
    assert all(s[2] == "dashed" and s[3] and s[4] == "italic" for s in zeros), zeros
    assert all(s[2] != "dashed" for s in styles if s[1] != "0")
    context.close()


def test_calendar_follows_its_filters_without_the_button(data, page, live_server):
    page.goto(live_server.url + "/events/?when=past")
    expect(page.locator("#event-list")).to_contain_text("Open day 1")
    page.locator("#f-type").select_option("conference")
    expect(page.locator("#event-list")).to_contain_text("0 events")
    assert "type=conference" in page.url
    assert page.js_errors == []
