from django.utils.translation import gettext_lazy as _

from echos.core import registry


class EngagementConfig(registry.EchosAppConfig):
    """Stakeholder engagement records of the hubs (who was engaged, how, on what)."""

    name = "echos.engagement"
    label = "engagement"
    kpis = "echos.engagement.kpis"
    open_data = "echos.engagement.opendata"
    verbose_name = _("Engagement")
    privacy = "echos.engagement.privacy"
    demo_loaders = (
        "echos.engagement.demo.load_demo",
        "echos.engagement.demo_register.load_demo",
        "echos.engagement.demo_network.load_demo",
        "echos.engagement.demo_impact.load_demo",
    )
    imports = (
        ("stakeholders", "echos.engagement.imports.import_stakeholders"),
        ("engagement", "echos.engagement.imports.import_records"),
    )
    panels = (
        ("organisation", "echos.engagement.panels_register.organisation_relationships"),
        ("hub", "echos.engagement.panels_records.hub_follow_ups"),
        ("hub", "echos.engagement.panels_impact.hub_impact"),
    )
    generator_steps = "echos.engagement.generate"
    api_router = "echos.engagement.api.router"
    urls = ("engagement/", "echos.engagement.urls")
