"""Admin of the initiatives catalogue and the hubs' activities: the search box matches every
language version of their text, ignoring accents and case (#17)."""

from django.contrib import admin

from echos.core.admin import NetworkAdmin
from echos.core.multilingual import FoldedSearchAdminMixin
from echos.synergies.models import Activity, Initiative


@admin.register(Initiative)
class InitiativeAdmin(FoldedSearchAdminMixin, NetworkAdmin):
    list_display = ["name", "acronym", "programme", "source_language", "is_demo"]
    list_filter = ["programme", "source_language", "is_demo"]
    search_fields = ["key", "acronym"]
    exclude = ["vector", "vector_key"]


@admin.register(Activity)
class ActivityAdmin(FoldedSearchAdminMixin, NetworkAdmin):
    list_display = ["title", "hub", "source_language", "origin", "start", "is_demo"]
    list_filter = ["origin", "source_language", "is_demo"]
    search_fields = ["title"]
    autocomplete_fields = ["hub", "region", "created_by"]
    exclude = ["vector", "vector_key"]
