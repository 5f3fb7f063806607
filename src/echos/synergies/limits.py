"""What one caller may ask of the batch matcher over HTTP (``POST /api/v1/synergies/match``).

Three sets of caps, all from settings (``ECHOS_MATCH_*``): anonymous callers, token holders in the
request itself, and token holders' background jobs. The body's size is checked from its
Content-Length before anything reads it (``MatchBodyLimitMiddleware``), the number of items and the
characters of each item before any matching. Synchronous requests also spend a budget of work units
per client and minute, counted in the shared cache (``echos.core.ratelimit``): one unit per item and
per started 1,000 characters of its text. The CLI (``echos synergies match``) has no limits.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from echos.core.api import request_token_user
from echos.core.exceptions import RuleViolation
from echos.core.ratelimit import allow, client_key

UNIT_CHARS = 1_000


class TooLarge(RuleViolation):
    """A batch past the caps of its caller; ``field`` names the list (or the body)."""

    status = 422


class BodyTooLarge(TooLarge):
    """A body past its caller's limit in bytes (413, field ``body``)."""

    status = 413


@dataclass(frozen=True)
class Caps:
    """The largest batch a kind of caller may send: body in bytes, items per list, chars per item."""

    max_body: int
    max_items: int
    max_chars: int
    hint: str


def anonymous_caps() -> Caps:
    return Caps(
        settings.ECHOS_MATCH_ANON_MAX_BODY,
        settings.ECHOS_MATCH_ANON_MAX_ITEMS,
        settings.ECHOS_MATCH_ANON_MAX_CHARS,
        _(
            "without a token; larger batches need one (Authorization: Bearer <token>) and run as "
            "a background job."
        ),
    )


def sync_caps() -> Caps:
    return Caps(
        settings.ECHOS_MATCH_SYNC_MAX_BODY,
        settings.ECHOS_MATCH_SYNC_MAX_ITEMS,
        settings.ECHOS_MATCH_SYNC_MAX_CHARS,
        _("in one request; larger batches run as a background job."),
    )


def job_caps() -> Caps:
    # Django itself reads no body past DATA_UPLOAD_MAX_MEMORY_SIZE: refuse it here, naming the limit.
    upload = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return Caps(
        min(settings.ECHOS_MATCH_JOB_MAX_BODY, upload)
        if upload
        else settings.ECHOS_MATCH_JOB_MAX_BODY,
        settings.ECHOS_MATCH_JOB_MAX_ITEMS,
        settings.ECHOS_MATCH_JOB_MAX_CHARS,
        _("in one background job; use `echos synergies match` for larger batches."),
    )


def content_length(request) -> int:
    """The declared body size; Django reads no more than this (0 when absent or malformed)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def token_user(request):
    """The active user of a valid bearer token, or None (a bad token is refused by the view)."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    raw = header[7:].strip()
    return request_token_user(request, raw) if raw else None


def body_too_large(size: int, caps: Caps) -> BodyTooLarge:
    message = _("The request body has %(size)s bytes; at most %(limit)s are accepted %(hint)s") % {
        "size": f"{size:,}",
        "limit": f"{caps.max_body:,}",
        "hint": caps.hint,
    }
    return BodyTooLarge(message, "body")


def error_response(exc: RuleViolation) -> JsonResponse:
    return JsonResponse({"detail": exc.message, "errors": [exc.as_dict()]}, status=exc.status)


class MatchBodyLimitMiddleware:
    """Refuse (413) a batch-matching body larger than its caller may send, before it is read.

    Placed before every middleware that reads the body; a token holder's limit is the job's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("api:synergies_match"):
            caps = job_caps() if token_user(request) is not None else anonymous_caps()
            size = content_length(request)
            if size > caps.max_body:
                return error_response(body_too_large(size, caps))
        return self.get_response(request)


def item_chars(item: dict) -> int:
    """Characters of an item's text: its strings and the strings of its lists."""
    total = 0
    for value in item.values():
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, list):
            total += sum(len(v) for v in value if isinstance(v, str))
    return total


def work_units(chars: int) -> int:
    """One unit per item and per started 1,000 characters of its text."""
    return max(1, -(-chars // UNIT_CHARS))


def measure(caps: Caps, lists: dict[str, list[dict]]) -> int:
    """The work units of a batch within ``caps``; TooLarge naming the list and the limit otherwise."""
    for name, items in lists.items():
        if len(items) > caps.max_items:
            raise TooLarge(
                _("%(name)s: %(count)s items; at most %(limit)s are accepted %(hint)s")
                % {
                    "name": name,
                    "count": f"{len(items):,}",
                    "limit": f"{caps.max_items:,}",
                    "hint": caps.hint,
                },
                name,
            )
    units = 0
    for name, items in lists.items():
        for i, item in enumerate(items, start=1):
            chars = item_chars(item)
            if chars > caps.max_chars:
                raise TooLarge(
                    _(
                        "%(name)s[%(i)s]: %(count)s characters of text; at most %(limit)s per item "
                        "are accepted %(hint)s"
                    )
                    % {
                        "name": name,
                        "i": i,
                        "count": f"{chars:,}",
                        "limit": f"{caps.max_chars:,}",
                        "hint": caps.hint,
                    },
                    name,
                )
            units += work_units(chars)
    return units


def fits(caps: Caps, size: int, lists: dict[str, list[dict]]) -> bool:
    """Whether a batch of ``size`` bytes is within ``caps``."""
    if size > caps.max_body:
        return False
    try:
        measure(caps, lists)
    except TooLarge:
        return False
    return True


@dataclass(frozen=True)
class Plan:
    """How a batch is matched: in the request (spending ``budget``) or as a background job."""

    background: bool
    units: int
    budget: int


def plan(*, user, size: int, lists: dict[str, list[dict]], background: bool = False) -> Plan:
    """Check a batch of ``size`` bytes against its caller's caps, before any matching work.

    Anonymous callers: the anonymous caps and budget. Token holders: the synchronous caps and
    budget, or the job's caps past them (or when asked for a background job). TooLarge names the
    body or the list and the limit.
    """
    if not user.is_authenticated:
        caps, budget = anonymous_caps(), settings.ECHOS_MATCH_ANON_BUDGET
    elif background or not fits(sync_caps(), size, lists):
        caps, budget, background = job_caps(), 0, True
    else:
        caps, budget = sync_caps(), settings.ECHOS_MATCH_TOKEN_BUDGET
    if size > caps.max_body:
        raise body_too_large(size, caps)
    return Plan(background=background, units=measure(caps, lists), budget=budget)


def spend(request, units: int, *, budget: int) -> int | None:
    """Charge ``units`` to the client's budget of the minute: None if allowed, else the seconds to wait.

    Off with ``ECHOS_RATE_LIMITS`` (as every rate limit) or a budget of 0.
    """
    if not getattr(settings, "ECHOS_RATE_LIMITS", True) or budget <= 0:
        return None
    ok, retry = allow("match", client_key(request), budget, cost=units)
    return None if ok else max(retry, 1)


def too_many(retry: int, message: str | None = None) -> JsonResponse:
    """429 with Retry-After, in the API's error shape."""
    detail = message or _(
        "The matching budget of this client is spent; try again in %(s)d seconds."
    ) % {"s": retry}
    response = JsonResponse({"detail": detail, "errors": []}, status=429)
    response["Retry-After"] = str(retry)
    return response
