"""The account's API tokens page (issue #15 item 7): create with a name and scope (shown once), see
prefix, creation and last use, revoke; the scope enforced on every app's writes; own tokens only;
a fresh second factor to create; audit and e-mail; the raw token never stored."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Router
from ninja.testing import TestClient

from echos.core import tokens
from echos.core.api import EchosAPI, deprecated, install_error_handlers
from echos.core.models import ActionLog, ApiToken
from echos.core.twofactor import SESSION_VERIFIED_AT

pytestmark = pytest.mark.django_db

RAW = re.compile(r"echos_[A-Za-z0-9_-]{40,}")


@pytest.fixture
def mona(personas):
    user = personas["coord_no"]
    user.email = "coordinator-no@example.invalid"
    user.save()
    return user


def _create(client, name="export script", scope="read"):
    return client.post("/accounts/tokens/new/", {"name": name, "scope": scope})


def test_create_shows_the_token_once_and_stores_only_its_digest(
    mona, login, django_capture_on_commit_callbacks
):
    client = login(mona)
    assert client.get("/accounts/tokens/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        page = _create(client)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    (raw,) = set(RAW.findall(page.content.decode()))
    token = ApiToken.objects.get(user=mona)
    assert (token.name, token.scope, token.prefix) == ("export script", "read", raw[:12])
    assert token.digest == ApiToken.hash(raw) and raw not in token.digest
    listing = client.get("/accounts/tokens/").content.decode()
    assert "export script" in listing and raw[:12] in listing and "Read only" in listing
    assert raw not in listing and "Never" in listing
    # Audited and e-mailed, with the name and prefix but never the secret.
    entry = ActionLog.objects.get(action="core.api_token.created")
    assert entry.actor == mona and entry.data == {
        "name": "export script",
        "prefix": raw[:12],
        "scope": "read",
    }
    (message,) = mail.outbox
    assert message.to == ["coordinator-no@example.invalid"] and "export script" in message.body
    assert raw not in message.body and raw not in json.dumps(entry.data)


def test_last_use_shows_on_the_list(hubs, mona, login, client):
    _token, raw = ApiToken.issue(mona, "reader", "read")
    assert "Never" in login(mona).get("/accounts/tokens/").content.decode()
    client.get(f"/api/v1/hubs/{hubs['norway'].pk}/audit", HTTP_AUTHORIZATION=f"Bearer {raw}")
    page = login(mona).get("/accounts/tokens/").content.decode()
    assert "Never" not in page


def test_revoke_deletes_audits_and_emails(mona, login, django_capture_on_commit_callbacks):
    token, raw = ApiToken.issue(mona, "old script", "write")
    client = login(mona)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/accounts/tokens/"
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    entry = ActionLog.objects.get(action="core.api_token.revoked")
    assert entry.actor == mona and entry.data["prefix"] == raw[:12]
    assert [m.subject for m in mail.outbox] == ["echos: An API token was revoked"]
    refused = Client().get("/api/v1/hubs", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert refused.status_code in (200, 401)  # public list: a dead token is simply not accepted
    assert (
        Client().patch("/api/v1/hubs/1", "{}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        == 401
    )
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405


def test_others_tokens_are_neither_listed_nor_revocable(personas, mona, login):
    theirs, _raw = ApiToken.issue(personas["coord_pt"], "portugal script")
    client = login(mona)
    assert "portugal script" not in client.get("/accounts/tokens/").content.decode()
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert not ActionLog.objects.filter(action__startswith="core.api_token").exists()
    # Anonymous: to the sign-in page, nothing done.
    for path in ("/accounts/tokens/", "/accounts/tokens/new/"):
        assert Client().get(path)["Location"].startswith("/accounts/login/")
    anonymous = Client().post(f"/accounts/tokens/{theirs.pk}/revoke/")
    assert anonymous.status_code == 302 and ApiToken.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    "name, scope, field",
    [
        ("", "read", "name"),
        ("   ", "write", "name"),
        ("x" * 101, "read", "name"),
        ("ok", "admin", "scope"),
    ],
)
def test_bad_input_names_the_field(mona, login, name, scope, field):
    response = _create(login(mona), name, scope)
    assert response.status_code == 422 and response.context["form"].errors[field]
    assert not ApiToken.objects.exists()


def test_tokens_per_account_are_limited(mona, login):
    for i in range(tokens.MAX_TOKENS_PER_USER):
        ApiToken.issue(mona, f"t{i}")
    client = login(mona)
    response = _create(client, "one more")
    assert response.status_code == 422 and "at most" in str(response.context["form"].errors["name"])
    assert ApiToken.objects.filter(user=mona).count() == tokens.MAX_TOKENS_PER_USER
    assert "Create a token" not in client.get("/accounts/tokens/").content.decode()


def _code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_creating_needs_a_recent_second_factor_for_enrolled_users(mona, client):
    device = TOTPDevice.objects.create(user=mona, name="phone", confirmed=True)
    client.post(
        "/accounts/login/", {"username": mona.username, "password": "correct horse battery staple"}
    )
    client.post("/accounts/2fa/verify/", {"code": _code(device)})
    assert _create(client).status_code == 200 and ApiToken.objects.count() == 1
    # The code was entered an hour ago: a new one first, nothing is created meanwhile.
    session = client.session
    session[SESSION_VERIFIED_AT] -= 3600
    session.save()
    for response in (client.get("/accounts/tokens/new/"), _create(client, "second")):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/verify/?next=/accounts/tokens/new/")
    assert ApiToken.objects.count() == 1
    # The list and revocation stay open: revoking only ever takes power away.
    assert client.get("/accounts/tokens/").status_code == 200


def test_a_read_token_is_refused_on_writes_of_any_app(hubs, personas, mona, client):
    _read, raw_read = ApiToken.issue(mona, "reader", ApiToken.Scope.READ)
    _write, raw_write = ApiToken.issue(mona, "writer", ApiToken.Scope.WRITE)
    url = f"/api/v1/hubs/{hubs['norway'].pk}"
    body = json.dumps({"mission": "via token"})
    refused = client.patch(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw_read}"
    )
    assert refused.status_code == 403 and "read scope" in refused.json()["detail"]
    hubs["norway"].refresh_from_db()
    assert hubs["norway"].mission != "via token"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw_read}").status_code == 200
    allowed = client.patch(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw_write}"
    )
    assert allowed.status_code == 200
    # A write token of a user without the right is still refused by the app's own rule.
    _other, raw_other = ApiToken.issue(personas["coord_pt"], "pt")

    other = client.patch(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw_other}"
    )
    assert other.status_code == 403


def test_tokens_made_before_scopes_keep_writing():
    from django.apps import apps

    field = apps.get_model("core", "ApiToken")._meta.get_field("scope")
    assert field.default == "write"


def test_command_takes_a_scope_and_uses_the_same_rules(mona):
    out = StringIO()
    call_command("token", "create", "--user", mona.username, "--scope", "read", stdout=out)
    token = ApiToken.objects.get(user=mona)
    assert token.scope == "read" and out.getvalue().strip().startswith(token.prefix)
    assert ActionLog.objects.filter(action="core.api_token.created").count() == 1
    listed = StringIO()
    call_command("token", "list", "--user", mona.username, stdout=listed)
    assert "read" in listed.getvalue()
    with pytest.raises(CommandError, match="name"):
        call_command("token", "create", "--user", mona.username, "--name", "x" * 101)
    call_command(
        "token", "revoke", "--user", mona.username, "--prefix", token.prefix, stdout=StringIO()
    )
    assert not ApiToken.objects.exists()
    assert ActionLog.objects.filter(action="core.api_token.revoked").count() == 1


def test_privacy_export_lists_tokens_without_their_digest(mona):
    from echos.core.privacy import collect

    ApiToken.issue(mona, "reader", "read")
    (row,) = collect(mona, [])["api_tokens"]
    assert row["name"] == "reader" and row["scope"] == "read" and row["created_at"]
    assert "digest" not in row and not any(RAW.search(str(v) or "") for v in row.values())


def test_a_deprecated_operation_answers_with_the_headers_and_is_flagged():
    router = Router()

    @router.get("/old")
    @deprecated(since=date(2027, 1, 1), sunset=date(2027, 7, 1), link="https://example.org/notes")
    def old(request):
        return {"ok": True}

    @router.get("/current")
    def current(request):
        return {"ok": True}

    api = EchosAPI(urls_namespace="deprecation-test")
    install_error_handlers(api)
    api.add_router("/", router)
    client = TestClient(api)
    response = client.get("/old")
    assert response.status_code == 200
    assert response["Deprecation"] == "@1798761600"
    assert response["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
    assert response["Link"].startswith('<https://example.org/notes>; rel="deprecation"')
    assert "Deprecation" not in client.get("/current").headers
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    assert paths["/old"]["get"]["deprecated"] is True
    assert "deprecated" not in paths["/current"]["get"]
    with pytest.raises(ValueError):
        deprecated(since=date(2027, 1, 1), sunset=date(2027, 3, 1))


def test_the_api_has_no_deprecated_operation_today():
    from echos.api import api

    flagged = [
        path
        for path, methods in api.get_openapi_schema()["paths"].items()
        for op in methods.values()
        if op.get("deprecated")
    ]
    assert flagged == []


@pytest.mark.parametrize("count", [1, 15])
def test_the_list_costs_the_same_queries_whatever_the_number_of_tokens(
    mona, login, count, django_assert_max_num_queries
):
    for i in range(count):
        ApiToken.issue(mona, f"t{i}")
    client = login(mona)
    client.get("/accounts/tokens/")  # warm the session and the nav
    with django_assert_max_num_queries(8):
        page = client.get("/accounts/tokens/")
    assert page.content.decode().count("/revoke/") == count
