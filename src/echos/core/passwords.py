"""Password reset by e-mail: Django's views in the site frame, rate-limited, silent about accounts.

- Whatever address is typed, the answer is the same page; the e-mail is queued only once that answer
  has gone to the client (``SendAfterResponse``), to a background task
  (``core.tasks.send_password_reset_email``) that looks the address up — so neither the page nor
  its timing tells whether the address has an account, even where tasks run in the web process
  (no ``REDIS_URL``). Addresses without an account get nothing.
- Limits per hour: ``RESET_PER_ADDRESS`` links for one address (over it nothing more is sent, and
  the page stays the same) and ``RESET_PER_CLIENT`` requests per client address (over it, 429 with
  the minutes to wait). Off with the other limits when ``ECHOS_RATE_LIMITS`` is false.
- A reset never signs in and never touches the second factor: afterwards the user signs in with the
  new password and still enters their app's code or a recovery code.
"""

import hashlib
import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from echos.core.emails import EmailAddressField
from echos.core.i18n import language_for_user
from echos.core.ratelimit import allow, client_address
from echos.core.tasks import send_password_reset_email

RESET_PER_ADDRESS = 3
RESET_PER_CLIENT = 10

logger = logging.getLogger(__name__)


class SendAfterResponse(HttpResponseRedirect):
    """A redirect that runs ``then`` once it has been sent: the server calls ``close()`` after the
    last byte, so the client's answer never waits for (nor reveals) what ``then`` does."""

    def __init__(self, url: str, then: Callable[[], None]):
        super().__init__(url)
        self._then = then

    def close(self) -> None:
        try:
            super().close()
        finally:
            try:
                self._then()
            except Exception:  # the client has its answer; a failed send is for the log
                logger.exception("password reset e-mail could not be queued")


class ResetForm(PasswordResetForm):
    """Django's reset form with the address checked like every other one (RFC 5321 lengths)."""

    email = EmailAddressField(
        label=PasswordResetForm.base_fields["email"].label,
        widget=PasswordResetForm.base_fields["email"].widget,
    )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Each account's e-mail in the language it chose (issue #17), else the one asked in."""
        language = language_for_user(context.get("user"), translation.get_language())
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


def send_reset_now(email: str, language: str | None = None) -> None:
    """E-mail a reset link to each active account of ``email`` (nothing when there is none)."""
    form = ResetForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    with translation.override(language or settings.LANGUAGE_CODE):
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )


def _address_key(email: str) -> str:
    return "email:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for an address; limited per client and per address."""

    success_url = reverse_lazy("password_reset_done")
    form_class = ResetForm

    def post(self, request, *args, **kwargs):
        if getattr(settings, "ECHOS_RATE_LIMITS", True):
            key = "ip:" + (client_address(request) or "unknown")
            ok, retry = allow("password-reset", key, RESET_PER_CLIENT, window=3600)
            if not ok:
                form = self.get_form()
                form.errors.clear()
                form.add_error(
                    None,
                    _("Too many requests from you; try again in %(m)d minutes.")
                    % {"m": max(1, retry // 60)},
                )
                response = self.render_to_response(self.get_context_data(form=form), status=429)
                response["Retry-After"] = str(retry)
                return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if getattr(settings, "ECHOS_RATE_LIMITS", True):
            email = form.cleaned_data["email"]
            ok, _retry = allow(
                "password-reset-address", _address_key(email), RESET_PER_ADDRESS, 3600
            )
            if not ok:  # the same page as when a link is sent: nothing tells the limit apart
                return redirect(self.success_url)
        email, language = form.cleaned_data["email"], translation.get_language()
        return SendAfterResponse(
            str(self.success_url), lambda: send_password_reset_email(email, language)
        )
