"""The subject of a request: one person, by username or e-mail; and the apps' privacy sections.

A *subject* is an account (if any) and the e-mail addresses that identify the person; each app's
privacy module finds its own records from those (see ``echos.site.privacy``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

from django.utils.translation import gettext_lazy as _

from echos.core import registry
from echos.core.models import User

ERASED = "[erased]"
AUDIT = "audit"
AUDIT_LABELS = {
    "audit": _("Audit log"),
    "audit.entries": _("Changes made (audit entries)"),
}


class SubjectError(ValueError):
    """The search does not designate one person."""


@dataclass
class Subject:
    """One person: an account (or None) and the e-mail addresses that identify them."""

    username: str = ""
    email: str = ""
    user: User | None = None
    emails: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.username or self.email

    @property
    def email_list(self) -> list[str]:
        return sorted(self.emails)


def find_subject(*, username: str = "", email: str = "") -> Subject:
    """The person with this username or e-mail (exactly one of them).

    An unknown person is an empty subject, not an error: after an erasure nothing is left.
    """
    username, email = (username or "").strip(), (email or "").strip()
    if bool(username) == bool(email):
        raise SubjectError(_("Give either a username or an e-mail address."))
    subject = Subject(username=username, email=email)
    if username:
        subject.user = User.objects.filter(username=username).first()
    else:
        users = list(User.objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            raise SubjectError(
                _("Several accounts use this e-mail address: give the username instead.")
            )
        subject.user = users[0] if users else None
        subject.emails.add(email.lower())
    if subject.user is not None and subject.user.email:
        subject.emails.add(subject.user.email.lower())
    return subject


def sections() -> list[ModuleType]:
    """Every app's privacy module, in ``INSTALLED_APPS`` order (core's ``accounts`` first)."""
    return list(registry.privacy_modules().values())


def section_labels() -> dict:
    """The labels of every section and list, the audit log's included."""
    labels: dict = {}
    for module in sections():
        labels.update(getattr(module, "SECTION_LABELS", {}))
    return {**labels, **AUDIT_LABELS}
