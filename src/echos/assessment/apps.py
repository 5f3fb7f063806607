from django.utils.translation import gettext_lazy as _

from echos.core import registry


class AssessmentConfig(registry.EchosAppConfig):
    """Questionnaire engine, mapping survey, maturity self-assessment and benchmarks."""

    name = "echos.assessment"
    label = "assessment"
    verbose_name = _("Assessment")
    privacy = "echos.assessment.privacy"
    revert_handlers = "echos.assessment.revert"
    demo_loaders = ("echos.assessment.demo.load_demo",)
    generator_steps = "echos.assessment.generate"
    api_router = "echos.assessment.api.router"
    urls = ("assessment/", "echos.assessment.urls")
    nav = (registry.NavItem("assessment:index", _("Assessment"), 80, access="signed_in"),)

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from echos.assessment.engine import clear_vocabulary_cache
        from echos.core.models import Term

        post_save.connect(
            clear_vocabulary_cache, sender=Term, dispatch_uid="assessment-vocabulary-save"
        )
        post_delete.connect(
            clear_vocabulary_cache, sender=Term, dispatch_uid="assessment-vocabulary-delete"
        )
