"""Background work of the engagement capability (see settings.HUEY): the weekly follow-up digest.

Every Monday morning each owner of open follow-up actions that are overdue or due within a week
gets one e-mail listing them. ``send_follow_up_digest`` is idempotent per ISO week: a follow-up
reminded this week (``last_reminded_at``) does not trigger a second e-mail, so a retried or
repeated run sends nothing new. It can be run by hand: ``echos shell -c
"from echos.engagement.tasks import send_follow_up_digest; send_follow_up_digest.call_local()"``.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from echos.core.i18n import preferred_language
from echos.core.languages import COUNTRY_LANGUAGE
from echos.engagement import services
from echos.engagement.models import FollowUp

SUBJECT = gettext_lazy("Your follow-up actions: %(overdue)d overdue, %(soon)d due soon")


def week_start(today: date) -> datetime:
    """Monday 00:00 (local time) of ``today``'s ISO week, as an aware datetime."""
    monday = today - timedelta(days=today.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def _language(follow_ups: list[FollowUp]) -> str:
    """For an owner who chose no language (``core.UserPreference``): the language of their
    (first) hub's country when the site offers it, else the site's default."""
    offered = {code for code, _name in settings.LANGUAGES}
    for f in follow_ups:
        code = COUNTRY_LANGUAGE.get(f.record.hub.country_id, "")
        if code in offered:
            return code
    return settings.LANGUAGE_CODE


def digest(today: date | None = None) -> int:
    """E-mail each owner their open overdue and soon-due follow-ups; returns the e-mails sent.

    Two queries to find the work (one for the follow-ups, one update per owner told), whatever
    the number of owners' actions; one e-mail per owner.
    """
    today = today or timezone.localdate()
    since = week_start(today)
    due = (
        services.open_follow_ups()
        .filter(
            owner__isnull=False,
            owner__is_active=True,
            due_date__lte=today + timedelta(days=services.SOON_DAYS),
        )
        .exclude(owner__email="")
        .select_related("record__hub", "owner")
        .order_by("owner_id", "due_date", "pk")
    )
    by_owner: dict[int, list[FollowUp]] = defaultdict(list)
    for f in due:
        by_owner[f.owner_id].append(f)
    sent = 0
    site = settings.SITE_URL.rstrip("/")
    for follow_ups in by_owner.values():
        if all(f.last_reminded_at and f.last_reminded_at >= since for f in follow_ups):
            continue  # told this week already
        owner = follow_ups[0].owner
        assert owner is not None  # filtered on owner__isnull=False
        overdue = [f for f in follow_ups if f.due_date < today]
        soon = [f for f in follow_ups if f.due_date >= today]
        with translation.override(preferred_language(owner) or _language(follow_ups)):
            body = render_to_string(
                "engagement/followup_digest.txt",
                {"owner": owner, "overdue": overdue, "soon": soon, "site_url": site},
            )
            subject = str(SUBJECT) % {"overdue": len(overdue), "soon": len(soon)}
        send_mail(subject, body, None, [owner.email])
        FollowUp.objects.filter(pk__in=[f.pk for f in follow_ups]).update(
            last_reminded_at=timezone.now()
        )
        sent += 1
    return sent


@db_periodic_task(crontab(day_of_week="1", hour="7", minute="30"))
def send_follow_up_digest() -> int:
    """The weekly digest of follow-up actions (Mondays 07:30)."""
    return digest()


# The network map's tasks live in their own module; importing them here lets huey find them.
from echos.engagement.network_tasks import (  # noqa: E402
    compute_network_map,  # noqa: F401
    nightly_network_map,  # noqa: F401
)
