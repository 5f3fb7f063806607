"""Every main page at phone width (390 × 844) and on a laptop (1366 px), with real content: nothing
scrolls sideways, no title breaks letter by letter, the month is an agenda on a phone and a grid on a
laptop, and the check-in list has large buttons (issue #16 item 1)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from echos.assessment import scoring
from echos.assessment import services as assessment
from echos.events import services as events
from echos.events.services.links import personal_token
from echos.participation import services as participation
from echos.synergies import services as synergies
from tests.browser.test_accessibility import serious_violations
from tests.conftest import PASSWORD

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
LAPTOP = {"width": 1366, "height": 900}

LONG_TITLE = "Citizen dialogue on colorectal cancer screening and survivorship in Vestland"


def month_ahead() -> date:
    """The first day of the month after next: every event of the data is upcoming there."""
    today = timezone.localdate()
    months = today.year * 12 + today.month - 1 + 2
    return date(months // 12, months % 12 + 1, 1)


@pytest.fixture
def data(reference_data, hubs, personas):
    """A hub with members (the shared fixture), a month with a busy day and a multi-day event,
    registrations (some checked in), a consultation, a synergy activity and a maturity assessment."""
    norway, portugal = hubs["norway"], hubs["portugal"]
    first = month_ahead()

    def event(title, day, *, hub=norway, days=0, **extra):
        start = datetime(first.year, first.month, day, 18, 30)
        fields = {
            "title": title,
            "description": "An evening to talk about screening with doctors and survivors.",
            "type": "citizen_dialogue",
            "format": "in_person",
            "languages": ["nb", "en"],
            "audiences": ["citizens"],
            "objectives": ["prevention"],
            "start": start,
            "end": start + timedelta(days=days, hours=2),
            "time_zone": "Europe/Oslo",
            "venue": "Litteraturhuset",
            "status": "published",
        }
        fields.update(extra)
        return events.create_event(actor=None, hub=hub, **fields)

    dialogue = event(LONG_TITLE, 10, capacity=40)
    for i in range(5):  # six events on the 10th: the grid and the agenda name four, link two
        event(f"Screening information evening number {i + 2}", 10)
    event("Cancer Mission Fair Bergen", 14, days=2)
    event(
        "Webinar sobre rastreio do cancro colorretal",
        21,
        hub=portugal,
        format="online",
        online_url="https://meet.example.invalid/rastreio",
        languages=["pt"],
        time_zone="Europe/Lisbon",
    )
    people = []
    for i, (name, audience) in enumerate(
        [
            ("Kari Nordmann", "citizens"),
            ("Ola Nordmann-Haugland", "patients_carers"),
            ("Ingrid Johanne Solberg Kristiansen", "researchers"),
            ("Per Hansen", ""),
        ]
    ):
        r = events.register(
            event=dialogue,
            name=name,
            email=f"{name.split()[0].lower()}.{i}@a-rather-long-domain.example.invalid",
            audience=audience,
            consent=True,
        )
        people.append(events.confirm_email(r))
    events.check_in(actor=personas["coord_no"], registration=people[0])

    consultation = participation.open_consultation(
        actor=None,
        hub=norway,
        title="What should the hub do next year?",
        description="Tell us what matters to you.",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=20),
        languages=["en"],
    )
    synergies.save_initiative(
        actor=None,
        key="screen-net",
        name="Colorectal screening network",
        programme="other",
        description="Organised colorectal cancer screening with faecal immunochemical tests.",
        objectives=["prevention"],
    )
    synergies.save_activity(
        actor=None,
        hub=norway,
        title="Tarmscreening i Vestland",
        description="Screening for tarmkreft med avføringstest.",
        language="nb",
        objectives=["prevention"],
        policy_areas=["health"],
    )
    assessment.load_instruments()
    maturity = assessment.current_instrument(assessment.MATURITY)
    response = assessment.start_response(
        actor=personas["coord_no"], instrument=maturity, hub=norway
    )
    levels = {
        q.code: 2 + i % 3 for i, q in enumerate(scoring.dimension_questions(maturity.definition))
    }
    assessment.submit_response(actor=personas["coord_no"], response=response, answers=levels)
    return {
        "norway": norway,
        "first": first,
        "dialogue": dialogue,
        "people": people,
        "consultation": consultation,
    }


def pages(data) -> dict[str, str]:
    first, dialogue, norway = data["first"], data["dialogue"], data["norway"]
    return {
        "home": "/",
        "directory": "/hubs/",
        "hub page": f"/hubs/{norway.pk}/",
        "country page": "/countries/NO/",
        "calendar": "/events/",
        "month grid": f"/events/month/{first.year}/{first.month}/",
        "event page": dialogue.get_absolute_url(),
        "registration": f"/events/registration/{personal_token(data['people'][1])}/",
        "check-in": f"/events/{dialogue.pk}/participants/",
        "gap dashboard": "/events/gap/",
        "consultation": f"/participate/consultations/{data['consultation'].pk}/",
        "synergies": "/synergies/",
        "synergy matrix": "/synergies/matrix/",
        "maturity": f"/assessment/hubs/{norway.pk}/",
    }


def sign_in(page, base: str) -> None:
    """Norway's coordinator (the event's organiser) signs in with the login form."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("coordinator-no")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, "sign-in failed"


