"""The lifecycle rule of the "sustained" stage (declared as ``stage_guards`` on the AppConfig).

A hub is sustained only with a continuity plan: at least 24 months of runway on committed funding
(the baseline projection) or a recorded plan; a mandate recorded as evidence; and a named
successor for the coordinator role. Each missing item is one translatable sentence.

Every path to the stage goes through ``hubs.services.record_stage_change`` and so through this
guard, demo hubs included: ``hubs.demo`` walks a demo hub only up to "operational", and
``continuity.demo`` records its plan and then moves it to "sustained".
"""

from datetime import date

from django.utils.translation import gettext as _

from echos.continuity import compute
from echos.continuity.models import HubModel
from echos.core.exceptions import RuleViolation
from echos.hubs.models import Hub, Stage

RUNWAY_NEEDED = 24


def sustained(hub: Hub, stage: str, when: date) -> list[str]:
    """What the hub still lacks to be sustained (empty for any other stage)."""
    if stage != Stage.SUSTAINED:
        return []
    settings = HubModel.objects.filter(hub=hub).first() or HubModel(hub=hub)
    missing = []
    if not settings.continuity_plan.strip():
        try:
            runway = compute.projection(compute.hub_model(hub)).runway_months
        except RuleViolation:
            runway = 0
        if runway < RUNWAY_NEEDED:
            missing.append(
                _(
                    "24 months of runway on committed funding (the projection shows %(n)s) or a "
                    "recorded continuity plan"
                )
                % {"n": runway}
            )
    if not (settings.mandate.strip() or settings.mandate_link.strip()):
        missing.append(_("a mandate (a document or decision recorded as evidence)"))
    if not settings.successor.strip():
        missing.append(_("a named successor for the coordinator role"))
    return missing
