"""Two production app processes on different ports share PostgreSQL and Redis: a change made through
one is seen through the other, a session made on one works on the other, and a background job queued
through one is run by the worker process.

Runs when ECHOS_E2E_DATABASE_URL (an empty-able PostgreSQL database) and ECHOS_E2E_REDIS_URL are set;
.ci/run sets both in CI.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest

DATABASE_URL = os.getenv("ECHOS_E2E_DATABASE_URL")
REDIS_URL = os.getenv("ECHOS_E2E_REDIS_URL")
pytestmark = pytest.mark.skipif(
    not (DATABASE_URL and REDIS_URL), reason="needs ECHOS_E2E_DATABASE_URL and _REDIS_URL"
)


MAKE_EVENT = """
from datetime import timedelta
from django.utils import timezone
from echos.core.models import Country
from echos.events.models import Event
from echos.hubs.models import Hub
hub = Hub.objects.create(country=Country.objects.get(pk="NO"), level="national", name="E2E", name_en="E2E")
start = timezone.now() + timedelta(days=5)
event = Event.objects.create(title="E2E event", description="x", type="webinar", hub=hub,
    format="online", country=hub.country, languages=",en,", start=start,
    end=start + timedelta(hours=1), time_zone="Europe/Oslo", status="published")
print(event.pk)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def cookies(response) -> dict:
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return jar


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    data = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ECHOS_", "DJANGO_"))}
    env.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        ECHOS_DATA_DIR=str(data),
        ECHOS_REQUIRE_2FA="0",
        ECHOS_SECRET_KEY="e2e-" + "k" * 60,
    )
    echos = [sys.executable, "-m", "echos"]
    subprocess.run([*echos, "flush", "--noinput"], env=env, check=False, capture_output=True)
    subprocess.run([*echos, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*echos, "load_reference"], env=env, check=True, capture_output=True)
    subprocess.run([*echos, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    subprocess.run(
        [
            *echos,
            "shell",
            "-c",
            (
                "from echos.core.models import User; User.objects.filter(username='e2e').delete();"
                "User.objects.create_user('e2e', password='e2e password 2026', is_network_coordinator=True)"
            ),
        ],
        env=env,
        check=True,
    )
    event_id = subprocess.run(
        [*echos, "shell", "-c", MAKE_EVENT], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    token = subprocess.run(
        [*echos, "token", "create", "--user", "e2e"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ports = [free_port(), free_port()]
    # E-mails are written as files: the app processes and the worker each into their own folder,
    # so the test sees which process sent a message.
    app_mail, worker_mail = data / "app-mail", data / "worker-mail"
    mail_env = {"ECHOS_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}
    procs = [
        subprocess.Popen(
            [*echos, "serve", "--port", str(p), "--workers", "1"],
            env={**env, **mail_env, "ECHOS_EMAIL_FILE_PATH": str(app_mail)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for p in ports
    ]
    procs.append(
        subprocess.Popen(
            [*echos, "worker"],
            env={**env, **mail_env, "ECHOS_EMAIL_FILE_PATH": str(worker_mail)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    deadline = time.monotonic() + 60
    for port in ports:
        while True:
            try:
                if request(port, "GET", "/healthz")[0].status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the app processes did not start")
            time.sleep(0.3)
    yield {
        "ports": ports,
        "token": token,
        "event": int(event_id.splitlines()[-1]),
        "app_mail": app_mail,
        "worker_mail": worker_mail,
    }
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_write_through_one_process_is_read_through_the_other(servers):
    a, b = servers["ports"]
    body = json.dumps(
        {"name": "E2E Cancer Institute", "country": "NO", "stakeholder_group": "research"}
    )
    created, data = request(
        a,
        "POST",
        "/api/v1/organisations",
        body,
        {"Authorization": f"Bearer {servers['token']}", "Content-Type": "application/json"},
    )
    assert created.status == 201, data
    org_id = json.loads(data)["id"]
    read, data = request(b, "GET", f"/api/v1/organisations/{org_id}")
    assert read.status == 200 and json.loads(data)["name"] == "E2E Cancer Institute"


def test_a_session_made_on_one_process_works_on_the_other(servers):
    a, b = servers["ports"]
    page, html = request(a, "GET", "/accounts/login/")
    jar = cookies(page)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    form = urlencode(
        {"username": "e2e", "password": "e2e password 2026", "csrfmiddlewaretoken": token}
    )
    signed_in, _ = request(
        a,
        "POST",
        "/accounts/login/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{a}/accounts/login/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        },
    )
    assert signed_in.status == 302
    jar.update(cookies(signed_in))
    assert "sessionid" in jar
    other, html = request(
        b, "GET", "/assessment/", headers={"Cookie": f"sessionid={jar['sessionid']}"}
    )
    assert other.status == 200 and b"Sign out e2e" in html


def test_a_job_queued_through_one_process_is_run_by_the_worker(servers):
    a, _b = servers["ports"]
    path = f"/events/{servers['event']}/"
    page, html = request(a, "GET", path)
    jar = cookies(page)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    form = urlencode(
        {
            "name": "Worker Test",
            "email": "worker-test@example.invalid",
            "consent": "on",
            "csrfmiddlewaretoken": token,
        }
    )
    registered, data = request(
        a,
        "POST",
        f"{path}register/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{a}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        },
    )
    assert registered.status == 302, data[:500]
    # The confirmation e-mail was queued in Redis and is sent by the worker, not the app process.
    deadline = time.monotonic() + 60
    found = []
    while time.monotonic() < deadline and not found:
        files = (
            list(servers["worker_mail"].glob("*.log")) if servers["worker_mail"].exists() else []
        )
        found = [f for f in files if "worker-test@example.invalid" in f.read_text(errors="replace")]
        time.sleep(0.5)
    assert found, "the worker did not send the confirmation e-mail within 60 s"
    assert not servers["app_mail"].exists() or not list(servers["app_mail"].glob("*.log"))
