"""TOTP two-factor authentication: enrolment, verification at sign-in, enforcement for the network."""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from echos.core.audit import log_action

EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/healthz", "/i18n/", "/api/")


def must_verify(user) -> bool:
    """Network coordinators always; anyone else once they have enrolled an app."""
    if not getattr(user, "is_authenticated", False) or user.is_verified():
        return False
    if user_has_device(user, confirmed=True):
        return True
    return bool(settings.ECHOS_REQUIRE_2FA and user.coordinates_network)


class RequireTwoFactorMiddleware:
    """Send a signed-in user who still owes a second factor to enrol or to enter a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not request.path.startswith(EXEMPT_PREFIXES) and must_verify(user):
            target = "verify" if user_has_device(user, confirmed=True) else "setup"
            return redirect(f"{reverse('twofactor_' + target)}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label=gettext_lazy("Six-digit code from your app"),
        error_messages={"invalid": gettext_lazy("Enter the six digits your app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


@login_required
def setup(request):
    """Show a QR code for a new TOTP device and confirm it with a first code."""
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False
    ).first() or TOTPDevice.objects.create(
        user=request.user, name="authenticator app", confirmed=False
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            otp_login(request, device)
            log_action(actor=request.user, action="core.twofactor.enrolled", target=request.user)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next(request))
        form.add_error(
            "code", _("That code is not right; check the time on your phone and try again.")
        )
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR code for your authenticator app")
    )
    return render(
        request,
        "registration/twofactor_setup.html",
        {
            "form": form,
            "qr": mark_safe(qr),
            "secret": b32encode(device.bin_key).decode(),
            "next": _next(request),
            "required": settings.ECHOS_REQUIRE_2FA and request.user.coordinates_network,
        },
    )


@login_required
def verify(request):
    """Ask for the current code of an enrolled app."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_token(code):
                otp_login(request, device)
                return redirect(_next(request))
        form.add_error("code", _("That code is not right."))
    return render(
        request,
        "registration/twofactor_verify.html",
        {"form": form, "next": _next(request)},
        status=422 if form.errors else 200,
    )
