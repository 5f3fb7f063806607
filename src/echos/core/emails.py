"""The one check of an e-mail address that people type (registration, consultation, proposals,
contact people, invitations, accounts): Django's syntax check plus the lengths of RFC 5321.

Django's own validator accepts a local part of any length up to 320 characters in all, which no
mail server delivers to: RFC 5321 allows at most 64 characters before the "@" and 254 in the
whole address (section 4.5.3.1 and its errata). Forms use ``EmailAddressField``, services
``validate_email_address``; both give a message that says what is wrong.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LOCAL_MAX = 64

ADDRESS_MAX = 254


class AddressValidator(EmailValidator):
    """Django's e-mail syntax check, after RFC 5321's limits on the local part and the whole."""

    message = gettext_lazy("Enter a valid e-mail address.")

    def __call__(self, value):
        value = str(value or "")
        local = value.rpartition("@")[0]
        if len(local) > LOCAL_MAX:
            raise ValidationError(
                _(
                    "The part of the e-mail address before the @ may have at most %(max)d "
                    "characters (it has %(n)d)."
                )
                % {"max": LOCAL_MAX, "n": len(local)},
                code="local_part_too_long",
            )
        if len(value) > ADDRESS_MAX:
            raise ValidationError(
                _("An e-mail address may have at most %(max)d characters (it has %(n)d).")
                % {"max": ADDRESS_MAX, "n": len(value)},
                code="address_too_long",
            )
        super().__call__(value)


validate_email_address = AddressValidator()


class EmailAddressField(forms.EmailField):
    """An e-mail form field with RFC 5321's lengths (and no second, vaguer length message)."""

    default_validators = [validate_email_address]

    def __init__(self, **kwargs):
        kwargs["max_length"] = ADDRESS_MAX
        super().__init__(**kwargs)
        # The validator says how long the address may be; Django's length check would add a
        # second, vaguer message.
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
