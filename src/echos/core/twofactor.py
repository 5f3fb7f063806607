"""TOTP two-factor authentication: enrolment, verification at sign-in, enforcement for the network.

Invariants:
- A password alone never changes the second factor: a user with a confirmed device reaches the
  setup page only after entering a code in this session within ``FRESH_SECONDS`` (``verify``
  records the time). Without a device the first enrolment is open, as before.
- One authenticator app per account: confirming a new app replaces the previous one and issues
  ``RECOVERY_CODES`` new one-time recovery codes (django-otp's static device), shown once.
- Every enrolment, replacement, reset and use of a recovery code is audited and e-mailed to the
  account's address (``core.tasks.send_account_email``, after commit).
- A network coordinator resets a user's devices from the admin (``reset_devices``); the user then
  enrols again at the next sign-in.
"""

import re
import time
from base64 import b32encode
from urllib.parse import quote

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from echos.core import dates
from echos.core.audit import log_action
from echos.core.i18n import language_for_user
from echos.core.tasks import send_account_email

EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/password-reset/",
    "/static/",
    "/healthz",
    "/i18n/",
    "/api/",
)
# How long a code entered in this session counts as proof for changing the second factor.
FRESH_SECONDS = 10 * 60
SESSION_VERIFIED_AT = "echos_2fa_verified_at"
RECOVERY_CODES = 10
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_RE = re.compile(r"^\d{6}$")
RECOVERY_RE = re.compile(r"^[a-z2-7]{8}$")


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
        if (
            user is not None
            and not request.path_info.startswith(EXEMPT_PREFIXES)
            and must_verify(user)
        ):
            target = "verify" if user_has_device(user, confirmed=True) else "setup"
            return redirect(f"{reverse('twofactor_' + target)}?next={request.get_full_path()}")
        return self.get_response(request)


# --- services ------------------------------------------------------------------------------------


def _notify(user, kind: str) -> None:
    """E-mail the account's owner about a change to their second factor, once committed."""
    if not user.email:
        return
    pk = user.pk
    transaction.on_commit(lambda: send_account_email(pk, kind))


ACCOUNT_EMAILS = {
    "enrolled": (
        gettext_lazy("Two-factor authentication was turned on"),
        gettext_lazy("An authenticator app was set up as the second factor of your account."),
    ),
    "replaced": (
        gettext_lazy("Your authenticator app was replaced"),
        gettext_lazy(
            "A new authenticator app replaced the previous one on your account; the previous "
            "app and your old recovery codes no longer work."
        ),
    ),
    "reset": (
        gettext_lazy("Your two-factor devices were removed"),
        gettext_lazy(
            "A network coordinator removed second-factor devices of your account. If you still "
            "need one, you will be asked to set up an authenticator app at your next sign-in."
        ),
    ),
    "recovery_code_used": (
        gettext_lazy("A recovery code was used"),
        gettext_lazy("Someone signed in to your account with one of your recovery codes."),
    ),
    "recovery_codes": (
        gettext_lazy("New recovery codes"),
        gettext_lazy("New recovery codes were made for your account; the old ones no longer work."),
    ),
}


def send_account_email_now(user, kind: str) -> None:
    """Tell the account's owner what changed about their second factor, and what to do if it was
    not them."""
    subject, what = ACCOUNT_EMAILS[kind]
    with translation.override(language_for_user(user)):
        body = "\n\n".join(
            [
                str(what),
                _("Account: %(username)s. Time: %(at)s UTC.")
                % {
                    "username": user.get_username(),
                    "at": dates.medium_datetime(timezone.now(), tz="UTC"),
                },
                _(
                    "If this was not you, change your password now (%(url)s) and ask a network "
                    "coordinator to reset your two-factor devices."
                )
                % {"url": settings.SITE_URL.rstrip("/") + reverse("password_reset")},
            ]
        )
        send_mail(f"echos: {subject}", body, None, [user.email])


def new_recovery_codes(*, user) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODES`` new ones; returns them (shown once)."""
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        log_action(actor=user, action="core.twofactor.recovery_codes_generated", target=user)
    return codes


def remaining_recovery_codes(user) -> int:
    """How many unused recovery codes the user has left."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def enrol_device(*, user, device: TOTPDevice) -> list[str]:
    """Confirm ``device`` as the user's one app (replacing any other) and issue recovery codes."""
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
        had_app = replaced.filter(confirmed=True).exists()
        replaced.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        action = "core.twofactor.replaced" if had_app else "core.twofactor.enrolled"
        log_action(actor=user, action=action, target=user, data={"device": device.name})
        codes = new_recovery_codes(user=user)
        _notify(user, "replaced" if had_app else "enrolled")
    return codes


def reset_devices(*, actor, user) -> int:
    """Remove every second-factor device of ``user`` (a network coordinator's reset); audited."""
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        log_action(
            actor=actor,
            action="core.twofactor.reset",
            target=user,
            data={"devices": [f"{type(d).__name__}: {d.name}" for d in devices]},
        )
        _notify(user, "reset")
    return len(devices)


