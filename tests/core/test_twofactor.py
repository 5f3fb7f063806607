"""TOTP two-factor authentication: required for network coordinators, asked of anyone enrolled."""

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

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
    assert done.status_code == 302 and done["Location"] == "/admin/"
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
