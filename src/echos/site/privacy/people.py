"""Finding people for the coordinators' privacy page, with or without an account.

Most people echos knows never had an account: they registered for an event or took part in a
consultation with an e-mail address. ``search_people`` looks for a name or an address in every
app's privacy section (accounts, contact-person records, registrations, contributions, through
their ``find_people``) and answers one ``Match`` per person: records under the e-mail of an
account belong to that account, so a person with both gets one combined entry. Opening a match designates the
person exactly as ``echos privacy export/erase --user/--email`` does (``find_subject``), so
the page and the command show, export and erase the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.http import urlencode

from echos.core.models import User
from echos.site.privacy.subject import section_labels, sections

LIMIT = 50


@dataclass
class Match:
    """One person found: their account (if any), their address, names and where records are."""

    username: str = ""
    email: str = ""
    is_active: bool = True
    names: set[str] = field(default_factory=set)
    where: dict[str, int] = field(default_factory=dict)  # section key -> records found

    @property
    def query(self) -> str:
        """The query string that opens this person (the same as the command's arguments)."""
        if self.username:
            return urlencode({"user": self.username})
        return urlencode({"email": self.email})

    @property
    def sorted_names(self) -> list[str]:
        return sorted(self.names, key=str.casefold)

    @property
    def places(self) -> list[tuple[str, int]]:
        """Where records were found, labelled, in a stable order."""
        labels = section_labels()
        return [(str(labels.get(key, key)), n) for key, n in sorted(self.where.items())]


def _hits(query: str):
    """``(section, e-mail, name, account id)`` for every record whose person matches ``query``."""
    for module in sections():
        for section, email, name, user_id in module.find_people(query, limit=LIMIT):
            yield f"{module.SECTION}.{section}", email, name, user_id


def search_people(query: str) -> list[Match]:
    """Everyone whose name, username or e-mail contains ``query`` (trimmed, any case), once each."""
    query = (query or "").strip()
    if not query:
        return []
    hits = [
        (section, (email or "").strip().lower(), (name or "").strip(), user_id)
        for section, email, name, user_id in _hits(query)
    ]
    emails = {email for _s, email, _n, user_id in hits if email and user_id is None}
    owners: dict[str, int] = {}
    for pk, email in _accounts_of(emails) if emails else []:
        owners.setdefault(email.lower(), pk)
    accounts: dict[int | None, User] = {
        u.pk: u
        for u in User.objects.filter(
            pk__in={user_id for *_rest, user_id in hits if user_id} | set(owners.values())
        )
    }
    people: dict[tuple, Match] = {}
    for section, email, name, user_id in hits:
        user = accounts.get(user_id or owners.get(email))
        if user is not None:
            key = ("user", user.pk)
            match = people.setdefault(
                key,
                Match(
                    username=user.username,
                    email=(user.email or "").lower(),
                    is_active=user.is_active,
                ),
            )
        elif email:
            match = people.setdefault(("email", email), Match(email=email))
        else:
            continue  # neither an account nor an address: nothing designates the person
        if name:
            match.names.add(name)
        if section != "accounts.account":
            match.where[section] = match.where.get(section, 0) + 1
    return sorted(people.values(), key=lambda m: (m.email or m.username, m.username))[:LIMIT]


def _accounts_of(emails: set[str]) -> list[tuple[int, str]]:
    """``(id, e-mail)`` of the accounts using any of these addresses (in any case)."""
    q = Q(pk__in=[])
    for email in emails:
        q |= Q(email__iexact=email)
    return list(User.objects.filter(q).order_by("pk").values_list("pk", "email"))
