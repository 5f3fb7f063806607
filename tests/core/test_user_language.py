"""A signed-in user's own language (issue #17): the account's language page, the header switch,
``/api/v1/me/language``, the privacy export and erasure, e-mails in the chosen language, and the
attacker's and bad-input cases."""

import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from echos.core import i18n
from echos.core.exceptions import RuleViolation
from echos.core.models import ApiToken, UserPreference
from echos.site import privacy

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert found
    return found.group(1)


def stored(user) -> str | None:
    return UserPreference.objects.filter(user=user).values_list("language", flat=True).first()


# --- the rule ------------------------------------------------------------------------------------


def test_only_an_offered_language_can_be_stored(make_user):
    user = make_user("ana")
    with pytest.raises(RuleViolation) as refused:
        i18n.set_preferred_language(user, "tr")
    assert refused.value.field == "language"
    with pytest.raises(ValidationError) as invalid:
        UserPreference(user=user, language="xx").full_clean()
    assert "language" in invalid.value.message_dict
    assert i18n.set_preferred_language(user, "ga") == "ga"
    assert stored(user) == "ga"
    assert i18n.set_preferred_language(user, "") == ""
    assert stored(user) == ""


def test_the_setting_is_read_once_per_sign_in_not_per_page(hubs, make_user, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user("counted")
    UserPreference.objects.create(user=user, language="sv")
    client = login(user)  # the sign-in reads it
    with CaptureQueriesContext(connection) as ctx:
        assert html_lang(client.get("/about/")) == "sv"
    assert not any("core_userpreference" in q["sql"] for q in ctx.captured_queries)


# --- the account's language page --------------------------------------------------------------


def test_the_language_page_needs_a_signed_in_user():
    response = Client().get("/accounts/language/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_chooses_their_language_and_every_unprefixed_page_follows(hubs, make_user, login):
    user = make_user("maria")
    client = login(user)
    page = client.get("/accounts/language/")
    assert page.status_code == 200
    assert 'href="/accounts/language/"' in client.get("/events/").content.decode()
    response = client.post("/accounts/language/", {"language": "el"})
    assert response.status_code == 302 and response["Location"] == "/accounts/language/"
    assert stored(user) == "el"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "el"
    fresh = login(user)  # another device: no cookie, the setting still counts
    assert html_lang(fresh.get("/events/", HTTP_ACCEPT_LANGUAGE="fr")) == "el"


def test_saving_under_a_prefix_goes_to_the_page_under_the_new_prefix(hubs, make_user, login):
    user = make_user("piotr")
    client = login(user)
    response = client.post("/el/accounts/language/", {"language": "pl"})
    assert response.status_code == 302 and response["Location"] == "/pl/accounts/language/"
    assert stored(user) == "pl"


@pytest.mark.parametrize("code", ["xx", "tr", "<script>", "e" * 300])
def test_an_unknown_language_on_the_page_is_a_form_error_naming_the_field(
    hubs, make_user, login, code
):
    user = make_user("bad")
    response = login(user).post("/accounts/language/", {"language": code})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'role="alert"' in body and 'href="#id_language"' in body
    assert stored(user) is None


# --- the header switch --------------------------------------------------------------------------


def test_switching_on_a_prefixed_page_goes_to_the_same_page_under_the_new_prefix(hubs):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/el/events/?view=list")
    body = page.content.decode()
    assert 'action="/i18n/setlang/"' in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    assert 'name="next" type="hidden" value="/el/events/?view=list"' in body
    response = client.post(
        "/i18n/setlang/",
        {"language": "pl", "next": "/el/events/?view=list", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/pl/events/?view=list"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"
    after = client.get(response["Location"])
    assert html_lang(after) == "pl"


def test_switching_on_an_unprefixed_page_stays_unprefixed_and_the_cookie_chooses(hubs):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/events/"})
    assert response.status_code == 302 and response["Location"] == "/events/"
    assert html_lang(client.get("/events/", HTTP_ACCEPT_LANGUAGE="fr")) == "de"


def test_switching_while_signed_in_saves_the_setting(hubs, make_user, login):
    user = make_user("switcher")
    client = login(user)
    client.post("/i18n/setlang/", {"language": "fi", "next": "/events/"})
    assert stored(user) == "fi"
    assert html_lang(login(user).get("/events/")) == "fi"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/el/events/", "javascript:alert(1)", "http:/x"],
)
def test_the_switch_refuses_a_next_off_site(hubs, target):
    response = Client().post("/i18n/setlang/", {"language": "pl", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("code", ["xx", "", "EL", "el-GR", "e" * 3000])
def test_an_unknown_language_in_the_switch_is_a_form_error_naming_the_field(hubs, code):
    response = Client().post("/i18n/setlang/", {"language": code, "next": "/events/"})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'role="alert"' in body and 'href="#id_language"' in body
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switch_answers_only_posts(hubs):
    assert Client().get("/i18n/setlang/?language=el").status_code == 405


# --- the API -------------------------------------------------------------------------------------


def test_the_api_reads_and_changes_only_the_callers_language(make_user, token_client):
    user = make_user("api-user")
    other = make_user("other")
    i18n.set_preferred_language(other, "de")
    client = token_client(user)
    got = client.get("/api/v1/me/language")
    assert got.status_code == 200
    assert got.json()["language"] == "" and "mt" in got.json()["offered"]
    changed = client.patch(
        "/api/v1/me/language",
        data=json.dumps({"language": "hr", "user": other.pk, "id": other.pk}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["language"] == "hr"
    assert stored(user) == "hr"
    assert stored(other) == "de"  # nothing in the request can reach another account


@pytest.mark.parametrize("code", ["xx", "tr", 12, None, "el-GR"])
def test_the_api_refuses_an_unknown_language_naming_the_field(make_user, token_client, code):
    user = make_user("api-bad")
    response = token_client(user).patch(
        "/api/v1/me/language",
        data=json.dumps({"language": code}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["language"]
    assert stored(user) is None


def test_the_api_needs_a_token_and_a_write_scope(make_user):
    assert Client().get("/api/v1/me/language").status_code == 401
    assert (
        Client()
        .patch("/api/v1/me/language", data='{"language": "el"}', content_type="application/json")
        .status_code
        == 401
    )
    user = make_user("reader")
    _token, raw = ApiToken.issue(user, scope=ApiToken.Scope.READ)
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert reader.get("/api/v1/me/language").status_code == 200
    refused = reader.patch(
        "/api/v1/me/language", data='{"language": "el"}', content_type="application/json"
    )
    assert refused.status_code == 403
    assert stored(user) is None


# --- privacy -------------------------------------------------------------------------------------


def test_the_privacy_export_and_erasure_include_the_setting(make_user):
    user = make_user("private", email="private@example.org")
    i18n.set_preferred_language(user, "lv")
    subject = privacy.find_subject(username="private")
    data = privacy.collect(subject)
    assert data["accounts"]["account"]["language"] == "lv"
    counted = privacy.erase_subject(subject, apply=False)
    assert counted["counts"]["preferences_deleted"] == 1
    privacy.erase_subject(privacy.find_subject(username="private"), apply=True)
    assert not UserPreference.objects.filter(user=user).exists()
    assert i18n.preferred_language(user) == ""


# --- e-mails -------------------------------------------------------------------------------------


def test_account_e_mails_use_the_users_language(make_user):
    from echos.core.tokens import TOKEN_EMAILS, send_token_email_now

    user = make_user("mailed", email="mailed@example.org")
    i18n.set_preferred_language(user, "de")
    send_token_email_now(user, "revoked", "ci", "abcd")
    with translation.override("de"):
        german = str(TOKEN_EMAILS["revoked"][0])
    with translation.override("en"):
        english = str(TOKEN_EMAILS["revoked"][0])
    assert german != english
    assert mail.outbox[-1].subject == f"echos: {german}"
    i18n.set_preferred_language(user, "")
    send_token_email_now(user, "revoked", "ci", "abcd")
    assert mail.outbox[-1].subject == f"echos: {english}"


def test_a_password_reset_e_mail_uses_the_accounts_language(make_user):
    from django.template.loader import render_to_string

    from echos.core.passwords import send_reset_now

    user = make_user("forgetful", email="forgetful@example.org")
    i18n.set_preferred_language(user, "pl")
    send_reset_now("forgetful@example.org", language="fr")
    subject = "registration/password_reset_subject.txt"
    with translation.override("pl"):
        polish = "".join(render_to_string(subject, {"site_name": "x"}).splitlines())
    with translation.override("fr"):
        french = "".join(render_to_string(subject, {"site_name": "x"}).splitlines())
    assert polish != french
    assert mail.outbox[-1].subject == polish


def test_the_language_page_under_a_prefix_signs_in_under_it():
    response = Client().get("/el/accounts/language/")
    assert response.status_code == 302
    assert response["Location"] == "/el/accounts/login/?next=/el/accounts/language/"
