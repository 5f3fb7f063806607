"""TOTP two-factor authentication: required for network coordinators, asked of anyone enrolled."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from echos.core.models import ActionLog
from echos.core.twofactor import SESSION_VERIFIED_AT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enforced")]


@pytest.fixture
def enforced():
    with override_settings(ECHOS_REQUIRE_2FA=True):
        yield


def code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(client, username):
    return client.post(
        "/accounts/login/", {"username": username, "password": "correct horse battery staple"}
    )


def test_network_coordinator_must_enrol_before_anything_else(personas, client):
    sign_in(client, "secretariat")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "Key:" in page
    device = TOTPDevice.objects.get(user=personas["network"])
    wrong = client.post(
        "/accounts/2fa/setup/?next=/admin/",
        {"code": "000000" if code(device) != "000000" else "111111"},
    )
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    # A wrong code throttles the device (exponential delay); the test does not wait it out.
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post("/accounts/2fa/setup/?next=/admin/", {"code": code(device)})
    assert done.status_code == 200 and 'href="/admin/"' in done.content.decode()
    assert len(done.context["codes"]) == 10  # recovery codes, shown this once
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_enrolled_user_is_asked_for_a_code_at_each_sign_in(personas, client):
    device = TOTPDevice.objects.create(user=personas["network"], name="app", confirmed=True)
    sign_in(client, "secretariat")
    response = client.get("/assessment/network/")
    assert response["Location"].startswith("/accounts/2fa/verify/")
    assert (
        client.post("/accounts/2fa/verify/", {"code": "12"}).status_code == 422
    )  # not six digits: no attempt
    ok = client.post("/accounts/2fa/verify/?next=/assessment/network/", {"code": code(device)})
    assert ok["Location"] == "/assessment/network/"
    assert client.get("/assessment/network/").status_code == 200


def test_hub_coordinators_are_not_forced_but_may_enrol(personas, client):
    sign_in(client, "coordinator-no")
    assert client.get("/assessment/").status_code == 200
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=personas["coord_no"])
    client.post("/accounts/2fa/setup/", {"code": code(device)})
    client.post("/accounts/logout/")
    sign_in(client, "coordinator-no")
    assert client.get("/assessment/")["Location"].startswith("/accounts/2fa/verify/")


def attacker_code(client, user) -> str:
    """A code of a secret the attacker holds: the unconfirmed device the setup page made, if any."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return code(device or TOTPDevice(user=user, name="attacker"))


@pytest.mark.parametrize("user", ["network", "coord_no"])
def test_password_alone_cannot_enrol_another_authenticator(personas, client, user):
    victim = personas[user]
    victim.email = "victim@example.invalid"
    victim.save()
    own = TOTPDevice.objects.create(user=victim, name="phone", confirmed=True)
    client.post(
        "/accounts/login/",
        {"username": victim.username, "password": "correct horse battery staple"},
    )
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/2fa/verify/")
    posted = client.post("/accounts/2fa/setup/", {"code": attacker_code(client, victim)})
    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/2fa/verify/")
    assert list(TOTPDevice.objects.filter(user=victim)) == [own]
    assert not StaticDevice.objects.filter(user=victim).exists()
    for url in ["/admin/", "/privacy/people/", "/admin/core/actionlog/", "/assessment/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/2fa/verify/"), url
    codes = client.post("/accounts/2fa/recovery-codes/")
    assert codes["Location"].startswith("/accounts/2fa/verify/")
    assert not ActionLog.objects.filter(action__startswith="core.twofactor").exists()
    assert mail.outbox == []


def verified_client(client, user, device):
    client.post(
        "/accounts/login/",
        {"username": user.username, "password": "correct horse battery staple"},
    )
    client.post("/accounts/2fa/verify/", {"code": code(device)})
    return client


def age_verification(client, seconds):
    session = client.session
    session[SESSION_VERIFIED_AT] -= seconds
    session.save()


def test_replacing_the_app_needs_a_fresh_code(personas, client, django_capture_on_commit_callbacks):
    network = personas["network"]
    network.email = "secretariat@example.invalid"
    network.save()
    old = TOTPDevice.objects.create(user=network, name="phone", confirmed=True)
    verified_client(client, network, old)
    age_verification(client, 3600)
    assert client.get("/admin/").status_code == 200  # still signed in and verified
    stale = client.get("/accounts/2fa/setup/")
    assert stale["Location"].startswith("/accounts/2fa/verify/?next=/accounts/2fa/setup/")
    TOTPDevice.objects.filter(pk=old.pk).update(last_t=-1)  # same 30 s step: not a replay here
    client.post("/accounts/2fa/verify/", {"code": code(old)})
    assert client.get("/accounts/2fa/setup/").status_code == 200
    new = TOTPDevice.objects.get(user=network, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/accounts/2fa/setup/", {"code": code(new)})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert list(TOTPDevice.objects.filter(user=network)) == [new]
    new.refresh_from_db()
    assert new.confirmed
    assert ActionLog.objects.filter(action="core.twofactor.replaced", target_id=network.pk).exists()
    assert [m.to for m in mail.outbox] == [["secretariat@example.invalid"]]
    assert "replaced" in mail.outbox[0].body


def test_first_enrolment_is_audited_and_emailed(
    personas, client, django_capture_on_commit_callbacks
):
    coordinator = personas["coord_no"]
    coordinator.email = "coord@example.invalid"
    coordinator.save()
    sign_in(client, "coordinator-no")
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/setup/", {"code": code(device)})
    assert ActionLog.objects.filter(action="core.twofactor.enrolled").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["coord@example.invalid"]


def test_throttled_code_says_when_to_try_again(personas, client):
    device = TOTPDevice.objects.create(user=personas["network"], name="app", confirmed=True)
    sign_in(client, "secretariat")
    wrong = "000000" if code(device) != "000000" else "111111"
    first = client.post("/accounts/2fa/verify/", {"code": wrong})
    assert "not right" in first.content.decode()
    blocked = client.post("/accounts/2fa/verify/", {"code": code(device)})
    text = blocked.content.decode()
    assert blocked.status_code == 429
    assert "not right" not in text and "seconds" in text
    device.refresh_from_db()
    device.throttling_failure_timestamp = timezone.now() - timedelta(minutes=1)
    device.save()
    assert client.post("/accounts/2fa/verify/", {"code": code(device)}).status_code == 302


def test_next_cannot_point_to_another_site(personas, client):
    device = TOTPDevice.objects.create(user=personas["network"], name="app", confirmed=True)
    sign_in(client, "secretariat")
    response = client.post(
        "/accounts/2fa/verify/?next=https://evil.example/", {"code": code(device)}
    )
    assert response["Location"] == "/"


def test_production_deployment_checks_are_clean(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("ECHOS_", "DJANGO_"))}
    env.update(
        ECHOS_DATA_DIR=str(tmp_path),
        ECHOS_TLS="1",
        ECHOS_SECRET_KEY="x" * 20 + "-a-long-random-key-" + "y" * 30,
        ECHOS_ALLOWED_HOSTS="echos.example.org",
    )
    out = subprocess.run(
        [sys.executable, "-m", "echos", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


@pytest.mark.parametrize("path", ["/accounts/2fa/setup/", "/accounts/2fa/verify/"])
def test_pages_with_secrets_are_never_cached(client, make_user, path):
    """The setup page shows the new secret (and then the recovery codes): no cache may keep it."""
    client.force_login(make_user("zoe"))
    response = client.get(path)
    assert "no-store" in response["Cache-Control"], response.status_code
