"""Who may read and change the consortium's records.

Everything but the risks is public: the facts come from public sources and the work plan of a
funded action is published. The risk table is an internal management tool: network coordinators
(the secretariat) and the signed-in staff of a partner organisation (an account linked to a contact
person of a partner) read it. Only network coordinators change anything.
"""

from echos.core.roles import is_network_coordinator
from echos.hubs.models import Person


def can_edit_consortium(user) -> bool:
    """The secretariat keeps the consortium's records."""
    return is_network_coordinator(user)


def is_partner_staff(user) -> bool:
    """A signed-in account linked to a contact person of a partner organisation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Person.objects.filter(
        user=user, organisation__consortium_partners__isnull=False
    ).exists()


def can_view_risks(user) -> bool:
    """The risk table: the secretariat and the partners' own staff."""
    return is_network_coordinator(user) or is_partner_staff(user)
