"""API authentication, error shapes, pagination and the core endpoints (countries, regions, terms)."""

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DataError, IntegrityError, models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import http_date
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import create_model
from pydantic_core import core_schema

from echos.core import i18n
from echos.core.exceptions import RuleViolation
from echos.core.models import ApiToken, Country, Region, Term
from echos.core.schemas import CountryOut, LanguageOut, RegionOut, TermOut

MAX_LIMIT = 500


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_MESSAGE = (
    "This token has the read scope: it may not change data (POST, PUT, PATCH or DELETE). "
    "Create a token with the read and write scope on your API tokens page (/accounts/tokens/)."
)


def token_for(raw: str) -> ApiToken | None:
    """The token of an active user matching a raw value (its hash), or None; marks it used.

    ``last_used_at`` is written at most every five minutes, so busy clients cost no write each.
    """
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(raw)).first()
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def user_for_token(raw: str):
    """The active user owning a raw token, or None."""
    token = token_for(raw)
    return token.user if token is not None else None


def request_token(request, raw: str) -> ApiToken | None:
    """``token_for`` once per request: the rate limiter and the API both ask."""
    known = getattr(request, "_echos_token", None)
    if known is not None and known[0] == raw:
        return known[1]
    token = token_for(raw)
    request._echos_token = (raw, token)
    return token


def request_token_user(request, raw: str):
    """The user of the request's token, looked up once per request."""
    token = request_token(request, raw)
    return token.user if token is not None else None


