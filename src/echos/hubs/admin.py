from django.contrib import admin

from echos.core.admin import NetworkAdmin, NetworkPermissions
from echos.core.multilingual import FoldedSearchAdminMixin
from echos.hubs.models import Hub, HubRole, Membership, Organisation, Person, StageChange


class StageChangeInline(NetworkPermissions, admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


class HubRoleInline(NetworkPermissions, admin.TabularInline):
    model = HubRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Hub)
class HubAdmin(FoldedSearchAdminMixin, NetworkAdmin):
    # The search box also matches names and mission in every language, accents ignored (#17).
    list_display = ["name_en", "country", "level", "stage", "stage_since", "is_demo"]
    list_filter = ["level", "stage", "archetype", "is_demo", "country"]
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["parent", "host_organisation", "region"]
    readonly_fields = ["stage", "stage_since", "source_language"]
    inlines = [StageChangeInline, HubRoleInline]


@admin.register(Organisation)
class OrganisationAdmin(NetworkAdmin):
    list_display = ["name", "country", "stakeholder_group", "is_demo"]
    list_filter = ["stakeholder_group", "is_demo", "country"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(NetworkAdmin):
    list_display = ["organisation", "hub", "role", "since", "until", "status"]
    list_filter = ["status", "role"]
    autocomplete_fields = ["hub", "organisation"]


@admin.register(Person)
class PersonAdmin(NetworkAdmin):
    list_display = ["name", "organisation", "user", "is_demo"]
    search_fields = ["name"]
    autocomplete_fields = ["organisation", "user"]
