"""A citizen finds an event, registers with the keyboard only and downloads the .ics; another answers
a consultation and confirms by e-mail. axe checks the new page types."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from echos.core.models import Country
from echos.events import services as events
from echos.hubs import services as hubs
from tests.browser.test_accessibility import serious_violations


@pytest.fixture
def data(reference_data):
    norway = hubs.create_hub(
        actor=None,
        country=Country.objects.get(pk="NO"),
        level="national",
        name="Kreftmisjonshub Norge",
        name_en="Cancer Mission Hub Norway",
        latitude=59.9,
        longitude=10.7,
    )
    portugal = hubs.create_hub(
        actor=None,
        country=Country.objects.get(pk="PT"),
        level="national",
        name="Hub Nacional",
        name_en="National Cancer Hub Portugal",
    )
    start = (timezone.now() + timedelta(days=12)).replace(tzinfo=None, second=0, microsecond=0)

    def event(hub, title, **extra):
        return events.create_event(
            actor=None,
            hub=hub,
            title=title,
            description="An evening to talk about screening with doctors and survivors.",
            type="citizen_dialogue",
            format="in_person",
            languages=["nb"],
            audiences=["citizens"],
            objectives=["prevention"],
            start=start,
            end=start + timedelta(hours=2),
            time_zone="Europe/Oslo",
            venue="Litteraturhuset",
            latitude=59.92,
            longitude=10.74,
            accessibility=["step_free", "captions"],
            status="published",
            **extra,
        )

    dialogue = event(norway, "Screening dialogue in Oslo", capacity=40)
    event(portugal, "Webinar sobre rastreio")
    from echos.participation import services as participation

    consultation = participation.open_consultation(
        actor=None,
        hub=norway,
        title="What should the hub do next year?",
        description="Tell us what matters to you.",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=20),
        languages=["en"],
    )
    return {"dialogue": dialogue, "consultation": consultation, "norway": norway}


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} never received the keyboard focus")


def test_citizen_finds_registers_and_downloads_ics_with_the_keyboard_only(page, live_server, data):
    page.goto(live_server.url + "/events/")
    expect(page.get_by_role("heading", name="Calendar of events")).to_be_visible()
    # Filter to Norway with the keyboard: open the folded filters, focus the select, pick by
    # typing, submit with Enter.
    tab_to(page, "details.month-filters > summary")
    page.keyboard.press("Enter")
    tab_to(page, "#f-country")
    page.keyboard.type("Norway")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"country=NO"))
    expect(page.locator("#event-list")).to_contain_text("Screening dialogue in Oslo")
    expect(page.locator("#event-list")).not_to_contain_text("Webinar sobre rastreio")
    tab_to(page, f"#event-list a[href$='/events/{data['dialogue'].pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/events/\d+/$"))
    expect(page.get_by_role("heading", name="Screening dialogue in Oslo")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Step-free access")
    # The registration form, field by field.
    tab_to(page, "#id_name")
    page.keyboard.type("Kari Nordmann")
    page.keyboard.press("Tab")
    page.keyboard.type("kari@example.invalid")
    tab_to(page, "#id_audience")
    page.keyboard.type("Citizens")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "form[action$='/register/'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    # The e-mail's personal link opens the registration, where the e-mail is confirmed.
    link = re.search(r"https?://\S+(/events/registration/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    tab_to(page, "form:has(input[value=confirm]) button")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("confirmed")
    # Add to calendar: a valid .ics download with the event's stable UID.
    tab_to(page, "a[href$='/event.ics']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("BEGIN:VCALENDAR")
    assert f"UID:{data['dialogue'].uid}@echos" in text.replace("\r\n ", "")
    assert "DTSTART;TZID=Europe/Oslo:" in text
    registration = data["dialogue"].registrations.get()
    assert (registration.status, registration.audience) == ("registered", "citizens")
    assert registration.email_confirmed_at is not None


def test_citizen_answers_a_consultation(page, live_server, data):
    consultation = data["consultation"]
    page.goto(f"{live_server.url}/participate/consultations/{consultation.pk}/")
    expect(page.get_by_role("heading", name="What should the hub do next year?")).to_be_visible()
    page.get_by_label("A citizen").check()
    page.get_by_label("Prevention, screening and early detection").check()
    page.get_by_label("3 · Fairly well").check()
    page.get_by_label("Ask my opinion now and then").check()
    page.get_by_role("textbox", name=re.compile("anything else")).fill(
        "More evening events, please."
    )
    page.get_by_label(re.compile("e-mail", re.I)).first.fill("ola@example.invalid")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name=re.compile("e-mail", re.I))).to_be_visible()
    link = re.search(r"https?://\S+(/participate/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("networkidle")
    answer = consultation.answers.get()
    assert (
        answer.confirmed_at is not None and answer.answers["idea"] == "More evening events, please."
    )
    # Results are public once the consultation has closed.
    type(consultation).objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    page.goto(f"{live_server.url}/participate/consultations/{consultation.pk}/results/")
    expect(page.locator("table").first).to_be_visible()
    assert serious_violations(page, live_server.url) == []


@pytest.mark.parametrize(
    "path",
    [
        "/events/",
        "MONTH",
        "EVENT",
        "/events/?when=past",
        "/events/gap/",
        "/participate/",
        "CONSULTATION",
    ],
)
def test_no_serious_violations_on_event_and_participation_pages(page, live_server, data, path):
    start = data["dialogue"].local_start
    url = {
        "MONTH": f"/events/month/{start.year}/{start.month}/",
        "EVENT": data["dialogue"].get_absolute_url(),
        "CONSULTATION": f"/participate/consultations/{data['consultation'].pk}/",
    }.get(path, path)
    page.goto(live_server.url + url)
    page.wait_for_load_state("networkidle")
    assert serious_violations(page, live_server.url) == []
    assert page.js_errors == []