def remove_device(*, actor, device) -> None:
    """Remove one device of a user from the admin; audited and e-mailed."""
    with transaction.atomic():
        user = device.user
        log_action(
            actor=actor,
            action="core.twofactor.device_removed",
            target=user,
            data={"device": f"{type(device).__name__}: {device.name}"},
        )
        device.delete()
        _notify(user, "reset")


def throttled_until(devices) -> int | None:
    """Seconds until one of ``devices`` accepts a code again; None when one accepts it now."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return None
        until = (data or {}).get("locked_until")
        waits.append(max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 60)
    return min(waits) if waits else None


def _throttle_message(seconds: int) -> str:
    return _(
        "Too many wrong codes: for your protection no code is accepted for %(s)d seconds. "
        "Wait, then enter the code your app shows at that moment."
    ) % {"s": seconds}


# --- views ---------------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label=gettext_lazy("Six-digit code from your app"),
        error_messages={"invalid": gettext_lazy("Enter the six digits your app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Six-digit code from your app, or a recovery code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        """Six digits, or a recovery code (spaces and hyphens ignored)."""
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if not (TOTP_RE.match(code) or RECOVERY_RE.match(code)):
            raise forms.ValidationError(
                _("Enter the six digits your app shows, or one of your recovery codes.")
            )
        return code


def _next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


def verified_recently(request) -> bool:
    """True when a code was entered in this session within ``FRESH_SECONDS``."""
    if not request.user.is_verified():
        return False
    return time.time() - request.session.get(SESSION_VERIFIED_AT, 0) <= FRESH_SECONDS


def _verified(request, device) -> None:
    otp_login(request, device)
    request.session[SESSION_VERIFIED_AT] = int(time.time())


def _ask_for_fresh_code(request):
    if request.user.is_verified():
        messages.info(request, _("To change your second factor, first enter a current code."))
    return redirect(f"{reverse('twofactor_verify')}?next={quote(request.get_full_path())}")


def _recovery_codes_page(request, codes: list[str], next_url: str):
    return render(
        request,
        "registration/twofactor_recovery_codes.html",
        {"codes": codes, "next": next_url},
    )


@never_cache
@login_required
def setup(request):
    """Show a QR code for a new TOTP device and confirm it with a first code."""
    user = request.user
    if user_has_device(user, confirmed=True) and not verified_recently(request):
        return _ask_for_fresh_code(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or (
        TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    )
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = throttled_until([device])
        if wait is not None:
            form.add_error("code", _throttle_message(wait))
            status = 429
        elif device.verify_token(form.cleaned_data["code"].strip()):
            codes = enrol_device(user=user, device=device)
            _verified(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return _recovery_codes_page(request, codes, _next(request))
        else:
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
            "required": settings.ECHOS_REQUIRE_2FA and user.coordinates_network,
            "replacing": user_has_device(user, confirmed=True),
        },
        status=status,
    )


@never_cache
@login_required
def verify(request):
    """Ask for the current code of an enrolled app, or one of the user's recovery codes."""
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        recovery = bool(RECOVERY_RE.match(code))
        kind = StaticDevice if recovery else TOTPDevice
        devices = [d for d in devices_for_user(request.user, confirmed=True) if isinstance(d, kind)]
        wait = throttled_until(devices)
        if wait is not None:
            form.add_error("code", _throttle_message(wait))
            status = 429
        else:
            for device in devices:
                if device.verify_token(code):
                    _verified(request, device)
                    if recovery:
                        _recovery_code_used(request)
                    return redirect(_next(request))
            form.add_error("code", _("That code is not right."))
    return render(
        request,
        "registration/twofactor_verify.html",
        {"form": form, "next": _next(request)},
        status=status if status != 200 else (422 if form.errors else 200),
    )


def _recovery_code_used(request) -> None:
    user = request.user
    left = remaining_recovery_codes(user)
    log_action(
        actor=user, action="core.twofactor.recovery_code_used", target=user, data={"left": left}
    )
    _notify(user, "recovery_code_used")
    messages.warning(
        request,
        _(
            "You signed in with a recovery code; %(n)d are left. If you lost your phone, set up "
            "your authenticator app again now."
        )
        % {"n": left},
    )


@never_cache
@login_required
def recovery_codes(request):
    """Show how many recovery codes are left; make new ones after a fresh code."""
    if not user_has_device(request.user, confirmed=True):
        return redirect("twofactor_setup")
    if not request.user.is_verified():
        return _ask_for_fresh_code(request)
    if request.method == "POST":
        if not verified_recently(request):
            return _ask_for_fresh_code(request)
        codes = new_recovery_codes(user=request.user)
        _notify(request.user, "recovery_codes")
        return _recovery_codes_page(request, codes, reverse("twofactor_recovery_codes"))
    return render(
        request,
        "registration/twofactor_recovery.html",
        {"left": remaining_recovery_codes(request.user)},
    )
