"""/api/v1/ mounts every app's declared router, in INSTALLED_APPS order."""

from echos.core import registry


def test_every_app_declares_its_router_in_installed_apps_order():
    assert [label for label, _router in registry.api_routers()] == [
        "core",
        "hubs",
        "assessment",
        "synergies",
        "events",
        "participation",
        "engagement",
        "library",
        "continuity",
        "exchange",
        "consortium",
        "reports",
    ]


def test_the_api_mounts_the_declared_routers_at_the_root_in_order():
    from echos.api import api

    declared = [router for _label, router in registry.api_routers()]
    mounted = [(prefix, router) for prefix, router in api._routers if router in declared]
    assert mounted == [("/", router) for router in declared]
