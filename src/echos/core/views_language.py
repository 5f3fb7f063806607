"""The language switch in the header and the account's language page (issue #17).

Both answer without JavaScript: a form posted, then a redirect to the same page (under the new
language's prefix when the page had one). A signed-in user's choice is also their setting
(``UserPreference``); everyone's is kept in the language cookie.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from echos.core.i18n import (
    next_for_language,
    preferred_language,
    request_prefix,
    safe_next,
    set_preferred_language,
)


class LanguageForm(forms.Form):
    """One of the interface's languages (the header switch)."""

    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


class AccountLanguageForm(forms.Form):
    """The account's language, or none (follow the browser)."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("The language of my browser")), *settings.LANGUAGES],
        help_text=gettext_lazy(
            "The pages and the e-mails echos sends you use this language. An address that starts "
            "with a language code (/el/, /pl/…) still shows that language."
        ),
    )


def _with_cookie(response: HttpResponse, code: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@never_cache
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header switch: cookie (and the account's setting when signed in), then back to the
    same page; an unknown language is a form error naming the field, never a 500."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        back = safe_next(request, request.POST.get("next", "")[:2000]) or "/"
        return render(
            request,
            "core/language_switch.html",
            {"form": form, "back": back},
            status=422,
        )
    code = form.cleaned_data["language"]
    if request.user.is_authenticated:
        set_preferred_language(request.user, code)
    target = next_for_language(request, form.cleaned_data["next"], code)
    return _with_cookie(HttpResponseRedirect(target), code)


@never_cache
@login_required
def account_language(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own language (only theirs: there is no user in the address)."""
    current = preferred_language(request.user)
    form = AccountLanguageForm(request.POST or None, initial={"language": current})
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["language"]
        set_preferred_language(request.user, code)
        with translation.override(code or translation.get_language()):
            # Shown on the next page, which is already in the chosen language.
            messages.success(request, _("Your language is saved."))
        if code and request_prefix(request):
            target = next_for_language(request, request.path, code)
        else:
            target = request.path
        response = HttpResponseRedirect(target)
        return _with_cookie(response, code) if code else response
    return render(
        request,
        "core/account_language.html",
        {"form": form, "current": current},
        status=422 if form.errors else 200,
    )
