"""The one contribution flow (core/contributions.py), on a model of its own: once per person, the
duplicate never revealed to anyone but its owner, one notice an hour, confirmation with a side
effect exactly once, expired links and pending entries."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import connection, models
from django.utils import timezone

from echos.core import contributions as flow
from echos.core.exceptions import Conflict, RuleViolation


class Entry(models.Model):
    """A contribution as any app stores it: account, address, when, confirmed when, a scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    email = models.CharField(max_length=254, blank=True)
    topic = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True)

    class Meta:
        app_label = "core"
        db_table = "test_contributions_entry"

    def __str__(self) -> str:
        return f"{self.topic} by {self.email or self.user_id}"


# Only this module knows the model: out of the registry, so no other test (backup, migrations) sees it.
apps.all_models["core"].pop("entry")
apps.clear_cache()

CONFIRMED: list[int] = []
PURPOSE = "tests.contributions"
ONCE = flow.register_kind(
    flow.ContributionKind(
        key="vote",
        model=Entry,
        token_purpose=PURPOSE,
        confirm_url="participation:confirm",  # any URL taking a token
        on_confirmed=lambda obj: CONFIRMED.append(obj.pk),
    )
)
MANY = flow.register_kind(
    flow.ContributionKind(
        key="note",
        model=Entry,
        token_purpose=PURPOSE,
        confirm_url="participation:confirm",
        once_per_person=False,
        on_confirmed=lambda obj: CONFIRMED.append(obj.pk),
    )
)
WORDING = flow.Wording(
    confirm_subject="Confirm your vote",
    confirm_intro="Thank you for voting.",
    done="voted on this",
    duplicate="You have already voted on this.",
    already_subject="You have already voted",
    already_what="vote on this",
)


@pytest.fixture(scope="module")
def entry_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Entry)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Entry)


@pytest.fixture(autouse=True)
def _clean(entry_table, db):
    CONFIRMED.clear()
    mail.outbox.clear()


def give(kind, user=None, email="", topic="a", now=None):
    return flow.contribute(
        kind,
        user=user,
        email=email,
        scope={"topic": topic},
        create=lambda account, address, at: Entry.objects.create(
            user=account,
            email=address,
            topic=topic,
            confirmed_at=at,
            created_at=now or timezone.now(),
        ),
        wording=WORDING,
        now=now,
    )


def test_email_normal_form_and_bad_addresses():
    assert flow.normalise_email("  Ana@Example.ORG ") == "ana@example.org"
    assert flow.participant(None, " Ana@Example.org") == (None, "ana@example.org")
    with pytest.raises(RuleViolation) as empty:
        flow.participant(None, "  ")
    with pytest.raises(RuleViolation) as bad:
        flow.participant(None, "not an address")
    assert empty.value.field == bad.value.field == "email"


def test_account_duplicate_is_a_conflict_and_counted_once(make_user):
    ana = make_user("ana", email="ana@example.org")
    first = give(ONCE, user=ana)
    assert first.confirmed_at is not None and CONFIRMED == [first.pk]
    with pytest.raises(Conflict) as again:
        give(ONCE, user=ana)
    assert again.value.field == "email" and "already voted on this" in again.value.message
    # The account's address typed without signing in is the same person: nothing new.
    assert give(ONCE, email="ANA@example.org") == first
    assert Entry.objects.count() == 1 and CONFIRMED == [first.pk]
    # Another scope is another contribution.
    assert give(ONCE, user=ana, topic="b") != first


def test_email_duplicate_returns_the_same_object_and_one_notice_an_hour():
    first = give(ONCE, email="ben@example.org")
    assert first.confirmed_at is None and CONFIRMED == []
    assert [m.subject for m in mail.outbox] == ["Confirm your vote"]
    mail.outbox.clear()
    for _ in range(3):
        assert give(ONCE, email=" Ben@Example.org ") == first
    assert Entry.objects.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ben@example.org"]
    notice = mail.outbox[0]
    assert notice.subject == "You have already voted" and "/participate/confirm/" in notice.body


