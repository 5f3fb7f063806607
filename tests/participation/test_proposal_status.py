"""A proposal states where it stands once (issue #16, defects item 3)."""

import pytest

from echos.participation import services

pytestmark = pytest.mark.django_db


def _answer_section(html: str) -> str:
    start = html.index('aria-labelledby="answer-heading"')
    return html[start : html.index("</section>", start)]


def test_unanswered_proposal_is_not_shown_as_answered(proposal, login):
    section = _answer_section(login(None).get(proposal.get_absolute_url()).content.decode())
    assert "Under consideration" in section and "the hub has not answered yet" in section
    assert "The hub&#x27;s answer:" not in section and "answered on" not in section


@pytest.mark.parametrize("status", ["under_consideration", "accepted", "not_taken"])
def test_answered_proposal_never_says_not_answered(proposal, personas, login, status):
    services.answer_proposal(
        actor=personas["coord_no"], proposal=proposal, status=status, reason="We discussed it."
    )
    section = _answer_section(login(None).get(proposal.get_absolute_url()).content.decode())
    proposal.refresh_from_db()
    assert proposal.get_status_display() in section
    assert "answered on" in section and "We discussed it." in section
    assert "not answered" not in section
    hub_page = login(None).get(f"/participate/hubs/{proposal.hub_id}/").content.decode()
    assert "Not answered yet" not in hub_page and "We discussed it." in hub_page


def test_hub_page_says_which_proposals_are_not_answered(proposal, login):
    hub_page = login(None).get(f"/participate/hubs/{proposal.hub_id}/").content.decode()
    assert "<em>Not answered yet</em>" in hub_page
