"""Suggestions in words, computed from a hub's coverage: each names the rule that produced it.

A rule is a plain function of ``Facts`` (the coverage report of one hub and period, plus a few
aggregate figures gathered once) returning zero or more ``Suggestion``s; ``RULES`` lists them with
their codes and descriptions, and ``suggest`` runs them all. Gathering the facts takes a fixed
number of queries whatever the data size; the rules themselves query nothing.

Suggestions name stakeholder groups, sectors, regions and organisations of the public registry,
never people. The follow-up rule reads the hub's follow-up actions (team only): ``suggest`` runs it
only with ``include_team=True``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from echos.engagement.coverage import CoverageReport
from echos.engagement.models import FollowUp
from echos.hubs.models import Membership, Organisation

# Thresholds of the rules (documented in their descriptions).
SECTOR_HIGH = 0.5  # a sector above half of the reaches dominates
SECTOR_LOW = 0.05  # a sector under 5 % is nearly absent
MIN_REACHES = 5  # below this, shares say nothing
OVERDUE_PILE = 3  # this many overdue follow-ups make a pile
NAMES_SHOWN = 5  # organisations or regions named in a sentence, then "and N more"
MAX_OTHERS = 500  # organisations of other hubs read at most


@dataclass(frozen=True)
class Suggestion:
    """One suggestion: the rule's code and description, and the sentence with its figures."""

    rule: str
    description: str
    text: str
    figures: dict = field(default_factory=dict)


@dataclass
class Facts:
    """What the rules read: the coverage report and a few aggregate figures."""

    report: CoverageReport
    country: str
    # Organisation names by stakeholder group code: members of other hubs of the hub's country
    # that are not members of this hub.
    elsewhere: dict[str, list[str]] = field(default_factory=dict)
    overdue: int | None = None  # None: not gathered (the public does not see follow-ups)
    oldest_overdue_days: int = 0


def _period(facts: Facts) -> dict:
    r = facts.report
    return {"start": r.start.isoformat(), "end": r.end.isoformat()}


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    rest = len(names) - NAMES_SHOWN
    if rest > 0:
        return shown + " " + ngettext("and %(n)d more", "and %(n)d more", rest) % {"n": rest}
    return shown


def _elsewhere_sentence(facts: Facts, code: str, label: str) -> str:
    names = facts.elsewhere.get(code) or []
    if not names:
        return ""
    return " " + ngettext(
        "This %(group)s organisation is a member of another hub in %(country)s: %(names)s.",
        "These %(n)s %(group)s organisations are members of other hubs in %(country)s: %(names)s.",
        len(names),
    ) % {"n": len(names), "group": label, "country": facts.country, "names": _listing(names)}


def _level_index(facts: Facts, code: str) -> int:
    codes = [t.code for t in facts.report.matrix.levels]
    return codes.index(code) if code in codes else -1


def never_engaged(facts: Facts) -> list[Suggestion]:
    out = []
    for row in facts.report.matrix.rows:
        if row.total:
            continue
        label = row.group.display
        text = (
            _("No %(group)s stakeholder was engaged from %(start)s to %(end)s.")
            % {"group": label, **_period(facts)}
        ) + _elsewhere_sentence(facts, row.group.code, label)
        out.append(
            _make(
                "never_engaged",
                text,
                group=row.group.code,
                elsewhere=len(facts.elsewhere.get(row.group.code) or []),
            )
        )
    return out


def shallow_engagement(facts: Facts) -> list[Suggestion]:
    consult = _level_index(facts, "consult")
    if consult < 0:
        return []
    levels = facts.report.matrix.levels
    out = []
    for row in facts.report.matrix.rows:
        if not row.total or row.deepest is None or row.group.code == "citizens":
            continue
        if levels.index(row.deepest) > consult:
            continue
        label = row.group.display
        text = (
            ngettext(
                "No %(group)s stakeholder has been engaged above '%(level)s' from %(start)s to "
                "%(end)s (%(n)d record, deepest level '%(deepest)s').",
                "No %(group)s stakeholder has been engaged above '%(level)s' from %(start)s to "
                "%(end)s (%(n)d records, deepest level '%(deepest)s').",
                row.total,
            )
            % {
                "group": label,
                "level": levels[consult].display,
                "n": row.total,
                "deepest": row.deepest.display,
                **_period(facts),
            }
        ) + _elsewhere_sentence(facts, row.group.code, label)
        out.append(
            _make(
                "shallow_engagement",
                text,
                group=row.group.code,
                records=row.total,
                deepest=row.deepest.code,
                elsewhere=len(facts.elsewhere.get(row.group.code) or []),
            )
        )
    return out


