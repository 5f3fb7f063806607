"""Two generated data sizes for the query-count tests, and a way back to an empty registry."""

from echos.assessment.models import ConsensusRound, Response
from echos.hubs.models import Hub, Level, Membership, Organisation, StageChange
from echos.synergies.models import Activity, Initiative

# The smaller still has several regional hubs in Germany and a three-level tree;
# the larger has twice the hubs (and assessments) and four times the rest.
SIZES = [
    {
        "hubs": 170,
        "organisations": 400,
        "memberships": 1_500,
        "events": 300,
        "registrations": 1_500,
        "consultation_answers": 300,
        "engagement_records": 1_500,
    },
    {
        "hubs": 340,
        "organisations": 1_600,
        "memberships": 6_000,
        "events": 1_200,
        "registrations": 6_000,
        "consultation_answers": 1_200,
        "engagement_records": 6_000,
    },
]
SEED = 4


def wipe() -> None:
    """Delete generated rows, children before parents (hubs are PROTECTed by their sub-hubs)."""
    from echos.engagement.models import EngagementRecord
    from echos.events.models import Event, Registration
    from echos.participation.models import Answer, AnswerTally, Consultation

    EngagementRecord.objects.all().delete()
    Registration.objects.all().delete()
    Event.objects.all().delete()
    AnswerTally.objects.all().delete()
    Answer.objects.all().delete()
    Consultation.objects.all().delete()
    Activity.objects.all().delete()
    Initiative.objects.all().delete()
    ConsensusRound.objects.all().delete()
    Response.objects.all().delete()
    Membership.objects.all().delete()
    StageChange.objects.all().delete()
    for level in (Level.LOCAL, Level.REGIONAL, Level.NATIONAL):
        Hub.objects.filter(level=level).delete()
    Organisation.objects.all().delete()
