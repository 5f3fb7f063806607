"""Settings, liveness, login lockout, admin access, reference data and the demo loader."""

import os
import sqlite3
import subprocess
import sys

import pytest
from django.test import Client

from echos.core.models import Country, Region, Term

SETTINGS_PROBE = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='echos.settings'; django.setup();"
    "from django.conf import settings; from django.db import connection;"
    "c = connection.cursor(); c.execute('PRAGMA journal_mode'); "
    "print(settings.DEBUG, settings.SECRET_KEY[:8], c.fetchone()[0], settings.DATABASES['default']['NAME'])"
)


def probe(data_dir, **env):
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith("ECHOS_") and k != "DATABASE_URL"
    }
    environ.update(ECHOS_DATA_DIR=str(data_dir), **env)
    out = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_laptop_defaults_debug_off_wal_and_generated_secret(tmp_path):
    debug, key, mode, name = probe(tmp_path)
    assert debug == "False"
    assert mode == "wal"
    assert name == str(tmp_path / "echos.sqlite3")
    secret = tmp_path / "secret_key"
    assert secret.exists() and oct(secret.stat().st_mode & 0o777) == "0o600"
    assert probe(tmp_path)[1] == key  # reused on the next start
    assert probe(tmp_path, ECHOS_SECRET_KEY="from-the-environment")[1] == "from-the"
    assert probe(tmp_path, ECHOS_DEBUG="1")[0] == "True"


def test_healthz_touches_no_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_pages_send_a_content_security_policy_without_inline_scripts(db, client):
    policy = client.get("/healthz")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )


def test_login_locks_out_after_five_failures(db, make_user):
    make_user("alice")
    client = Client()
    for _ in range(5):
        client.post(
            "/accounts/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": "correct horse battery staple"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2_in_production():
    from echos import settings

    assert "Argon2" in settings.PASSWORD_HASHERS[0] or settings.TESTING


def test_admin_is_for_network_coordinators(personas, login):
    assert login(personas["network"]).get("/admin/hubs/hub/").status_code == 200
    assert login(personas["coord_no"]).get("/admin/hubs/hub/").status_code == 302


def test_reference_data_is_complete_and_sourced(db):
    assert Country.objects.filter(membership="eu").count() == 27
    associated = set(Country.objects.filter(membership="associated").values_list("code", flat=True))
    assert {"NO", "IS", "UA", "GB", "CH", "TR", "IL", "XK", "NZ", "CA", "KR"} <= associated
    assert all(c.source for c in Country.objects.all())
    assert Region.objects.filter(country_id="PL").count() >= 16
    for vocabulary, minimum in [
        ("objectives", 5),
        ("priorities", 4),
        ("policy_areas", 5),
        ("ebcp_pillars", 4),
        ("stakeholder_groups", 12),
        ("engagement_levels", 5),
    ]:
        assert Term.objects.of(vocabulary).count() >= minimum, vocabulary
    assert list(Term.objects.of("engagement_levels").values_list("code", flat=True)) == [
        "inform",
        "consult",
        "involve",
        "collaborate",
        "empower",
    ]


def test_load_reference_is_idempotent(db):
    from echos.core.reference import load_reference

    before = (Country.objects.count(), Region.objects.count(), Term.objects.count())
    load_reference()
    assert (Country.objects.count(), Region.objects.count(), Term.objects.count()) == before


def test_demo_data_covers_every_stage_and_leaves_countries_behind(db):
    from echos.continuity.demo import load_demo as continuity_demo
    from echos.hubs.demo import load_demo, load_reference_hubs
    from echos.hubs.models import Hub, Stage

    load_reference_hubs()
    load_demo()
    continuity_demo()  # moves the demo's sustained hubs there once they hold a continuity plan
    norway = Hub.objects.national().get(country_id="NO")
    assert not norway.is_demo and norway.memberships.count() >= 10
    assert all(m.source for m in norway.memberships.all())
    poland = Hub.objects.national().get(country_id="PL")
    launch = poland.stage_changes.get(stage="launched")
    assert str(launch.date) == "2025-05-20"
    stages = set(Hub.objects.values_list("stage", flat=True))
    assert set(Stage.values) - {"no_structure"} <= stages
    assert Country.objects.exclude(hubs__level="national").count() >= 10
    assert (
        Hub.objects.filter(level="local").exists() and Hub.objects.filter(level="regional").exists()
    )
    assert all(
        h.is_demo
        for h in Hub.objects.exclude(country_id__in=["NO", "PL", "PT", "MT", "NL", "IE", "AT"])
    )
    count = Hub.objects.count()
    assert load_demo() == {"skipped": True} and Hub.objects.count() == count


def test_sqlite_file_is_in_wal_mode_after_demo_prepare(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ECHOS_")}
    environ["ECHOS_DATA_DIR"] = str(tmp_path)
    subprocess.run([sys.executable, "-m", "echos", "migrate", "-v0"], env=environ, check=True)
    with sqlite3.connect(tmp_path / "echos.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    "path", ["/", "/hubs/", "/organisations/", "/countries/NO/", "/about/", "/accounts/login/"]
)
def test_public_pages_have_lang_skip_link_and_acknowledgement(db, client, path):
    page = client.get(path).content.decode()
    assert '<html lang="en"' in page
    assert 'href="#main"' in page
    assert "Grant Agreement No 101104587" in page


def test_vocabulary_labels_are_listed_for_translation():
    from echos.core import vocab_i18n
    from echos.core.reference import read_json

    labels = [
        t["label"]
        for terms in read_json("vocabularies.json")["vocabularies"].values()
        for t in terms
    ]
    assert vocab_i18n.LABELS == labels
