"""Who answers, reads answers and evidence, and sees scores: pages and API alike."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from echos.assessment import services

pytestmark = pytest.mark.django_db

ROLES = ["network", "coord_no", "coord_pt", "editor_no", "member_no", "anonymous"]


@pytest.fixture
def submitted(instruments, hubs, personas, levels_answers):
    """Norway's submitted (private) assessment with an evidence file."""
    response = services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )
    evidence = services.add_evidence(
        actor=personas["coord_no"],
        response=response,
        question="governance_level",
        upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )
    services.submit_response(
        actor=personas["coord_no"], response=response, answers=levels_answers(3)
    )
    response.refresh_from_db()
    return response, evidence


READERS = {"network", "coord_no", "editor_no"}


@pytest.mark.parametrize("role", ROLES)
def test_reading_answers_and_evidence(submitted, personas, login, token_client, role):
    response, evidence = submitted
    client = login(personas[role])
    page = client.get(f"/assessment/responses/{response.pk}/")
    download = client.get(f"/assessment/evidence/{evidence.pk}/")
    api = token_client(personas[role]).get(f"/api/v1/responses/{response.pk}")
    if role in READERS:
        assert page.status_code == 200 and "minutes.pdf" in page.content.decode()
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert download["Content-Type"] == "application/octet-stream"
        assert api.status_code == 200 and api.json()["answers"]["governance_level"] == 3
    else:
        assert page.status_code == 403
        assert download.status_code in (302, 403)
        assert api.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_public_answers_are_readable_by_everyone(submitted, personas, login, role):
    response, _evidence = submitted
    response.is_public = True
    response.save()
    assert login(personas[role]).get(f"/assessment/responses/{response.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("role", "hub", "allowed"),
    [
        ("network", "portugal", True),
        ("coord_no", "norway", True),
        ("coord_no", "bergen", True),
        ("coord_no", "portugal", False),
        ("coord_pt", "norway", False),
        ("editor_no", "norway", True),
        ("member_no", "norway", False),
    ],
)
def test_who_answers_for_a_hub(instruments, hubs, personas, token_client, role, hub, allowed):
    body = json.dumps({"instrument": "ncmh-maturity", "hub": hubs[hub].pk})
    response = token_client(personas[role]).post(
        "/api/v1/responses", body, content_type="application/json"
    )
    assert response.status_code == (201 if allowed else 403)


def test_only_the_respondent_changes_a_draft(instruments, hubs, personas, token_client):
    draft = services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )
    body = json.dumps({"answers": {"governance_level": 4}})
    other = token_client(personas["editor_no"]).patch(
        f"/api/v1/responses/{draft.pk}", body, content_type="application/json"
    )
    assert other.status_code == 403
    own = token_client(personas["coord_no"]).patch(
        f"/api/v1/responses/{draft.pk}", body, content_type="application/json"
    )
    assert own.status_code == 200 and own.json()["answers"] == {"governance_level": 4}


@pytest.mark.parametrize("role", ROLES)
def test_scores_of_a_hub(submitted, hubs, personas, login, role):
    status = login(personas[role]).get(f"/assessment/hubs/{hubs['norway'].pk}/").status_code
    assert status == (200 if role in {"network", "coord_no", "editor_no", "member_no"} else 403)


@pytest.mark.parametrize("role", ROLES)
def test_network_view_and_mapping_analysis_are_for_the_secretariat(
    submitted, personas, login, token_client, role
):
    client = login(personas[role])
    for url in ["/assessment/network/", "/assessment/mapping/", "/assessment/network/maturity.csv"]:
        status = client.get(url).status_code
        assert status == (200 if role == "network" else (302 if role == "anonymous" else 403)), url
    api = token_client(personas[role]).get("/api/v1/maturity")
    assert api.status_code == (200 if role == "network" else (401 if role == "anonymous" else 403))


# --- other hubs' private results ------------------------------------------------------------------
#
# A hub that keeps its maturity private is never named, nor its levels shown, to people who may
# not see them: not as a peer to learn from, not through its earlier assessments, not through a
# median over too few hubs. The network (and each hub's own team) still sees everything.


def _assess(instruments, personas, hub, levels, *, public):
    r = services.start_response(
        actor=personas["network"], instrument=instruments["maturity"], hub=hub
    )
    return services.submit_response(
        actor=personas["network"], response=r, answers=levels, is_public=public
    )


@pytest.fixture
def benchmark(instruments, hubs, personas, levels_answers):
    """Norway public at level 2; Portugal private at 5 and Bergen public at 4 (stronger peers)."""
    _assess(instruments, personas, hubs["portugal"], levels_answers(5), public=False)
    _assess(instruments, personas, hubs["bergen"], levels_answers(4), public=True)
    _assess(instruments, personas, hubs["norway"], levels_answers(2), public=True)
    return hubs


