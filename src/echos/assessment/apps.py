from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """Questionnaire engine, mapping survey, maturity self-assessment and benchmarks."""

    name = "echos.assessment"
    label = "assessment"
    verbose_name = _("Assessment")
