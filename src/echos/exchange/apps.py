from django.utils.translation import gettext_lazy as _

from echos.core import registry


class ExchangeConfig(registry.EchosAppConfig):
    """Network of support: establishment roadmap, knowledge exchange, peers, twinning (#19)."""

    name = "echos.exchange"
    label = "exchange"
    kpis = "echos.exchange.kpis"
    open_data = "echos.exchange.opendata"
    verbose_name = _("Network of support")
    urls = ("exchange/", "echos.exchange.urls")
    api_router = "echos.exchange.api.router"
    privacy = "echos.exchange.privacy"
    revert_handlers = "echos.exchange.revert"
    demo_loaders = ("echos.exchange.demo.load_demo",)
    nav = (registry.NavItem("exchange:home", _("Support network"), 45, access="signed_in"),)
    panels = (
        ("country", "echos.exchange.panels.country_panel"),
        ("hub", "echos.exchange.panels.hub_panel"),
    )