def _peer_names(body) -> set[str]:
    return {p["name"] for r in body["recommendations"] for p in r["peers"]}


@pytest.mark.parametrize(
    ("role", "sees_portugal"),
    [
        ("anonymous", False),
        ("member_no", False),
        ("editor_no", False),
        ("coord_no", False),
        ("coord_pt", True),  # Portugal's own team
        ("network", True),
    ],
)
def test_private_peers_are_not_named_in_recommendations(
    benchmark, personas, login, token_client, role, sees_portugal
):
    norway = benchmark["norway"]
    body = token_client(personas[role]).get(f"/api/v1/hubs/{norway.pk}/maturity").json()
    assert body["recommendations"], body
    assert "Bergen hub" in _peer_names(body)
    assert ("National Cancer Hub Portugal" in _peer_names(body)) is sees_portugal
    page = login(personas[role]).get(f"/assessment/hubs/{norway.pk}/").content.decode()
    assert "Bergen hub" in page
    assert ("National Cancer Hub Portugal" in page) is sees_portugal
    # Portugal's own scores stay private to the same people.
    own = token_client(personas[role]).get(f"/api/v1/hubs/{benchmark['portugal'].pk}/maturity")
    assert own.status_code == (200 if sees_portugal else 403)


def test_earlier_private_assessments_stay_out_of_the_public_history(
    instruments, hubs, personas, login, token_client, levels_answers
):
    norway = hubs["norway"]
    private = _assess(instruments, personas, norway, levels_answers(1), public=False)
    _assess(instruments, personas, norway, levels_answers(3), public=True)
    url = f"/api/v1/hubs/{norway.pk}/maturity"
    public = token_client(None).get(url).json()["history"]
    assert [h["overall"] for h in public] == [3]
    team = token_client(personas["editor_no"]).get(url).json()["history"]
    assert [h["overall"] for h in team] == [1, 3]
    network = token_client(personas["network"]).get(url).json()["history"]
    assert [h["overall"] for h in network] == [1, 3]
    page = login(None).get(f"/assessment/hubs/{norway.pk}/").content.decode()
    assert f"/assessment/responses/{private.pk}/" not in page
    assert "(+2)" not in page  # no change measured from the private level 1
    team_page = login(personas["coord_no"]).get(f"/assessment/hubs/{norway.pk}/").content.decode()
    assert f"/assessment/responses/{private.pk}/" in team_page and "(+2)" in team_page


def test_medians_over_fewer_than_three_hubs_are_not_published(
    instruments, hubs, personas, login, token_client, levels_answers
):
    """With two hubs assessed, the network median and Norway's level would give Portugal's."""
    norway = hubs["norway"]
    _assess(instruments, personas, hubs["portugal"], levels_answers(4), public=False)
    _assess(instruments, personas, norway, levels_answers(2), public=True)
    url = f"/api/v1/hubs/{norway.pk}/maturity"
    body = token_client(None).get(url).json()
    assert set(body["network_median"].values()) == {None}
    assert set(body["stage_median"].values()) == {None}
    assert body["median_min_hubs"] == 3
    assert all(r["median"] is None for r in body["recommendations"])
    page = login(None).get(f"/assessment/hubs/{norway.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "not enough hubs to compare" in html and 'id="too-few-hubs"' in html
    assert "radar-spec" in html  # Norway's own levels are still drawn
    spec = json.loads(
        html.split('id="radar-spec" type="application/json">')[1].split("</script>")[0]
    )
    categories = {v["category"] for v in spec["data"][0]["values"]}
    assert categories == {"Cancer Mission Hub Norway"}
    # A third hub (Vestland, same stage as Portugal) makes the network median publishable.
    _assess(instruments, personas, hubs["vestland"], levels_answers(3), public=False)
    body = token_client(None).get(url).json()
    assert set(body["network_median"].values()) == {3}
    assert set(body["stage_median"].values()) == {None}  # Norway is alone at its stage
    html = login(None).get(f"/assessment/hubs/{norway.pk}/").content.decode()
    assert "not enough hubs to compare" in html


def test_public_mapping_answers_do_not_open_private_maturity_scores(
    instruments, hubs, personas, token_client, login, levels_answers
):
    import random

    from echos.assessment.synthetic import answers_for
    from echos.core.reference import vocabulary_codes

    norway = hubs["norway"]
    _assess(instruments, personas, norway, levels_answers(2), public=False)

    mapping = services.start_response(
        actor=personas["network"], instrument=instruments["mapping"], hub=norway
    )
    services.submit_response(
        actor=personas["network"],
        response=mapping,
        answers=answers_for(
            instruments["mapping"].definition, random.Random(1), options=vocabulary_codes()
        ),
        is_public=True,
    )
    assert token_client(None).get(f"/api/v1/hubs/{norway.pk}/maturity").status_code == 403
    assert login(None).get(f"/assessment/hubs/{norway.pk}/").status_code == 403
