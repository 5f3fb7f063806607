"""Uploading a file of organisations or of a hub's memberships (``hubs.imports`` runs it)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from echos.hubs import imports
from echos.hubs import permissions as perms
from echos.hubs.forms import ImportForm
from echos.hubs.views._common import _get_hub_for_user


@login_required
def membership_import(request, pk: int):
    hub = _get_hub_for_user(request, pk)
    return _import_page(request, kind="memberships", hub=hub, back=hub.get_absolute_url())


@login_required
def organisation_import(request):
    if not (
        perms.is_network_coordinator(request.user) or perms.editable_hubs(request.user).exists()
    ):
        raise PermissionDenied
    return _import_page(request, kind="organisations", hub=None, back=reverse("hubs:organisations"))


def _import_page(request, *, kind: str, hub, back: str):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # The upload's own file: read as a stream, never whole into memory.
        report = imports.run_import(
            kind, upload.file, filename=upload.name, actor=request.user, hub=hub
        )
        if report.ok:
            messages.success(request, _("%(n)d rows imported.") % {"n": report.created})
            return redirect(back)
    context = {
        "form": form,
        "report": report,
        "kind": kind,
        "hub": hub,
        "back": back,
        "columns": imports.COLUMNS[kind],
        "max_bytes": settings.ECHOS_IMPORT_MAX_BYTES,
        "max_rows": settings.ECHOS_IMPORT_MAX_ROWS,
    }
    return render(
        request, "hubs/import.html", context, status=422 if report and not report.ok else 200
    )
