"""The AppConfig registry: apps declare their parts; core reads them without importing any app."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from echos.core import registry

pytestmark = pytest.mark.django_db


def test_every_echos_app_is_an_echos_app_config():
    labels = [a.label for a in registry.echos_apps()]
    assert labels[0] == "core"
    assert {"hubs", "assessment", "synergies", "events", "participation", "engagement"} <= set(
        labels
    )


def test_declared_paths_import():
    for app in registry.echos_apps():
        for path in [app.privacy, app.revert_handlers, app.generator_steps]:
            if path:
                __import__(path)
    assert all(callable(f) for f in registry.demo_loaders())
    registry.api_routers()


def test_an_app_declaring_nothing_contributes_nothing(monkeypatch):
    # The base class itself (``create`` would pick core's own config, which declares parts).
    plain = registry.EchosAppConfig("echos.core", import_module("echos.core"))
    plain.label = "plain"
    monkeypatch.setattr(apps, "get_app_configs", lambda: [plain])
    assert registry.privacy_modules() == {}
    assert registry.demo_loaders() == [] and registry.api_routers() == []


def test_declared_urls_and_nav_resolve():
    includes = registry.url_includes()
    assert includes[-1] == ("", "echos.hubs.urls")
    for _prefix, urlconf in includes:
        import_module(urlconf)
    items = registry.nav_items()
    assert items and [i.order for i in items] == sorted(i.order for i in items)
    for item in items:
        assert reverse(item.url_name)
        assert item.access in {"all", "signed_in", "coordinator"}


def test_app_urls_keep_their_paths_and_namespaces():
    assert reverse("assessment:index") == "/assessment/"
    assert reverse("synergies:catalogue") == "/synergies/"
    assert reverse("events:calendar") == "/events/"
    assert reverse("participation:index") == "/participate/"
    assert reverse("hubs:home") == "/"
    assert reverse("engagement:hub", args=[1]) == "/engagement/hubs/1/"


def test_an_app_declaring_no_urls_or_nav_adds_none(monkeypatch):
    plain = registry.EchosAppConfig("echos.core", import_module("echos.core"))
    plain.label = "plain"
    monkeypatch.setattr(apps, "get_app_configs", lambda: [plain])
    assert registry.url_includes() == [] and registry.nav_items() == []
