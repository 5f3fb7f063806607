"""Editing a hub: creating, changing, deleting it and recording its stage changes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.hubs import permissions as perms
from echos.hubs import services
from echos.hubs.forms import HubForm, StageChangeForm
from echos.hubs.models import Hub, Level
from echos.hubs.views._common import _apply, _delete, _get_hub_for_user

HUB_FORM_FIELDS = HubForm.Meta.fields


def _hub_changes(form) -> dict:
    changes = {k: form.cleaned_data.get(k) for k in HUB_FORM_FIELDS if k in form.cleaned_data}
    if form.cleaned_data.get("source_language"):
        changes["source_language"] = form.cleaned_data["source_language"]
    changes["translations"] = form.cleaned_translations()
    return changes


def _blank_strings(changes: dict) -> dict:
    return {
        k: ("" if v is None and k in {"mission", "website", "archetype", "name", "name_en"} else v)
        for k, v in changes.items()
    }


@login_required
def hub_create(request):
    parent = None
    raw_parent = str(request.GET.get("parent") or request.POST.get("parent") or "").strip()
    # A parent that is not a hub number (?parent=abc) is ignored, like an unknown one.
    if raw_parent.isascii() and raw_parent.isdigit() and int(raw_parent) < 2**63:
        parent = Hub.objects.filter(pk=int(raw_parent)).first()
    if not perms.can_create_hub(request.user, parent=parent):
        raise PermissionDenied
    initial = {}
    if parent is not None:
        initial = {
            "parent": parent,
            "country": parent.country,
            "level": Level.REGIONAL if parent.level == Level.NATIONAL else Level.LOCAL,
        }
    form = HubForm(
        request.POST or None,
        initial=initial,
        parents=perms.editable_hubs(request.user).exclude(level=Level.LOCAL)
        if not perms.is_network_coordinator(request.user)
        else None,
    )
    if request.method == "POST" and form.is_valid():
        hub = _apply(
            request,
            form,
            lambda: services.create_hub(actor=request.user, **_blank_strings(_hub_changes(form))),
            _("Hub created."),
        )
        if hub is not None:
            return redirect(hub)
    return render(request, "hubs/hub_form.html", {"form": form, "hub": None})


@login_required
def hub_edit(request, pk: int):
    hub = _get_hub_for_user(request, pk)
    form = HubForm(request.POST or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        fresh = Hub.objects.get(pk=hub.pk)
        saved = _apply(
            request,
            form,
            lambda: services.update_hub(
                actor=request.user, hub=fresh, **_blank_strings(_hub_changes(form))
            ),
            _("Hub saved."),
        )
        if saved is not None:
            return redirect(fresh)
    return render(request, "hubs/hub_form.html", {"form": form, "hub": hub})


@login_required
@require_POST
def hub_delete(request, pk: int):
    hub = _get_hub_for_user(request, pk, perms.can_delete_hub)
    target = hub.parent.get_absolute_url() if hub.parent is not None else reverse("hubs:directory")
    return _delete(
        request,
        lambda: services.delete_hub(actor=request.user, hub=hub),
        on_refusal=hub.get_absolute_url(),
        success=_("Hub deleted."),
        then=target,
    )


@login_required
def hub_stage(request, pk: int):
    hub = _get_hub_for_user(request, pk, perms.can_change_stage)
    form = StageChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            request,
            form,
            lambda: services.record_stage_change(actor=request.user, hub=hub, **form.cleaned_data),
            _("Stage change recorded."),
        )
        if saved is not None:
            if request.htmx:
                response = render(
                    request, "hubs/_stage_form.html", {"hub": hub, "stage_form": StageChangeForm()}
                )
                response["HX-Refresh"] = "true"
                return response
            return redirect(hub)
    template = "hubs/_stage_form.html" if request.htmx else "hubs/stage_form.html"
    return render(
        request, template, {"hub": hub, "stage_form": form}, status=422 if form.errors else 200
    )
