"""The score page reads the hub's maturity "funding and resources" level once it is assessed."""

from echos.assessment import scoring, services


def _submit(hubs, personas, level):
    services.load_instruments()
    instrument = services.current_instrument(services.MATURITY)
    answers = {
        q.code: (level if q.dimension == "funding" else 3)
        for q in scoring.dimension_questions(instrument.definition)
    }
    response = services.start_response(
        actor=personas["coord_no"], instrument=instrument, hub=hubs["norway"]
    )
    services.submit_response(actor=personas["coord_no"], response=response, answers=answers)


def test_score_without_and_with_the_maturity_level(norway_model, hubs, personas, login):
    client = login(personas["coord_no"])
    url = f"/continuity/hubs/{hubs['norway'].pk}/score/"
    before = client.get(url).context["score"]
    assert "maturity" not in [c.code for c in before.components]
    assert abs(sum(c.weight for c in before.components) - 100) < 0.1
    _submit(hubs, personas, 5)
    after = client.get(url).context["score"]
    maturity = next(c for c in after.components if c.code == "maturity")
    assert maturity.value == 5 and maturity.points == maturity.weight
    assert after.best_change
    # Denied twin: another hub's coordinator does not see the score.
    assert login(personas["coord_pt"]).get(url).status_code == 403
