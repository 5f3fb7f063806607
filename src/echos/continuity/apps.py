from django.utils.translation import gettext_lazy as _

from echos.core import registry


class ContinuityConfig(registry.EchosAppConfig):
    """Business continuity and operations model of the hubs and of their network (#12)."""

    name = "echos.continuity"
    label = "continuity"
    kpis = "echos.continuity.kpis"
    verbose_name = _("Continuity")
    privacy = "echos.continuity.privacy"
    revert_handlers = "echos.continuity.revert"
    demo_loaders = ("echos.continuity.demo.load_demo",)
    generator_steps = "echos.continuity.generate"
    api_router = "echos.continuity.api.router"
    urls = ("continuity/", "echos.continuity.urls")
    nav = (registry.NavItem("continuity:network", _("Continuity"), 85, access="coordinator"),)
    panels = (("hub", "echos.continuity.panels.hub_panel"),)
    stage_guards = ("echos.continuity.guards.sustained",)
