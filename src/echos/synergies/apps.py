from django.utils.translation import gettext_lazy as _

from echos.core import registry


class SynergiesConfig(registry.EchosAppConfig):
    """European initiatives, hub activities, the synergy engine and synergy links."""

    name = "echos.synergies"
    label = "synergies"
    page_cache = "echos.synergies.pagecache"
    search = "echos.synergies.sitesearch.find"
    kpis = "echos.synergies.kpis"
    open_data = "echos.synergies.opendata"
    verbose_name = _("Synergies")
    privacy = "echos.synergies.privacy"
    demo_loaders = ("echos.synergies.demo.load_demo",)
    generator_steps = "echos.synergies.generate"
    api_router = "echos.synergies.api.router"
    urls = ("synergies/", "echos.synergies.urls")
    nav = (registry.NavItem("synergies:catalogue", _("Synergies"), 60),)
