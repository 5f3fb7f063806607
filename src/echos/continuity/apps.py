from django.utils.translation import gettext_lazy as _

from echos.core import registry


class ContinuityConfig(registry.EchosAppConfig):
    """Business continuity and operations model of the hubs and of their network (#12)."""

    name = "echos.continuity"
    label = "continuity"
    verbose_name = _("Continuity")
