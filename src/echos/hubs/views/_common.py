"""Helpers of the hub registry pages: a service call for a form, a delete, access to a hub."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect

from echos.core.exceptions import RuleViolation
from echos.hubs import permissions as perms
from echos.hubs.models import Hub, Membership


def _apply(request, form, action, success: str):
    """Run a service call for a valid form; a RuleViolation becomes an error on the named field."""
    try:
        result = action()
    except RuleViolation as exc:
        form.add_rule_violation(exc)
        return None
    messages.success(request, success)
    return result if result is not None else True


def _delete(request, action, *, on_refusal, success: str, then):
    """Run a delete service; a refusal (e.g. sub-hubs exist) comes back as a message."""
    try:
        action()
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(on_refusal)
    messages.success(request, success)
    return redirect(then)


def _member_count():
    """Current members per hub as a correlated subquery (a JOIN + GROUP BY over every membership
    made the searched directory slow at Europe scale)."""
    members = (
        Membership.objects.current()
        .filter(hub=OuterRef("pk"))
        .order_by()
        .values("hub")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def _get_hub_for_user(request, pk: int, check=perms.can_edit_hub) -> Hub:
    """The hub, or PermissionDenied when the user may not change it."""
    hub = get_object_or_404(Hub.objects.select_related("country", "parent__parent"), pk=pk)
    if not check(request.user, hub):
        raise PermissionDenied
    return hub
