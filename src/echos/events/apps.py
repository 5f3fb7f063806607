from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Calendar of events, registration with waitlists, iCalendar feeds and the participation gap."""

    name = "echos.events"
    label = "events"
    verbose_name = _("Events")
