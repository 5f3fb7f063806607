"""Writes for events, sessions and registrations: guard, one transaction, audit, e-mails after commit.

One module per area — ``events`` (events and sessions), ``registrations``, ``waitlist`` (offers
of freed places; the locking rules), ``places`` (counts), ``links`` (personal links), ``mail``
(registration e-mails) — and their public names here, so that callers write
``from echos.events import services`` and ``services.register(...)``.
"""

from echos.events.services.events import (
    EVENT_FIELDS,
    FIRST_YEAR,
    LAST_YEAR,
    LEFT_DRAFT_ACTIONS,
    MAX_TEXT,
    SCHEDULE_FIELDS,
    add_session,
    clean_event_fields,
    create_event,
    delete_event,
    delete_session,
    local_datetime,
    log_export,
    record_as_activity,
    registration_instruments,
    set_status,
    standard_questions,
    update_event,
    was_published,
)
from echos.events.services.links import (
    LinkExpired,
    link_expires_at,
    link_lifetime_days,
    personal_token,
    personal_url,
    registration_from_token,
)
from echos.events.services.mail import SUBJECTS, send_email_now, send_reminders
from echos.events.services.places import places_left, places_taken, waitlist_position
from echos.events.services.registrations import (
    CONSENT_TEXT,
    NOTICE_EVERY,
    cancel_registration,
    check_in,
    close_attendance,
    confirm_email,
    normal_email,
    opens_personal_page,
    register,
    registration_state,
)
from echos.events.services.waitlist import CONFIRM_HOURS, accept_offer, process_all, process_event

__all__ = [
    "CONFIRM_HOURS",
    "CONSENT_TEXT",
    "EVENT_FIELDS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "LEFT_DRAFT_ACTIONS",
    "MAX_TEXT",
    "NOTICE_EVERY",
    "SCHEDULE_FIELDS",
    "SUBJECTS",
    "LinkExpired",
    "accept_offer",
    "add_session",
    "cancel_registration",
    "check_in",
    "clean_event_fields",
    "close_attendance",
    "confirm_email",
    "create_event",
    "delete_event",
    "delete_session",
    "link_expires_at",
    "link_lifetime_days",
    "local_datetime",
    "log_export",
    "normal_email",
    "opens_personal_page",
    "personal_token",
    "personal_url",
    "places_left",
    "places_taken",
    "process_all",
    "process_event",
    "record_as_activity",
    "register",
    "registration_from_token",
    "registration_instruments",
    "registration_state",
    "send_email_now",
    "send_reminders",
    "set_status",
    "standard_questions",
    "update_event",
    "waitlist_position",
    "was_published",
]
