"""What each app contributes to the shared features, declared on its ``AppConfig``.

``core`` sits at the bottom and imports no other echos app. The shared features that must reach
every app — privacy export and erasure, the admin's revert action, demo data, the data generator,
retention — read the declarations below instead, so adding an app means declaring its parts in
its own ``apps.py`` and one line in ``INSTALLED_APPS``; nothing in ``core`` or ``site`` changes.

Declarations are dotted paths, imported only when a feature asks for them (never while the app
registry is loading). Order is ``INSTALLED_APPS`` order: demo loaders and generator steps run in
it, and privacy sections appear in it.

An app's ``apps.py`` imports this module, not the class: a class imported into ``apps.py`` would be
a second ``AppConfig`` candidate there, and Django would fall back to a plain ``AppConfig``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


class EchosAppConfig(AppConfig):
    """An echos app and the parts it plugs into the shared features.

    - ``privacy``: module with the app's privacy section (``SECTION``, ``collect``, ``erase``,
      ``names``, ``find_people``, ``retention_rules``; see ``site.privacy``).
    - ``revert_handlers``: module whose import registers ``core.revert.reverter`` functions.
    - ``demo_loaders``: functions (dotted paths) loading the app's demo data; each returns counts.
    - ``generator_steps``: module whose import registers ``core.synthetic.step`` functions.
    - ``api_router``: the app's django-ninja router (dotted path), mounted at ``/api/v1/``.
    """

    privacy: str | None = None
    revert_handlers: str | None = None
    demo_loaders: tuple[str, ...] = ()
    generator_steps: str | None = None
    api_router: str | None = None


def echos_apps() -> list[EchosAppConfig]:
    """The installed echos apps, in ``INSTALLED_APPS`` order."""
    return [a for a in apps.get_app_configs() if isinstance(a, EchosAppConfig)]


def privacy_modules() -> dict[str, ModuleType]:
    """Each app's privacy section by app label."""
    return {a.label: import_module(a.privacy) for a in echos_apps() if a.privacy}


def load_revert_handlers() -> None:
    """Import every app's revert handlers so that they register themselves."""
    for app in echos_apps():
        if app.revert_handlers:
            import_module(app.revert_handlers)


def demo_loaders() -> list[Callable[[], Any]]:
    """Every app's demo loaders, in ``INSTALLED_APPS`` order."""
    return [import_string(path) for app in echos_apps() for path in app.demo_loaders]


def load_generator_steps() -> None:
    """Import every app's generator steps so that they register themselves."""
    for app in echos_apps():
        if app.generator_steps:
            import_module(app.generator_steps)


def api_routers() -> list[tuple[str, Any]]:
    """Each app's API router with its app label."""
    return [(a.label, import_string(a.api_router)) for a in echos_apps() if a.api_router]
