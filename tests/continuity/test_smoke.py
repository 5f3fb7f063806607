"""The hub's pages render for the team and the network with the figures of the engine."""


def test_hub_page_shows_runway_and_fan(norway_model, personas, login):
    hub = norway_model["hub"]
    response = login(personas["coord_no"]).get(f"/continuity/hubs/{hub.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="fan"' in text and 'id="coverage"' in text
    # 10,000 - 500 a month in 2027 leaves 4,000; then -1,500 a month: below zero in 2028-03.
    assert "balance goes below zero in 2028-03: a runway of 14 months" in text


def test_all_pages_render(norway_model, personas, login):
    hub = norway_model["hub"]
    client = login(personas["coord_no"])
    for url in [
        "",
        "canvas/",
        "scenarios/",
        "risks/",
        "score/",
        "stream/new/",
        "cost/new/",
        "risk/new/",
        "scenario/new/",
        "canvas/edit/",
    ]:
        response = client.get(f"/continuity/hubs/{hub.pk}/{url}")
        assert response.status_code == 200, url
    assert login(personas["network"]).get("/continuity/network/").status_code == 200
    assert client.get(f"/continuity/hubs/{hub.pk}/export.xlsx").status_code == 200


def test_settings_form_saves_and_publishes_the_canvas(norway_model, personas, login):
    from echos.continuity.models import HubModel

    hub = norway_model["hub"]
    data = {
        "start": "2027-01",
        "months": "48",
        "balance": "2500.50",
        "currency": "EUR",
        "successor": "Deputy coordinator",
        "canvas_published": "on",
    }
    response = login(personas["coord_no"]).post(f"/continuity/hubs/{hub.pk}/", data)
    assert response.status_code == 302
    settings = HubModel.objects.get(hub=hub)
    assert (
        settings.months == 48 and settings.canvas_published and str(settings.balance) == "2500.50"
    )
    # The network reads the page but may not change the hub's figures.
    assert login(personas["network"]).post(f"/continuity/hubs/{hub.pk}/", data).status_code == 403
