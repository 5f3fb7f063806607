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
    ],
)
def test_no_serious_accessibility_violations(page, live_server, hub, path):
    url = f"/hubs/{hub.pk}/" if path == "HUB" else path
    page.goto(live_server.url + url)
    page.wait_for_load_state("networkidle")
    assert serious_violations(page, live_server.url) == []
