from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Countries, vocabularies, accounts and roles, audit log."""

    name = "echos.core"
    label = "core"
    verbose_name = _("Core")
