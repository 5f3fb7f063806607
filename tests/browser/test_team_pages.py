"""Norway's coordinator opens the hub's Team page, invites by e-mail and sees the invitation;
an organiser previews a message to registrants; both pages pass axe at phone and desktop widths."""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from echos.core.models import Country, User
from echos.events import services as events
from echos.hubs import services
from echos.hubs.models import HubRole
from echos.hubs.services import invitations
from tests.browser.test_accessibility import serious_violations

PASSWORD = "a long demo password 2026"
SHOTS = os.getenv("ECHOS_TEAM_SHOTS", "")


@pytest.fixture
def data(reference_data):
    norway = services.create_hub(
        actor=None,
        country=Country.objects.get(pk="NO"),
        level="national",
        name="Kreftmisjonshub Norge",
        name_en="Cancer Mission Hub Norway",
        stage="launched",
        stage_date=date(2024, 1, 10),
    )
    coordinator = User.objects.create_user("coordinator-no", password=PASSWORD)
    HubRole.objects.create(user=coordinator, hub=norway, role="coordinator")
    editor = User.objects.create_user("editor-no", password=PASSWORD, first_name="Demo Editor")
    HubRole.objects.create(user=editor, hub=norway, role="editor")
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    event = events.create_event(
        actor=None,
        hub=norway,
        title="Citizen dialogue on screening",
        description="An open conversation about cancer screening.",
        type="citizen_dialogue",
        format="in_person",
        languages=["nb", "en"],
        start=start,
        end=start + timedelta(hours=3),
        time_zone="Europe/Oslo",
        venue="Litteraturhuset",
        status="published",
    )
    for i in range(3):
        events.register(
            event=event, name=f"Demo person {i}", email=f"p{i}@example.invalid", consent=True
        )
    return {"norway": norway, "event": event}


def sign_in(page, base, next_path):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill("coordinator-no")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def shoot(page, name):
    if SHOTS:
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1366])
def test_team_page_invite(page, live_server, data, width):
    page.set_viewport_size({"width": width, "height": 900})
    hub = data["norway"].pk
    sign_in(page, live_server.url, f"/hubs/{hub}/")
    page.get_by_role("button", name="Team", exact=True).click()
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    expect(page.locator(".team-list").first).to_contain_text("Demo Editor")
    page.get_by_label("E-mail address").fill("new.member@example.invalid")
    page.locator("#id_role").select_option("member")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".team-list").last).to_contain_text("new.member@example.invalid")
    assert serious_violations(page, live_server.url) == []
    shoot(page, "team")


@pytest.mark.parametrize("width", [390, 1366])
def test_message_preview(page, live_server, data, width):
    page.set_viewport_size({"width": width, "height": 900})
    event = data["event"].pk
    sign_in(page, live_server.url, f"/events/{event}/")
    page.get_by_role("button", name="Message registrants").click()
    page.locator("#id_subject").fill("Room change for {event}")
    page.locator("#id_body").fill("Dear {name},\nwe meet in room 2.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".message-preview")).to_contain_text("This message goes to 3 people.")
    expect(page.locator(".message-preview")).to_contain_text("Dear Demo person 0,")
    expect(page.get_by_role("button", name="Send to 3 people")).to_be_visible()
    assert serious_violations(page, live_server.url) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    shoot(page, "messages")


@pytest.mark.parametrize("width", [390, 1366])
def test_invitation_link_creates_an_account(page, live_server, data, width):
    page.set_viewport_size({"width": width, "height": 900})
    coordinator = User.objects.get(username="coordinator-no")
    _invitation, raw = invitations.invite(
        actor=coordinator, hub=data["norway"], email="new.editor@example.invalid", role="editor"
    )
    page.goto(f"{live_server.url}/invitations/{raw}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancer Mission Hub Norway")
    assert serious_violations(page, live_server.url) == []
    shoot(page, "invitation")
    page.locator("#id_username").fill(f"new-editor-{width}")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account and accept").click()
    expect(page.locator("body")).to_contain_text("Welcome to the team of")
    assert HubRole.objects.get(user__username=f"new-editor-{width}").role == "editor"
