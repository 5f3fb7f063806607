"""Instruments and helpers shared by the assessment tests."""

import pytest


@pytest.fixture
def instruments(db):
    from echos.assessment import services

    services.load_instruments()
    return {
        "maturity": services.current_instrument(services.MATURITY),
        "mapping": services.current_instrument(services.MAPPING),
    }


@pytest.fixture
def levels_answers(instruments):
    """Answers giving each maturity dimension a level: levels_answers(3) or levels_answers({"governance": 5})."""
    from echos.assessment import scoring

    definition = instruments["maturity"].definition

    def make(levels) -> dict:
        out = {}
        for q in scoring.dimension_questions(definition):
            out[q.code] = levels if isinstance(levels, int) else levels.get(q.dimension, 3)
        return out

    return make
