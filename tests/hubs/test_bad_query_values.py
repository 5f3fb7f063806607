"""Bad query values on hub pages are ignored, never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "99999999999999999999", "١"])
def test_new_hub_ignores_a_parent_that_is_not_a_hub_number(hubs, personas, login, value):
    response = login(personas["network"]).get("/hubs/new/", {"parent": value})
    assert response.status_code == 200
    assert response.context["form"].initial == {}


def test_new_hub_still_takes_a_valid_parent(hubs, personas, login):
    response = login(personas["network"]).get("/hubs/new/", {"parent": hubs["norway"].pk})
    assert response.status_code == 200
    assert response.context["form"].initial["parent"] == hubs["norway"]
