"""Site-wide pages: liveness and about (the privacy pages are in ``echos.site.views``)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from echos.core.models import Country


@never_cache
def healthz(request):
    """Liveness: answers without touching the database (baseline for benchmarks)."""
    return HttpResponse(b"ok", content_type="text/plain")


def about(request):
    """What echos is, the data sources and the funding acknowledgement."""
    sources = sorted({c.source for c in Country.objects.only("source") if c.source})
    return render(request, "core/about.html", {"sources": sources})
