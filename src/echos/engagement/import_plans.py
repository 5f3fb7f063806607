"""The plans of the register's imports: rows checked with reads only against what was read in
batches beforehand, then written at once (``imports`` runs them)."""

from abc import ABC, abstractmethod
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.core.models import ActionLog, Term
from echos.engagement import register
from echos.engagement.models import (
    EngagementRecord,
    ParticipantCount,
    RecordStatus,
    Stakeholder,
    StakeholderStatus,
)
from echos.engagement.services import MAX_PARTICIPANTS, validate_record
from echos.hubs.imports import BATCH, BIGGEST_ID, Changed, audit_entry, chunks, is_id
from echos.hubs.models import Hub, Organisation, normalise_name
from echos.hubs.services import resolve_country, resolve_region

PARTICIPANTS_PREFIX = "participants:"
# Organisations one record row may name.
MAX_ORGANISATIONS = 100


def _date(value: str, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise RuleViolation(
            _("%(value)r is not a date (use YYYY-MM-DD).") % {"value": value}, column
        ) from None


def _count(value: str, column: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.lstrip("-").isdigit()):
        raise RuleViolation(_("%(value)r is not a whole number.") % {"value": value}, column)
    number = int(value)
    if not 0 <= number <= MAX_PARTICIPANTS:
        raise RuleViolation(
            _("A number of participants is between 0 and 10,000,000; %(value)s is not.")
            % {"value": number},
            column,
        )
    return number


def _codes(value: str) -> list[str]:
    """Codes separated by ";" (or ",")."""
    value = (value or "").replace(",", ";")
    return list(dict.fromkeys(c.strip() for c in value.split(";") if c.strip()))


class Plan(ABC):
    """Rows checked with reads only against what ``prefetch`` read; ``write`` stores them."""

    def __init__(self, *, actor, hub: Hub, groups: dict[str, Term]):
        self.actor, self.hub, self.groups = actor, hub, groups
        self.by_pk: dict[int, Organisation] = {}
        self.by_name: dict[str, list[Organisation]] = {}  # normalised name -> organisations
        self.row_of: dict[int, int] = {}

    def _prefetch_organisations(self, refs: set[str]) -> None:
        pks = {int(r) for r in refs if is_id(r) and int(r) <= BIGGEST_ID}
        names = {normalise_name(r) for r in refs if not is_id(r)}
        for chunk in chunks(sorted(pks)):
            self.by_pk.update(Organisation.objects.in_bulk(chunk))
        for chunk in chunks(sorted(names)):
            for org in Organisation.objects.filter(normalised_name__in=chunk).order_by("pk"):
                self.by_name.setdefault(org.normalised_name, []).append(org)

    def organisation(self, ref: str, column: str, country: str | None = None) -> Organisation:
        """An organisation by id, or by exact name: in ``country`` if given, else in the hub's
        country, else the only one of that name in the registry."""
        ref = ref.strip()
        if is_id(ref):
            org = self.by_pk.get(int(ref)) if int(ref) <= BIGGEST_ID else None
            if org is None:
                raise RuleViolation(_("No organisation with id %(id)s.") % {"id": ref}, column)
            return org
        found = self.by_name.get(normalise_name(ref), [])
        if country:
            found = [o for o in found if o.country_id == country]
        elif len(found) > 1:
            found = [o for o in found if o.country_id == self.hub.country_id] or found
        if not found:
            where = country or _("the registry")
            raise RuleViolation(
                _("No organisation named %(name)r in %(where)s.") % {"name": ref, "where": where},
                column,
            )
        if len(found) > 1:
            raise RuleViolation(
                _("Several organisations are named %(name)r (%(countries)s); give the id.")
                % {"name": ref, "countries": ", ".join(sorted({o.country_id for o in found}))},
                column,
            )
        return found[0]

    @abstractmethod
    def prefetch(self, records: list[tuple[int, dict]]) -> None:
        """Read, in a few queries, everything the rows refer to."""

    @abstractmethod
    def row(self, number: int, values: dict) -> None:
        """Check one row (reads only); a RuleViolation names its column."""

    @abstractmethod
    def write(self) -> int:
        """Store every checked row; the number stored."""


class StakeholderPlan(Plan):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.entries: list[Stakeholder] = []
        self.listed: set[int] = set()
        self.team: dict[str, Any] = {}
        self.countries: dict[str, str] = {}

    def prefetch(self, records):
        self._prefetch_organisations({v.get("organisation", "").strip() for _n, v in records})
        self.listed = set(self.hub.stakeholders.values_list("organisation_id", flat=True))
        self.team = {u.get_username(): u for u in register.team_members(self.hub)}

    def _country(self, code: str) -> str | None:
        code = (code or "").strip().upper()
        if not code:
            return None
        if code not in self.countries:
            self.countries[code] = resolve_country(code).pk
        return self.countries[code]

    def row(self, number, values):
        ref = values.get("organisation", "").strip()
        if not ref:
            raise RuleViolation(_("Name the organisation (id or name)."), "organisation")
        org = self.organisation(ref, "organisation", self._country(values.get("country", "")))
        code = values.get("stakeholder_group", "").strip()
        if code and code not in self.groups:
            raise RuleViolation(
                _("Unknown stakeholder group %(code)r; expected one of: %(valid)s.")
                % {"code": code, "valid": ", ".join(self.groups)},
                "stakeholder_group",
            )
        username = values.get("owner", "").strip()
        owner = None
        if username:
            owner = self.team.get(username)
            if owner is None:
                raise RuleViolation(
                    _("%(user)s is not a coordinator or editor of this hub.") % {"user": username},
                    "owner",
                )
        entry = Stakeholder(
            hub=self.hub,
            organisation=org,
            group=self.groups[code] if code else org.stakeholder_group,
            sector_override=values.get("sector", "").strip(),
            influence=values.get("influence", ""),
            interest=values.get("interest", ""),
            owner=owner,
            status=values.get("status", "").strip() or StakeholderStatus.TO_APPROACH,
            notes=values.get("notes", ""),
        )
        register.validate_stakeholder(entry)
        if org.pk in self.listed:
            raise RuleViolation(
                _("%(org)s is already in this hub's register.") % {"org": org}, "organisation"
            )
        if any(e.organisation_id == org.pk for e in self.entries):
            raise RuleViolation(
                _("%(org)s appears earlier in this file.") % {"org": org}, "organisation"
            )
        self.entries.append(entry)
        self.row_of[id(entry)] = number

    def write(self) -> int:
        ids = [e.organisation_id for e in self.entries]
        taken: set[int] = set()
        for chunk in chunks(ids):
            taken |= set(
                self.hub.stakeholders.filter(organisation_id__in=chunk).values_list(
                    "organisation_id", flat=True
                )
            )
        for entry in self.entries:
            if entry.organisation_id in taken:
                raise Changed(
                    self.row_of[id(entry)],
                    "organisation",
                    _("%(org)s is already in this hub's register.") % {"org": entry.organisation},
                )
        Stakeholder.objects.bulk_create(self.entries, batch_size=BATCH)
        ActionLog.objects.bulk_create(
            [
                audit_entry(
                    actor=self.actor,
                    action="engagement.stakeholder.added",
                    target=entry,
                    data={**register._audit(entry), "imported": True},
                )
                for entry in self.entries
            ],
            batch_size=BATCH,
        )
        return len(self.entries)


class RecordPlan(Plan):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.records: list[EngagementRecord] = []
        self.links: dict[
            int, dict
        ] = {}  # id(record) -> groups, organisations, goals, areas, counts
        self.terms: dict[str, dict[str, Term]] = {}
        self.regions: dict[str, object] = {}

    def prefetch(self, records):
        refs: set[str] = set()
        for _n, values in records:
            refs |= {r.strip() for r in values.get("organisations", "").split(";") if r.strip()}
        self._prefetch_organisations(refs)
        for vocabulary in (
            Term.Vocabulary.ENGAGEMENT_LEVELS,
            Term.Vocabulary.OBJECTIVES,
            Term.Vocabulary.POLICY_AREAS,
        ):
            self.terms[vocabulary] = {t.code: t for t in Term.objects.of(vocabulary)}
        self.terms[Term.Vocabulary.STAKEHOLDER_GROUPS] = self.groups

    def _terms(self, vocabulary: str, value: str, column: str) -> list[Term]:
        known = self.terms[vocabulary]
        codes = _codes(value)
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise RuleViolation(
                _("Unknown code %(codes)s; expected codes of: %(valid)s.")
                % {"codes": ", ".join(unknown), "valid": ", ".join(known)},
                column,
            )
        return [known[c] for c in codes]

    def _region(self, code: str):
        code = (code or "").strip().upper()
        if code not in self.regions:
            self.regions[code] = resolve_region(code, self.hub.country)
        return self.regions[code]

    def row(self, number, values):
        day = _date(values.get("date", ""), "date")
        if day is None:
            raise RuleViolation(_("Give the date of the engagement."), "date")
        record = EngagementRecord(
            hub=self.hub,
            title=values.get("title", ""),
            description=values.get("description", ""),
            date=day,
            end_date=_date(values.get("end_date", ""), "end_date"),
            format=values.get("format", "").strip(),
            language=values.get("language", ""),
            outcomes=values.get("outcomes", ""),
            status=values.get("status", "").strip() or RecordStatus.HELD,
            participants=_count(values.get("participants", ""), "participants"),
            created_by=self.actor
            if self.actor is not None and self.actor.is_authenticated
            else None,
        )
        validate_record(record)  # with the status and "held, so not in the future"
        level = self._terms(Term.Vocabulary.ENGAGEMENT_LEVELS, values.get("level", ""), "level")
        if len(level) != 1:
            raise RuleViolation(_("Give one engagement level."), "level")
        record.level = level[0]
        groups = self._terms(
            Term.Vocabulary.STAKEHOLDER_GROUPS,
            values.get("stakeholder_groups", ""),
            "stakeholder_groups",
        )
        counts: list[tuple[Term, int]] = []
        for column, value in values.items():
            if column.startswith(PARTICIPANTS_PREFIX):
                count = _count(value, column)
                if count is not None:
                    counts.append((self.groups[column[len(PARTICIPANTS_PREFIX) :]], count))
        if not groups:
            raise RuleViolation(
                _("Give at least one stakeholder group reached."), "stakeholder_groups"
            )
        for group, _count_of_group in counts:
            if group not in groups:
                raise RuleViolation(
                    _("%(group)s is not among the stakeholder groups of the row.")
                    % {"group": group.code},
                    PARTICIPANTS_PREFIX + group.code,
                )
        counted = sum(c for _g, c in counts)
        if counts and record.participants is None:
            record.participants = counted
        elif counts and record.participants != counted:
            raise RuleViolation(
                _("The total (%(total)d) differs from the sum of participants per group (%(sum)d).")
                % {"total": record.participants, "sum": counted},
                "participants",
            )
        refs = [r for r in values.get("organisations", "").split(";") if r.strip()]
        if len(refs) > MAX_ORGANISATIONS:
            raise RuleViolation(
                _("Name at most %(n)d organisations.") % {"n": MAX_ORGANISATIONS}, "organisations"
            )
        orgs = list({o.pk: o for o in (self.organisation(r, "organisations") for r in refs)})
        record.region = self._region(values.get("region", ""))
        self.links[id(record)] = {
            "groups": groups,
            "organisations": orgs,
            "objectives": self._terms(
                Term.Vocabulary.OBJECTIVES, values.get("objectives", ""), "objectives"
            ),
            "policy_areas": self._terms(
                Term.Vocabulary.POLICY_AREAS, values.get("policy_areas", ""), "policy_areas"
            ),
            "counts": counts,
        }
        self.records.append(record)
        self.row_of[id(record)] = number

    def write(self) -> int:
        EngagementRecord.objects.bulk_create(self.records, batch_size=BATCH)
        through = EngagementRecord.stakeholder_groups.through
        org_through = EngagementRecord.organisations.through
        goal_through = EngagementRecord.objectives.through
        area_through = EngagementRecord.policy_areas.through
        groups, orgs, goals, areas, counts, entries = [], [], [], [], [], []
        for record in self.records:
            links = self.links[id(record)]
            groups += [through(engagementrecord=record, term=t) for t in links["groups"]]
            orgs += [
                org_through(engagementrecord=record, organisation_id=o)
                for o in links["organisations"]
            ]
            goals += [goal_through(engagementrecord=record, term=t) for t in links["objectives"]]
            areas += [area_through(engagementrecord=record, term=t) for t in links["policy_areas"]]
            counts += [
                ParticipantCount(record=record, group=g, count=c) for g, c in links["counts"]
            ]
            entries.append(
                audit_entry(
                    actor=self.actor,
                    action="engagement.record.created",
                    target=record,
                    data={
                        "hub": self.hub.pk,
                        "imported": True,
                        "record": {
                            "title": record.title,
                            "date": record.date,
                            "status": record.status,
                            "level": record.level.code,
                            "stakeholder_groups": [t.code for t in links["groups"]],
                            "organisations": links["organisations"],
                            "participants": record.participants,
                            "participants_by_group": {g.code: c for g, c in links["counts"]},
                        },
                    },
                )
            )
        through.objects.bulk_create(groups, batch_size=BATCH)
        org_through.objects.bulk_create(orgs, batch_size=BATCH)
        goal_through.objects.bulk_create(goals, batch_size=BATCH)
        area_through.objects.bulk_create(areas, batch_size=BATCH)
        ParticipantCount.objects.bulk_create(counts, batch_size=BATCH)
        ActionLog.objects.bulk_create(entries, batch_size=BATCH)
        return len(self.records)
