from django.utils.translation import gettext_lazy as _

from echos.core import registry


class EventsConfig(registry.EchosAppConfig):
    """Calendar of events, registration with waitlists, iCalendar feeds and the participation gap."""

    name = "echos.events"
    label = "events"
    page_cache = "echos.events.pagecache"
    search = "echos.events.sitesearch.find"
    kpis = "echos.events.kpis"
    open_data = "echos.events.opendata"
    verbose_name = _("Events")
    privacy = "echos.events.privacy"
    demo_loaders = ("echos.events.demo.load_demo",)
    generator_steps = "echos.events.generate"
    api_router = "echos.events.api.router"
    urls = ("events/", "echos.events.urls")
    nav = (registry.NavItem("events:calendar", _("Events"), 40),)

    def ready(self):
        # cycle: apps.py is imported while the app registry loads, the engine (models) after.
        from echos.events.questions_i18n import INSTRUMENTS
        from echos.questionnaires.engine import register_catalogued

        # The shipped registration questions show their texts through the catalogues.
        register_catalogued(INSTRUMENTS)
