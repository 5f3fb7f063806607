"""axe-core (vendored) finds no serious or critical WCAG 2.1 AA violation on the main page types."""

from datetime import date

import pytest

from echos.core.models import Country, Term
from echos.hubs import services


@pytest.fixture
def hub(reference_data):
    research = Term.objects.get(vocabulary="stakeholder_groups", code="research")
    norway = services.create_hub(
        actor=None,
        country=Country.objects.get(pk="NO"),
        level="national",
        name="Kreftmisjonshub Norge",
        name_en="Cancer Mission Hub Norway",
        stage="launched",
        stage_date=date(2024, 1, 10),
        latitude=59.9,
        longitude=10.7,
    )
    services.create_hub(
        actor=None,
        country=norway.country,
        level="regional",
        parent=norway,
        name="Vestland",
        name_en="Vestland hub",
        latitude=60.4,
        longitude=5.3,
    )
    org = services.create_organisation(
        actor=None, name="Oslo Cancer Cluster", country=norway.country, stakeholder_group=research
    )
    services.add_membership(actor=None, hub=norway, organisation=org)
    from echos.synergies import services as synergies

    synergies.save_initiative(
        actor=None,
        key="screen-net",
        name="Colorectal screening network",
        programme="other",
        description="Organised colorectal cancer screening.",
        objectives=["prevention"],
    )
    synergies.save_activity(
        actor=None,
        hub=norway,
        title="Tarmscreening",
        language="nb",
        description="Screening for tarmkreft med avføringstest.",
        objectives=["prevention"],
        policy_areas=["health"],
    )
    return norway


def serious_violations(page, base_url: str) -> list[str]:
    # Loaded from our own static files: the page's CSP allows no inline script, not even a test's.
    page.add_script_tag(url=f"{base_url}/static/vendor/axe.min.js")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/hubs/",
        "/hubs/?country=NO",
        "HUB",
        "/countries/NO/",
        "/organisations/",
        "/accounts/login/",
        "/about/",
        "/accessibility/",
        "/search/?q=oslo",
    ],
)
def test_no_serious_accessibility_violations(page, live_server, hub, path):
    from echos.synergies.models import Activity

    url = {
        "HUB": f"/hubs/{hub.pk}/",
        "ACTIVITY": f"/synergies/activities/{Activity.objects.get().pk}/",
    }.get(path, path)
    page.goto(live_server.url + url)
    page.wait_for_load_state("networkidle")
    assert serious_violations(page, live_server.url) == []


@pytest.fixture
def assessed(hub):
    """A network coordinator, and a submitted assessment of the hub so the pictures have data."""
    from echos.assessment import scoring
    from echos.assessment import services as assessment
    from echos.core.models import User

    user = User.objects.create_user(
        "secretariat", password="a long demo password 2026", is_network_coordinator=True
    )
    maturity = assessment.current_instrument(assessment.MATURITY)
    response = assessment.start_response(actor=user, instrument=maturity, hub=hub)
    answers = {q.code: 3 for q in scoring.dimension_questions(maturity.definition)}
    assessment.submit_response(actor=user, response=response, answers=answers)
    draft = assessment.start_response(
        actor=user, instrument=assessment.current_instrument(assessment.MAPPING), hub=hub
    )
    return {"hub": hub, "draft": draft}


@pytest.mark.parametrize(
    "path", ["MATURITY", "DRAFT", "/assessment/", "/assessment/network/", "/assessment/mapping/"]
)
def test_no_serious_violations_on_assessment_pages(page, live_server, assessed, path):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill("a long demo password 2026")
    page.get_by_role("button", name="Sign in").click()
    url = {
        "MATURITY": f"/assessment/hubs/{assessed['hub'].pk}/",
        "DRAFT": f"/assessment/responses/{assessed['draft'].pk}/",
    }.get(path, path)
    page.goto(live_server.url + url)
    page.wait_for_load_state("networkidle")
    assert serious_violations(page, live_server.url) == []
