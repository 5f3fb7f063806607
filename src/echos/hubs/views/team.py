"""A hub's team page (roles and invitations) and the invitation link's page (issue #16)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from echos.core.emails import EmailAddressField
from echos.core.exceptions import RuleViolation
from echos.core.forms import ServiceFormMixin
from echos.hubs import permissions as perms
from echos.hubs.models import HubRole, Invitation
from echos.hubs.services import invitations, roles
from echos.hubs.views._common import _get_hub_for_user


class InviteForm(ServiceFormMixin, forms.Form):
    email = EmailAddressField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class AccountForm(ServiceFormMixin, forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


def _team_context(request, hub, form) -> dict:
    since = roles.roles_since(hub)
    members = list(hub.roles.select_related("user").order_by("role", "user__username"))
    choices = roles.grantable_roles(request.user, hub)
    return {
        "hub": hub,
        "form": form,
        "members": [
            {
                "role": r,
                "since": since.get(r.user_id),
                "is_me": r.user_id == request.user.pk,
                "choices": choices,
            }
            for r in members
        ],
        "invitations": hub.invitations.select_related("invited_by")[:100],
    }


@login_required
def team(request, pk: int):
    """Coordinators (and the network) see the team, invite by e-mail, change and remove roles."""
    hub = _get_hub_for_user(request, pk, check=perms.can_manage_roles)
    choices = roles.grantable_roles(request.user, hub)
    status = 200
    if request.method == "POST":
        form = InviteForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                invitations.invite(
                    actor=request.user,
                    hub=hub,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Invitation sent."))
                return redirect("hubs:team", hub.pk)
        status = 422
    else:
        form = InviteForm(choices=choices, initial={"role": HubRole.Role.EDITOR})
    return render(request, "hubs/team.html", _team_context(request, hub, form), status=status)


def _refusal(request, exc: RuleViolation | PermissionDenied) -> None:
    messages.error(request, exc.message if isinstance(exc, RuleViolation) else str(exc))


@login_required
@require_POST
def team_role(request, pk: int, role_id: int):
    """Change (``role`` given) or remove (``action=remove``) one team member's role."""
    hub = _get_hub_for_user(request, pk, check=perms.can_manage_roles)
    role = get_object_or_404(HubRole, pk=role_id, hub=hub)
    try:
        if request.POST.get("action") == "remove":
            roles.remove_role(actor=request.user, role=role)
            messages.success(request, _("Role removed."))
        else:
            roles.change_role(actor=request.user, role=role, new_role=request.POST.get("role", ""))
            messages.success(request, _("Role changed."))
    except (RuleViolation, PermissionDenied) as exc:
        _refusal(request, exc)
    return redirect("hubs:team", hub.pk)


@login_required
@require_POST
def team_invitation(request, pk: int, invitation_id: int):
    """Resend or revoke an invitation."""
    hub = _get_hub_for_user(request, pk, check=perms.can_manage_roles)
    invitation = get_object_or_404(Invitation, pk=invitation_id, hub=hub)
    try:
        if request.POST.get("action") == "revoke":
            invitations.revoke(actor=request.user, invitation=invitation)
            messages.success(request, _("Invitation revoked."))
        else:
            invitations.resend(actor=request.user, invitation=invitation)
            messages.success(request, _("Invitation sent again with a new link."))
    except (RuleViolation, PermissionDenied) as exc:
        _refusal(request, exc)
    return redirect("hubs:team", hub.pk)


@never_cache
def invitation(request, token: str):
    """The link of an invitation e-mail: sign in (or create an account) and accept."""
    try:
        found = invitations.invitation_for_token(token)
    except RuleViolation as exc:
        return render(request, "hubs/invitation_invalid.html", {"reason": exc.message}, status=410)
    context = {"invitation": found, "token": token}
    if not request.user.is_authenticated:
        return _invitation_signed_out(request, found, token, context)
    context["matches"] = invitations.email_matches(found, request.user)
    context["second_factor"] = invitations.second_factor_pending(request.user)
    if request.method == "POST":
        try:
            invitations.accept(raw=token, user=request.user)
        except (RuleViolation, PermissionDenied) as exc:
            context["error"] = exc.message if isinstance(exc, RuleViolation) else str(exc)
            return render(request, "hubs/invitation_accept.html", context, status=403)
        messages.success(request, _("Welcome to the team of %(hub)s.") % {"hub": found.hub})
        return redirect(found.hub)
    return render(request, "hubs/invitation_accept.html", context)


def _invitation_signed_out(request, found: Invitation, token: str, context: dict):
    """Signed out: sign in if the address has an account, else create one here."""
    here = reverse("hubs:invitation", args=[token])
    if get_user_model().objects.filter(email__iexact=found.email).exists():
        if request.method == "POST":
            return redirect_to_login(here)
        context["login_url"] = f"{reverse('login')}?next={here}"
        return render(request, "hubs/invitation_accept.html", context)
    form = AccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = invitations.create_account_and_accept(
                    raw=token,
                    username=data["username"],
                    password=data["password1"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome to the team of %(hub)s.") % {"hub": found.hub})
                return redirect(found.hub)
        status = 422
    context["form"] = form
    return render(request, "hubs/invitation_accept.html", context, status=status)
