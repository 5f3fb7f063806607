from django.utils.translation import gettext_lazy as _

from echos.core import registry


class HubsConfig(registry.EchosAppConfig):
    """Hubs, organisations, memberships, lifecycle, map and directory."""

    name = "echos.hubs"
    label = "hubs"
    page_cache = "echos.hubs.pagecache"
    search = "echos.hubs.sitesearch.find"
    kpis = "echos.hubs.kpis"
    open_data = "echos.hubs.opendata"
    verbose_name = _("Hubs")
    privacy = "echos.hubs.privacy"
    revert_handlers = "echos.hubs.revert"
    demo_loaders = ("echos.hubs.demo.load_reference_hubs", "echos.hubs.demo.load_demo")
    generator_steps = "echos.hubs.generate"
    api_router = "echos.hubs.api.router"
    urls = ("", "echos.hubs.urls")
    nav = (
        registry.NavItem("hubs:home", _("Map"), 10),
        registry.NavItem("hubs:directory", _("Hubs"), 20),
        registry.NavItem("hubs:organisations", _("Organisations"), 30),
    )
