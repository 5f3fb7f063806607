"""The generator gives every generated hub a funding model; the network view reads them in a
fixed number of queries, whatever the number of hubs."""

from echos.continuity.models import CostLine, FundingStream, HubModel
from echos.site.generate import generate

TINY = {
    "hubs": 70,
    "organisations": 300,
    "memberships": 900,
    "events": 120,
    "registrations": 600,
    "consultation_answers": 200,
    "engagement_records": 200,
}


def test_generated_hubs_have_models_and_the_network_view_is_bulk(
    db, make_user, login, django_assert_max_num_queries
):
    created = generate(scale="small", seed=5, batch=97, **TINY)
    assert created["continuity_models"] > 0
    hubs = HubModel.objects.count()
    assert hubs >= 60 and CostLine.objects.count() == hubs * 3
    assert FundingStream.objects.count() >= hubs * 2
    client = login(make_user("continuity-network", is_network_coordinator=True))
    with django_assert_max_num_queries(40):
        response = client.get("/continuity/network/")
    assert response.status_code == 200
    assert response.context["hubs_count"] == hubs
    assert response.context["cliffs"] and response.context["dependent"]
