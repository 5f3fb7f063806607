"""Who may do what: every role against every participation action."""

import pytest

from echos.participation import permissions as perms

pytestmark = pytest.mark.django_db

ROLES = ["network", "coord_no", "coord_pt", "editor_no", "member_no", "anonymous"]

# action -> roles allowed on Norway's hub (or its consultation)
MATRIX = {
    "run_consultations": {"network", "coord_no", "editor_no"},
    "answer_proposals": {"network", "coord_no", "editor_no"},
    "moderate": {"network", "coord_no"},
    "export_answers": {"network", "coord_no"},
    "read_free_text": {"network", "coord_no"},
    "see_moderation_queue": {"network", "coord_no", "coord_pt"},
}


def check(action, user, hubs, consultation):
    hub = hubs["norway"]
    return {
        "run_consultations": lambda: perms.can_run_consultations(user, hub),
        "answer_proposals": lambda: perms.can_answer_proposals(user, hub),
        "moderate": lambda: perms.can_moderate(user, hub),
        "export_answers": lambda: perms.can_export_answers(user, consultation),
        "read_free_text": lambda: perms.can_read_free_text(user, consultation),
        "see_moderation_queue": lambda: perms.can_see_moderation_queue(user),
    }[action]()


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_matrix(action, role, personas, hubs, consultation):
    from django.contrib.auth.models import AnonymousUser

    user = personas[role] or AnonymousUser()
    assert check(action, user, hubs, consultation) == (role in MATRIX[action])


def test_coordinator_moderates_sub_hubs_but_not_parents(personas, hubs, make_user):
    from echos.hubs.models import HubRole

    regional = make_user("coord-vestland")
    HubRole.objects.create(user=regional, hub=hubs["vestland"], role="coordinator")
    assert perms.can_moderate(personas["coord_no"], hubs["bergen"])
    assert perms.can_moderate(regional, hubs["bergen"])
    assert not perms.can_moderate(regional, hubs["norway"])
    assert perms.moderated_hub_ids(regional) == {hubs["vestland"].pk, hubs["bergen"].pk}
    assert perms.moderated_hub_ids(personas["network"]) is None
