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
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any, Literal

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavItem:
    """One header link: URL name, (lazily translated) label, position and who sees it.

    ``access`` is ``"all"``, ``"signed_in"`` or ``"coordinator"`` (network coordinators).
    """

    url_name: str
    label: Any
    order: int
    access: Literal["all", "signed_in", "coordinator"] = "all"


class EchosAppConfig(AppConfig):
    """An echos app and the parts it plugs into the shared features.

    - ``privacy``: module with the app's privacy section (``SECTION``, ``collect``, ``erase``,
      ``names``, ``find_people``, ``retention_rules``; see ``site.privacy``).
    - ``revert_handlers``: module whose import registers ``core.revert.reverter`` functions.
    - ``demo_loaders``: functions (dotted paths) loading the app's demo data; each returns counts.
    - ``generator_steps``: module whose import registers ``core.synthetic.step`` functions.
    - ``api_router``: the app's django-ninja router (dotted path), mounted at ``/api/v1/``.
    - ``urls``: ``(prefix, urlconf module)`` included in the root URL map; an empty prefix goes last.
    - ``nav``: the app's entries in the header navigation (``NavItem``), sorted by ``order``.
    - ``panels``: ``(slot, dotted path)`` pairs. A page of a lower app that offers a slot (the
      hub page offers ``"hub"``, the country page ``"country"``, the maturity results
      ``"maturity_next_steps"``) renders, through ``{% panels "slot" obj %}``, the HTML that each
      function ``(request, obj) -> str`` returns (an empty string shows nothing). This is how a
      higher app shows its part on a lower app's page without the lower app importing it.
    - ``stage_guards``: dotted paths of functions ``(hub, stage, date) -> list[str]`` that the
      lifecycle service calls before a hub moves to a stage; each string names a missing
      condition and any string refuses the change.
    - ``imports``: ``(kind, dotted path)`` pairs of spreadsheet imports offered by ``echos import
      KIND FILE``; the function has the signature of ``hubs.imports.run_import`` without its
      ``kind`` (``source, *, filename, actor, hub, progress, max_bytes, max_rows``) and returns an
      import report.
    - ``kpis``: module whose ``KPIS`` lists the app's key performance indicators
      (``core.kpis.Kpi``); an app that is not installed lists none.
    - ``open_data``: module whose ``TABLES`` lists the app's public tables of the open-data dump
      (``core.opendata``); personal data never.
    - ``search``: dotted path of ``(user, query, limit) -> list[core.search.Section]``, the app's part
      of the site-wide search (only what ``user`` may see).
    - ``page_cache``: module whose ``PAGES`` maps the app's public URL names to a
      ``core.pagecache.PageRule`` (served to anonymous visitors from the shared page cache), and
      whose optional ``SEPARATE`` names models whose writes are a topic of their own.
    """

    privacy: str | None = None
    revert_handlers: str | None = None
    demo_loaders: tuple[str, ...] = ()
    generator_steps: str | None = None
    api_router: str | None = None
    urls: tuple[str, str] | None = None
    nav: tuple[NavItem, ...] = ()
    panels: tuple[tuple[str, str], ...] = ()
    stage_guards: tuple[str, ...] = ()
    imports: tuple[tuple[str, str], ...] = ()
    kpis: str | None = None
    open_data: str | None = None
    search: str | None = None
    page_cache: str | None = None


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


def url_includes() -> list[tuple[str, str]]:
    """Each app's ``(prefix, urlconf)``; catch-all (empty) prefixes last so they shadow nothing."""
    includes = [a.urls for a in echos_apps() if a.urls]
    return sorted(includes, key=lambda inc: inc[0] == "")


def nav_items() -> list[NavItem]:
    """Every app's header links, by ``order``."""
    return sorted((item for a in echos_apps() for item in a.nav), key=lambda item: item.order)


def panel_functions(slot: str) -> list[Callable[..., str]]:
    """The functions that fill a page slot, in ``INSTALLED_APPS`` order."""
    return [
        import_string(path) for app in echos_apps() for name, path in app.panels if name == slot
    ]


def stage_guards() -> list[Callable[..., list[str]]]:
    """Every app's lifecycle stage guards."""
    return [import_string(path) for app in echos_apps() for path in app.stage_guards]


def import_functions() -> dict[str, Callable[..., Any]]:
    """Every app's spreadsheet imports by kind."""
    return {kind: import_string(path) for app in echos_apps() for kind, path in app.imports}


def kpi_modules() -> list[ModuleType]:
    """Each app's KPI module, in ``INSTALLED_APPS`` order."""
    return [import_module(a.kpis) for a in echos_apps() if a.kpis]


def open_data_modules() -> list[ModuleType]:
    """Each app's open-data module, in ``INSTALLED_APPS`` order."""
    return [import_module(a.open_data) for a in echos_apps() if a.open_data]
