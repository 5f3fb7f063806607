"""E-mails of the network of support, composed here and sent by the background tasks
(``exchange.tasks``) once the transaction commits (a rollback sends nothing)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy

from echos.core.models import User
from echos.exchange.models import Commitment, SupportRequest
from echos.hubs.models import Hub, HubRole

SUBJECTS = {
    "request_created": gettext_lazy("Support request: %(title)s"),
    "request_answered": gettext_lazy("New answer to the support request: %(title)s"),
    "commitments_overdue": gettext_lazy("Overdue commitments of %(title)s"),
}


def after_commit(kind: str, pk: int) -> None:
    """Queue the e-mail once the transaction has committed."""
    # cycle: echos.exchange.tasks imports this module
    from echos.exchange.tasks import send_exchange_email

    transaction.on_commit(lambda: send_exchange_email(kind, pk))


def team_addresses(hubs: list[Hub]) -> list[str]:
    """E-mail addresses of the coordinators and editors of ``hubs``."""
    users = User.objects.filter(
        hub_roles__hub__in=hubs,
        hub_roles__role__in=[HubRole.Role.COORDINATOR, HubRole.Role.EDITOR],
        is_active=True,
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _network_addresses() -> list[str]:
    users = User.objects.filter(is_network_coordinator=True, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(kind: str, title: str, template: str, context: dict, to: list[str]) -> int:
    if not to:
        return 0
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL.rstrip("/")})
    send_mail(str(SUBJECTS[kind]) % {"title": title}, body, None, to)
    return len(to)


def send_now(kind: str, pk: int) -> int:
    """Compose and send one e-mail; returns the number of recipients (0 when the object is gone)."""
    if kind == "commitments_overdue":
        hub = Hub.objects.filter(pk=pk).first()
        if hub is None:
            return 0
        due = list(Commitment.objects.overdue().filter(hub=hub).select_related("session__event"))
        return _send(
            kind,
            hub.name_en,
            "exchange/email_overdue.txt",
            {"hub": hub, "commitments": due},
            team_addresses([hub]),
        )
    request = SupportRequest.objects.select_related("hub").filter(pk=pk).first()
    if request is None:
        return 0
    if kind == "request_created":
        to = team_addresses(list(request.asked_hubs.all()))
        if request.visibility == SupportRequest.Visibility.NETWORK:
            to = sorted(set(to) | set(_network_addresses()))
    else:
        to = team_addresses([request.hub])
        if request.created_by is not None and request.created_by.email:
            to = sorted(set(to) | {request.created_by.email})
    return _send(
        kind, request.title, "exchange/email_request.txt", {"request": request, "kind": kind}, to
    )


def flag_overdue(today=None) -> int:
    """E-mail each hub once about its newly overdue commitments; returns the hubs told."""
    today = today or timezone.localdate()
    due = Commitment.objects.overdue(today).filter(overdue_notified_on__isnull=True)
    hub_ids = sorted(set(due.values_list("hub_id", flat=True)))
    for hub_id in hub_ids:
        send_now("commitments_overdue", hub_id)
    due.update(overdue_notified_on=today)
    return len(hub_ids)