# What sticks out past the right edge (to name it when the page scrolls sideways).
WIDER_THAN_VIEWPORT = """() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > w + 1 && !el.closest('.table-wrap, .table-scroll, .vega-chart')) {
      const cls = typeof el.className === 'string' ? el.className.trim().replace(/\\s+/g, '.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (cls ? '.' + cls : '') +
               ' right=' + Math.round(r.right));
    }
  }
  return out.slice(0, 8);
}"""

# Visible titles, links, labels and buttons whose words break letter by letter (a text run on more
# lines than it has words) or whose box is narrower than about three characters.
SQUEEZED_TEXT = """(inTables) => {
  const out = [];
  const skip = '.visually-hidden, .hp-field' + (inTables ? '' : ', .table-wrap, .table-scroll, .vega-chart');
  const sel = 'main h1, main h2, main h3, main h4, main a, main th, main label, main button, main summary';
  for (const el of document.querySelectorAll(sel)) {
    const style = getComputedStyle(el);
    if (!el.offsetParent && style.position !== 'fixed') continue;
    if (el.closest(skip)) continue;
    const text = (el.innerText || '').trim();
    if (text.length < 4) continue;
    const width = el.getBoundingClientRect().width;
    if (width < 1.8 * parseFloat(style.fontSize)) {
      out.push(`${el.tagName.toLowerCase()} "${text.slice(0, 40)}" only ${Math.round(width)}px wide`);
      continue;
    }
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest('select, option, textarea, .visually-hidden, svg')) continue;
      const words = node.textContent.split(/[\\s\\-\\/]+/).filter(Boolean).length;
      if (!words) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set();
      for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) tops.add(Math.round(r.top));
      if (tops.size > words) {
        out.push(`${el.tagName.toLowerCase()} "${node.textContent.trim().slice(0, 40)}": ` +
                 `${tops.size} lines for ${words} words`);
      }
    }
  }
  return out;
}"""


def assert_fits(page, width: int, name: str) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (name, scroll, page.evaluate(WIDER_THAN_VIEWPORT))


def visit(page, base: str, name: str, path: str) -> None:
    response = page.goto(base + path)
    assert response is not None and response.status == 200, (name, path)
    page.wait_for_load_state("load")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def test_no_main_page_scrolls_sideways_at_390_px(live_server, data, phone):
    sign_in(phone, live_server.url)
    for name, path in pages(data).items():
        visit(phone, live_server.url, name, path)
        assert_fits(phone, PHONE["width"], name)
        assert phone.evaluate(SQUEEZED_TEXT) == [], name
        assert phone.get_by_role("button", name="Menu").is_visible(), name


def test_no_main_page_scrolls_sideways_at_1366_px_and_the_header_links_show(
    live_server, data, page
):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server.url)
    for name, path in pages(data).items():
        visit(page, live_server.url, name, path)
        assert_fits(page, LAPTOP["width"], name)
        assert not page.get_by_role("button", name="Menu").is_visible(), name
        header = page.locator("header")
        for link in ("Hubs", "Events"):
            expect(header.get_by_role("link", name=link, exact=True).first).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["390px", "320px"])
