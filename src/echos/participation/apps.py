from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Public consultations, citizens' proposals, supports, comments, moderation and follow-up."""

    name = "echos.participation"
    label = "participation"
    verbose_name = _("Participation")
