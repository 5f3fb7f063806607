from django.contrib import admin

from echos.core.admin import NetworkAdmin
from echos.engagement.models import EngagementRecord


@admin.register(EngagementRecord)
class EngagementRecordAdmin(NetworkAdmin):
    list_display = ["title", "hub", "date", "level", "format", "participants", "is_demo"]
    list_filter = ["level", "format", "is_demo"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"
    autocomplete_fields = ["hub", "organisations", "region"]
    filter_horizontal = ["stakeholder_groups", "objectives", "policy_areas"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_select_related = ["hub", "level"]
