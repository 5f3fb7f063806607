from django.utils.translation import gettext_lazy as _

from echos.core import registry


class EngagementConfig(registry.EchosAppConfig):
    """Stakeholder engagement records of the hubs (who was engaged, how, on what)."""

    name = "echos.engagement"
    label = "engagement"
    verbose_name = _("Engagement")
    privacy = "echos.engagement.privacy"
    demo_loaders = ("echos.engagement.demo.load_demo",)
    generator_steps = "echos.engagement.generate"
    api_router = "echos.engagement.api.router"
    urls = ("engagement/", "echos.engagement.urls")
