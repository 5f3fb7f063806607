from typing import cast

from django.contrib import admin

from echos.core.admin import NetworkAdmin, NetworkPermissions
from echos.core.multilingual import FoldedSearchAdminMixin
from echos.participation.models import (
    Answer,
    AnswerTally,
    Comment,
    Consultation,
    ModerationAction,
    Proposal,
    Report,
    Support,
)


class ReadOnly:
    """Rows written by services only (tallies, moderation history): the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(FoldedSearchAdminMixin, NetworkAdmin):
    list_display = ["title", "hub", "opens_at", "closes_at", "mode", "confirmed_count", "is_demo"]
    list_filter = ["mode", "is_demo"]
    search_fields = ["title"]
    autocomplete_fields = ["hub"]
    readonly_fields = ["confirmed_count", "created_by", "created_at"]


@admin.register(Answer)
class AnswerAdmin(ReadOnly, NetworkAdmin):
    list_display = ["pk", "consultation", "confirmed_at", "created_at", "is_demo"]
    list_filter = ["is_demo"]
    # The e-mail and account stay out of lists: only what moderation needs is shown.
    exclude = ["email", "user"]


@admin.register(AnswerTally)
class AnswerTallyAdmin(ReadOnly, NetworkAdmin):
    list_display = ["consultation", "question", "option", "count"]


class ModerationInline(ReadOnly, NetworkPermissions, admin.TabularInline):
    model = ModerationAction
    fk_name = "proposal"
    extra = 0
    fields = ["at", "action", "reason", "actor"]
    readonly_fields = cast(list[str], fields)

    def has_delete_permission(self, request, obj=None):
        return False


class ReportInline(NetworkPermissions, admin.TabularInline):
    model = Report
    fk_name = "proposal"
    extra = 0
    fields = ["created_at", "reason", "details", "resolved_at"]
    readonly_fields = ["created_at", "reason", "details"]


@admin.register(Proposal)
class ProposalAdmin(FoldedSearchAdminMixin, NetworkAdmin):
    list_display = ["title", "hub", "status", "support_count", "is_hidden", "is_demo"]
    list_filter = ["status", "is_hidden", "is_demo"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["hub"]
    exclude = ["email", "user"]
    readonly_fields = ["support_count", "comment_count", "is_hidden", "hidden_reason"]
    inlines = [ReportInline, ModerationInline]


@admin.register(Comment)
class CommentAdmin(NetworkAdmin):
    list_display = ["pk", "proposal", "created_at", "is_hidden"]
    list_filter = ["is_hidden"]
    exclude = ["email", "user"]
    readonly_fields = ["is_hidden", "hidden_reason"]


@admin.register(Support)
class SupportAdmin(ReadOnly, NetworkAdmin):
    list_display = ["pk", "proposal", "confirmed_at"]
    exclude = ["email", "user"]


@admin.register(Report)
class ReportAdmin(NetworkAdmin):
    list_display = ["created_at", "reason", "proposal", "comment", "resolved_at"]
    list_filter = ["reason", "resolved_at"]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnly, NetworkAdmin):
    list_display = ["at", "hub", "action", "proposal", "comment", "actor", "reason"]
    list_filter = ["action"]

    def has_delete_permission(self, request, obj=None):
        return False
