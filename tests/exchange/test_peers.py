"""Peer suggestions from the registry: strong where the hub is weak, explained with the numbers both
ways, context and language, capacity, and the privacy of maturity results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from echos.exchange import pairing, peers

pytestmark = pytest.mark.django_db


@pytest.fixture
def maturity(db):
    """The current maturity model, its dimension codes and titles."""
    from echos.assessment import scoring, services

    services.load_instruments()
    instrument = services.current_instrument(services.MATURITY)
    definition = instrument.definition
    codes = {scoring.dimension_of(q): q.code for q in scoring.dimension_questions(definition)}
    return {
        "instrument": instrument,
        "questions": codes,
        "titles": scoring.dimension_titles(definition),
    }


@pytest.fixture
def assess(maturity):
    """assess(hub, {"funding": 5}, public=False): a submitted official assessment, 3 elsewhere."""
    from echos.assessment.models import Response

    def make(hub, levels=None, *, public=False, default=3, days_ago=1):
        answers = {
            code: (levels or {}).get(dim, default) for dim, code in maturity["questions"].items()
        }
        return Response.objects.create(
            instrument=maturity["instrument"],
            hub=hub,
            country=hub.country,
            kind=Response.Kind.OFFICIAL,
            status=Response.Status.SUBMITTED,
            answers=answers,
            is_public=public,
            submitted_at=timezone.now() - timedelta(days=days_ago),
        )

    return make


@pytest.fixture
def network_of_two(hubs, assess):
    """Norway (launched, private) strong in governance; Portugal (launched) strong in funding."""
    portugal = hubs["portugal"]
    portugal.stage = "launched"
    portugal.save()
    assess(hubs["norway"], {"governance": 5, "funding": 2}, default=2)
    response = assess(portugal, {"funding": 5, "governance": 1}, default=3)
    return hubs, response


def by_name(items):
    return {s.peer.name: s for s in items}


def test_strong_peer_is_explained_with_numbers_both_ways(network_of_two, personas, maturity):
    hubs, portugal_response = network_of_two
    portugal_response.is_public = True
    portugal_response.save()
    result = peers.suggestions(personas["coord_no"], hubs["norway"])
    assert result.maturity_shown and result.assessed
    s = by_name(result.learn_from)["National Cancer Hub Portugal"]
    funding = maturity["titles"]["funding"]
    governance = maturity["titles"]["governance"]
    # Norway is at 2 everywhere but governance (5): every 2 is one of its weakest, counted twice.
    # Portugal is at 3 everywhere but funding (5) and governance (1).
    assert s.you_learn[0] == (
        f"{funding}: they 5, you 2 (+3, counted twice: one of your weakest dimensions)."
    )
    assert len(s.you_learn) == 7
    assert s.benefit_to_you == 2 * 3 + 6 * 2 * 1
    # Portugal's weakest is governance (1): counted twice, 2 × 4 = 8.
    assert s.they_learn == [
        f"{governance}: you 5, they 1 (+4, counted twice: one of their weakest dimensions)."
    ]
    assert s.benefit_to_them == 8
    assert s.languages == "Both work in English."
    assert "Same level: National." in s.traits
    assert s.score == s.benefit_to_you + len(s.traits)
    assert s.summary.startswith(f"Score {s.score}: {s.benefit_to_you} from maturity")
    assert s.hosting == "Can host up to 3 hubs."


def test_benefits_agree_with_the_pairing_definition(network_of_two, personas, maturity):
    hubs, _response = network_of_two
    result = peers.suggestions(personas["network"], hubs["norway"])
    s = by_name(result.learn_from)["National Cancer Hub Portugal"]
    titles = maturity["titles"]
    norway = {titles[d]: 5 if d == "governance" else 2 for d in titles}
    portugal = {titles[d]: {"funding": 5, "governance": 1}.get(d, 3) for d in titles}

    def hub(i, levels):
        return pairing.PairingHub(i, levels, 3, frozenset({"en"}), True)

    assert s.benefit_to_you == pairing.benefit(hub(1, norway), hub(2, portugal))
    assert s.benefit_to_them == pairing.benefit(hub(2, portugal), hub(1, norway)) == 8
    # Portugal is in both lists: it can learn governance from Norway.
    assert "National Cancer Hub Portugal" in by_name(result.can_help)


def test_private_peer_is_never_named_as_strong(network_of_two, personas):
    hubs, _response = network_of_two
    result = peers.suggestions(personas["coord_no"], hubs["norway"])
    assert result.maturity_shown
    assert "National Cancer Hub Portugal" not in by_name(result.learn_from)
    assert "National Cancer Hub Portugal" not in by_name(result.can_help)
    similar = by_name(result.similar)["National Cancer Hub Portugal"]
    assert similar.you_learn == similar.they_learn == []
    assert similar.benefit_to_you == 0


def test_private_peer_is_named_to_the_network(network_of_two, personas):
    hubs, _response = network_of_two
    result = peers.suggestions(personas["network"], hubs["norway"])
    assert "National Cancer Hub Portugal" in by_name(result.learn_from)


def test_viewer_who_may_not_see_the_hubs_results_gets_no_maturity(network_of_two, personas):
    hubs, portugal_response = network_of_two
    portugal_response.is_public = True
    portugal_response.save()
    result = peers.suggestions(personas["coord_pt"], hubs["norway"])
    assert not result.maturity_shown and result.assessed
    assert result.learn_from == result.can_help == []
    assert all(not s.you_learn and not s.they_learn for s in result.similar)


def test_public_results_are_compared_for_any_signed_in_viewer(
    network_of_two, personas, assess, hubs
):
    assess(hubs["norway"], {"governance": 5, "funding": 2}, default=2, public=True, days_ago=0)
    hubs["norway"].responses.filter(is_public=False).update(status="superseded")
    hubs_, portugal_response = network_of_two
    portugal_response.is_public = True
    portugal_response.save()
    result = peers.suggestions(personas["coord_pt"], hubs["norway"])
    assert result.maturity_shown
    assert "National Cancer Hub Portugal" in by_name(result.learn_from)


def test_no_shared_language_no_suggestion(network_of_two, personas, assess):
    hubs, portugal_response = network_of_two
    assess(hubs["bergen"], default=1)
    result = peers.suggestions(personas["network"], hubs["bergen"])
    names = {s.peer.name for s in result.learn_from + result.can_help + result.similar}
    # Bergen works in Norwegian only (a local hub); Portugal in Portuguese and English.
    assert "National Cancer Hub Portugal" not in names
    assert "Cancer Mission Hub Norway" in by_name(result.learn_from)
    assert by_name(result.learn_from)["Cancer Mission Hub Norway"].languages.startswith(
        "Both work in Norwegian"
    )


def test_a_hub_not_yet_launched_hosts_nobody(network_of_two, personas, assess):
    hubs, _response = network_of_two
    assess(hubs["vestland"], default=5)  # strong everywhere, but still "no structure"
    assess(hubs["bergen"], default=1)
    result = peers.suggestions(personas["network"], hubs["bergen"])
    assert "Vestland hub" not in by_name(result.learn_from)
    vestland = peers.suggestions(personas["network"], hubs["vestland"])
    assert vestland.can_help == []


def test_never_suggests_itself(network_of_two, personas):
    hubs, _response = network_of_two
    result = peers.suggestions(personas["network"], hubs["norway"])
    names = {s.peer.pk for s in result.learn_from + result.can_help + result.similar}
    assert hubs["norway"].pk not in names


def test_hub_without_assessment_gets_context_only(hubs, personas, maturity):
    result = peers.suggestions(personas["network"], hubs["vestland"])
    assert not result.assessed and not result.maturity_shown
    similar = by_name(result.similar)
    assert "Same country: Norway." in similar["Bergen hub"].traits
    assert "Cancer Mission Hub Norway" in similar


def test_context_reasons_carry_the_numbers(hubs):
    contexts = peers.contexts()
    norway, portugal = contexts[hubs["norway"].pk], contexts[hubs["portugal"].pk]
    assert norway.members == 2 and portugal.members == 1
    assert peers.context_reasons(norway, portugal) == [
        "Same level: National.",
        "Similar size: 1 member organisations, you 2.",
    ]
    assert norway.languages == frozenset({"nb", "en"})
    assert contexts[hubs["bergen"].pk].languages == frozenset({"nb"})


def test_europe_pairing_of_the_registry(network_of_two, assess):
    hubs, _response = network_of_two
    assess(hubs["bergen"], default=1)
    assess(hubs["vestland"], default=4)
    result = peers.europe_pairing()
    assert result["hubs"] == 4 and result["mentors"] == 2 and result["skipped"] == 0
    load: dict[int, int] = {}
    for p in result["pairs"]:
        assert p["mentee"] != p["mentor"]
        load[p["mentor"]] = load.get(p["mentor"], 0) + 1
        assert p["benefit"] > 0 and p["reasons"][-1].startswith(f"Benefit {p['benefit']}:")
    assert all(n <= peers.DEFAULT_CAPACITY for n in load.values())
    assert result["total_benefit"] == sum(p["benefit"] for p in result["pairs"])
    # Bergen learns from Norway (Norwegian); Vestland, not launched, mentors nobody.
    assert {(p["mentee_hub"].name, p["mentor_hub"].name) for p in result["pairs"]} >= {
        ("Bergen hub", "Cancer Mission Hub Norway")
    }
    assert all(p["mentor_hub"].name != "Vestland hub" for p in result["pairs"])
