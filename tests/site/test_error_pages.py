"""Error pages in the site's frame (issue #16): translated, with the request, JSON under /api/."""

import logging

import pytest
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path

from echos import urls as root_urls

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


def _suspicious(request):
    raise SuspiciousOperation("bad header")


urlpatterns = [
    path("test-boom/", _boom),
    path("test-suspicious/", _suspicious),
    *root_urls.urlpatterns,
]
handler400 = root_urls.handler400
handler403 = root_urls.handler403
handler404 = root_urls.handler404
handler500 = root_urls.handler500


def test_an_anonymous_403_is_the_site_page_with_a_sign_in_link(hubs):
    hub = hubs["norway"]
    response = Client().get(f"/assessment/hubs/{hub.pk}/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "<header" in body and "You cannot see this page" in body
    assert f"/accounts/login/?next=/assessment/hubs/{hub.pk}/" in body.replace("%2F", "/")


def test_a_404_is_the_site_page_and_is_translated():
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<header" in body and 'lang="de"' in body
    assert "Page not found" not in body  # the German catalogue has it


def test_an_unknown_api_path_answers_json():
    response = Client().get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_500_is_the_site_page_and_falls_back_to_plain_html(monkeypatch):
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    assert response.status_code == 500
    assert "<header" in response.content.decode()
    from echos.site import errors

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(errors, "_render", broken)
    response = client.get("/test-boom/")
    assert response.status_code == 500 and b"Something went wrong" in response.content


@override_settings(ROOT_URLCONF=__name__)
def test_a_400_is_the_site_page():
    response = Client().get("/test-suspicious/")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_a_refusal_is_logged_in_one_line_without_a_traceback(hubs, caplog):
    hub = hubs["norway"]
    from echos.core.logfilters import ExpectedRefusals

    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client().get(f"/assessment/hubs/{hub.pk}/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(ExpectedRefusals().filter(r) for r in records)
    assert all(r.exc_info is None for r in records)
    server = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), (None, None, None))
    server.status_code = 500
    ExpectedRefusals().filter(server)
    assert server.exc_info == (None, None, None)  # a 5xx keeps its traceback


def test_too_many_form_posts_get_the_site_page():
    cache.clear()
    with override_settings(ECHOS_RATE_LIMITS=True, ECHOS_RATE_FORMS=1):
        client = Client(REMOTE_ADDR="10.9.9.9")
        statuses = [
            client.post("/accounts/login/", {"username": "x", "password": "y"}) for _ in range(3)
        ]
    cache.clear()
    last = statuses[-1]
    assert last.status_code == 429 and "<header" in last.content.decode()
    assert "Too many requests" in last.content.decode()
