from django.utils.translation import gettext_lazy as _

from echos.core import registry


class ConsortiumConfig(registry.EchosAppConfig):
    """The ECHoS consortium: programme facts, partners, work plan, milestones, deliverables,
    reporting periods and project risks, with their public sources (#15)."""

    name = "echos.consortium"
    label = "consortium"
    kpis = "echos.consortium.kpis"
    open_data = "echos.consortium.opendata"
    verbose_name = _("Consortium")
    api_router = "echos.consortium.api.router"
    urls = ("consortium/", "echos.consortium.urls")
