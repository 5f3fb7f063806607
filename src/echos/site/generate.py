"""``echos generate-data``: synthetic demo data at small or Europe scale, for load tests.

``generate`` sets up the run (``hubs.generate.Context``) and runs every app's generator steps in
their order (``core.synthetic.STEPS``); each app declares the module registering its steps as its
``generator_steps`` (``core.registry``): hubs (organisations, hubs, stage changes, memberships),
assessment, synergies (activities), events (events, registrations), participation (consultation
answers), engagement (engagement records). The same seed gives the same rows.
"""

from dataclasses import dataclass

from django.db import transaction

from echos.core import registry
from echos.core.models import Country, Region, Term
from echos.core.reference import load_reference
from echos.core.synthetic import PENDING, STEPS, GenerationRefused, Progress
from echos.hubs.generate import Context
from echos.hubs.models import Hub

__all__ = ["SCALES", "GenerationRefused", "Scale", "generate"]


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind; ``hubs`` includes one national hub per MS/AC country."""

    hubs: int
    organisations: int
    memberships: int
    events: int = 0
    registrations: int = 0
    consultation_answers: int = 0
    engagement_records: int = 0
    regional_share: float = 0.35  # of the sub-national hubs; the rest are local


SCALES = {
    "small": Scale(
        hubs=60,
        organisations=2_000,
        memberships=6_000,
        events=2_000,
        registrations=20_000,
        consultation_answers=5_000,
        engagement_records=10_000,
    ),
    "europe": Scale(
        hubs=2_000,
        organisations=50_000,
        memberships=150_000,
        events=100_000,
        registrations=500_000,
        consultation_answers=200_000,
        engagement_records=1_000_000,
    ),
}


def _no_progress(label: str, done: int, total: int) -> None:
    pass


def generate(
    *,
    scale: str | Scale = "small",
    seed: int = 1,
    batch: int = 5000,
    force: bool = False,
    progress: Progress | None = None,
    **counts: int,
) -> dict[str, int]:
    """Fill the database with synthetic demo data; returns the rows created per step.

    ``counts`` overrides the scale's numbers (``hubs``, ``organisations``, ``memberships``), so
    tests can run a tiny version of a scale.
    """
    base = SCALES[scale] if isinstance(scale, str) else scale
    unknown = set(counts) - set(Scale.__dataclass_fields__)
    if unknown:
        raise TypeError(f"Unknown count override: {', '.join(sorted(unknown))}")
    chosen = Scale(**{**base.__dict__, **counts})
    if batch < 1:
        raise ValueError("The batch size must be at least 1.")
    if Hub.objects.exists() and not force:
        raise GenerationRefused(
            f"The database already holds {Hub.objects.count()} hubs: generate synthetic data "
            "into a freshly migrated database, or pass --force to add it to the existing data."
        )
    load_reference()
    registry.load_generator_steps()
    if PENDING:
        raise ValueError(
            f"Generator steps placed after unknown steps: {', '.join(sorted(PENDING))}"
        )
    ctx = Context(seed=seed, scale=chosen, batch=batch, progress=progress or _no_progress)
    ctx.countries = list(Country.objects.order_by("code").values_list("code", flat=True))
    for code, country, parent in Region.objects.order_by("code").values_list(
        "code", "country_id", "parent_id"
    ):
        target = ctx.sub_regions if parent else ctx.top_regions
        target.setdefault(country, []).append(code)
        if parent:
            ctx.region_children.setdefault(parent, []).append(code)
    ctx.stakeholder_groups = list(
        Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS).values_list("pk", "code")
    )
    with transaction.atomic():
        for entry in STEPS:
            ctx.created[entry.name] = entry.run(ctx)
    return dict(ctx.created)