def test_an_account_signing_in_after_an_email_entry_is_told(make_user):
    first = give(ONCE, email="cai@example.org")
    cai = make_user("cai", email="cai@example.org")
    with pytest.raises(Conflict) as again:
        give(ONCE, user=cai)
    assert "confirm it with the link" in again.value.message
    assert Entry.objects.get() == first


def test_pending_confirmed_once_side_effect_once():
    pending = give(ONCE, email="dee@example.org")
    token = flow.confirmation_token(ONCE, pending)
    for _ in range(2):
        key, obj = flow.confirm(token, purpose=PURPOSE)
        assert key == "vote" and obj == pending
    pending.refresh_from_db()
    assert pending.confirmed_at is not None and CONFIRMED == [pending.pk]
    # A many-times kind: each entry is its own contribution, each confirmed once.
    notes = [give(MANY, email="dee@example.org") for _ in range(2)]
    assert len(set(notes)) == 2
    for note in notes:
        flow.confirm(flow.confirmation_token(MANY, note), purpose=PURPOSE)
    assert CONFIRMED == [pending.pk, *[n.pk for n in notes]]


def test_can_confirm_refuses_without_confirming():
    def closed(obj, now):
        raise RuleViolation("Closed.", "token")

    strict = flow.ContributionKind(
        key="late", model=Entry, token_purpose="tests.strict", can_confirm=closed
    )
    flow.register_kind(strict)
    entry = Entry.objects.create(email="eve@example.org", topic="a")
    with pytest.raises(RuleViolation):
        flow.confirm(flow.confirmation_token(strict, entry), purpose="tests.strict")
    entry.refresh_from_db()
    assert entry.confirmed_at is None


