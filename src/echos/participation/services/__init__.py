"""Participation's services: consultations and answers, proposals, supports and comments, reports
and moderation. Anonymous contributions go through the one flow of ``echos.core.contributions``
(``contributions`` holds participation's kinds); callers keep using ``services.X``.
"""

from echos.participation.models import PENDING_HOURS
from echos.participation.services.consultations import (
    CHARTED_TYPES,
    STANDARD_DEFINITION,
    default_language,
    export_rows,
    open_consultation,
    publish_follow_up,
    results,
    standard_definition,
    standard_instrument,
    submit_answer,
    text_answers,
    text_rows,
    translate_consultation,
)
from echos.participation.services.contributions import (
    KINDS,
    NOTICE_EVERY,
    TOKEN_PURPOSE,
    check_token,
    confirm,
    confirmation_link,
    confirmation_token,
    count_confirmed,
    site_url,
)
from echos.participation.services.moderation import AUDIT_VERBS, moderate, report
from echos.participation.services.proposals import (
    answer_proposal,
    comment,
    submit_proposal,
    support,
)
from echos.participation.services.tallies import question_types, tally_cells, tally_pairs

__all__ = [
    "AUDIT_VERBS",
    "CHARTED_TYPES",
    "KINDS",
    "NOTICE_EVERY",
    "PENDING_HOURS",
    "STANDARD_DEFINITION",
    "TOKEN_PURPOSE",
    "answer_proposal",
    "check_token",
    "comment",
    "confirm",
    "confirmation_link",
    "confirmation_token",
    "count_confirmed",
    "default_language",
    "export_rows",
    "moderate",
    "open_consultation",
    "publish_follow_up",
    "question_types",
    "report",
    "results",
    "site_url",
    "standard_definition",
    "standard_instrument",
    "submit_answer",
    "submit_proposal",
    "support",
    "tally_cells",
    "tally_pairs",
    "text_answers",
    "text_rows",
    "translate_consultation",
]
