from django.utils.translation import gettext_lazy as _

from echos.core import registry


class ParticipationConfig(registry.EchosAppConfig):
    """Public consultations, citizens' proposals, supports, comments, moderation and follow-up."""

    name = "echos.participation"
    label = "participation"
    page_cache = "echos.participation.pagecache"
    search = "echos.participation.sitesearch.find"
    kpis = "echos.participation.kpis"
    open_data = "echos.participation.opendata"
    verbose_name = _("Participation")
    privacy = "echos.participation.privacy"
    demo_loaders = ("echos.participation.demo.load_demo",)
    generator_steps = "echos.participation.generate"
    api_router = "echos.participation.api.router"
    urls = ("participate/", "echos.participation.urls")
    nav = (registry.NavItem("participation:index", _("Have your say"), 50),)

    def ready(self):
        # cycle: apps.py is imported while the app registry loads, the engine (models) after.
        from echos.participation.questions_i18n import INSTRUMENTS
        from echos.questionnaires.engine import register_catalogued

        # The shipped consultation questionnaire show their texts through the catalogues.
        register_catalogued(INSTRUMENTS)
