from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from echos.core import registry


class QuestionnairesConfig(registry.EchosAppConfig):
    """The one questionnaire engine: versioned instruments, question types, validation and display.

    Below hubs and the features: the mapping survey and the maturity model (assessment), event
    registration questions (events) and consultations (participation) are instruments of it.
    """

    name = "echos.questionnaires"
    label = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self):
        # cycle: apps.py is imported while the app registry loads, models only once it is ready.
        from echos.core.models import Term
        from echos.questionnaires.engine import clear_vocabulary_cache

        post_save.connect(
            clear_vocabulary_cache, sender=Term, dispatch_uid="questionnaires-vocabulary-save"
        )
        post_delete.connect(
            clear_vocabulary_cache, sender=Term, dispatch_uid="questionnaires-vocabulary-delete"
        )
