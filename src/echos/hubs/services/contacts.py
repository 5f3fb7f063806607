"""Contact people of organisations (personal data: kept out of the audit log)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.emails import validate_email_address
from echos.core.exceptions import RuleViolation, guard
from echos.hubs import permissions as perms
from echos.hubs.models import Organisation, Person


@transaction.atomic
def add_contact(
    *,
    actor,
    organisation: Organisation,
    name: str,
    email: str = "",
    phone: str = "",
    position: str = "",
    user=None,
    is_demo: bool = False,
) -> Person:
    """Record a contact person of an organisation (private data)."""
    guard(perms.can_edit_organisation(actor, organisation), actor)
    if not name.strip():
        raise RuleViolation(_("Give the person's name."), "name")
    email = (email or "").strip()
    if email:
        try:
            validate_email_address(email)
        except ValidationError as exc:
            raise RuleViolation(exc.messages[0], "email") from None
    person = Person.objects.create(
        organisation=organisation,
        name=name.strip(),
        email=email,
        phone=phone,
        position=position,
        user=user,
        is_demo=is_demo,
    )
    # Personal data stays out of the audit log: only the fact and the id.
    log_action(
        actor=actor, action="hubs.contact.created", target=organisation, data={"person": person.pk}
    )
    return person


@transaction.atomic
def delete_contact(*, actor, person: Person) -> None:
    """Erase a contact person."""
    guard(perms.can_edit_organisation(actor, person.organisation), actor)
    log_action(
        actor=actor,
        action="hubs.contact.deleted",
        target=person.organisation,
        data={"person": person.pk},
    )
    person.delete()
