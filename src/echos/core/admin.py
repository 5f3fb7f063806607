from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from echos.core import twofactor
from echos.core.emails import EmailAddressField
from echos.core.exceptions import RuleViolation
from echos.core.models import ActionLog, ApiToken, Country, Region, Term, User
from echos.core.revert import revert


def _network(request) -> bool:
    return request.user.is_active and request.user.coordinates_network


# The admin is for network coordinators, whatever Django model permissions say.
admin.site.has_permission = _network  # type: ignore[method-assign]


class NetworkPermissions:
    """Admin pages and inlines open to network coordinators."""

    def has_module_permission(self, request):
        return _network(request)

    def has_view_permission(self, request, obj=None):
        return _network(request)

    def has_add_permission(self, request, obj=None):
        return _network(request)

    def has_change_permission(self, request, obj=None):
        return _network(request)

    def has_delete_permission(self, request, obj=None):
        return _network(request)


class NetworkAdmin(NetworkPermissions, admin.ModelAdmin):
    """A ModelAdmin for network coordinators."""


@admin.action(description=gettext_lazy("Reset two-factor authentication (remove every device)"))
def reset_two_factor(modeladmin, request, queryset):
    for user in queryset:
        removed = twofactor.reset_devices(actor=request.user, user=user)
        modeladmin.message_user(
            request, _("%(user)s: %(n)d device(s) removed.") % {"user": user, "n": removed}
        )


class EchosUserChangeForm(UserChangeForm):
    """The account form with the e-mail address checked like every other one (RFC 5321)."""

    email = EmailAddressField(label=gettext_lazy("email address"), required=False)


@admin.register(User)
class EchosUserAdmin(NetworkAdmin, UserAdmin):
    form = EchosUserChangeForm
    fieldsets = [
        *(UserAdmin.fieldsets or ()),
        ("echos", {"fields": ["is_network_coordinator", "is_demo"]}),
    ]
    actions = [reset_two_factor]
    list_display = ["username", "email", "is_network_coordinator", "is_active", "is_demo"]
    list_filter = ["is_network_coordinator", "is_active", "is_demo"]
    search_fields = ["username", "email"]


@admin.register(Country)
class CountryAdmin(NetworkAdmin):
    list_display = ["code", "name", "membership", "since"]
    list_filter = ["membership"]
    search_fields = ["code", "name"]


@admin.register(Region)
class RegionAdmin(NetworkAdmin):
    list_display = ["code", "name", "country", "type"]
    list_filter = ["country"]
    search_fields = ["code", "name"]


@admin.register(Term)
class TermAdmin(NetworkAdmin):
    list_display = ["vocabulary", "code", "label", "position"]
    list_filter = ["vocabulary"]


@admin.register(ApiToken)
class ApiTokenAdmin(NetworkAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]


_DEVICE_FIELDS = ("user", "name", "confirmed", "created_at", "last_used_at")


class DeviceAdmin(NetworkAdmin):
    """Second-factor devices: listed and removed (audited, e-mailed) by network coordinators.

    Never added, shown in detail or changed here: a device's key is the user's secret, and a new
    device is enrolled by its owner (django-otp's own admin, which shows keys, is replaced).
    """

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    fields = _DEVICE_FIELDS
    readonly_fields = _DEVICE_FIELDS

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        twofactor.remove_device(actor=request.user, device=obj)

    def delete_queryset(self, request, queryset):
        for device in queryset:
            twofactor.remove_device(actor=request.user, device=device)


for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, DeviceAdmin)


@admin.action(description="Revert the selected changes")
def revert_changes(modeladmin, request, queryset):
    for entry in queryset.order_by("-at", "-id"):
        try:
            revert(actor=request.user, entry=entry)
        except RuleViolation as exc:
            modeladmin.message_user(request, f"{entry}: {exc.message}", level="error")
        else:
            modeladmin.message_user(request, f"Reverted: {entry}")


@admin.register(ActionLog)
class ActionLogAdmin(NetworkAdmin):
    list_display = ["at", "actor", "action", "target_repr"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr"]
    readonly_fields = ["at", "actor", "action", "target_type", "target_id", "target_repr", "data"]
    actions = [revert_changes]

    # The log is written by services only: by hand it could be padded or cleaned up.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
