"""Filling questionnaires on the site and over the API; the pictures built from the answers."""

import json

import pytest

from echos.assessment import services
from echos.assessment.models import Response

pytestmark = pytest.mark.django_db


def post_levels(levels: dict, **extra) -> dict:
    return {**{f"q_{code}": value for code, value in levels.items()}, **extra}


def test_instruments_are_listed_with_their_definition(instruments, client):
    listed = client.get("/api/v1/instruments").json()
    assert {i["code"] for i in listed["items"]} == {"ncmh-maturity", "mapping-survey"}
    maturity = client.get("/api/v1/instruments/ncmh-maturity").json()
    assert [s["dimension"] for s in maturity["definition"]["sections"]] == [
        "governance",
        "representation",
        "citizen_engagement",
        "activities",
        "alignment",
        "funding",
        "monitoring",
        "communication",
    ]
    for section in maturity["definition"]["sections"]:
        scale = section["questions"][0]
        assert [level["value"] for level in scale["levels"]] == [1, 2, 3, 4, 5]
        assert all(len(level["descriptor"]) > 40 for level in scale["levels"])


def test_self_assessment_on_the_site(instruments, hubs, personas, login, levels_answers):
    client = login(personas["coord_no"])
    start = client.post("/assessment/start/maturity/", {"hub": hubs["norway"].pk})
    url = start["Location"]
    form = client.get(url).content.decode()
    assert "Governance and leadership" in form and 'name="q_governance_level"' in form
    # Save a draft, come back, and find it.
    saved = client.post(url, post_levels({"governance_level": 2}, save="1"))
    assert saved.status_code == 302
    assert 'value="2" checked' in client.get(url).content.decode()
    # Submitting with answers missing names each of them.
    missing = client.post(url, post_levels({"governance_level": 2}, submit="1"))
    assert missing.status_code == 422
    body = missing.content.decode()
    assert "7 answers need attention" in body and 'href="#q-funding_level"' in body
    done = client.post(url, post_levels(levels_answers(3), submit="1"))
    assert done.status_code == 302 and done["Location"] == f"/assessment/hubs/{hubs['norway'].pk}/"
    page = client.get(done["Location"]).content.decode()
    assert "radar-spec" in page and "Overall score <strong>3.0</strong>" in page


def test_out_of_range_level_is_refused_with_the_field(instruments, hubs, personas, login):
    client = login(personas["coord_no"])
    url = client.post("/assessment/start/maturity/", {"hub": hubs["norway"].pk})["Location"]
    response = client.post(url, {"q_governance_level": "9", "save": "1"})
    assert response.status_code == 422 and "Choose a level from 1 to 5" in response.content.decode()


