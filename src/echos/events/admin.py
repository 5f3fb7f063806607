"""Events in the admin, for network coordinators: found by any word of any language version of
their texts, ignoring case and accents (issue #17). Events are written through their form and API
(rules, audit, calendar SEQUENCE, e-mails to registrants), so the admin only shows them."""

from django.contrib import admin

from echos.core.admin import NetworkAdmin
from echos.core.multilingual import FoldedSearchAdminMixin
from echos.events.models import Event


@admin.register(Event)
class EventAdmin(FoldedSearchAdminMixin, NetworkAdmin):
    list_display = ["title", "hub", "country", "start", "status", "source_language", "is_demo"]
    list_filter = ["status", "type", "source_language", "is_demo"]
    search_fields = ["title"]
    date_hierarchy = "start"
    list_select_related = ["hub", "country"]
    show_full_result_count = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
