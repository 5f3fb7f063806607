"""E-mail addresses longer than RFC 5321 allows are refused wherever people type one, naming the
field (issue #16, defects item 6)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from echos.core import contributions
from echos.core.emails import EmailAddressField, validate_email_address
from echos.core.exceptions import RuleViolation
from echos.events import services as event_services
from echos.hubs import services as hub_services
from echos.hubs.services import invitations
from tests.events.conftest import make_event  # noqa: F401  (fixture)
from tests.participation.conftest import GOOD_ANSWERS, consultation, post_data  # noqa: F401


def make_address(local: int, total: int) -> str:
    """An address with a local part of ``local`` characters and ``total`` characters in all
    (domain labels of at most 63 characters, as DNS wants)."""
    domain = total - local - 1 - 4
    labels = ["b" * 63] * (domain // 64) + ["c" * (domain % 64 or 1)]
    result = "a" * local + "@" + ".".join(labels)
    return result + "." + "o" * (total - len(result) - 1)


LONG_LOCAL = "a" * 300 + "@example.org"
LOCAL_65 = "a" * 65 + "@example.org"
TOTAL_255 = make_address(60, 255)
LOCAL_MESSAGE = "before the @ may have at most 64 characters"


def test_validator_takes_64_and_254_and_refuses_one_more():
    validate_email_address("a" * 64 + "@example.org")
    validate_email_address(make_address(64, 254))
    assert len(make_address(64, 254)) == 254 and len(TOTAL_255) == 255
    for address, code in [
        (LONG_LOCAL, "local_part_too_long"),
        (LOCAL_65, "local_part_too_long"),
        (TOTAL_255, "address_too_long"),
        ("not an address", "invalid"),
    ]:
        with pytest.raises(ValidationError) as caught:
            validate_email_address(address)
        assert caught.value.code == code, address
    field = EmailAddressField(label="E-mail")
    with pytest.raises(ValidationError) as caught:
        field.clean(TOTAL_255)
    assert caught.value.messages == [
        "An e-mail address may have at most 254 characters (it has 255)."
    ]


def test_event_registration_page_refuses_a_300_character_local_part(client, make_event):  # noqa: F811
    event = make_event()
    data = {"name": "Ana", "email": LONG_LOCAL, "consent": "on"}
    response = client.post(reverse("events:register", args=[event.pk]), data)
    page = response.content.decode()
    assert response.status_code in (200, 422)
    assert 'id="id_email_error"' in page and LOCAL_MESSAGE in page
    assert event.registrations.count() == 0
    with pytest.raises(RuleViolation) as caught:
        event_services.register(event=event, name="Ana", email=LONG_LOCAL, consent=True)
    assert caught.value.field == "email" and LOCAL_MESSAGE in caught.value.message


def test_consultation_answer_refuses_a_300_character_local_part(login, consultation):  # noqa: F811
    response = login(None).post(
        consultation.get_absolute_url(), post_data(GOOD_ANSWERS, email=LONG_LOCAL)
    )
    page = response.content.decode()
    assert response.status_code != 302 and LOCAL_MESSAGE in page
    with pytest.raises(RuleViolation) as caught:
        contributions.participant(None, LONG_LOCAL)
    assert caught.value.field == "email" and LOCAL_MESSAGE in caught.value.message


def test_contact_person_and_invitation_refuse_too_long_addresses(hubs, personas, login):
    client = login(personas["coord_no"])
    response = client.post(
        f"/organisations/{hubs['ncs'].pk}/contacts/",
        {"name": "New Contact", "email": LOCAL_65},
        follow=True,
    )
    assert "E-mail: The part of the e-mail address before the @" in response.content.decode()
    assert not hubs["ncs"].contacts.filter(name="New Contact").exists()
    with pytest.raises(RuleViolation) as caught:
        hub_services.add_contact(
            actor=personas["coord_no"], organisation=hubs["ncs"], name="X", email=TOTAL_255
        )
    assert caught.value.field == "email"
    with pytest.raises(RuleViolation) as caught:
        invitations.invite(
            actor=personas["coord_no"], hub=hubs["norway"], email=LONG_LOCAL, role="editor"
        )
    assert caught.value.field == "email" and LOCAL_MESSAGE in caught.value.message


def test_password_reset_and_account_forms_refuse_too_long_addresses(client, personas):
    response = client.post(reverse("password_reset"), {"email": LONG_LOCAL})
    assert response.status_code == 200 and LOCAL_MESSAGE in response.content.decode()
    from echos.core.admin import EchosUserChangeForm

    user = personas["member_no"]
    form = EchosUserChangeForm(
        {"username": user.username, "email": LOCAL_65, "date_joined": "2026-01-01 10:00"},
        instance=user,
    )
    assert not form.is_valid() and LOCAL_MESSAGE in form.errors["email"][0]
