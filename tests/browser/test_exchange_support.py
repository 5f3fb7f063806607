"""Portugal's coordinator asks the network for help; Norway's coordinator answers in the thread;
the request shows as answered with its time to first answer, and is closed."""

from datetime import date

import pytest
from playwright.sync_api import expect

from echos.core.models import Country, User
from echos.hubs import services
from echos.hubs.models import HubRole

PASSWORD = "a long demo password 2026"


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
    portugal = services.create_hub(
        actor=None,
        country=Country.objects.get(pk="PT"),
        level="national",
        name="Hub Nacional",
        name_en="National Cancer Hub Portugal",
    )
    for username, hub in (("coordinator-pt", portugal), ("coordinator-no", norway)):
        user = User.objects.create_user(username, password=PASSWORD)
        HubRole.objects.create(user=user, hub=hub, role="coordinator")
    return {"norway": norway, "portugal": portugal}


def _sign_in(page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_support_request_to_its_answer(browser, live_server, data):
    asker = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB").new_page()
    _sign_in(asker, live_server, "coordinator-pt", "/exchange/")
    expect(asker.get_by_role("heading", level=1)).to_have_text("Network of support")
    asker.get_by_role("link", name="Ask the network for help").click()
    asker.get_by_label("Asking hub").select_option(str(data["portugal"].pk))
    asker.get_by_label("Title").fill("How do you fund a secretariat?")
    asker.get_by_label("What help is needed").fill("We need ideas for multi-year funding.")
    asker.get_by_label("Maturity dimension").select_option("funding")
    asker.get_by_role("button", name="Send the request").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("How do you fund a secretariat?")
    expect(asker.locator("#request-status")).to_have_text("Open")
    url = asker.url

    helper = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(helper, live_server, "coordinator-no", "/exchange/requests/")
    helper.get_by_role("link", name="How do you fund a secretariat?").click()
    helper.get_by_label("Your answer").fill("We combine a foundation grant with membership fees.")
    helper.get_by_label("Answer in the name of").select_option(str(data["norway"].pk))
    helper.get_by_role("button", name="Post the answer").click()
    expect(helper.locator("article.answer")).to_contain_text("membership fees")
    # Norway may answer but not close Portugal's request.
    expect(helper.get_by_role("button", name="Close the request")).to_have_count(0)

    asker.goto(url)
    expect(asker.locator("#request-status")).to_have_text("Answered")
    expect(asker.locator("article.answer")).to_contain_text("Cancer Mission Hub Norway")
    expect(asker.get_by_text("hours", exact=False).first).to_be_visible()
    asker.get_by_role("button", name="Close the request").click()
    expect(asker.locator("#request-status")).to_have_text("Closed")
    expect(asker.get_by_label("Your answer")).to_have_count(0)
    asker.context.close()
    helper.context.close()


def test_exchange_pages_have_no_serious_accessibility_violations(page, live_server, data):
    from echos.exchange import roadmap, sessions
    from tests.browser.test_accessibility import serious_violations
    from tests.exchange.helpers import make_session

    roadmap.create_roadmap(actor=None, country=data["portugal"].country)
    dialogue = make_session(data["portugal"], kind="inception_dialogue")
    sessions.invite(actor=None, session=dialogue, group="citizens", name="Citizens' panel")
    sessions.add_commitment(
        actor=None,
        session=dialogue,
        hub=data["portugal"],
        owner="Demo owner",
        what="Draft terms of reference",
        due=date(2025, 1, 1),
    )
    _sign_in(page, live_server, "coordinator-pt", "/exchange/")
    for path in [
        "/exchange/",
        "/exchange/roadmaps/PT/",
        dialogue.get_absolute_url(),
        "/exchange/requests/new/",
        "/exchange/twinnings/new/",
        f"/hubs/{data['portugal'].pk}/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert serious_violations(page, live_server.url) == [], path