def citizens_inform_only(facts: Facts) -> list[Suggestion]:
    row = next((r for r in facts.report.matrix.rows if r.group.code == "citizens"), None)
    if row is None or not row.total or row.deepest is None or row.deepest.code != "inform":
        return []
    text = ngettext(
        "Citizens were only informed from %(start)s to %(end)s (%(n)d record): none was "
        "consulted, involved or given a say.",
        "Citizens were only informed from %(start)s to %(end)s (%(n)d records): none was "
        "consulted, involved or given a say.",
        row.total,
    ) % {"n": row.total, **_period(facts)}
    return [_make("citizens_inform_only", text, records=row.total)]


def sector_imbalance(facts: Facts) -> list[Suggestion]:
    balance = facts.report.balance
    if balance.total < MIN_REACHES:
        return []
    shares = balance.shares
    high = max(range(len(shares)), key=lambda i: shares[i])
    low = min(range(len(shares)), key=lambda i: shares[i])
    if shares[high] <= SECTOR_HIGH and shares[low] >= SECTOR_LOW:
        return []
    text = _(
        "The Penta Helix balance is uneven from %(start)s to %(end)s: %(high)s accounts for "
        "%(high_pct)d%% of the stakeholder groups reached, %(low)s for %(low_pct)d%% "
        "(%(total)d group reaches in all)."
    ) % {
        "high": balance.sectors[high].label,
        "high_pct": round(shares[high] * 100),
        "low": balance.sectors[low].label,
        "low_pct": round(shares[low] * 100),
        "total": balance.total,
        **_period(facts),
    }
    return [
        _make(
            "sector_imbalance",
            text,
            high=balance.sectors[high].value,
            high_share=round(shares[high], 3),
            low=balance.sectors[low].value,
            low_share=round(shares[low], 3),
        )
    ]


def regions_never_reached(facts: Facts) -> list[Suggestion]:
    spread = facts.report.regions
    covered = [r for r in spread.rows]
    missing = [r.display_name for r in spread.never_reached]
    if len(covered) < 2 or not missing:
        return []
    text = ngettext(
        "%(n)d of the %(total)d regions was not reached from %(start)s to %(end)s: %(names)s.",
        "%(n)d of the %(total)d regions were not reached from %(start)s to %(end)s: %(names)s.",
        len(missing),
    ) % {"n": len(missing), "total": len(covered), "names": _listing(missing), **_period(facts)}
    if spread.unplaced:
        text += " " + ngettext(
            "%(n)d record names no region.", "%(n)d records name no region.", spread.unplaced
        ) % {"n": spread.unplaced}
    return [
        _make(
            "regions_never_reached",
            text,
            regions=[r.pk for r in spread.never_reached],
            unplaced=spread.unplaced,
        )
    ]


def overdue_follow_ups(facts: Facts) -> list[Suggestion]:
    if facts.overdue is None or facts.overdue < OVERDUE_PILE:
        return []
    text = _(
        "%(n)d follow-up actions are overdue, the oldest by %(days)d days: agree new dates or "
        "close them."
    ) % {"n": facts.overdue, "days": facts.oldest_overdue_days}
    return [_make("overdue_follow_ups", text, overdue=facts.overdue)]


