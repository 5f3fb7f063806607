"""Form pieces shared by every app: date inputs and the RuleViolation-to-field mixin."""

from typing import cast

from django import forms

from echos.core.exceptions import RuleViolation


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeLocalInput(forms.DateTimeInput):
    """A ``datetime-local`` input showing the value as given (an event's wall-clock time)."""

    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class DateTimeInput(forms.DateTimeInput):
    """A ``datetime-local`` input through Django's own formatting (empty values render no value)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ServiceFormMixin:
    """Turn a service's RuleViolation into an error on the field it names."""

    def add_rule_violation(self, exc: RuleViolation) -> None:
        form = cast(forms.BaseForm, self)
        # A translation's field (``translations.fr.title``) goes to its group of the form (#17).
        on_translation = getattr(self, "add_translation_violation", None)
        if on_translation is not None and on_translation(exc):
            return
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
