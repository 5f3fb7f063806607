"""Revert handlers of continuity: streams, costs, risks, scenarios, the hub's settings, the
network operations model, the network scenarios and the EUR rate table.

Each audit entry keeps the row's values before the change; a revert puts them back through the
same services (so the rules still apply), deletes what was created, or recreates what was deleted.
"""

from typing import Any

from django.utils.translation import gettext as _

from echos.continuity import network, services
from echos.continuity.models import CanvasVersion, NetworkModel, NetworkScenario
from echos.core.exceptions import Conflict
from echos.core.revert import audit_values, reverter
from echos.hubs.models import Hub


def _hub(entry: Any) -> Hub:
    hub = Hub.objects.filter(pk=entry.target_id).first()
    if hub is None:
        raise Conflict(_("The hub no longer exists."), "entry")
    return hub


def _row(kind: str, entry: Any) -> Any:
    model: Any = services.KINDS[kind][0]
    row = model.objects.filter(pk=entry.data["id"]).first()
    if row is None:
        raise Conflict(_("That entry no longer exists."), "entry")
    return row


def _values(kind: str, stored: dict) -> dict:
    model = services.KINDS[kind][0]
    plain = {k: v for k, v in stored.items() if k != "changes"}
    values = audit_values(model, plain)
    if "changes" in stored:
        values["changes"] = stored["changes"]
    return values


def _register(kind: str) -> None:
    @reverter(f"continuity.{kind}.created")
    def created(entry: Any, actor: Any) -> None:
        services.delete_line(actor=None, kind=kind, obj=_row(kind, entry))

    @reverter(f"continuity.{kind}.updated")
    def updated(entry: Any, actor: Any) -> None:
        services.save_line(
            actor=None, kind=kind, obj=_row(kind, entry), **_values(kind, entry.data["before"])
        )

    @reverter(f"continuity.{kind}.deleted")
    def deleted(entry: Any, actor: Any) -> None:
        services.save_line(
            actor=None, kind=kind, hub=_hub(entry), **_values(kind, entry.data["before"])
        )


for _kind in services.KINDS:
    _register(_kind)


@reverter("continuity.settings.updated")
def _settings_updated(entry: Any, actor: Any) -> None:
    services.save_settings(actor=None, hub=_hub(entry), **entry.data["before"])


@reverter("continuity.canvas.saved")
def _canvas_saved(entry: Any, actor: Any) -> None:
    """Withdraw a canvas version: only the newest one, so the one before is current again."""
    version = CanvasVersion.objects.filter(pk=entry.data["id"]).first()
    if version is None or version != services.current_canvas(version.hub):
        raise Conflict(_("Only the newest canvas version can be withdrawn."), "entry")
    version.delete()


@reverter("continuity.network_model.updated")
def _network_model_updated(entry: Any, actor: Any) -> None:
    """Put the network operations model back as it was before the change."""
    before = {k: v for k, v in entry.data["before"].items() if k in network.NETWORK_FIELDS}
    network.save_network_model(actor=None, **audit_values(NetworkModel, before))


@reverter("continuity.rate.saved")
def _rate_saved(entry: Any, actor: Any) -> None:
    """A new rate is removed; a changed rate gets its previous value back."""
    if "before" not in entry.data:
        raise Conflict(_("This change was recorded without the previous rate."), "entry")
    if entry.data["before"] is None:
        network.delete_rate(actor=None, currency=entry.data["currency"])
    else:
        network.save_rate(
            actor=None, currency=entry.data["currency"], units_per_eur=entry.data["before"]
        )


@reverter("continuity.rate.deleted")
def _rate_deleted(entry: Any, actor: Any) -> None:
    network.save_rate(
        actor=None, currency=entry.data["currency"], units_per_eur=entry.data["before"]
    )


def _network_scenario(entry: Any) -> NetworkScenario:
    row = NetworkScenario.objects.filter(pk=entry.data["id"]).first()
    if row is None:
        raise Conflict(_("That entry no longer exists."), "entry")
    return row


def _scenario_values(stored: dict) -> dict:
    return {k: v for k, v in stored.items() if k in network.SCENARIO_FIELDS}


@reverter("continuity.network_scenario.created")
def _network_scenario_created(entry: Any, actor: Any) -> None:
    network.delete_network_scenario(actor=None, obj=_network_scenario(entry))


@reverter("continuity.network_scenario.updated")
def _network_scenario_updated(entry: Any, actor: Any) -> None:
    network.save_network_scenario(
        actor=None,
        month=network.this_month(),
        obj=_network_scenario(entry),
        **_scenario_values(entry.data["before"]),
    )


@reverter("continuity.network_scenario.deleted")
def _network_scenario_deleted(entry: Any, actor: Any) -> None:
    network.save_network_scenario(
        actor=None, month=network.this_month(), **_scenario_values(entry.data["before"])
    )
