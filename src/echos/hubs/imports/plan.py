"""The plan of an import: its rows checked with reads only, then written in one transaction."""

from collections.abc import Callable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import jsonable, snapshot
from echos.core.exceptions import RuleViolation
from echos.core.models import ActionLog
from echos.core.rules import check_web_address
from echos.hubs import services
from echos.hubs.imports.limits import BATCH, BIGGEST_ID
from echos.hubs.imports.steps import Changed
from echos.hubs.models import Hub, Membership, Organisation, normalise_name
from echos.hubs.tasks import send_membership_request


def chunks(items: list, size: int = BATCH) -> Iterator[list]:
    """``items`` in slices of at most ``size``, for batched queries and inserts."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def audit_entry(*, actor, action: str, target, data: dict) -> ActionLog:
    """The entry ``log_action`` would save, left unsaved so a whole file is logged in one insert."""
    return ActionLog(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        data=jsonable(data),
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
    )


class _Plan:
    """What the file asks for, checked with reads only; ``write`` then stores it all at once.

    Stored organisations and the hub's current members are read in batches before the rows are
    checked, so a row costs no query unless it touches something already stored (the services'
    ``validate_*`` then decide, with their own messages). The write re-checks those conflicts
    under the transaction, since others may have written meanwhile.
    """

    def __init__(self, *, actor, hub: Hub | None):
        self.actor = actor
        self.hub = hub
        self.organisations: dict[tuple, Organisation] = {}  # (country, normalised name) -> new
        self.memberships: list[Membership] = []
        self.periods: dict[object, list[Membership]] = {}  # organisation -> this file's rows
        self.row_of: dict[int, int] = {}  # id(planned object) -> row number
        self.stored: dict[tuple, Organisation] = {}  # (country, normalised name) -> stored
        self.by_pk: dict[int, Organisation] = {}
        self.members: set[int] = set()  # organisations with a membership of the hub
        self._cache: dict[tuple, object] = {}

    def cached(self, function: Callable, *args):
        """``function(*args)``, or its RuleViolation, computed once per distinct arguments."""
        key = (function.__name__, *args)
        if key not in self._cache:
            try:
                self._cache[key] = function(*args)
            except RuleViolation as exc:
                self._cache[key] = exc
        found = self._cache[key]
        if isinstance(found, RuleViolation):
            raise found
        return found

    def prefetch(self, records: list[tuple[int, dict]], name_column: str, default_country) -> None:
        """Read in batches the stored organisations (and memberships) the rows may refer to."""
        names, pks = set(), set()
        for _number, values in records:
            ref = (values.get(name_column) or "").strip()
            if name_column == "organisation" and is_id(ref):
                if int(ref) <= BIGGEST_ID:  # a larger number is no id: "no organisation with id"
                    pks.add(int(ref))
            elif ref:
                country = (values.get("country") or default_country or "").strip().upper()
                names.add((country, normalise_name(ref)))
        for chunk in chunks(sorted(pks)):
            self.by_pk.update(Organisation.objects.in_bulk(chunk))
        countries = {c for c, _n in names}
        for chunk in chunks(sorted({n for _c, n in names})):
            for org in Organisation.objects.filter(
                country_id__in=countries, normalised_name__in=chunk
            ):
                self.stored[(org.country_id, org.normalised_name)] = org
        if self.hub is not None:
            self.members = set(self.hub.memberships.values_list("organisation_id", flat=True))

    def new_organisation(self, number: int, **fields) -> Organisation:
        """An organisation to create, checked against the stored ones and this file's others."""
        org = Organisation(**fields)
        org.name = (org.name or "").strip()
        key = (org.country_id, normalise_name(org.name))
        if not org.name or key in self.stored:
            services.validate_organisation(org)  # refuses it with the service's own message
        check_web_address(org.website, "website")
        if key in self.organisations:
            raise RuleViolation(_("The same organisation appears earlier in this file."), "name")
        self.organisations[key] = org
        self.row_of[id(org)] = number
        return org

    def add_membership(self, number: int, m: Membership) -> None:
        """A membership to create: the service's rules, then overlaps within the file."""
        org = m.organisation
        if m.role not in Membership.Role.values or (m.since and m.until and m.until < m.since):
            services.validate_membership(m)  # refuses it with the service's own message
        if org.pk in self.members:
            services.validate_membership(m)
        earlier = self.periods.setdefault(org.pk or id(org), [])
        if any(_overlaps(m, other) for other in earlier):
            raise RuleViolation(
                _("%(org)s appears earlier in this file for an overlapping period.") % {"org": org},
                "organisation",
            )
        earlier.append(m)
        self.memberships.append(m)
        self.row_of[id(m)] = number

    def recheck(self) -> None:
        """Under the write transaction: what others stored since the rows were checked."""
        planned = list(self.organisations.values())
        for chunk in chunks(planned):
            taken = set(
                Organisation.objects.filter(
                    country_id__in={o.country_id for o in chunk},
                    normalised_name__in=[normalise_name(o.name) for o in chunk],
                ).values_list("country_id", "normalised_name")
            )
            for org in chunk:
                if (org.country_id, normalise_name(org.name)) in taken:
                    self._refuse(org, services.validate_organisation, org)
        if self.hub is None:
            return
        ids = sorted({m.organisation.pk for m in self.memberships if m.organisation.pk})
        members: set[int] = set()
        for chunk in chunks(ids):
            members.update(
                self.hub.memberships.filter(organisation_id__in=chunk).values_list(
                    "organisation_id", flat=True
                )
            )
        for m in self.memberships:
            if m.organisation.pk in members - self.members:
                self._refuse(m, services.validate_membership, m)

    def _refuse(self, obj, validate: Callable, *args) -> None:
        try:
            validate(*args)
        except RuleViolation as exc:
            raise Changed(self.row_of[id(obj)], exc.field, exc.message) from None

    def write(self) -> int:
        """Store every planned organisation and membership with their audit entries; call inside
        one transaction. Memberships get the confirmation state ``services.add_membership`` gives
        (confirmed when the importer may decide for the organisation, else pending, with the
        request to the organisation's representatives sent after the commit)."""
        self.recheck()
        organisations = list(self.organisations.values())
        for org in organisations:
            org.normalised_name = normalise_name(org.name)
        Organisation.objects.bulk_create(organisations, batch_size=BATCH)
        entries = [
            audit_entry(
                actor=self.actor,
                action="hubs.organisation.created",
                target=org,
                data=snapshot(org, services.ORGANISATION_FIELDS),
            )
            for org in organisations
        ]
        now = timezone.now()
        decided_by = self.actor if self.actor is not None and self.actor.is_authenticated else None
        for m in self.memberships:
            if self.cached(services.confirmed_at_once, self.actor, m.organisation):
                m.status, m.decided_at, m.decided_by = Membership.Status.CONFIRMED, now, decided_by
            else:
                m.status = Membership.Status.PENDING
        Membership.objects.bulk_create(self.memberships, batch_size=BATCH)
        fields = ["organisation", *services.MEMBERSHIP_FIELDS, "status"]
        entries += [
            audit_entry(
                actor=self.actor,
                action="hubs.membership.created",
                target=self.hub,
                data={"membership": m.pk, **snapshot(m, fields)},
            )
            for m in self.memberships
        ]
        ActionLog.objects.bulk_create(entries, batch_size=BATCH)
        pending = [m.pk for m in self.memberships if m.status == Membership.Status.PENDING]
        if pending:
            transaction.on_commit(lambda: [send_membership_request(pk) for pk in pending])
        return len(self.memberships) if self.hub is not None else len(organisations)


def is_id(ref: str) -> bool:
    """Whether a reference to a row of the database is its id rather than its name."""
    return ref.isascii() and ref.isdigit()


def _overlaps(a: Membership, b: Membership) -> bool:
    starts_before_other_ends = b.until is None or a.since is None or a.since <= b.until
    ends_after_other_starts = a.until is None or b.since is None or a.until >= b.since
    return starts_before_other_ends and ends_after_other_starts
