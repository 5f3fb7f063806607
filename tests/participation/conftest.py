"""Consultations and proposals of Norway's hub for the participation tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from echos.participation import services

GOOD_ANSWERS = {
    "role": "citizen",
    "objectives": ["prevention", "quality_of_life"],
    "screening_awareness": "3",
    "barriers": ["distance", "information"],
    "barriers_other": "Which screening letters apply to me.",
    "involvement": "consult",
    "idea": "More evening events.",
}


def post_data(answers: dict, **extra) -> dict:
    """A questionnaire form post (``q_<code>`` fields) from an answers dict."""
    data = {f"q_{k}": v for k, v in answers.items()}
    data.update(extra)
    return data


@pytest.fixture
def consultation(hubs):
    """An open consultation of Norway's national hub with the standard questionnaire."""
    now = timezone.now()
    return services.open_consultation(
        actor=None,
        hub=hubs["norway"],
        title="Priorities of the Norwegian hub",
        description="Tell us what matters.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        languages=["nb", "en"],
    )


@pytest.fixture
def closed_consultation(hubs):
    now = timezone.now()
    return services.open_consultation(
        actor=None,
        hub=hubs["norway"],
        title="Last year's consultation",
        description="Closed already.",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )


@pytest.fixture
def proposal(hubs, personas):
    return services.submit_proposal(
        hub=hubs["norway"],
        title="Screening bus in the north",
        body="A mobile screening unit visiting small towns.",
        user=personas["member_no"],
        display_name="Kari",
    )


@pytest.fixture
def citizen(make_user):
    return make_user("citizen")