def test_expired_link_and_expired_pending_entry():
    old = timezone.now() - timedelta(hours=flow.PENDING_HOURS + 1)
    stale = give(ONCE, email="fay@example.org", now=old)
    token = flow.confirmation_token(ONCE, stale)
    later = timezone.now() + timedelta(hours=flow.PENDING_HOURS + 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        with pytest.raises(RuleViolation) as expired:
            flow.confirm(token, purpose=PURPOSE)
    assert expired.value.field == "token" and CONFIRMED == []
    # The expired pending entry does not count as taking part: a new one replaces it.
    fresh = give(ONCE, email="fay@example.org")
    assert fresh != stale and list(Entry.objects.all()) == [fresh]


def test_links_of_unknown_kinds_or_withdrawn_entries_are_refused():
    from echos.core.abuse import make_token

    with pytest.raises(RuleViolation):
        flow.confirm(make_token(PURPOSE, {"k": "user", "id": 1}), purpose=PURPOSE)
    gone = give(ONCE, email="gus@example.org")
    token = flow.confirmation_token(ONCE, gone)
    gone.delete()
    with pytest.raises(RuleViolation) as withdrawn:
        flow.confirm(token, purpose=PURPOSE)
    assert "no longer valid" in withdrawn.value.message


# An e-mail kind as event registrations use it: the address says who it is, cancelled rows do not
# count, and the app sends its own (queued) mails through the hooks.
BY_EMAIL = flow.register_kind(
    flow.ContributionKind(
        key="seat",
        model=Entry,
        token_purpose="tests.seats",
        identity="email",
        drop_expired=False,
        exclude=(("topic", "cancelled"),),
    )
)


def take_seat(user=None, email="", sent=None):
    sent = [] if sent is None else sent
    return flow.contribute(
        BY_EMAIL,
        user=user,
        email=email,
        create=lambda account, address, at: Entry.objects.create(
            user=account, email=address, topic="seat", confirmed_at=at
        ),
        wording=flow.Wording(conflict=f"{email} is already registered."),
        notify_already=lambda previous, address: sent.append(("already", previous.pk, address)),
        notify_pending=lambda made, address: sent.append(("confirm", made.pk, address)),
    )


def test_email_kind_owner_conflict_others_get_the_same_object(make_user):
    hal = make_user("hal", email="hal@example.org")
    sent = []
    own = take_seat(user=hal, email="HAL@example.org", sent=sent)
    assert own.confirmed_at is not None and own.user == hal and sent == []
    with pytest.raises(Conflict) as again:
        take_seat(user=hal, email="hal@example.org")
    assert again.value.message == "hal@example.org is already registered."
    # Somebody else, signed in or not, typing that address: same answer as a first time.
    ida = make_user("ida", email="ida@example.org")
    for user in (None, ida, None):
        assert take_seat(user=user, email="hal@example.org", sent=sent) == own
    assert sent == [("already", own.pk, "hal@example.org")]  # once an hour
    # A signed-in person registering another address: pending, confirmed by that address.
    other = take_seat(user=ida, email="jo@example.org", sent=sent)
    assert other.confirmed_at is None and sent[-1] == ("confirm", other.pk, "jo@example.org")


def test_email_kind_ignores_excluded_rows():
    cancelled = Entry.objects.create(email="kim@example.org", topic="cancelled")
    assert take_seat(email="kim@example.org") != cancelled


def test_a_duplicate_caught_by_the_database_is_answered_like_one_found(make_user, monkeypatch):
    """Two submissions at once: the lookup saw nothing, the unique constraint refused the second."""
    from django.db import IntegrityError

    real, sent = flow.existing, []

    def racing(kind, user, email="", **wording):
        calls = {"n": 0}

        def existing_once_blind(*args, **kwargs):
            calls["n"] += 1
            return None if calls["n"] == 1 else real(*args, **kwargs)

        def create(account, address, at):
            raise IntegrityError("unique")

        monkeypatch.setattr(flow, "existing", existing_once_blind)
        return flow.contribute(
            kind,
            user=user,
            email=email,
            scope={"topic": "race"},
            create=create,
            wording=flow.Wording(**wording),
            notify_already=lambda previous, address: sent.append(previous.pk),
        )

    lee = make_user("lee", email="lee@example.org")
    earlier = Entry.objects.create(email="lee@example.org", topic="race")
    assert racing(ONCE, None, "lee@example.org") == earlier and sent == [earlier.pk]
    with pytest.raises(Conflict) as mine:
        racing(ONCE, lee, duplicate="You have already voted on this.")
    assert mine.value.message == "You have already voted on this."
    with pytest.raises(Conflict) as owner:
        racing(BY_EMAIL, lee, "lee@example.org", conflict="Already registered.")
    assert owner.value.message == "Already registered."
    with pytest.raises(IntegrityError):
        racing(BY_EMAIL, None, "nobody@example.org")


# An e-mail kind with its own normal form (events keep the local part's case): the address is
# stored as that form gives it, and the same address in another case is still the same person.
def _domain_lower(email: str) -> str:
    local, _at, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


CASED = flow.register_kind(
    flow.ContributionKind(
        key="cased",
        model=Entry,
        token_purpose="tests.cased",
        identity="email",
        normal_form=_domain_lower,
    )
)


def test_an_email_kind_may_keep_the_case_of_the_address(make_user):
    sent = []

    def cased(user=None, email=""):
        return flow.contribute(
            CASED,
            user=user,
            email=email,
            create=lambda account, address, at: Entry.objects.create(
                user=account, email=address, topic="cased", confirmed_at=at
            ),
            wording=flow.Wording(conflict="Already."),
            notify_already=lambda previous, address: sent.append(("already", address)),
            notify_pending=lambda made, address: sent.append(("confirm", address)),
        )

    first = cased(email="  Mia.Ray@Example.ORG ")
    assert first.email == "Mia.Ray@example.org"
    assert sent == [("confirm", "Mia.Ray@example.org")]
    assert cased(email="mia.ray@example.org") == first  # the same person, in another case
    assert sent[-1] == ("already", "mia.ray@example.org")
    mia = make_user("mia", email="mia.ray@example.org")
    with pytest.raises(Conflict):
        cased(user=mia, email="MIA.RAY@EXAMPLE.ORG")
    assert Entry.objects.filter(topic="cased").count() == 1
    # The default normal form (participation's) is unchanged: the whole address in lower case.
    assert take_seat(email=" Ned@Example.ORG ").email == "ned@example.org"
