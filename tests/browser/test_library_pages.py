"""The library's pages in a browser: no serious WCAG 2.1 AA violation (axe-core) on the list, a
search with snippets, a resource and the upload form, and usable at 360 px."""

import pytest

from .test_accessibility import serious_violations

PASSWORD = "a long demo password 2026"


@pytest.fixture
def library(reference_data):
    from echos.core.models import User
    from echos.library import services

    user = User.objects.create_user("librarian", password=PASSWORD)
    first = services.create_resource(
        actor=user,
        title="Saúde pública nas regiões",
        description="Relatório sobre a saúde pública e a equidade no acesso ao rastreio.",
        language="pt",
        type="report",
        tags=[("objectives", "prevention"), ("dimensions", "funding")],
        url="https://example.org/pt",
    )
    services.create_resource(
        actor=user,
        title="Zdrowie publiczne w regionach",
        description="Raport o zdrowiu publicznym.",
        language="pl",
        type="report",
        tags=[],
        url="https://example.org/pl",
        translation_of=first,
    )
    return first


@pytest.mark.parametrize("path", ["/library/", "/library/?q=saude", "RESOURCE"])
def test_no_serious_violations(page, live_server, library, path):
    url = f"/library/{library.pk}/" if path == "RESOURCE" else path
    page.goto(live_server.url + url)
    page.wait_for_load_state("networkidle")
    assert serious_violations(page, live_server.url) == []


def test_upload_form_has_no_serious_violations(page, live_server, library):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("librarian")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/library/new/")
    page.wait_for_load_state("networkidle")
    assert serious_violations(page, live_server.url) == []


def test_search_results_fit_a_narrow_screen(page, live_server, library):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/library/?q=saude")
    marks = page.locator("main mark")
    assert marks.count() >= 1
    widest = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('main *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= 360
