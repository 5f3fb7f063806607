"""Personal data across every app: export, erasure and retention (GDPR articles 15, 17, 5(1)e).

Each app keeps its own part in a privacy module declared on its ``AppConfig`` (``privacy =
"echos.<app>.privacy"``; read through ``core.registry.privacy_modules()``, in ``INSTALLED_APPS``
order). A module offers:

- ``SECTION`` (its key in the export) and ``SECTION_LABELS`` (the section and its lists);
- ``collect(user, emails) -> dict`` of lists: everything it stores about the person;
- ``erase(user, emails, *, apply) -> counts``: deletes or unlinks (``apply=False`` only counts),
  with ``COUNT_LABELS`` for its counts;
- ``names(user, emails) -> set``: strings naming the person, scrubbed from the audit log;
- ``find_people(query, limit=...)``: ``(section, e-mail, name, account id)`` rows for the search;
- ``retention_rules()``: its ``core.retention.RetentionRule`` list;
- optionally ``collect_account(user) -> dict``: lists shown with the account (core's section).

This package gathers them: ``subject`` (who), ``export``, ``erase`` (with the audit log, which
describes every app), ``retention`` and ``people`` (the coordinators' search).
"""

from echos.site.privacy.erase import erase_subject, scrub, summary_rows
from echos.site.privacy.export import (
    EXPLANATION,
    collect,
    export_json,
    export_subject,
    is_empty,
    preview,
)
from echos.site.privacy.retention import (
    all_rules,
    privacy_contact,
    retention_limits,
    run_retention,
)
from echos.site.privacy.subject import (
    ERASED,
    Subject,
    SubjectError,
    find_subject,
    section_labels,
    sections,
)

__all__ = [
    "ERASED",
    "EXPLANATION",
    "Subject",
    "SubjectError",
    "all_rules",
    "collect",
    "erase_subject",
    "export_json",
    "export_subject",
    "find_subject",
    "is_empty",
    "preview",
    "privacy_contact",
    "retention_limits",
    "run_retention",
    "scrub",
    "section_labels",
    "sections",
    "summary_rows",
]
