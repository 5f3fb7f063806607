"""Site-wide pages: liveness and about (the privacy pages are in ``echos.site.views``)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from echos.core.models import Country


@never_cache
def healthz(request):
    """Liveness: answers without touching the database (baseline for benchmarks)."""
    return HttpResponse(b"ok", content_type="text/plain")


def accessibility(request):
    """The accessibility statement required of public-sector sites (Directive (EU) 2016/2102),
    following the model of Commission Implementing Decision (EU) 2018/1523."""
    contact = settings.ECHOS_ACCESSIBILITY_CONTACT or settings.ECHOS_PRIVACY_CONTACT
    return render(
        request,
        "core/accessibility.html",
        {
            "contact": contact,
            "enforcement_url": settings.ECHOS_ACCESSIBILITY_ENFORCEMENT_URL,
            "reviewed": settings.ECHOS_ACCESSIBILITY_REVIEWED,
        },
    )


def about(request):
    """What echos is, the data sources and the funding acknowledgement."""
    sources = sorted({c.source for c in Country.objects.only("source") if c.source})
    return render(request, "core/about.html", {"sources": sources})
