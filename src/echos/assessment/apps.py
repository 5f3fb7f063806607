from django.utils.translation import gettext_lazy as _

from echos.core import registry


class AssessmentConfig(registry.EchosAppConfig):
    """Mapping survey, maturity self-assessment, consensus rounds and benchmarks."""

    name = "echos.assessment"
    label = "assessment"
    kpis = "echos.assessment.kpis"
    verbose_name = _("Assessment")
    privacy = "echos.assessment.privacy"
    revert_handlers = "echos.assessment.revert"
    demo_loaders = ("echos.assessment.demo.load_demo",)
    generator_steps = "echos.assessment.generate"
    api_router = "echos.assessment.api.router"
    urls = ("assessment/", "echos.assessment.urls")
    nav = (registry.NavItem("assessment:index", _("Assessment"), 80, access="signed_in"),)

    def ready(self):
        # cycle: apps.py is imported while the app registry loads, models only once it is ready.
        from echos.assessment.instruments_i18n import INSTRUMENTS
        from echos.assessment.services import organisation_names
        from echos.questionnaires.engine import register_catalogued, register_organisation_names

        # The questionnaire engine sits below hubs: it names the organisations an answer picks
        # through this lookup (the mapping survey asks for them).
        register_organisation_names(organisation_names)
        # The shipped mapping survey and maturity model show their texts through the catalogues.
        register_catalogued(INSTRUMENTS)
