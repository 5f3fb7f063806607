"""The admin shows participation and its moderation history to network coordinators only."""

import pytest

from echos.participation import services

pytestmark = pytest.mark.django_db


def test_network_coordinators_see_moderation_in_the_admin(login, personas, proposal):
    services.moderate(actor=personas["network"], target=proposal, action="hide", reason="Spam")
    client = login(personas["network"])
    for path in [
        "/admin/participation/proposal/",
        f"/admin/participation/proposal/{proposal.pk}/change/",
        "/admin/participation/moderationaction/",
        "/admin/participation/consultation/",
        "/admin/participation/report/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
    history = client.get("/admin/participation/moderationaction/").content.decode()
    assert "Spam" in history
    assert client.get("/admin/participation/moderationaction/add/").status_code == 403
    assert login(personas["coord_no"]).get("/admin/participation/proposal/").status_code == 302
