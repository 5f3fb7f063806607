"""Engagement record factories over the shared hubs and personas."""

from datetime import date

import pytest


@pytest.fixture
def record_fields(hubs):
    """Valid keyword arguments of ``save_record`` for Norway's hub; override any of them."""

    def make(**extra):
        data = {
            "title": "Dialogue with patient organisations",
            "description": "An afternoon with patient organisations on the hub's priorities.",
            "date": date(2025, 11, 12),
            "level": "consult",
            "stakeholder_groups": ["patients", "civil_society"],
            "organisations": [hubs["ncs"].pk],
            "participants": 24,
            "format": "meeting",
            "language": "nb",
            "region": "NO-03",
            "objectives": ["quality_of_life"],
            "policy_areas": ["health", "social_affairs"],
            "outcomes": "Two priorities agreed.",
        }
        data.update(extra)
        return data

    return make


@pytest.fixture
def make_record(hubs, record_fields):
    """A stored record (written by the system) of Norway's hub, or of ``hub``."""
    from echos.engagement import services

    def make(*, hub=None, **extra):
        return services.save_record(actor=None, hub=hub or hubs["norway"], **record_fields(**extra))

    return make


@pytest.fixture
def generate_engagement():
    """The generator step function (registered by the engagement app's ``generator_steps``)."""
    from echos.engagement.generate import generate_engagement as step_function

    return step_function
