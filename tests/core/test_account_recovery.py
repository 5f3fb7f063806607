"""Account recovery: password reset by e-mail (rate-limited, silent about accounts, never past the
second factor), one-time recovery codes, and a throttle that says when to try again."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from echos.core import passwords
from echos.core.models import ActionLog
from echos.core.twofactor import SESSION_VERIFIED_AT, new_recovery_codes

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase 2026"


def code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def secretariat(personas):
    user = personas["network"]
    user.email = "secretariat@example.invalid"
    user.save()
    return user


@pytest.fixture
def enrolled(secretariat):
    device = TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True)
    return device, new_recovery_codes(user=secretariat)


def ask_reset(client, email):
    return client.post("/accounts/password-reset/", {"email": email})


def test_reset_page_is_in_the_site_frame_and_linked_from_sign_in(client):
    page = client.get("/accounts/password-reset/")
    assert page.status_code == 200
    assert "registration/password_reset_form.html" in [t.name for t in page.templates]
    assert "base.html" in [t.name for t in page.templates]
    assert 'href="/accounts/password-reset/"' in client.get("/accounts/login/").content.decode()


def test_reset_answers_the_same_whether_or_not_the_address_has_an_account(secretariat, client):
    known = ask_reset(client, "secretariat@example.invalid")
    unknown = ask_reset(client, "nobody@example.invalid")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    assert [m.to for m in mail.outbox] == [["secretariat@example.invalid"]]
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", mail.outbox[0].body)
    assert link and "testserver" not in link.group(0)  # from ECHOS_SITE_URL, not the Host header


def reset_password(client, body):
    path = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", body).group(1)
    form = client.get(path, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == "/accounts/password-reset/done/"


@override_settings(ECHOS_REQUIRE_2FA=True)
def test_reset_does_not_bypass_the_second_factor(secretariat, enrolled, client):
    ask_reset(client, "secretariat@example.invalid")
    reset_password(client, mail.outbox[0].body)
    assert "_auth_user_id" not in client.session  # a reset never signs in
    client.post("/accounts/login/", {"username": "secretariat", "password": NEW_PASSWORD})
    for url in ["/admin/", "/privacy/people/"]:
        assert client.get(url)["Location"].startswith("/accounts/2fa/verify/")
    device, _codes = enrolled
    assert client.post("/accounts/2fa/verify/", {"code": code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200


@override_settings(ECHOS_RATE_LIMITS=True)
def test_reset_is_limited_per_address_without_telling(secretariat, client):
    for _i in range(passwords.RESET_PER_ADDRESS + 2):
        response = ask_reset(client, "Secretariat@example.invalid")
        assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == passwords.RESET_PER_ADDRESS


@override_settings(ECHOS_RATE_LIMITS=True)
def test_reset_is_limited_per_client(client):
    for i in range(passwords.RESET_PER_CLIENT):
        assert ask_reset(client, f"someone{i}@example.invalid").status_code == 302
    refused = ask_reset(client, "another@example.invalid")
    assert refused.status_code == 429 and "try again in" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0


@override_settings(ECHOS_REQUIRE_2FA=True)
def test_recovery_code_signs_in_once_and_is_audited(
    secretariat, enrolled, client, django_capture_on_commit_callbacks
):
    _device, codes = enrolled
    client.post("/accounts/login/", {"username": "secretariat", "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        used = client.post("/accounts/2fa/verify/?next=/admin/", {"code": codes[0].upper()})
    assert used["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    entry = ActionLog.objects.get(action="core.twofactor.recovery_code_used")
    assert entry.actor == secretariat and entry.data == {"left": 9}
    assert mail.outbox[-1].to == ["secretariat@example.invalid"]
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "secretariat", "password": PASSWORD})
    again = client.post("/accounts/2fa/verify/", {"code": codes[0]})
    assert again.status_code == 422 and "not right" in again.content.decode()
    StaticDevice.objects.get(user=secretariat).throttle_reset()
    assert client.post("/accounts/2fa/verify/", {"code": codes[1]}).status_code == 302


def test_recovery_codes_are_regenerated_only_after_a_fresh_code(secretariat, enrolled, client):
    device, old = enrolled
    client.post("/accounts/login/", {"username": "secretariat", "password": PASSWORD})
    client.post("/accounts/2fa/verify/", {"code": code(device)})
    assert (
        "10 unused recovery codes" in client.get("/accounts/2fa/recovery-codes/").content.decode()
    )
    session = client.session
    session[SESSION_VERIFIED_AT] -= 3600
    session.save()
    stale = client.post("/accounts/2fa/recovery-codes/")
    assert stale["Location"].startswith("/accounts/2fa/verify/")
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # same 30 s step: not a replay here
    client.post("/accounts/2fa/verify/", {"code": code(device)})
    fresh = client.post("/accounts/2fa/recovery-codes/")
    new = fresh.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert ActionLog.objects.filter(action="core.twofactor.recovery_codes_generated").count() == 2


def test_a_recovery_code_is_not_a_totp_code_and_garbage_is_named(secretariat, enrolled, client):
    client.post("/accounts/login/", {"username": "secretariat", "password": PASSWORD})
    response = client.post("/accounts/2fa/verify/", {"code": "hello world!"})
    assert response.status_code == 422
    assert "recovery codes" in response.content.decode()


@pytest.mark.parametrize("address", ["secretariat@example.invalid", "nobody@example.invalid"])
def test_the_reset_email_is_queued_only_after_the_answer_is_sent(secretariat, address):
    """Where tasks run in the web process (no Redis), looking the address up and sending the
    e-mail inside the request would make a known address answer measurably slower."""
    calls = []
    request = RequestFactory().post("/accounts/password-reset/", {"email": address})
    request._dont_enforce_csrf_checks = True
    with mock.patch.object(passwords, "send_password_reset_email", lambda *a: calls.append(a)):
        response = passwords.PasswordResetView.as_view()(request)
        assert response.status_code == 302 and calls == []
        response.close()  # what the server does after the last byte has left
    assert calls == [(address, mock.ANY)]
