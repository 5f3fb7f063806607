"""The two ways the network-of-support pages hand input to a service: a bound form whose refusals
show on the form, and a one-click action whose refusal shows as a message."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from echos.core.exceptions import RuleViolation
from echos.core.forms import ServiceFormMixin


def form_saved(
    request,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: str = "",
    then: Any = None,
) -> HttpResponse | None:
    """Run ``save(form.cleaned_data)`` if the bound ``form`` is valid, then say ``done`` and redirect
    to ``then`` (by default to what ``save`` returned). None when the form or the service refused:
    the service's RuleViolation is then on the form, under the field it names."""
    if not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except RuleViolation as exc:
        cast(ServiceFormMixin, form).add_rule_violation(exc)
        return None
    if done:
        messages.success(request, done)
    return redirect(saved if then is None else then)


def run_action(request, action: Callable[[], Any], *, done: str = "") -> None:
    """Run a one-click ``action``: its RuleViolation becomes an error message, success ``done``."""
    try:
        action()
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        if done:
            messages.success(request, done)
