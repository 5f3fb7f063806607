"""The secretariat edits the consortium's records here (network coordinators only); the model
checks (months within the project, task numbers in their work package...) run on every save."""

from django.contrib import admin

from echos.consortium.models import (
    Fact,
    Output,
    Partner,
    Project,
    ReportingPeriod,
    Risk,
    Source,
    Task,
    WorkPackage,
)
from echos.core.admin import NetworkAdmin, NetworkPermissions


class FactInline(NetworkPermissions, admin.TabularInline):
    model = Fact
    extra = 0


@admin.register(Project)
class ProjectAdmin(NetworkAdmin):
    list_display = ["acronym", "title", "start", "months"]
    inlines = [FactInline]


@admin.register(Source)
class SourceAdmin(NetworkAdmin):
    list_display = ["publisher", "title", "checked"]
    search_fields = ["title", "publisher", "url"]


@admin.register(Partner)
class PartnerAdmin(NetworkAdmin):
    list_display = ["organisation", "role", "source", "is_demo"]
    list_filter = ["role", "is_demo"]
    autocomplete_fields = ["organisation"]


class TaskInline(NetworkPermissions, admin.TabularInline):
    model = Task
    extra = 0
    filter_horizontal = ["contributors"]


@admin.register(WorkPackage)
class WorkPackageAdmin(NetworkAdmin):
    list_display = ["number", "title", "lead", "is_demo"]
    inlines = [TaskInline]


@admin.register(Output)
class OutputAdmin(NetworkAdmin):
    list_display = ["number", "title", "kind", "due_month", "dissemination", "status", "is_demo"]
    list_filter = ["kind", "status", "dissemination", "is_demo"]
    search_fields = ["number", "title"]
    raw_id_fields = ["resource"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(NetworkAdmin):
    list_display = ["number", "start_month", "end_month", "is_demo"]


@admin.register(Risk)
class RiskAdmin(NetworkAdmin):
    list_display = ["number", "likelihood", "impact", "status", "work_package", "is_demo"]
    list_filter = ["status", "likelihood", "impact"]
