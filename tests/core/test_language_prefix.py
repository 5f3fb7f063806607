"""Language from the URL prefix, then the user's setting, then the cookie, then Accept-Language
(issue #17; core/i18n.py): prefixed links, no leaking script prefix, the page cache keeping
languages apart, hreflang alternates, machine paths and bad codes."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import get_script_prefix, reverse

from echos.core import i18n, pagecache
from tests.conftest import PASSWORD

CODES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def page_cache(settings):
    settings.ECHOS_PAGE_CACHE = True
    caches[pagecache.PAGES_ALIAS].clear()
    caches[pagecache.VERSIONS_ALIAS].clear()


def html_lang(response) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert found, "no <html lang>"
    return found.group(1)


def hrefs(response) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', response.content.decode())


def alternates(response) -> dict[str, str]:
    return dict(
        re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()
        )
    )


# --- the helpers ---------------------------------------------------------------------------------


def test_split_prefix_knows_only_the_offered_codes():
    assert i18n.split_prefix("/el/events/") == ("el", "/events/")
    assert i18n.split_prefix("/pl/hubs/12/") == ("pl", "/hubs/12/")
    assert i18n.split_prefix("/el/") == ("el", "/")
    assert i18n.split_prefix("/xx/events/") == (None, "/xx/events/")
    assert i18n.split_prefix("/EL/events/") == (None, "/EL/events/")
    assert i18n.split_prefix("/events/") == (None, "/events/")
    assert i18n.with_language("/el/events/?q=1", "pl") == "/pl/events/?q=1"
    assert i18n.with_language("/events/", "ga") == "/ga/events/"


# --- prefixed pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["el", "pl", "ga", "is", "mt"])
def test_a_prefixed_page_is_in_that_language_and_its_links_keep_the_prefix(hubs, code):
    response = Client().get(f"/{code}/events/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert html_lang(response) == code
    assert response["Content-Language"] == code
    links = [h for h in hrefs(response) if h.startswith("/") and not h.startswith("/static/")]
    assert links, "the page has site links"
    assert all(h.startswith(f"/{code}/") for h in links), [
        h for h in links if not h.startswith(f"/{code}/")
    ]
    # Static files keep their one absolute address.
    assert '/static/vendor/pico.min.css"' in response.content.decode()
    assert f"/{code}/static/" not in response.content.decode()


def test_a_prefixed_hub_page_answers(hubs):
    hub = hubs["norway"]
    response = Client().get(f"/pl{hub.get_absolute_url()}")
    assert response.status_code == 200
    assert html_lang(response) == "pl"


def test_unprefixed_pages_answer_as_before_and_vary_on_the_visitors_choice(hubs):
    response = Client().get("/events/", HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 200
    assert html_lang(response) == "el"
    assert response["Content-Language"] == "el"
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary
    links = [h for h in hrefs(response) if h.startswith("/")]
    assert not any(h.startswith("/el/") for h in links)
    english = Client().get("/events/")
    assert html_lang(english) == "en"


def test_a_bare_language_code_redirects_to_its_home_page(hubs):
    response = Client().get("/el")
    assert response.status_code == 302 and response["Location"] == "/el/"
    home = Client().get("/el/")
    assert home.status_code == 200 and html_lang(home) == "el"


# --- precedence -----------------------------------------------------------------------------------


def test_prefix_beats_setting_beats_cookie_beats_accept_language(hubs, make_user, login):
    user = make_user("polyglot")
    i18n.set_preferred_language(user, "pl")
    client = login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert html_lang(client.get("/el/events/", HTTP_ACCEPT_LANGUAGE="fr")) == "el"
    assert html_lang(client.get("/events/", HTTP_ACCEPT_LANGUAGE="fr")) == "pl"
    i18n.set_preferred_language(user, "")
    assert html_lang(client.get("/events/", HTTP_ACCEPT_LANGUAGE="fr")) == "de"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert html_lang(client.get("/events/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"
    assert html_lang(client.get("/events/")) == "en"


def test_a_setting_for_a_language_no_longer_offered_is_ignored(hubs, make_user, login):
    from echos.core.models import UserPreference

    user = make_user("stale")
    UserPreference.objects.create(user=user, language="tr")  # written around the checks
    client = login(user)
    assert html_lang(client.get("/events/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"


# --- the script prefix ---------------------------------------------------------------------------


def test_the_script_prefix_does_not_leak_into_the_next_request_or_the_test(hubs):
    client = Client()
    assert client.get("/el/events/").status_code == 200
    assert get_script_prefix() == "/"
    assert reverse("events:calendar") == "/events/"
    after = client.get("/events/")
    assert all(not h.startswith("/el/") for h in hrefs(after))
    # Also when the view fails: a 404 under a prefix.
    assert client.get("/el/no-such-page/").status_code == 404
    assert get_script_prefix() == "/"


def test_a_404_under_a_prefix_is_the_normal_page_in_that_language(hubs):
    response = Client().get("/el/no-such-page/")
    assert response.status_code == 404
    assert html_lang(response) == "el"


# --- the page cache -------------------------------------------------------------------------------


def test_the_page_cache_keeps_prefixed_and_negotiated_pages_apart(page_cache, hubs):
    prefixed = Client().get("/el/events/")
    assert prefixed[pagecache.HEADER] == "miss"
    negotiated = Client().get("/events/", HTTP_ACCEPT_LANGUAGE="el")
    # Same language, other links: its own entry, never the prefixed page.
    assert negotiated[pagecache.HEADER] == "miss"
    assert html_lang(negotiated) == "el"
    assert not any(h.startswith("/el/") for h in hrefs(negotiated))
    again = Client().get("/el/events/")
    assert again[pagecache.HEADER] == "hit"
    assert html_lang(again) == "el"
    assert any(h.startswith("/el/") for h in hrefs(again))
    negotiated_again = Client().get("/events/", HTTP_ACCEPT_LANGUAGE="el")
    assert negotiated_again[pagecache.HEADER] == "hit"
    assert not any(h.startswith("/el/") for h in hrefs(negotiated_again))
    english = Client().get("/events/")
    assert english[pagecache.HEADER] == "miss" and html_lang(english) == "en"
    polish = Client().get("/pl/events/")
    assert polish[pagecache.HEADER] == "miss" and html_lang(polish) == "pl"
    assert polish["Content-Language"] == "pl"


# --- hreflang ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/events/", "/hubs/", "/library/", "/about/"])
@pytest.mark.parametrize("prefix", ["", "/el"])
def test_every_page_lists_itself_in_every_language(hubs, path, prefix):
    response = Client().get(prefix + path)
    assert response.status_code == 200
    links = alternates(response)
    assert set(links) == {*CODES, "x-default"}
    for code in CODES:
        assert links[code] == f"/{code}{path}"
    assert links["x-default"] == path
    assert html_lang(response) == (prefix.strip("/") or "en")


def test_hreflang_alternates_keep_the_query(hubs):
    links = alternates(Client().get("/pl/events/?view=list"))
    assert links["el"] == "/el/events/?view=list"
    assert links["x-default"] == "/events/?view=list"


# --- machine paths and bad codes ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path, target",
    [
        ("/el/api/v1/countries", "/api/v1/countries"),
        ("/el/healthz", "/healthz"),
        ("/pl/static/echos/echos.css", "/static/echos/echos.css"),
        ("/pl/i18n/setlang/", "/i18n/setlang/"),
    ],
)
def test_machine_paths_have_one_address(db, path, target):
    response = Client().get(path + "?a=1")
    assert response.status_code == 302
    assert response["Location"] == target + "?a=1"


def test_the_api_and_healthz_answer_unprefixed_as_before(db):
    assert Client().get("/api/v1/countries").status_code == 200
    assert Client().get("/healthz").status_code in (200, 503)


def test_an_ical_feed_answers_under_a_prefix(hubs):
    response = Client().get("/el/events/feed.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


@pytest.mark.parametrize("path", ["/xx/events/", "/EL/events/", "/e/events/", "/ell/events/"])
def test_an_unknown_code_is_the_normal_404_page(hubs, path):
    response = Client().get(path)
    assert response.status_code == 404
    assert b"<html" in response.content


def test_admin_under_a_prefix_signs_in_under_it(db):
    response = Client().get("/el/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/el/admin/login/")


# --- sign-in, next and CSRF ------------------------------------------------------------------------


def test_sign_in_link_and_redirect_keep_the_prefix(hubs, make_user):
    make_user("walker")
    client = Client(enforce_csrf_checks=True)
    page = client.get("/el/events/")
    assert '/el/accounts/login/?next=/el/events/"' in page.content.decode()
    form = client.get("/el/accounts/login/?next=/el/events/")
    assert form.status_code == 200 and html_lang(form) == "el"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())
    assert token
    response = client.post(
        "/el/accounts/login/?next=/el/events/",
        {
            "username": "walker",
            "password": PASSWORD,
            "next": "/el/events/",
            "csrfmiddlewaretoken": token.group(1),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/el/events/"


def test_sign_in_refuses_an_off_site_next_under_a_prefix(hubs, make_user):
    make_user("walker")
    response = Client().post(
        "/el/accounts/login/",
        {"username": "walker", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
