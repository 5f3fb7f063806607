"""How a request's language is chosen (issue #17): the URL prefix, then the user's setting, then
the language cookie, then ``Accept-Language``, then English.

**Prefixed URLs.** Every page also answers under ``/<code>/`` for each of the site's languages
(``/el/events/``, ``/pl/hubs/12/``). ``LanguageMiddleware`` (in place of Django's
``LocaleMiddleware``) strips the code from ``path_info`` (``request.path`` keeps it, so the
``next`` values pages build from it keep the prefix), activates the language and sets the script
prefix to ``/<code>/`` for the request, so that ``reverse()`` and ``{% url %}`` on that page give
prefixed links; the script prefix is restored when the response leaves, so it never leaks into the
next request on the same thread. Static files (``STATIC_URL`` is absolute) are not affected. An
unprefixed URL answers as before, in the language of the user's setting, the cookie or the
browser. Machine paths (the API, ``/healthz``, static and media files, the language switch) have no
language: under a prefix they redirect to their one address. A segment that is no language code
(``/xx/events/``) is just a path that does not exist: the normal 404 page.

**The user's setting** (``UserPreference.language``) applies to unprefixed URLs once
``AuthenticationMiddleware`` knows the user (``UserLanguageMiddleware``). It is read from the
default cache (primed at sign-in and written on every change), so a page costs no query for it.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache as default_cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation

# Paths with no language of their own: under a prefix they redirect to the unprefixed address.
UNPREFIXED = ("api/", "healthz", "static/", "media/", "i18n/")
PREFERENCE_KEY = "echos:user-language:"
PREFERENCE_SECONDS = 300


@cache
def offered() -> frozenset[str]:
    """The codes of the languages the interface is offered in."""
    return frozenset(code for code, _name in settings.LANGUAGES)


def split_prefix(path: str) -> tuple[str | None, str]:
    """``("el", "/events/")`` for ``/el/events/``; ``(None, path)`` when the first segment is no
    offered language code."""
    parts = path.split("/", 2)
    if len(parts) >= 2 and parts[0] == "" and parts[1] in offered():
        return parts[1], "/" + (parts[2] if len(parts) > 2 else "")
    return None, path


def strip_language(path: str) -> str:
    """The path without its language prefix (unchanged when it has none)."""
    return split_prefix(path)[1]


def with_language(path: str, code: str) -> str:
    """The path under ``/<code>/`` (any language prefix it had replaced)."""
    return f"/{code}{strip_language(path)}"


def request_prefix(request: HttpRequest) -> str | None:
    """The language code of the request's URL prefix, if it has one."""
    return getattr(request, "echos_language_prefix", None)


def alternates(request: HttpRequest) -> list[tuple[str, str]]:
    """``(hreflang, href)`` for the page in every language (prefixed absolute paths) and
    ``x-default`` (the unprefixed address, which follows the visitor's choice)."""
    base = getattr(request, "echos_script_name", "")
    path = quote(request.path_info)
    query = request.META.get("QUERY_STRING", "")
    tail = path + (f"?{query}" if query else "")
    links = [(code, f"{base}/{code}{tail}") for code, _name in settings.LANGUAGES]
    links.append(("x-default", base + tail))
    return links


def native_name(code: str) -> str:
    """A language's name in that language ("Deutsch", "Ελληνικά"), else in the reader's."""
    try:
        return str(translation.get_language_info(code)["name_local"])
    except KeyError:
        from echos.core.languages import language_name  # lazy: pycountry only for rare codes

        return language_name(code)


def also_in(request: HttpRequest, obj, current: str | None = None) -> list[tuple[str, str, str]]:
    """(code, name in that language, link) of the other languages the text of ``obj`` is in
    (content in several languages, #17); the link is this page under the language's prefix (none
    for a language the interface is not offered in). ``current`` is the language shown (default:
    the active one)."""
    from echos.core.multilingual import active_language, languages_of  # lazy: forms and models

    here = current or active_language()
    base = getattr(request, "echos_script_name", "")
    path = quote(request.path_info)
    return [
        (code, native_name(code), f"{base}/{code}{path}" if code in offered() else "")
        for code in languages_of(obj)
        if code != here
    ]


def safe_next(request: HttpRequest, target: str | None) -> str | None:
    """``target`` when it is a path on this site (never another host or scheme), else None."""
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    return target


