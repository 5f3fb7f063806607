"""Restoring a backup made by an older schema, when what changed since is known to be safe.

A backup fits a database when both have applied the same migrations. Two kinds of later migration
are accepted on restore:

- those of an **upgrade** declared below: it names its migrations, the models it renamed (the
  archive's label → today's label, same table and columns) and a function run after the rows are
  loaded, inside the restore's transaction (e.g. a content type follows its model);
- those of an **app the archive predates**: no migration of the app was applied when the backup
  was made and the archive holds none of its tables; its tables are restored empty, and its
  content types and permissions are created as ``migrate`` creates them.

Any other missing migration is refused: restore with the echos that made the backup, then upgrade.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType

from echos.core.multilingual import fill_search_text
from echos.events.models import Event
from echos.events.zones import move_to_country_zones
from echos.hubs.models import Hub
from echos.participation.models import Consultation, Proposal
from echos.questionnaires import upgrades as questionnaires
from echos.synergies.models import Activity, Initiative

Migration = tuple[str, str]


@dataclass(frozen=True)
class BackupUpgrade:
    """How a backup made before ``migrations`` is brought up to date while it is restored."""

    name: str
    migrations: frozenset[Migration]
    renamed_models: dict[str, str]
    after_load: Callable[[str], None]
    # Models the migrations created: the archive cannot hold them, so they are restored empty.
    new_models: frozenset[str] = frozenset()
    # Columns the migrations added ("app.model.column"): restored with the field's default.
    added_columns: frozenset[str] = frozenset()
    # Columns the migrations renamed ("app.model.old" → "new"): the archive's values go there.
    renamed_columns: dict[str, str] = field(default_factory=dict)


def additive(
    name: str, migration: Migration, *new_models: str, columns: tuple[str, ...] = ()
) -> BackupUpgrade:
    """A migration that only adds: new tables (restored empty), columns with a default or
    nullable (restored with the default, or empty), indexes. Nothing to rename or convert."""
    return BackupUpgrade(
        name,
        frozenset({migration}),
        {},
        lambda using: None,
        frozenset(new_models),
        frozenset(columns),
    )


UPGRADES: tuple[BackupUpgrade, ...] = (
    BackupUpgrade(
        name="Instrument moved from assessment to questionnaires (issue #11, WP3)",
        migrations=questionnaires.MIGRATIONS,
        renamed_models=questionnaires.RENAMED_MODELS,
        after_load=lambda using: questionnaires.instrument_to_questionnaires(ContentType, using),
    ),
    # Issue #15: tokens made before scopes existed are read-and-write (the field's default).
    additive(
        "API token scope (#15)", ("core", "0002_apitoken_scope"), columns=("core.apitoken.scope",)
    ),
    # Issue #14: the register, relationships, follow-ups, counts per group, impact model, use
    # cases and network results are new tables; records made before it are "held".
    additive(
        "Deeper engagement (#14)",
        ("engagement", "0002_deeper_engagement"),
        *(
            f"engagement.{m}"
            for m in (
                "followup",
                "indicator",
                "indicatorvalue",
                "logicelement",
                "networksnapshot",
                "participantcount",
                "relationship",
                "stakeholder",
                "usecase",
                "usecase_groups",
            )
        ),
        columns=("engagement.engagementrecord.status",),
    ),
    additive(
        "Indicator accumulation (#14)",
        ("engagement", "0003_indicator_accumulation"),
        columns=("engagement.indicator.accumulation", "engagement.indicator.baseline_date"),
    ),
    additive("Coverage index (#14)", ("engagement", "0004_coverage_index")),
    additive(
        "Stored network results (#14)",
        ("engagement", "0005_network_result"),
        "engagement.networkresult",
    ),
    # Issue #16 (team): messages to registrants and team invitations are new tables.
    additive(
        "Messages to registrants (#16)", ("events", "0004_eventmessage"), "events.eventmessage"
    ),
    additive("Team invitations (#16)", ("hubs", "0003_invitation"), "hubs.invitation"),
    # Issue #17: a user's own settings (the interface language) are a new table, empty before it.
    additive(
        "User language setting (#17)",
        ("core", "0003_userpreference"),
        "core.userpreference",
    ),
    # Issue #18: the start-only index of events goes (the start, end and status one covers it).
    additive("Event index (#18)", ("events", "0007_start_index_covered_by_start_end_status")),
    # Issue #16 (dates): events kept in Brussels' zone outside Belgium move to their country's.
    BackupUpgrade(
        name="Events in their country's time zone (#16)",
        migrations=frozenset({("events", "0005_events_in_country_zones")}),
        renamed_models={},
        after_load=lambda using: _events_in_country_zones(using),
    ),
    # Issue #17 (content in several languages): events made before it are written in English,
    # untranslated; their folded search text is filled once the rows are loaded.
    BackupUpgrade(
        name="Events in several languages (#17)",
        migrations=frozenset({("events", "0006_event_translations")}),
        renamed_models={},
        after_load=lambda using: _event_search_text(using),
        added_columns=frozenset(
            {
                "events.event.source_language",
                "events.event.translations",
                "events.event.search_text",
            }
        ),
    ),
)


def _content_languages(name: str, migration: Migration, models, **extra) -> BackupUpgrade:
    """Content in several languages (#17): rows made before it are untranslated, written in the
    field's default language (or the renamed column's), and their folded search text is filled
    once the rows are loaded."""
    columns = {
        f"{m._meta.label_lower}.{c}"
        for m in models
        for c in ("source_language", "translations", "search_text")
    }
    renamed = extra.pop("renamed_columns", {})
    columns -= {f"{k.rsplit('.', 1)[0]}.{v}" for k, v in renamed.items()}

    def fill(using: str) -> None:
        for model in models:
            fill_search_text(model._base_manager.using(using))

    return BackupUpgrade(
        name=name,
        migrations=frozenset({migration}),
        renamed_models={},
        after_load=fill,
        added_columns=frozenset(columns | set(extra.pop("added_columns", ()))),
        renamed_columns=renamed,
    )


UPGRADES += (
    _content_languages(
        "Hub missions in several languages (#17)",
        ("hubs", "0004_hub_source_language_translations"),
        [Hub],
    ),
    _content_languages(
        "Consultations and answers to proposals in several languages (#17)",
        ("participation", "0003_content_languages"),
        [Consultation, Proposal],
        added_columns=(
            "participation.comment.language",
            "participation.proposal.language",
            "participation.answer.language",
        ),
    ),
    _content_languages(
        "Initiatives and activities in several languages (#17)",
        ("synergies", "0003_source_language_translations"),
        [Initiative, Activity],
        renamed_columns={"synergies.activity.language": "source_language"},
    ),
)


def _events_in_country_zones(using: str) -> None:
    move_to_country_zones(Event.objects.using(using))


def _event_search_text(using: str) -> None:
    fill_search_text(Event.objects.using(using))


@dataclass
class UpgradePlan:
    """What a restore does beyond loading rows: renamed tables, new apps, functions to run."""

    upgrades: list[BackupUpgrade] = field(default_factory=list)
    new_apps: set[str] = field(default_factory=set)
    covered: set[Migration] = field(default_factory=set)

    def current_label(self, archived: str) -> str:
        """Today's label of a model the archive names ``archived``."""
        for upgrade in self.upgrades:
            archived = upgrade.renamed_models.get(archived, archived)
        return archived

    def archived_label(self, current: str) -> str:
        """The label the archive gives today's model ``current``."""
        for upgrade in reversed(self.upgrades):
            for old, new in upgrade.renamed_models.items():
                if current == new:
                    current = old
        return current

    def starts_empty(self, label: str) -> bool:
        """A table of an app the archive predates, or of a model an upgrade created."""
        return label.split(".", 1)[0] in self.new_apps or any(
            label in upgrade.new_models for upgrade in self.upgrades
        )

    def added_columns(self, label: str) -> set[str]:
        """The columns of today's model ``label`` that the applied upgrades added."""
        return {
            column.rsplit(".", 1)[1]
            for upgrade in self.upgrades
            for column in upgrade.added_columns
            if column.rsplit(".", 1)[0] == label
        }

    def current_column(self, label: str, archived: str) -> str:
        """Today's name of the column the archive names ``archived`` in today's model ``label``."""
        for upgrade in self.upgrades:
            archived = upgrade.renamed_columns.get(f"{label}.{archived}", archived)
        return archived

    def __bool__(self) -> bool:
        return bool(self.upgrades or self.new_apps)