def test_api_submission_reports_each_question(
    instruments, hubs, personas, token_client, levels_answers
):
    client = token_client(personas["coord_no"])
    created = client.post(
        "/api/v1/responses",
        json.dumps({"instrument": "mapping-survey", "hub": hubs["norway"].pk}),
        content_type="application/json",
    )
    assert created.status_code == 201
    rid = created.json()["id"]
    bad = client.patch(
        f"/api/v1/responses/{rid}",
        json.dumps({"answers": {"staff_fte": -1}, "submit": True}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "staff_fte" in {e["field"] for e in bad.json()["errors"]}
    missing = client.patch(
        f"/api/v1/responses/{rid}",
        json.dumps({"answers": {}, "submit": True}),
        content_type="application/json",
    )
    assert missing.status_code == 400


def test_api_maturity_of_a_hub_with_network_median(
    instruments, hubs, personas, token_client, levels_answers
):
    for hub, level in [("norway", 2), ("portugal", 4), ("bergen", 3)]:
        actor = personas["network"]
        r = services.start_response(actor=actor, instrument=instruments["maturity"], hub=hubs[hub])
        services.submit_response(
            actor=actor, response=r, answers=levels_answers(level), is_public=hub == "portugal"
        )
    body = (
        token_client(personas["coord_no"]).get(f"/api/v1/hubs/{hubs['norway'].pk}/maturity").json()
    )
    assert body["overall"] == 2 and body["network_median"]["governance"] == 3
    assert body["recommendations"][0]["goal_level"] == 3
    assert body["recommendations"][0]["peers"][0]["name"] == "National Cancer Hub Portugal"


def test_network_view_table_sort_and_exports(instruments, hubs, personas, login, levels_answers):
    for hub, level in [("norway", 2), ("portugal", 4), ("vestland", 3)]:
        r = services.start_response(
            actor=personas["network"], instrument=instruments["maturity"], hub=hubs[hub]
        )
        services.submit_response(
            actor=personas["network"], response=r, answers=levels_answers(level)
        )
    client = login(personas["network"])
    page = client.get("/assessment/network/?sort=overall").content.decode()
    assert (
        page.index("National Cancer Hub Portugal")
        < page.index("Vestland hub")
        < page.index("Cancer Mission Hub Norway</a></th>")
    )
    assert "Bergen hub" in page.split("not assessed in the last 12 months")[1]
    csv_text = client.get("/assessment/network/maturity.csv").content.decode()
    assert (
        csv_text.splitlines()[0].startswith("hub_id,hub,country")
        and len(csv_text.splitlines()) == 4
    )
    xlsx = client.get("/assessment/network/maturity.xlsx")
    assert xlsx.content[:2] == b"PK"


def test_mapping_analysis_page(instruments, hubs, personas, login):
    import random

    from echos.assessment.synthetic import answers_for
    from echos.core.reference import vocabulary_codes

    rng = random.Random(1)
    for code in ["FR", "DE", "IT", "ES", "SE", "PL"]:
        from echos.core.models import Country

        r = Response.objects.create(
            instrument=instruments["mapping"],
            country=Country.objects.get(pk=code),
            answers=answers_for(instruments["mapping"].definition, rng, options=vocabulary_codes()),
        )
        services.submit_response(actor=None, response=r)
    page = login(personas["network"]).get("/assessment/mapping/?question=legal_form")
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "Groups of similar countries" in body
        and "mapping-map-spec" in body
        and "Common traits" in body
    )
    csv_text = login(personas["network"]).get("/assessment/mapping/analysis.csv").content.decode()
    assert csv_text.startswith("section,question,text,answer") and "legal_form" in csv_text


def test_consensus_round_and_evidence_over_the_api(
    instruments, hubs, personas, token_client, levels_answers
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    coord = token_client(personas["coord_no"])
    opened = coord.post(f"/api/v1/hubs/{hubs['norway'].pk}/consensus-rounds")
    assert opened.status_code == 201
    rid = opened.json()["id"]
    assert (
        token_client(personas["coord_pt"]).get(f"/api/v1/consensus-rounds/{rid}").status_code == 403
    )
    for persona, level in [("coord_no", 2), ("member_no", 4)]:
        client = token_client(personas[persona])
        rating = client.post(f"/api/v1/consensus-rounds/{rid}/ratings")
        assert rating.status_code == 201
        done = client.patch(
            f"/api/v1/responses/{rating.json()['id']}",
            json.dumps({"answers": levels_answers(level), "submit": True}),
            content_type="application/json",
        )
        assert done.status_code == 200 and done.json()["status"] == "submitted"
    spread = coord.get(f"/api/v1/consensus-rounds/{rid}").json()["spread"]
    assert spread[0]["values"] == [2, 4] and spread[0]["flag"] == "disagree"
    agreed = {row["dimension"]: 3 for row in spread}
    consensus = coord.post(
        f"/api/v1/consensus-rounds/{rid}/consensus",
        json.dumps({"levels": agreed}),
        content_type="application/json",
    )
    assert consensus.status_code == 201 and consensus.json()["overall_score"] == 3
    draft = coord.post(
        "/api/v1/responses",
        json.dumps({"instrument": "ncmh-maturity", "hub": hubs["norway"].pk}),
        content_type="application/json",
    ).json()
    ok = coord.post(
        f"/api/v1/responses/{draft['id']}/evidence",
        {"question": "governance_level", "file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4")},
    )
    assert ok.status_code == 201 and ok.json()["file"] == "minutes.pdf"
    bad = coord.post(
        f"/api/v1/responses/{draft['id']}/evidence",
        {"question": "governance_level", "file": SimpleUploadedFile("run.exe", b"MZ")},
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "file"