def next_for_language(request: HttpRequest, target: str | None, code: str) -> str:
    """Where the language switch goes: the same page, under the new prefix when it was prefixed
    (unprefixed stays unprefixed: the cookie and the setting choose its language)."""
    path = safe_next(request, target)
    base = getattr(request, "echos_script_name", "")
    if path is None:
        return f"{base}/{code}/" if request_prefix(request) else f"{base}/"
    local = path[len(base) :] if base and path.startswith(base + "/") else path
    if split_prefix(local.split("?", 1)[0])[0] is not None:
        return base + with_language(local, code)
    return path


# --- the user's setting ---------------------------------------------------------------------------


def check_language(code: str, field: str = "language") -> str:
    """``code`` when the interface is offered in it; otherwise a rule violation naming ``field``."""
    if code not in offered():
        raise RuleViolation(
            _("“%(code)s” is not a language echos is offered in; choose one of: %(codes)s.")
            % {"code": code[:20], "codes": ", ".join(sorted(offered()))},
            field,
        )
    return code


def preferred_language(user) -> str:
    """The language the user chose for their account ("" when none), from the cache when it can."""
    if user is None or not user.is_authenticated:
        return ""
    key = f"{PREFERENCE_KEY}{user.pk}"
    found = default_cache.get(key)
    if found is None:
        from echos.core.models import UserPreference  # lazy: models are not ready at import

        found = (
            UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
            or ""
        )
        default_cache.set(key, found, PREFERENCE_SECONDS)
    return str(found)


def set_preferred_language(user, code: str) -> str:
    """Store the user's language (an offered code, or "" to follow the browser again)."""
    from echos.core.models import UserPreference  # lazy: models are not ready at import

    if code:
        check_language(code)
    UserPreference.objects.update_or_create(user=user, defaults={"language": code})
    default_cache.set(f"{PREFERENCE_KEY}{user.pk}", code, PREFERENCE_SECONDS)
    return code


def forget_preferred_language(user) -> int:
    """Delete the user's stored preference (privacy erasure); how many rows went."""
    from echos.core.models import UserPreference  # lazy: models are not ready at import

    deleted, _rows = UserPreference.objects.filter(user=user).delete()
    default_cache.delete(f"{PREFERENCE_KEY}{user.pk}")
    return deleted


def language_for_user(user, default: str | None = None) -> str:
    """The language to write to a person in (e-mails): their setting, else ``default``, else the
    site's language."""
    return preferred_language(user) or default or settings.LANGUAGE_CODE


@receiver(user_logged_in, dispatch_uid="echos-prime-user-language")
def _prime(sender, request, user, **kwargs) -> None:
    """Read the setting once at sign-in, so pages never query it."""
    default_cache.delete(f"{PREFERENCE_KEY}{user.pk}")
    preferred_language(user)


# --- middleware -----------------------------------------------------------------------------------


class LanguageMiddleware:
    """The language of a request: URL prefix, else cookie, else ``Accept-Language`` (the user's
    setting comes in ``UserLanguageMiddleware``, once the user is known). Module doc."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        full = request.path
        code, rest = split_prefix(request.path_info)
        script_name = full[: len(full) - len(request.path_info)] if request.path_info else ""
        request.echos_script_name = script_name
        if code is not None:
            query = request.META.get("QUERY_STRING", "")
            if rest == "/" and not request.path_info.endswith("/"):
                return HttpResponseRedirect(full + "/" + (f"?{query}" if query else ""))
            if rest.lstrip("/").startswith(UNPREFIXED):
                return HttpResponseRedirect(
                    script_name + rest + (f"?{query}" if query else ""),
                    status=302 if request.method in ("GET", "HEAD") else 307,
                )
            request.path_info = rest
            request.echos_language_prefix = code
            language = code
        else:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        previous = get_script_prefix()
        if code is not None:
            set_script_prefix(f"{script_name}/{code}/")
        try:
            response = self.get_response(request)
        finally:
            if code is not None:
                set_script_prefix(previous)
        if code is None:
            # The same address answers in the setting's, the cookie's or the browser's language.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class UserLanguageMiddleware:
    """A signed-in user's own language on unprefixed URLs (after ``AuthenticationMiddleware``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_prefix(request) is None:
            user = getattr(request, "user", None)
            chosen = preferred_language(user) if user is not None else ""
            if chosen and chosen in offered():
                translation.activate(chosen)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
