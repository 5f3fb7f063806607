"""The account's API tokens page: list, create (shown once), revoke. Rules in ``core.tokens``."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from echos.core.exceptions import RuleViolation
from echos.core.models import ApiToken
from echos.core.tokens import MAX_TOKENS_PER_USER, create_token, revoke_token, tokens_of
from echos.core.twofactor import verified_recently


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=ApiToken.NAME_MAX,
        help_text=gettext_lazy("What will use it, for example “nightly export script”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Read only suffices to read private data; a read and write token may change "
            "everything your account may change."
        ),
    )


@never_cache
@login_required
def token_list(request):
    """The signed-in user's own tokens: name, scope, prefix, creation and last use."""
    return render(
        request,
        "core/api_tokens.html",
        {"tokens": tokens_of(request.user), "limit": MAX_TOKENS_PER_USER},
    )


@never_cache
@login_required
def token_new(request):
    """Create a token; a user with a second factor first enters a current code."""
    if user_has_device(request.user, confirmed=True) and not verified_recently(request):
        messages.info(request, _("To create an API token, first enter a current code."))
        return redirect(f"{reverse('twofactor_verify')}?next={quote(request.get_full_path())}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = create_token(user=request.user, **form.cleaned_data)
        except RuleViolation as refused:
            form.add_error(refused.field, refused.message)
        else:
            return render(request, "core/api_token_created.html", {"token": token, "raw": raw})
    return render(
        request, "core/api_token_new.html", {"form": form}, status=422 if form.errors else 200
    )


@never_cache
@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke one of the user's own tokens (another's answers 404, as if it did not exist)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
