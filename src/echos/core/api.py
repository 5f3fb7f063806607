"""API authentication, error shapes, pagination and the core endpoints (countries, regions, terms)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from echos.core.exceptions import RuleViolation
from echos.core.models import ApiToken, Country, Region, Term

MAX_LIMIT = 500


def user_for_token(raw: str):
    """The active user owning a raw token, or None."""
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(raw)).first()
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` for writes and private reads."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def api_user(request):
    """The token's user for public endpoints that show more to signed-in callers."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
        if user is None:
            raise AuthenticationError()
        return user
    return AnonymousUser()


def paginate(queryset, limit: int, offset: int, serialise) -> dict:
    """The list shape of every endpoint: {"count": N, "items": [...]}."""
    if limit < 1 or limit > MAX_LIMIT:
        raise RuleViolation(f"limit must be between 1 and {MAX_LIMIT}.", "limit")
    if offset < 0:
        raise RuleViolation("offset must not be negative.", "offset")
    return {
        "count": len(queryset) if isinstance(queryset, list) else queryset.count(),
        "items": [serialise(o) for o in queryset[offset : offset + limit]],
    }


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
                str(p) for p in e.get("loc", []) if p not in ("body", "query", "path", "payload")
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

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return error(request, exc.status_code, str(exc))


router = Router(tags=["reference"])


class CountryOut(Schema):
    code: str
    name: str
    display_name: str
    membership: str
    since: str | None


class RegionOut(Schema):
    code: str
    country: str
    name: str
    type: str
    parent: str | None


class TermOut(Schema):
    vocabulary: str
    code: str
    label: str
    description: str


def country_out(c: Country) -> dict:
    return {
        "code": c.code,
        "name": c.name,
        "display_name": c.display_name,
        "membership": c.membership,
        "since": c.since.isoformat() if c.since else None,
    }


@router.get("/countries", response=dict, summary="MS/AC countries")
def list_countries(request, membership: str | None = None, limit: int = 100, offset: int = 0):
    qs = Country.objects.all()
    if membership:
        qs = qs.filter(membership=membership)
    return paginate(qs, limit, offset, country_out)


@router.get("/countries/{code}", response=CountryOut)
def get_country(request, code: str):
    return country_out(get_object_or_404(Country, pk=code.upper()))


@router.get("/regions", response=dict, summary="ISO 3166-2 regions")
def list_regions(request, country: str | None = None, limit: int = 100, offset: int = 0):
    qs = Region.objects.all()
    if country:
        qs = qs.filter(country_id=country.upper())
    return paginate(
        qs,
        limit,
        offset,
        lambda r: {
            "code": r.code,
            "country": r.country_id,
            "name": r.name,
            "type": r.type,
            "parent": r.parent_id,
        },
    )


@router.get("/vocabularies/{vocabulary}", response=dict)
def list_terms(request, vocabulary: str, limit: int = 100, offset: int = 0):
    if vocabulary not in Term.Vocabulary.values:
        raise RuleViolation(
            f"Unknown vocabulary; use one of {', '.join(Term.Vocabulary.values)}.", "vocabulary"
        )
    return paginate(
        Term.objects.of(vocabulary),
        limit,
        offset,
        lambda t: {
            "vocabulary": t.vocabulary,
            "code": t.code,
            "label": t.label,
            "description": t.description,
        },
    )
