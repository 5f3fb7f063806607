from django.utils.translation import gettext_lazy as _

from echos.core import registry


class ExchangeConfig(registry.EchosAppConfig):
    """Network of support: establishment roadmap, knowledge exchange, peers, twinning (#19)."""

    name = "echos.exchange"
    label = "exchange"
    verbose_name = _("Network of support")
    urls = ("exchange/", "echos.exchange.urls")
