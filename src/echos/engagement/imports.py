"""Spreadsheet imports of a hub's stakeholder register and engagement records (issue #14): all rows
or none.

The hubs imports' machinery is reused: ``read_rows`` (CSV and XLSX as a bounded stream), the
report (each bad row named with its row, column and reason, at most MAX_ERRORS listed) and the same
order of work: the file's bounds first (bytes, rows, columns), then every row checked with reads
only, outside any transaction, against what was read in batches beforehand; only a file without a
single problem is written, in one short transaction of batched inserts with the audit entries,
after re-checking under the lock what others stored meanwhile.
"""

import io
import itertools
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from echos.core.audit import jsonable
from echos.core.exceptions import RuleViolation, guard
from echos.core.models import ActionLog, Term
from echos.engagement import permissions as record_perms
from echos.engagement import register
from echos.engagement.models import (
    EngagementRecord,
    ParticipantCount,
    RecordStatus,
    Stakeholder,
    StakeholderStatus,
)
from echos.engagement.services import MAX_PARTICIPANTS, validate_record
from echos.hubs.imports import (
    BATCH,
    BIGGEST_ID,
    MAX_COLUMNS,
    ImportFileError,
    ImportReport,
    RowError,
    TooManyRows,
    read_rows,
)
from echos.hubs.models import Hub, Organisation, normalise_name
from echos.hubs.services import resolve_country, resolve_region

PARTICIPANTS_PREFIX = "participants:"
# Organisations one record row may name.
MAX_ORGANISATIONS = 100

# Column -> (required, help). ``participants:<group code>`` columns come on top of the records'.
COLUMNS = {
    "stakeholders": {
        "organisation": (True, "Organisation id, or its exact name"),
        "country": (False, "Organisation's country when matching by name (default: the hub's)"),
        "stakeholder_group": (False, "stakeholder_groups code (default: the organisation's)"),
        "sector": (False, "Penta Helix sector override: public, academia, industry, …"),
        "influence": (True, "1 to 5"),
        "interest": (True, "1 to 5"),
        "status": (False, "to_approach (default), engaged, partner or dormant"),
        "owner": (False, "User name of a coordinator or editor of the hub"),
        "notes": (False, "Free text, internal to the hub team"),
    },
    "engagement": {
        "title": (True, "Title of the engagement"),
        "description": (True, "What happened and with whom (no private persons)"),
        "date": (True, "YYYY-MM-DD"),
        "end_date": (False, "YYYY-MM-DD"),
        "status": (False, "held (default), planned or cancelled"),
        "level": (True, "engagement_levels code: inform, consult, involve, collaborate, empower"),
        "stakeholder_groups": (True, "stakeholder_groups codes separated by ;"),
        "organisations": (False, "Organisation ids or exact names separated by ;"),
        "participants": (False, "Total number of participants"),
        "participants:<group>": (False, "Participants of one group, e.g. participants:patients"),
        "format": (True, "meeting, workshop, penta_helix_workshop, consultation, …"),
        "language": (True, "ISO 639-1 code, e.g. pl"),
        "region": (False, "ISO 3166-2 code in the hub's country"),
        "objectives": (False, "objectives codes separated by ;"),
        "policy_areas": (False, "policy_areas codes separated by ;"),
        "outcomes": (False, "Outcome notes"),
    },
}

# A service's field name -> the column that holds it.
FIELD_COLUMN = {"group": "stakeholder_group", "sector_override": "sector"}


def import_stakeholders(source, **kwargs) -> ImportReport:
    """Add every row of the file to the hub's register, or none."""
    return _run("stakeholders", source, **kwargs).close()


def import_records(source, **kwargs) -> ImportReport:
    """Record every row of the file as an engagement of the hub, or none."""
    return _run("engagement", source, **kwargs).close()


def known_column(kind: str, column: str, groups: dict[str, Term]) -> bool:
    """A column the kind accepts (``participants:<code>`` of a known group for records)."""
    if kind == "engagement" and column.startswith(PARTICIPANTS_PREFIX):
        return column[len(PARTICIPANTS_PREFIX) :] in groups
    return column in COLUMNS[kind] and not column.startswith(PARTICIPANTS_PREFIX)


