"""Demo mapping responses and maturity assessments, for demo hubs only (real hubs are not scored)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from echos.assessment import services
from echos.assessment.models import Response
from echos.assessment.synthetic import answers_for, maturity_hint
from echos.core.models import Country, User
from echos.core.reference import vocabulary_codes
from echos.hubs.models import Hub, HubRole


def _submitted(
    instrument,
    *,
    hub=None,
    country,
    answers,
    when,
    kind=Response.Kind.OFFICIAL,
    respondent=None,
    round=None,
) -> Response:
    response = Response.objects.create(
        instrument=instrument,
        hub=hub,
        country=country,
        answers=answers,
        kind=kind,
        respondent=respondent,
        round=round,
        is_demo=True,
    )
    response = services.submit_response(actor=None, response=response)
    Response.objects.filter(pk=response.pk).update(submitted_at=when, created_at=when)
    return response


@transaction.atomic
def load_demo(seed: int = 7) -> dict:
    """Mapping answers for many countries and maturity histories for the demo hubs (idempotent)."""
    if Response.objects.filter(is_demo=True).exists():
        return {"skipped": True}
    rng = random.Random(seed)
    options = vocabulary_codes()
    mapping = services.current_instrument(services.MAPPING)
    maturity = services.current_instrument(services.MATURITY)
    now = timezone.now()
    mapped = 0
    national = {h.country_id: h for h in Hub.objects.national()}
    for country in Country.objects.order_by("code"):
        hub = national.get(country.code)
        if (hub is not None and not hub.is_demo) or rng.random() < 0.35:
            continue  # real hubs answer for themselves; some countries have not been mapped
        _submitted(
            mapping,
            hub=hub,
            country=country,
            answers=answers_for(mapping.definition, rng, options=options),
            when=now - timedelta(days=rng.randrange(30, 400)),
        )
        mapped += 1
    assessed = 0
    for hub in Hub.objects.filter(is_demo=True).order_by("pk"):
        if rng.random() < 0.2:
            continue  # left unassessed, so the network view has someone to remind
        hint = maturity_hint(hub.stage, rng)
        for months_ago, drift in ((15, -0.7), (2, 0.0)) if hub.level == "national" else ((4, 0.0),):
            _submitted(
                maturity,
                hub=hub,
                country=hub.country,
                answers=answers_for(maturity.definition, rng, maturity_hint=hint + drift),
                when=now - timedelta(days=months_ago * 30),
            )
            assessed += 1
    _demo_round(rng)
    return {"mapping": mapped, "maturity": assessed}


def _demo_round(rng: random.Random) -> None:
    """An open consensus round on Spain's demo hub with three invented raters who disagree."""
    hub = Hub.objects.national().filter(country_id="ES", is_demo=True).first()
    if hub is None:
        return
    round = services.open_round(actor=None, hub=hub)
    for i, hint in enumerate((2.0, 3.0, 4.2), start=1):
        user, _created = User.objects.get_or_create(
            username=f"rater-es-{i}", defaults={"is_demo": True}
        )
        HubRole.objects.get_or_create(user=user, hub=hub, defaults={"role": HubRole.Role.MEMBER})
        _submitted(
            round.instrument,
            hub=hub,
            country=hub.country,
            kind=Response.Kind.INDIVIDUAL,
            respondent=user,
            round=round,
            answers=answers_for(round.instrument.definition, rng, maturity_hint=hint),
            when=timezone.now() - timedelta(days=3 - i),
        )
