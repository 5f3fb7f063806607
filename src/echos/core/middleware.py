"""Security headers that Django 5.2 does not set by itself, and a guard against NUL characters."""

import json

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Vega writes style attributes on SVG nodes; scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Send a Content-Security-Policy without inline scripts on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "ECHOS_CSP", POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


def _nul_fields(value, path: str):
    """Dotted names of the strings (or keys) in ``value`` holding a NUL character."""
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                yield name
            else:
                yield from _nul_fields(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_fields(item, f"{path}.{index}" if path else str(index))
    elif isinstance(value, str) and "\x00" in value:
        yield path or None


def nul_fields(request) -> list:
    """The path, query and body fields of ``request`` that hold a NUL character.

    No text column can store one (PostgreSQL refuses them outright), so such a
    request is bad input, answered before any view sees it.
    """
    fields = []
    if "\x00" in request.path:
        fields.append("path")
    fields += _nul_fields({k: request.GET.getlist(k) for k in request.GET}, "")
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.content_type == "application/json":
            try:
                fields += _nul_fields(json.loads(request.body or b"null"), "")
            except (ValueError, UnicodeDecodeError):
                pass  # the view names the malformed body
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            fields += _nul_fields({k: request.POST.getlist(k) for k in request.POST}, "")
    # A list field names its own position (``objectives.2``); a query or form
    # field repeated once is named without the ``.0``.
    return sorted({f[:-2] if f and f.endswith(".0") else f for f in fields}, key=str)


class RejectNulMiddleware:
    """Answer requests carrying NUL characters with 422 (API) or 400, naming the fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = nul_fields(request)
        if not fields:
            return self.get_response(request)
        message = gettext("Null characters are not allowed.")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": gettext("The request is not valid."),
                    "errors": [{"field": f, "message": message} for f in fields],
                },
                status=422,
            )
        names = ", ".join(f for f in fields if f)
        return HttpResponseBadRequest(
            f"{message} {names}".strip(), content_type="text/plain; charset=utf-8"
        )
