from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    """Stakeholder engagement records of the hubs (who was engaged, how, on what)."""

    name = "echos.engagement"
    label = "engagement"
    verbose_name = _("Engagement")