def quiet_last_quarter(facts: Facts) -> list[Suggestion]:
    """The last full quarter held fewer than half the records of the quarters before it."""
    quarters = facts.report.trend.quarters
    today = timezone.localdate()
    current = f"{today.year} Q{(today.month - 1) // 3 + 1}"
    done = [q for q in quarters if q.label != current]
    if len(done) < 3:
        return []
    last, before = done[-1], done[:-1]
    mean = sum(q.records for q in before) / len(before)
    if mean < 2 or last.records >= mean / 2:
        return []
    text = _(
        "Only %(n)d records were held in %(quarter)s, against %(mean).1f per quarter before."
    ) % {"n": last.records, "quarter": last.label, "mean": mean}
    return [_make("quiet_last_quarter", text, quarter=last.label, records=last.records)]


RULES: list[tuple[str, object, Callable[[Facts], list[Suggestion]]]] = [
    (
        "never_engaged",
        gettext_lazy("A stakeholder group no record reached in the period."),
        never_engaged,
    ),
    (
        "shallow_engagement",
        gettext_lazy(
            "A stakeholder group (citizens apart) engaged only at 'inform' or 'consult' in the "
            "period."
        ),
        shallow_engagement,
    ),
    (
        "citizens_inform_only",
        gettext_lazy("Citizens reached in the period, but only informed."),
        citizens_inform_only,
    ),
    (
        "sector_imbalance",
        gettext_lazy(
            "One Penta Helix sector above 50% of the stakeholder groups reached, or one under 5% "
            "(from 5 group reaches on)."
        ),
        sector_imbalance,
    ),
    (
        "regions_never_reached",
        gettext_lazy("Regions of the hub's area that no record of the period names."),
        regions_never_reached,
    ),
    (
        "overdue_follow_ups",
        gettext_lazy("Three or more open follow-up actions past their due date (hub team only)."),
        overdue_follow_ups,
    ),
    (
        "quiet_last_quarter",
        gettext_lazy(
            "The last full quarter held under half the mean number of records of the quarters "
            "before it."
        ),
        quiet_last_quarter,
    ),
]
DESCRIPTIONS = {code: description for code, description, _f in RULES}
TEAM_RULES = {"overdue_follow_ups"}


def _make(rule: str, text: str, **figures) -> Suggestion:
    return Suggestion(rule=rule, description=str(DESCRIPTIONS[rule]), text=text, figures=figures)


def gather(report: CoverageReport, *, include_team: bool, today: date | None = None) -> Facts:
    """The facts of one hub's report: two queries (one more for the team)."""
    hub = report.hub
    today = today or timezone.localdate()
    facts = Facts(report=report, country=hub.country.display_name)
    wanted = [
        r.group.pk
        for r in report.matrix.rows
        if r.total == 0 or (r.deepest is not None and r.deepest.code in ("inform", "consult"))
    ]
    if wanted:
        own = Membership.objects.current().filter(hub=hub).values("organisation_id")
        others = Membership.objects.current().filter(hub__country_id=hub.country_id)
        rows = (
            Organisation.objects.filter(
                stakeholder_group_id__in=wanted,
                pk__in=others.exclude(hub=hub).values("organisation_id"),
            )
            .exclude(pk__in=own)
            .order_by("name")
            .values_list("stakeholder_group__code", "name")[:MAX_OTHERS]
        )
        for code, name in rows:
            facts.elsewhere.setdefault(code, []).append(name)
    if include_team:
        agg = FollowUp.objects.filter(
            record__hub=hub, status=FollowUp.Status.OPEN, due_date__lt=today
        ).aggregate(n=Count("id"), oldest=Min("due_date"))
        facts.overdue = agg["n"]
        facts.oldest_overdue_days = (today - agg["oldest"]).days if agg["oldest"] else 0
    return facts


def run(facts: Facts) -> list[Suggestion]:
    """Every rule over the facts, in ``RULES`` order (team rules only when gathered)."""
    out: list[Suggestion] = []
    for code, _description, rule in RULES:
        if code in TEAM_RULES and facts.overdue is None:
            continue
        out.extend(rule(facts))
    return out


def suggest(
    report: CoverageReport, *, include_team: bool = False, today: date | None = None
) -> list[Suggestion]:
    """The suggestions for one hub's coverage report."""
    return run(gather(report, include_team=include_team, today=today))
