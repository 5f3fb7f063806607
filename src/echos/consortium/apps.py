from django.utils.translation import gettext_lazy as _

from echos.core import registry


class ConsortiumConfig(registry.EchosAppConfig):
    """The ECHoS consortium: programme facts, partners, work plan, milestones, deliverables,
    reporting periods and project risks, with their public sources (#15).

    No privacy section: the app stores organisations, never people (edits are attributed in the
    core audit log, which core's privacy section covers).
    """

    name = "echos.consortium"
    label = "consortium"
    kpis = "echos.consortium.kpis"
    open_data = "echos.consortium.opendata"
    verbose_name = _("Consortium")
    api_router = "echos.consortium.api.router"
    urls = ("consortium/", "echos.consortium.urls")
    demo_loaders = (
        "echos.consortium.demo.load_reference_consortium",
        "echos.consortium.demo.load_demo",
    )
    # No header link: the header is for the hubs' everyday work; the footer of every page links
    # to the consortium beside "About" (templates/base.html).
