"""Reverting the network operations model and the EUR rate table through the admin revert action."""

from decimal import Decimal

from echos.continuity import network
from echos.continuity.models import EurRate
from echos.core.models import ActionLog


def _revert(client, entry):
    return client.post(
        "/admin/core/actionlog/",
        {"action": "revert_changes", "_selected_action": [entry.pk]},
        follow=True,
    )


def test_network_model_change_reverted_from_the_admin(personas, login):
    network.save_network_model(
        actor=personas["network"], secretariat_costs=Decimal("1000"), formula="flat"
    )
    network.save_network_model(
        actor=personas["network"], secretariat_costs=Decimal("250000"), formula="population"
    )
    entry = ActionLog.objects.filter(action="continuity.network_model.updated").latest("pk")
    response = _revert(login(personas["network"]), entry)
    assert response.status_code == 200 and "Reverted" in response.content.decode()
    row = network.current()
    assert row.secretariat_costs == Decimal("1000") and row.formula == "flat"
    # Reverting twice is refused and changes nothing.
    _revert(login(personas["network"]), entry)
    assert network.current().secretariat_costs == Decimal("1000")


def test_network_model_revert_denied_to_a_hub_coordinator(personas, login):
    network.save_network_model(actor=personas["network"], secretariat_costs=Decimal("1000"))
    network.save_network_model(actor=personas["network"], secretariat_costs=Decimal("2000"))
    entry = ActionLog.objects.filter(action="continuity.network_model.updated").latest("pk")
    response = _revert(login(personas["coord_no"]), entry)
    assert "Reverted" not in response.content.decode()
    assert not ActionLog.objects.filter(action="core.change.reverted").exists()
    assert network.current().secretariat_costs == Decimal("2000")


def test_new_rate_reverted_removes_it_and_changed_rate_gets_its_value_back(personas, login):
    admin = login(personas["network"])
    network.save_rate(actor=personas["network"], currency="NOK", units_per_eur="11.5")
    added = ActionLog.objects.filter(action="continuity.rate.saved").latest("pk")
    network.save_rate(actor=personas["network"], currency="SEK", units_per_eur="11")
    network.save_rate(actor=personas["network"], currency="SEK", units_per_eur="12.25")
    changed = ActionLog.objects.filter(action="continuity.rate.saved").latest("pk")
    assert "Reverted" in _revert(admin, changed).content.decode()
    assert EurRate.objects.get(currency="SEK").units_per_eur == Decimal("11")
    assert "Reverted" in _revert(admin, added).content.decode()
    assert not EurRate.objects.filter(currency="NOK").exists()
    # The removal is itself audited and can be reverted in turn.
    deleted = ActionLog.objects.filter(action="continuity.rate.deleted").latest("pk")
    assert "Reverted" in _revert(admin, deleted).content.decode()
    assert EurRate.objects.get(currency="NOK").units_per_eur == Decimal("11.5")