def plan_upgrade(
    missing: set[Migration],
    archived_migrations: dict[str, list[str]],
    archived_models: Iterable[str],
    upgrades: Iterable[BackupUpgrade] = UPGRADES,
) -> UpgradePlan:
    """The upgrades and new apps that account for the ``missing`` migrations (those not covered stay
    in ``missing - plan.covered``)."""
    plan = UpgradePlan()
    declared: set[Migration] = set()
    for upgrade in upgrades:
        declared |= upgrade.migrations
        if upgrade.migrations <= missing:
            plan.upgrades.append(upgrade)
            plan.covered |= upgrade.migrations
    archived_apps = {plan.current_label(label).split(".", 1)[0] for label in archived_models}
    # A migration an upgrade declares is never taken for a new app's (a partial upgrade is refused).
    for app_label, _name in missing - declared:
        if not archived_migrations.get(app_label) and app_label not in archived_apps:
            plan.new_apps.add(app_label)
    plan.covered |= {m for m in missing if m[0] in plan.new_apps}
    return plan


def after_load(plan: UpgradePlan, using: str) -> None:
    """Run the upgrades' functions, then create what ``migrate`` creates for new models."""
    for upgrade in plan.upgrades:
        upgrade.after_load(using)
    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, interactive=False, using=using)
        create_permissions(app_config, verbosity=0, interactive=False, using=using)
    ContentType.objects.clear_cache()
