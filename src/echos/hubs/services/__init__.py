"""Writes to hubs, organisations, memberships and contacts: guard, transaction, audit.

One module per area — ``lookups`` (country, region and term by code), ``hubs`` (profile and
hierarchy), ``stages`` (the lifecycle history and its stage guards), ``organisations``,
``memberships``, ``confirmation`` (the organisation's answer to a membership), ``contacts`` and
``roles`` — and their public names here, so that callers write ``from echos.hubs import services``
and ``services.create_hub(...)``.
"""

from echos.hubs.services.confirmation import (
    confirm_membership,
    decline_membership,
    representatives,
    send_membership_request_now,
)
from echos.hubs.services.contacts import add_contact, delete_contact
from echos.hubs.services.hubs import HUB_FIELDS, create_hub, delete_hub, update_hub, validate_hub
from echos.hubs.services.lookups import resolve_country, resolve_region, resolve_term
from echos.hubs.services.memberships import (
    MEMBERSHIP_FIELDS,
    add_membership,
    confirmed_at_once,
    delete_membership,
    update_membership,
    validate_membership,
)
from echos.hubs.services.organisations import (
    ORGANISATION_FIELDS,
    create_organisation,
    delete_organisation,
    update_organisation,
    validate_organisation,
)
from echos.hubs.services.roles import grant_role
from echos.hubs.services.stages import delete_stage_change, record_stage_change, stage_at

__all__ = [
    "HUB_FIELDS",
    "MEMBERSHIP_FIELDS",
    "ORGANISATION_FIELDS",
    "add_contact",
    "add_membership",
    "confirm_membership",
    "confirmed_at_once",
    "create_hub",
    "create_organisation",
    "decline_membership",
    "delete_contact",
    "delete_hub",
    "delete_membership",
    "delete_organisation",
    "delete_stage_change",
    "grant_role",
    "record_stage_change",
    "representatives",
    "resolve_country",
    "resolve_region",
    "resolve_term",
    "send_membership_request_now",
    "stage_at",
    "update_hub",
    "update_membership",
    "update_organisation",
    "validate_hub",
    "validate_membership",
    "validate_organisation",
]
