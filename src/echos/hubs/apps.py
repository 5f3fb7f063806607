from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    """Hubs, organisations, memberships, lifecycle, map and directory."""

    name = "echos.hubs"
    label = "hubs"
    verbose_name = _("Hubs")
