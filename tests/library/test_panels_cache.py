"""The maturity page's next steps kept per reader scope and data version (issue #18): read once,
shown again without a query, changed by the next committed write, and never one reader's
resources shown to another (denied twins)."""

from django.db import DEFAULT_DB_ALIAS, connections

from echos.core import pagecache
from echos.library import panels
from tests.library.test_panels import make, request_of


def settle() -> None:
    """Bump the topics of writes made in the test's transaction, as their commit would."""
    pending = connections[DEFAULT_DB_ALIAS].__dict__.get("_echos_pagecache")
    if pending is not None:
        pending.flush()


def steps(user, language="en") -> str:
    return panels.next_steps(request_of(user, language), {"dimension": "funding"})


def test_next_steps_are_read_once_per_data_version(hubs, personas, django_assert_num_queries):
    pagecache.bump_all()
    make("Funding guide")
    settle()
    assert "Funding guide" in steps(personas["member_no"])
    with django_assert_num_queries(0):
        assert "Funding guide" in steps(personas["member_no"])
    make("Second funding guide")
    settle()  # the commit of the new resource
    assert "Second funding guide" in steps(personas["member_no"])


def test_a_hub_resource_kept_for_its_team_never_reaches_another_reader(hubs, personas):
    pagecache.bump_all()
    make("Norway team budget", visibility="hub", hub=hubs["norway"])
    make("Network budget notes", visibility="network")
    settle()
    assert "Norway team budget" in steps(personas["member_no"])
    assert "Norway team budget" in steps(personas["network"])
    for persona in ("coord_pt", "anonymous"):
        html = steps(personas[persona])
        assert "Norway team budget" not in html, persona
    assert "Network budget notes" not in steps(personas["anonymous"])
    assert "Network budget notes" in steps(personas["coord_pt"])


def test_a_role_granted_shows_the_teams_resources_on_the_next_request(hubs, personas):
    from echos.hubs.models import HubRole

    pagecache.bump_all()
    make("Norway team budget", visibility="hub", hub=hubs["norway"])
    settle()
    user = personas["coord_pt"]
    assert "Norway team budget" not in steps(user)
    HubRole.objects.create(user=user, hub=hubs["norway"], role=HubRole.Role.MEMBER)
    settle()
    assert "Norway team budget" in steps(user)