def _size(stream) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _run(
    kind: str,
    source,
    *,
    filename: str = "",
    actor=None,
    hub: Hub | None = None,
    progress: Callable[[int], None] | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> ImportReport:
    max_bytes = settings.ECHOS_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.ECHOS_IMPORT_MAX_ROWS if max_rows is None else max_rows
    report = ImportReport(kind=kind)
    if hub is None:
        report.add(RowError(1, None, _("Choose the hub the file belongs to (--hub ID).")))
        return report
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    size = _size(stream)
    if size > max_bytes:
        report.add(
            RowError(
                1,
                None,
                _(
                    "The file is %(size)s; the limit is %(limit)s (ECHOS_IMPORT_MAX_BYTES). "
                    "Split it into smaller files."
                )
                % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            )
        )
        return report
    groups = {t.code: t for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)}
    expected = ", ".join(COLUMNS[kind])
    try:
        header, rows = read_rows(stream, filename, max_bytes=max_bytes, max_rows=max_rows)
        if len(header) > MAX_COLUMNS:
            report.add(
                RowError(
                    1,
                    None,
                    _("The header has more than %(limit)d columns; expected: %(cols)s.")
                    % {"limit": MAX_COLUMNS, "cols": expected},
                )
            )
            return report
        for column, (required, _help) in COLUMNS[kind].items():
            if required and column not in header:
                report.add(RowError(1, column, _("Required column is missing.")))
        for column in header:
            if column and not known_column(kind, column, groups):
                report.add(
                    RowError(
                        1, column, _("Unknown column; expected: %(cols)s.") % {"cols": expected}
                    )
                )
        if report.errors:
            return report
        records = list(itertools.islice(rows, max_rows + 1))
    except TooManyRows as exc:
        report.add(RowError(exc.row, None, str(exc)))
        return report
    except ImportFileError as exc:
        report.add(RowError(1, None, str(exc)))
        return report
    if len(records) > max_rows:
        report.add(
            RowError(
                records[max_rows][0],
                None,
                _(
                    "The file has more than %(limit)d rows, the limit (ECHOS_IMPORT_MAX_ROWS). "
                    "Split it into smaller files."
                )
                % {"limit": max_rows},
            )
        )
        return report
    if not records:
        report.add(RowError(2, None, _("The file has a header but no rows.")))
        return report
    allowed = (
        register.can_edit_register(actor, hub)
        if kind == "stakeholders"
        else record_perms.can_record_engagement(actor, hub)
    )
    try:
        guard(allowed, actor)
    except PermissionDenied:
        report.add(RowError(1, None, _("You are not allowed to change this.")))
        return report
    plan: _Plan = (_StakeholderPlan if kind == "stakeholders" else _RecordPlan)(
        actor=actor, hub=hub, groups=groups
    )
    plan.prefetch(records)
    for number, values in records:
        report.total += 1
        try:
            plan.row(number, values)
        except RuleViolation as exc:
            report.add(RowError(number, FIELD_COLUMN.get(exc.field or "", exc.field), exc.message))
        if progress:
            progress(report.total)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            report.created = plan.write()
    except _Changed as exc:
        report.add(
            RowError(
                exc.row,
                exc.column,
                _("%(error)s (stored by someone else while the file was checked)")
                % {"error": exc.message},
            )
        )
    except IntegrityError:
        report.add(
            RowError(1, None, _("The data changed while the file was checked; upload it again."))
        )
    return report


class _Changed(Exception):
    """A row checked fine, but others stored something contradicting it before the write."""

    def __init__(self, row: int, column: str | None, message: str):
        super().__init__(message)
        self.row, self.column, self.message = row, column, message


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _is_id(ref: str) -> bool:
    return ref.isascii() and ref.isdigit()


def _audit_entry(*, actor, action: str, target, data: dict) -> ActionLog:
    """The entry ``log_action`` would save, left unsaved so a whole file is logged in one insert."""
    return ActionLog(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        data=jsonable(data),
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
    )


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


class _Plan:
    """Rows checked with reads only against what ``prefetch`` read; ``write`` stores them."""

    def __init__(self, *, actor, hub: Hub, groups: dict[str, Term]):
        self.actor, self.hub, self.groups = actor, hub, groups
        self.by_pk: dict[int, Organisation] = {}
        self.by_name: dict[str, list[Organisation]] = {}  # normalised name -> organisations
        self.row_of: dict[int, int] = {}

    def _prefetch_organisations(self, refs: set[str]) -> None:
        pks = {int(r) for r in refs if _is_id(r) and int(r) <= BIGGEST_ID}
        names = {normalise_name(r) for r in refs if not _is_id(r)}
        for chunk in _chunks(sorted(pks)):
            self.by_pk.update(Organisation.objects.in_bulk(chunk))
        for chunk in _chunks(sorted(names)):
            for org in Organisation.objects.filter(normalised_name__in=chunk).order_by("pk"):
                self.by_name.setdefault(org.normalised_name, []).append(org)

    def organisation(self, ref: str, column: str, country: str | None = None) -> Organisation:
        """An organisation by id, or by exact name: in ``country`` if given, else in the hub's
        country, else the only one of that name in the registry."""
        ref = ref.strip()
        if _is_id(ref):
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

    def prefetch(self, records: list[tuple[int, dict]]) -> None:
        raise NotImplementedError

    def row(self, number: int, values: dict) -> None:
        raise NotImplementedError

    def write(self) -> int:
        raise NotImplementedError


class _StakeholderPlan(_Plan):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.entries: list[Stakeholder] = []
        self.listed: set[int] = set()
        self.team: dict[str, object] = {}
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
        for chunk in _chunks(ids):
            taken |= set(
                self.hub.stakeholders.filter(organisation_id__in=chunk).values_list(
                    "organisation_id", flat=True
                )
            )
        for entry in self.entries:
            if entry.organisation_id in taken:
                raise _Changed(
                    self.row_of[id(entry)],
                    "organisation",
                    _("%(org)s is already in this hub's register.") % {"org": entry.organisation},
                )
        Stakeholder.objects.bulk_create(self.entries, batch_size=BATCH)
        ActionLog.objects.bulk_create(
            [
                _audit_entry(
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


class _RecordPlan(_Plan):
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
        record = EngagementRecord(
            hub=self.hub,
            title=values.get("title", ""),
            description=values.get("description", ""),
            date=_date(values.get("date", ""), "date"),
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
        if record.date is None:
            raise RuleViolation(_("Give the date of the engagement."), "date")
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
                _audit_entry(
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
        for model, rows in (
            (through, groups),
            (org_through, orgs),
            (goal_through, goals),
            (area_through, areas),
            (ParticipantCount, counts),
            (ActionLog, entries),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
        return len(self.records)
