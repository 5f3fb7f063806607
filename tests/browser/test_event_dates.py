"""An Italian event read in German on a phone: the date in German's style, the time named by Rome's
German name, nothing scrolls sideways (#16 item 5)."""

from datetime import datetime

import pytest


@pytest.fixture
def german_phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    page = context.new_page()
    yield page
    context.close()


def test_italian_event_in_german_at_390_px(live_server, reference_data, hubs, german_phone):
    from echos.events import services

    event = services.create_event(
        actor=None,
        hub=hubs["norway"],
        country="IT",
        title="Dialog über Früherkennung",
        description="Ein offenes Gespräch.",
        type="citizen_dialogue",
        format="in_person",
        languages=["it"],
        start=datetime(2030, 6, 7, 18, 0),
        end=datetime(2030, 6, 8, 12, 0),
        status="published",
    )
    german_phone.goto(live_server.url + event.get_absolute_url())
    when = german_phone.locator("dl.facts dd").first
    text = when.inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "Freitag, 7. Juni 2030, 18:00" in text and "Samstag, 8. Juni 2030, 12:00" in text
    assert "Rom" in text and "Europe/" not in text
    assert german_phone.evaluate("document.documentElement.scrollWidth") <= 390
    german_phone.screenshot(path="/tmp/dates/event-de-390.png", full_page=False)
