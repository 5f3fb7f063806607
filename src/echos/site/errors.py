"""Error pages in the site's frame (issue #16): 400, 403, 404 and 500, JSON under /api/.

Django's default handlers render 400 and 500 without the request, so the header, the language and
the sign-in link would be missing; these render with it. A 500 page must never fail in turn: when
rendering with the request raises (the database may be what failed), a plain page is returned.
"""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PLAIN_500 = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Server error</title>"
    "</head><body><h1>Something went wrong on our side</h1><p>The error has been logged. "
    "Please try again in a few minutes.</p><p><a href='/'>Home page</a></p></body></html>"
)


def _render(request: HttpRequest, status: int, template: str, context: dict) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": context["message"], "errors": []}, status=status)
    body = loader.get_template(template).render(context, request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("The request could not be understood. Check the address or the form and retry.")
    return _render(request, 400, "400.html", {"message": message})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else ""
    message = detail or _("You do not have permission to see this page.")
    return _render(request, 403, "403.html", {"message": message, "detail": detail})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("There is no page at this address.")
    return _render(request, 404, "404.html", {"message": message})


def server_error(request: HttpRequest) -> HttpResponse:
    message = _("Something went wrong on our side. The error has been logged.")
    try:
        return _render(request, 500, "500.html", {"message": message})
    except Exception:  # the page of last resort must not fail: the cause may be the database
        logger.exception("The 500 page could not be rendered with the request")
        return HttpResponse(PLAIN_500, status=500)
