"""Pages of the hub registry, one module per area: ``public`` (the map, the directory, a hub's
page), ``editing`` (a hub's profile and stage), ``memberships`` (adding, changing, confirming),
``organisations`` (and their contacts), ``imports`` (file uploads) and ``country`` (a country's
page); hubs/urls.py names them."""

from echos.hubs.views.country import country_detail
from echos.hubs.views.editing import HUB_FORM_FIELDS, hub_create, hub_delete, hub_edit, hub_stage
from echos.hubs.views.imports import membership_import, organisation_import
from echos.hubs.views.memberships import (
    membership_add,
    membership_confirm,
    membership_decline,
    membership_edit,
    membership_requests,
)
from echos.hubs.views.organisations import (
    contact_add,
    contact_delete,
    organisation_create,
    organisation_delete,
    organisation_detail,
    organisation_edit,
    organisation_list,
    region_options,
)
from echos.hubs.views.public import MEMBERS_PER_PAGE, directory, europe_rows, home, hub_detail

__all__ = [
    "HUB_FORM_FIELDS",
    "MEMBERS_PER_PAGE",
    "contact_add",
    "contact_delete",
    "country_detail",
    "directory",
    "europe_rows",
    "home",
    "hub_create",
    "hub_delete",
    "hub_detail",
    "hub_edit",
    "hub_stage",
    "membership_add",
    "membership_confirm",
    "membership_decline",
    "membership_edit",
    "membership_import",
    "membership_requests",
    "organisation_create",
    "organisation_delete",
    "organisation_detail",
    "organisation_edit",
    "organisation_import",
    "organisation_list",
    "region_options",
]
