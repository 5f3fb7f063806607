"""Security headers that Django 5.2 does not set by itself, and a guard against bad bodies.

The guard answers before authentication and before any view or parser reads the request: a JSON
body nested deeper than ``MAX_JSON_DEPTH`` (measured without recursion, so ``json.loads`` and
ninja never recurse into it), a body declared JSON that does not parse, and NUL characters anywhere
are a 4xx naming the body or the fields, never a 500.
"""

import json
import re
from typing import cast

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
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


# The interactive API docs: ninja's vendored Swagger UI (its own static files, no CDN). Its one
# inline <script> is a JSON data block the browser never runs; the settings there are read by
# swagger-ui-init.js, so no inline script is allowed. React sets styles through the CSSOM, which
# style-src does not govern; the stylesheet's icons are data: URIs.
DOCS_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
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
        docs = request.path.rstrip("/") == "/api/v1/docs"
        response.headers.setdefault("Content-Security-Policy", DOCS_POLICY if docs else self.policy)
        return response


MAX_JSON_DEPTH = 64
# A JSON string (an unterminated one runs to the end), then every character but brackets.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply ``text`` nests JSON arrays and objects, counted without parsing.

    Brackets inside strings do not count; counting stops at ``limit + 1``.
    """
    depth = deepest = 0
    for bracket in _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def _body_text(request) -> str | None:
    """The body as ``json.loads`` would read it (UTF-8, -16 or -32), or None if it is not text."""
    raw = request.body
    try:
        return raw.decode(json.detect_encoding(raw), "surrogatepass")
    except (UnicodeDecodeError, LookupError):
        return None


def _is_form(request) -> bool:
    return request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_json(request) -> bool:
    return request.content_type == "application/json" or request.content_type.endswith("+json")


def body_problems(request) -> list[tuple[str, str]]:
    """``(field, message)`` for a body, or form fields, nested too deep or declared JSON but broken.

    A body declared JSON is checked on every path; on the API any body that is not a form is, since
    ninja parses the body as JSON whatever its declared type. Form fields are checked too: some
    services read a field as JSON (a pasted questionnaire).
    """
    too_deep = gettext("Nested more than %(n)d levels deep.") % {"n": MAX_JSON_DEPTH}
    if _is_form(request):
        try:
            request.POST  # noqa: B018  # parsed here, so that a broken form is a 400, not a 500
        except MultiPartParserError as exc:
            return [
                ("body", gettext("The form data cannot be read: %(problem)s") % {"problem": exc})
            ]
        return [
            (name, too_deep)
            for name in request.POST
            if any(json_depth(v) > MAX_JSON_DEPTH for v in request.POST.getlist(name))
        ]
    if not (_is_json(request) or request.path.startswith("/api/")) or not request.body:
        return []
    text = _body_text(request)
    if text is None:
        return [("body", gettext("The body is not text in UTF-8."))] if _is_json(request) else []
    if json_depth(text) > MAX_JSON_DEPTH:
        return [("body", too_deep)]
    if _is_json(request):
        try:
            json.loads(text)
        except ValueError as exc:
            error = cast(json.JSONDecodeError, exc)
            return [
                (
                    "body",
                    gettext("Not valid JSON (line %(line)d, column %(column)d): %(problem)s")
                    % {"line": error.lineno, "column": error.colno, "problem": error.msg},
                )
            ]
    return []


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
            except ValueError:
                pass  # body_problems named the malformed body first
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            fields += _nul_fields({k: request.POST.getlist(k) for k in request.POST}, "")
    # A list field names its own position (``objectives.2``); a query or form
    # field repeated once is named without the ``.0``.
    return sorted({f[:-2] if f and f.endswith(".0") else f for f in fields}, key=str)


class RejectNulMiddleware:
    """Answer bad bodies with 400 and NUL characters with 422 (API) or 400, naming the fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problems = body_problems(request)
        if problems:
            return self.bad_body(request, problems)
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

    @staticmethod
    def bad_body(request, problems: list[tuple[str, str]]):
        """JSON for a JSON body or the API (the client reads JSON); text for a page's form."""
        if problems[0][0] == "body" or request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": gettext("The request body is not valid."),
                    "errors": [{"field": f, "message": m} for f, m in problems],
                },
                status=400,
            )
        text = "\n".join(f"{f}: {m}" for f, m in problems)
        return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
