"""`make demo` with another HOST/PORT: the links it sends point there (issue #16 item 7)."""

import pytest
from django.conf import settings

from echos.site.management.commands.demo import use_site_url


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.setenv("ECHOS_SITE_URL", "")  # recorded, so teardown restores the original
    monkeypatch.delenv("ECHOS_SITE_URL")
    monkeypatch.setattr(settings, "SITE_URL", "http://127.0.0.1:8000")
    return monkeypatch


def test_the_demo_port_becomes_the_site_url(clean_env):
    import os

    assert use_site_url("127.0.0.1", 8111) == "http://127.0.0.1:8111"
    assert os.environ["ECHOS_SITE_URL"] == "http://127.0.0.1:8111"  # the server's workers read it


def test_listening_everywhere_links_to_the_loopback_address(clean_env):
    assert use_site_url("0.0.0.0", 9000) == "http://127.0.0.1:9000"


def test_an_explicit_site_url_wins(clean_env):
    clean_env.setenv("ECHOS_SITE_URL", "https://hubs.example.eu")
    clean_env.setattr(settings, "SITE_URL", "https://hubs.example.eu")
    assert use_site_url("127.0.0.1", 8111) == "https://hubs.example.eu"
