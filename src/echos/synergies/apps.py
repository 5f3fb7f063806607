from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SynergiesConfig(AppConfig):
    """European initiatives, hub activities, the synergy engine and synergy links."""

    name = "echos.synergies"
    label = "synergies"
    verbose_name = _("Synergies")
