"""A write that cannot get the database lock in time is answered 503 with Retry-After, never 500.

SQLite lets one writer in at a time; a writer waits ``OPTIONS["timeout"]`` seconds, then fails with
``OperationalError("database is locked")``. PostgreSQL fails a statement that waits past
``lock_timeout`` (SQLSTATE 55P03) and breaks deadlocks and serialisation conflicts (40P01, 40001).
Each of these leaves nothing half-written: the view's ``transaction.atomic`` has rolled back by the
time the exception reaches this middleware, so the person can safely send the same request again.
The request is not replayed here: an upload or a form may not be safe to send twice.
"""

import logging

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# lock_not_available (lock_timeout), deadlock_detected, serialization_failure.
POSTGRES_BUSY = {"55P03", "40P01", "40001"}


def is_lock_timeout(exc: BaseException) -> bool:
    """Whether ``exc`` says the database was busy, not that the request or the schema is wrong."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if code in POSTGRES_BUSY:
        return True
    message = str(exc).lower()
    return "database is locked" in message or "database table is locked" in message


def busy_response(request) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, the site frame elsewhere."""
    message = _(
        "The database is busy with another change. Nothing was saved; "
        "please try again in a few seconds."
    )
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "errors": []}, status=503)
    else:
        try:
            html: str = render_to_string("503.html", {"message": message}, request=request)
        except Exception:  # the frame itself may need the database; say it plainly then
            logger.exception("503 page could not be rendered")
            html = message
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """Turn a lock timeout raised by a view into a 503 the person can act on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_lock_timeout(exception):
            return None
        logger.warning("database busy on %s %s: %s", request.method, request.path, exception)
        return busy_response(request)