def check_scope(request, token: ApiToken) -> None:
    """Refuse a write with a read-scope token (403), whatever the endpoint and its app.

    Every token-authenticated path goes through here (``TokenAuth`` and ``api_user``), so an app
    cannot forget the check; the token's user's own permissions apply on top.
    """
    if request.method not in SAFE_METHODS and not token.can_write:
        raise PermissionDenied(READ_ONLY_MESSAGE)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` for writes and private reads, within the token's scope."""

    def authenticate(self, request, token):
        found = request_token(request, token)
        if found is None:
            return None
        check_scope(request, found)
        request.user = found.user
        return found.user


def api_user(request):
    """The token's user for public endpoints that show more to signed-in callers."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token = request_token(request, header[7:].strip())
        if token is None:
            raise AuthenticationError()
        check_scope(request, token)
        return token.user
    return AnonymousUser()


def paginate(queryset, limit: int, offset: int, serialise) -> dict:
    """The list shape of every endpoint: {"count": N, "items": [...]}."""
    if limit < 1 or limit > MAX_LIMIT:
        raise RuleViolation(f"limit must be between 1 and {MAX_LIMIT}.", "limit")
    if offset < 0:
        raise RuleViolation("offset must not be negative.", "offset")
    count = len(queryset) if isinstance(queryset, list) else queryset.count()
    # Past the end there is nothing to fetch; an offset beyond 64 bits would also overflow SQL.
    page = queryset[offset : offset + limit] if offset < count else []
    return {"count": count, "items": [serialise(o) for o in page]}


_PAGES: dict[type, type[Schema]] = {}


def page_of(item: type) -> type[Schema]:
    """The response schema of a list built by ``paginate``: ``{"count": N, "items": [item, ...]}``.

    One schema per item schema (``HubOut`` gives ``HubPage``), so OpenAPI names stay readable.
    """
    if item not in _PAGES:
        name = getattr(item, "__name__", "Item").removesuffix("Out") + "Page"
        items = list[item]  # type: ignore[valid-type]  # built at run time, one per item schema
        _PAGES[item] = create_model(name, __base__=Schema, count=(int, ...), items=(items, ...))
    return _PAGES[item]


class OneOf:
    """Pydantic metadata for a choice: ``Annotated[str, one_of(Model.Status)]``.

    The value must be one of the ``TextChoices``' values (a ``Literal`` of them, so the OpenAPI schema
    lists them as an ``enum``); anything else is a 422 naming the field. The validated value stays a
    plain ``str``.
    """

    def __init__(self, choices: type[models.TextChoices] | Iterable[str], blank: bool = False):
        values = choices.values if isinstance(choices, type) else list(choices)
        self.values = [*([""] if blank else []), *values]

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.literal_schema(self.values)


def one_of(choices: type[models.TextChoices] | Iterable[str], *, blank: bool = False) -> OneOf:
    """The one place an API choice is checked; ``blank`` also accepts "" (a filter left empty).

    ``choices`` is a model's ``TextChoices`` (or, for a choice that is no model field, its values).
    """
    return OneOf(choices, blank=blank)


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """The body of every 4xx answer of the API."""

    detail: str
    errors: list[ErrorItem]


ERROR_DESCRIPTIONS = {
    400: "A business rule refused the request; `errors` names the field.",
    401: "The bearer token is missing or not valid.",
    403: "The token's user may not do this.",
    404: "No such object.",
    409: "The change conflicts with stored data.",
    422: "The request does not match the schema; `errors` names the fields.",
    429: "Too many requests; try again later.",
}


def document_errors(schema: dict) -> dict:
    """Declare the JSON error answers each operation can give, next to its success answers.

    Every operation may be rate limited (429) and may refuse a token (401, 403); an operation with
    parameters or a body may also refuse them (400, 422) or name a missing object (404); a write may
    conflict with stored data (409).
    """
    error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(error.pop("$defs", {}))
    components["ErrorOut"] = error
    answer = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            codes = {401, 403, 429}
            if operation.get("parameters") or operation.get("requestBody"):
                codes |= {400, 404, 422}
            if method != "get":
                codes.add(409)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code, {"description": ERROR_DESCRIPTIONS[code], "content": answer}
                )
    return schema


@dataclass(frozen=True)
class Deprecation:
    """When an operation was deprecated, when it goes away and where the change is announced.

    The policy (README, "API versioning and deprecation"): within /api/v1/ changes are additive;
    a field or endpoint to be removed is first marked here, answers from then on carry the
    ``Deprecation`` (RFC 9745) and ``Sunset`` (RFC 8594) headers and a ``Link`` to the notice, and
    OpenAPI marks the operation ``deprecated``; the sunset is at least six months later.
    """

    since: date
    sunset: date
    link: str = ""

    def headers(self) -> dict[str, str]:
        """The answer headers: ``Deprecation: @<epoch seconds>``, ``Sunset: <HTTP-date>``, Link."""
        since = datetime.combine(self.since, time.min, tzinfo=UTC)
        sunset = datetime.combine(self.sunset, time.min, tzinfo=UTC)
        headers = {
            "Deprecation": f"@{int(since.timestamp())}",
            "Sunset": http_date(sunset.timestamp()),
        }
        if self.link:
            headers["Link"] = f'<{self.link}>; rel="deprecation"; type="text/html"'
        return headers


MIN_DEPRECATION_DAYS = 180


def deprecated(*, since: date, sunset: date, link: str = ""):
    """Mark an API operation deprecated; put it under the router's decorator::

        @router.get("/old", response=OldOut)
        @deprecated(since=date(2027, 1, 1), sunset=date(2027, 7, 1), link="https://.../changelog")
        def old(request): ...

    Every answer of the operation (errors included) carries the headers, and the OpenAPI schema
    flags it ``deprecated: true``. A sunset sooner than six months after ``since`` is refused.
    """
    if (sunset - since).days < MIN_DEPRECATION_DAYS:
        raise ValueError("A deprecated operation stays at least six months before its sunset.")
    info = Deprecation(since=since, sunset=sunset, link=link)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            request._echos_deprecation = info
            return view(request, *args, **kwargs)

        wrapper._echos_deprecation = info  # type: ignore[attr-defined]  # read by EchosAPI
        return wrapper

    return decorate


class EchosAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema also declares the JSON error answers and deprecations."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Operations marked with ``deprecated`` are flagged before ninja builds the schema.
        for bound in self._get_bound_routers():
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    if getattr(operation.view_func, "_echos_deprecation", None):
                        operation.deprecated = True
        return document_errors(
            super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        )

    def create_response(self, request, data, *, status=None, temporal_response=None):
        """Every answer, plus the deprecation headers of a deprecated operation."""
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        info = getattr(request, "_echos_deprecation", None)
        if info is not None:
            for name, value in info.headers().items():
                response[name] = value
        return response


BIGGEST_ID = 2**63 - 1  # the database's integers are 64-bit


def _too_large(value, path: str):
    """Dotted names of the numbers in ``value`` that no 64-bit integer column can hold."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _too_large(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _too_large(item, f"{path}.{index}")
    elif isinstance(value, int | str) and not isinstance(value, bool):
        text = str(value).strip()
        if text.lstrip("+-").isdigit() and abs(int(text)) > BIGGEST_ID:
            yield path


def out_of_range_fields(request) -> list[str]:
    """The query, path and body fields of ``request`` holding numbers beyond 64 bits."""
    fields = list(_too_large(dict(request.GET.items()), ""))
    match = getattr(request, "resolver_match", None)
    if match is not None:
        fields += _too_large(dict(match.kwargs), "")
    if request.content_type == "application/json":
        try:
            fields += _too_large(json.loads(request.body or b"null"), "")
        except ValueError:
            pass
    else:
        fields += _too_large(dict(request.POST.items()), "")
    return fields


def _too_large_message(field: str | None) -> str:
    """A human message for a number no column can hold, naming the field when it is known."""
    name = f"{field} is" if field else "A number is"
    return f"{name} too large: no id or count here exceeds {BIGGEST_ID:,}."


def install_error_handlers(api) -> None:
    """JSON errors naming the offending fields; never a 500 for bad input."""

    def error(request, status, detail, errors=None):
        return api.create_response(
            request, {"detail": detail, "errors": errors or []}, status=status
        )

    @api.exception_handler(RuleViolation)
    def rule_violation(request, exc):
        return error(request, exc.status, exc.message, [exc.as_dict()])

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        errors = []
        for e in exc.errors:
            loc = [
                str(p)
                for p in e.get("loc", [])
                if p not in ("body", "query", "path", "payload", "form", "file")
            ]
            errors.append({"field": ".".join(loc) or None, "message": e.get("msg", "invalid")})
        return error(request, 422, "The request is not valid.", errors)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return error(request, 403, str(exc) or "You are not allowed to do this.")

    @api.exception_handler(AuthenticationError)
    def unauthorised(request, exc):
        response = error(request, 401, "A valid token is required: Authorization: Bearer <token>.")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error(request, 404, "Not found.")

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request, exc):
        return error(request, 404, "Not found.")

    @api.exception_handler(IntegrityError)
    def integrity(request, exc):
        return error(request, 409, "The change conflicts with stored data.")

    @api.exception_handler(DataError)
    def unstorable(request, exc):
        # The middleware refuses NUL characters; anything else a column cannot hold lands here.
        return error(request, 422, "The request holds a value that cannot be stored.")

    @api.exception_handler(OverflowError)
    def too_large(request, exc):
        # SQLite cannot bind an integer beyond 64 bits (PostgreSQL finds no row); name the field.
        fields: list[str | None] = [*out_of_range_fields(request)] or [None]
        return error(
            request,
            422,
            "The request is not valid.",
            [{"field": f, "message": _too_large_message(f)} for f in fields],
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return error(request, exc.status_code, str(exc))


router = Router(tags=["reference"])


def country_out(c: Country) -> dict:
    return {
        "code": c.code,
        "name": c.name,
        "display_name": c.display_name,
        "membership": c.membership,
        "since": c.since.isoformat() if c.since else None,
    }


def region_out(r: Region) -> dict:
    return {
        "code": r.code,
        "country": r.country_id,
        "name": r.name,
        "type": r.type,
        "parent": r.parent_id,
    }


def term_out(t: Term) -> dict:
    return {
        "vocabulary": t.vocabulary,
        "code": t.code,
        "label": t.label,
        "description": t.description,
    }


@router.get("/countries", response=page_of(CountryOut), summary="MS/AC countries")
def list_countries(
    request,
    membership: Annotated[str, one_of(Country.Membership, blank=True)] | None = None,
    limit: int = 100,
    offset: int = 0,
):
    qs = Country.objects.all()
    if membership:
        qs = qs.filter(membership=membership)
    return paginate(qs, limit, offset, country_out)


@router.get("/countries/{code}", response=CountryOut)
def get_country(request, code: str):
    return country_out(get_object_or_404(Country, pk=code.upper()))


@router.get("/regions", response=page_of(RegionOut), summary="ISO 3166-2 regions")
def list_regions(request, country: str | None = None, limit: int = 100, offset: int = 0):
    qs = Region.objects.all()
    if country:
        qs = qs.filter(country_id=country.upper())
    return paginate(qs, limit, offset, region_out)


@router.get("/vocabularies/{vocabulary}", response=page_of(TermOut))
def list_terms(
    request,
    vocabulary: Annotated[str, one_of(Term.Vocabulary)],
    limit: int = 100,
    offset: int = 0,
):
    return paginate(Term.objects.of(vocabulary), limit, offset, term_out)


# --- the caller's own settings (issue #17) -----------------------------------------------------


class LanguageIn(Schema):
    """An offered interface language, or "" to follow the browser (``Accept-Language``)."""

    language: Annotated[str, one_of(sorted(i18n.offered()), blank=True)]


def language_out(user) -> dict:
    return {"language": i18n.preferred_language(user), "offered": sorted(i18n.offered())}


@router.get(
    "/me/language",
    response=LanguageOut,
    auth=TokenAuth(),
    tags=["me"],
    summary="Your interface language",
)
def get_my_language(request):
    """The token owner's own language (pages and e-mails); only ever the caller's."""
    return language_out(request.auth)


@router.patch(
    "/me/language",
    response=LanguageOut,
    auth=TokenAuth(),
    tags=["me"],
    summary="Change your interface language",
)
def set_my_language(request, payload: LanguageIn):
    """Set the token owner's language; a language echos does not offer is a 422 naming
    ``language``."""
    i18n.set_preferred_language(request.auth, payload.language)
    return language_out(request.auth)
