"""Request rate limits per client, counted in the shared cache (Redis in production)."""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from echos.core import pagecache_redis
from echos.core.api import request_token_user

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def client_address(request) -> str | None:
    """The address of the client, as seen by the first of our ``ECHOS_TRUSTED_PROXIES``.

    Behind N reverse proxies that each append to ``X-Forwarded-For`` (nginx's
    ``$proxy_add_x_forwarded_for``), the client is the N-th entry from the right; entries further
    left were written by the client and are never trusted. Without proxies, or when the header is
    missing or malformed, the address is the connection's; None when even that is unknown (a
    request made up by ``Client.force_login``: django-axes stores the address in an inet column,
    which refuses a placeholder). Also used by django-axes.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "ECHOS_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def client_key(request) -> str:
    """A valid API token's owner when there is one, otherwise the client's address.

    A made-up token is counted against the address: changing it on every request must not
    escape the limits.
    """
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        raw = header[7:].strip()
        if raw and request_token_user(request, raw) is not None:
            return "t:" + hashlib.sha256(raw.encode()).hexdigest()[:32]
    return "ip:" + (client_address(request) or "unknown")


# On Redis one round trip counts a request: add the cost, and give a new window its expiry.
_COUNT_SCRIPT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return count
"""


def _redis_count(name: str, cost: int, timeout: int) -> int | None:
    """The window's count after adding ``cost``, in one round trip on Redis; None elsewhere (the
    cache API's add, then has_key and incr: three round trips)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    script = pagecache_redis.script_for(backend, _COUNT_SCRIPT, write=True)
    return int(script(keys=[backend.make_and_validate_key(name)], args=[cost, timeout]))


def allow(bucket: str, key: str, limit: int, window: int = 60, cost: int = 1) -> tuple[bool, int]:
    """Count one request (``cost`` units of work) in a fixed window; False (and the seconds left)
    once over ``limit``."""
    now = int(time.time())
    slot = now // window
    name = f"echos:rate:{bucket}:{key}:{slot}"
    counted = _redis_count(name, cost, window + 5)
    if counted is not None:
        return counted <= limit, window - now % window
    if cache.add(name, cost, timeout=window + 5):
        count = cost
    else:
        try:
            count = cache.incr(name, cost)
        except ValueError:  # expired between add and incr
            cache.add(name, cost, timeout=window + 5)
            count = cost
    return count <= limit, window - now % window


class RateLimitMiddleware:
    """API reads and writes and every form POST are limited per client and minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "ECHOS_RATE_LIMITS", True):
            limited = self._check(request)
            if limited is not None:
                return limited
        return self.get_response(request)

    def _check(self, request):
        path = request.path
        if path.startswith("/api/v1/"):
            write = request.method in WRITE_METHODS
            bucket, limit = (
                ("api-write", settings.ECHOS_RATE_API_WRITE)
                if write
                else ("api-read", settings.ECHOS_RATE_API_READ)
            )
        elif request.method in WRITE_METHODS and not path.startswith("/admin/"):
            bucket, limit = "forms", settings.ECHOS_RATE_FORMS
        else:
            return None
        ok, retry = allow(bucket, client_key(request), limit)
        if ok:
            return None
        message = _("Too many requests; try again in %(s)d seconds.") % {"s": retry}
        response: HttpResponse
        if path.startswith("/api/"):
            response = JsonResponse({"detail": message, "errors": []}, status=429)
        else:
            # The page in the site's frame (templates/429.html), in the visitor's language.
            body = loader.get_template("429.html").render({"message": message}, request)
            response = HttpResponse(body, status=429)
        response["Retry-After"] = str(retry)
        return response
