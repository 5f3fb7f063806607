"""The continuity privacy section: export and erasure of the canvas author, successor and owner."""

from echos.continuity import privacy, services
from echos.continuity.models import HubModel, Risk


def test_export_and_erase(norway_model, personas):
    user = personas["coord_no"]
    user.first_name, user.last_name = "Kari", "Nordmann"
    user.save()
    hub = norway_model["hub"]
    services.save_canvas(actor=user, hub=hub, value_proposition="V")
    services.save_settings(actor=user, hub=hub, successor="Kari Nordmann")
    services.save_line(
        actor=user,
        kind="risk",
        hub=hub,
        title="R",
        category="legal",
        likelihood=1,
        impact=1,
        owner="kari nordmann",
        status="open",
    )
    data = privacy.collect(user, [])
    assert len(data["canvas_versions_saved"]) == 1
    assert data["named_successor"][0]["successor"] == "Kari Nordmann"
    assert data["risk_owner"][0]["risk"] == "R"
    assert privacy.find_people("Nordmann")[0][2] in {"Kari Nordmann", "kari nordmann"}
    counts = privacy.erase(user, [], apply=True)
    assert counts == {
        "canvas_versions_unlinked": 1,
        "successor_names_erased": 1,
        "risk_owners_erased": 1,
    }
    assert HubModel.objects.get(hub=hub).successor == "" and Risk.objects.get().owner == ""
    # Someone else's name is not touched.
    assert privacy.erase(personas["coord_pt"], [], apply=False) == {
        "canvas_versions_unlinked": 0,
        "successor_names_erased": 0,
        "risk_owners_erased": 0,
    }
