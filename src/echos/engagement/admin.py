from django.contrib import admin

from echos.core.admin import NetworkAdmin
from echos.engagement.models import EngagementRecord, FollowUp, ParticipantCount


class ParticipantCountInline(admin.TabularInline):
    model = ParticipantCount
    extra = 0
    raw_id_fields = ["group"]


@admin.register(EngagementRecord)
class EngagementRecordAdmin(NetworkAdmin):
    list_display = [
        "title",
        "hub",
        "date",
        "status",
        "level",
        "format",
        "participants",
        "is_demo",
    ]
    list_filter = ["status", "level", "format", "is_demo"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"
    autocomplete_fields = ["hub", "organisations", "region"]
    filter_horizontal = ["stakeholder_groups", "objectives", "policy_areas"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_select_related = ["hub", "level"]
    inlines = [ParticipantCountInline]


@admin.register(FollowUp)
class FollowUpAdmin(NetworkAdmin):
    list_display = ["title", "record", "owner", "due_date", "status", "is_demo"]
    list_filter = ["status", "is_demo"]
    search_fields = ["title", "record__title"]
    date_hierarchy = "due_date"
    raw_id_fields = ["record", "owner"]
    readonly_fields = ["done_at", "last_reminded_at", "created_at", "updated_at"]
    list_select_related = ["record", "owner"]