def test_the_month_is_an_agenda_on_a_phone(live_server, data, browser, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    page = context.new_page()
    first = data["first"]
    visit(page, live_server.url, "month", f"/events/month/{first.year}/{first.month}/")
    agenda, grid = page.locator(".month-agenda"), page.locator("table.month-grid")
    expect(agenda).to_be_visible()
    expect(grid).to_be_hidden()
    assert_fits(page, viewport["width"], "month")
    # Only the days with events, each a heading; the busy day names four events and links the rest.
    days = agenda.get_by_role("heading", level=2)
    expect(days).to_have_count(1 + 3 + 1)  # the 10th; the fair's three days; the 21st
    expect(days.first).to_contain_text(f"10 {first:%B}")
    tenth = agenda.locator("ul.agenda-events").first
    expect(tenth.locator("li")).to_have_count(4)
    expect(tenth.locator("li").first).to_contain_text("18:30")
    expect(tenth.locator("li").first).to_contain_text("Norway")
    expect(agenda.get_by_role("link", name="2 more events")).to_be_visible()
    # The fair goes on over three days: its time on the first, "continues" after.
    fair = agenda.locator("li", has_text="Cancer Mission Fair Bergen")
    expect(fair).to_have_count(3)
    expect(fair.nth(1)).to_contain_text("continues")
    expect(agenda.locator("li", has_text="Webinar sobre rastreio")).to_contain_text("Online")
    # Titles wrap between words: every event link is wide, none broken letter by letter.
    widths = agenda.locator(".agenda-what > a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().width)"
    )
    assert widths and min(widths) > 100, widths
    assert page.evaluate(SQUEEZED_TEXT) == []
    lines = agenda.get_by_role("link", name=LONG_TITLE).evaluate("a => a.getClientRects().length")
    assert lines <= len(LONG_TITLE.split()) / 2, lines  # two words a line at least
    assert serious_violations(page, live_server.url) == []
    context.close()


@pytest.mark.parametrize("width", [800, LAPTOP["width"]])
def test_the_month_is_a_grid_from_800_px(live_server, data, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    first = data["first"]
    visit(page, live_server.url, "month", f"/events/month/{first.year}/{first.month}/")
    expect(page.locator("table.month-grid")).to_be_visible()
    expect(page.locator(".month-agenda")).to_be_hidden()
    expect(
        page.locator("table.month-grid").get_by_role("link", name="2 more events")
    ).to_be_visible()
    assert_fits(page, width, "month")
    # From 800 px the grid's columns are wide enough for whole words (narrower, the agenda shows).
    assert page.evaluate(SQUEEZED_TEXT, True) == []


def test_check_in_on_a_phone(live_server, data, phone):
    """Search first, large buttons, check in and undo without leaving the list."""
    sign_in(phone, live_server.url)
    dialogue = data["dialogue"]
    visit(phone, live_server.url, "check-in", f"/events/{dialogue.pk}/participants/")
    search = phone.get_by_label("Find by name or e-mail")
    rows = phone.locator("#participant-rows")
    # The search box comes before the list and the tools; the tools are folded.
    assert search.bounding_box()["y"] < rows.bounding_box()["y"]
    assert serious_violations(phone, live_server.url) == []
    expect(phone.get_by_label("Status", exact=True)).to_be_hidden()
    expect(phone.get_by_role("button", name="Export (CSV)")).to_be_hidden()
    buttons = phone.locator(".participant button.tap, .participant-more > summary")
    for box in buttons.evaluate_all(
        "els => els.map(b => [b.getBoundingClientRect().width, b.getBoundingClientRect().height])"
    ):
        assert box[0] >= 44 and box[1] >= 44, box
    # Filtering as one types.
    search.fill("ingrid")
    expect(rows.locator(".participant")).to_have_count(1)
    expect(rows).to_contain_text("Ingrid Johanne Solberg Kristiansen")
    expect(rows).to_contain_text("Researchers")
    assert "q=ingrid" in phone.url
    phone.get_by_role("button", name="Check in Ingrid Johanne Solberg Kristiansen").click()
    # The undo button takes the place (and the keyboard focus) of the check-in button.
    expect(phone.locator(".participant button.tap")).to_be_focused()
    expect(
        phone.get_by_role("button", name="Undo check-in Ingrid Johanne Solberg Kristiansen")
    ).to_be_visible()
    assert dialogue.registrations.get(name__startswith="Ingrid").status == "attended"
    phone.get_by_role("button", name="Undo check-in Ingrid Johanne Solberg Kristiansen").click()
    expect(
        phone.get_by_role("button", name="Check in Ingrid Johanne Solberg Kristiansen")
    ).to_be_visible()
    assert dialogue.registrations.get(name__startswith="Ingrid").status == "registered"
    assert_fits(phone, PHONE["width"], "check-in")
    # The folded tools: the status filter applies to the same search.
    search.fill("")
    expect(rows.locator(".participant")).to_have_count(4)
    phone.get_by_text("Filter, export and close attendance").click()
    phone.get_by_label("Status", exact=True).select_option("attended")
    expect(rows.locator(".participant")).to_have_count(1)
    expect(rows).to_contain_text("Kari Nordmann")
    expect(phone.get_by_role("button", name="Export (CSV)")).to_be_visible()
    # Cancelling sits behind "More" on each row.
    phone.get_by_label("Status", exact=True).select_option("")
    expect(rows.locator(".participant")).to_have_count(4)
    phone.locator(f"#r-{data['people'][3].pk} summary").click()
    phone.get_by_role("button", name="Cancel registration Per Hansen").click()
    phone.wait_for_load_state("load")
    assert dialogue.registrations.get(name="Per Hansen").status == "cancelled"
    assert_fits(phone, PHONE["width"], "check-in")


def test_the_checks_catch_a_squeezed_title_and_a_page_too_wide(live_server, data, phone):
    """The two measures above report what they are meant to find (so their silence means something)."""
    first = data["first"]
    visit(phone, live_server.url, "month", f"/events/month/{first.year}/{first.month}/")
    phone.locator(".agenda-what > a").first.evaluate(
        "a => { a.style.display = 'inline-block'; a.style.width = '40px';"
        " a.style.wordBreak = 'break-all'; }"
    )
    squeezed = phone.evaluate(SQUEEZED_TEXT)
    assert len(squeezed) == 1 and "lines for" in squeezed[0], squeezed
    phone.locator(".agenda-what > a").first.evaluate("a => { a.style.width = '20px'; }")
    assert "only 20px wide" in phone.evaluate(SQUEEZED_TEXT)[0]
    phone.locator("h1").evaluate("h => { h.style.width = '600px'; }")
    with pytest.raises(AssertionError, match="h1"):
        assert_fits(phone, PHONE["width"], "month")
