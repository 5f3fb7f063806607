from django.utils.translation import gettext_lazy as _

from echos.core import registry


class SiteConfig(registry.EchosAppConfig):
    """The top layer: what gathers every app — privacy orchestration, backup, demo and data
    generation — reading each app's declarations (``echos.core.registry``)."""

    name = "echos.site"
    label = "site"
    verbose_name = _("Site")
