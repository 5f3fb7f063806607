"""Batch pairing: input errors name the field, never self, capacity kept, explanations agree with the
scores, and the pairing is optimal (brute force on small random cases)."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from echos.exchange import pairing
from echos.exchange.pairing import PairingInvalid


def hub(hub_id, levels, capacity=1, languages=("en",), seeking=True):
    return {
        "id": hub_id,
        "levels": levels,
        "capacity": capacity,
        "languages": list(languages),
        "seeking": seeking,
    }


OSLO = hub("NO", {"funding": 4, "mandate": 3, "momentum": 5}, capacity=2, seeking=False)
LISBON = hub("PT", {"funding": 1, "mandate": 2, "momentum": 2}, capacity=0, languages=["en", "pt"])
VALLETTA = hub("MT", {"funding": 2, "mandate": 1, "momentum": 4}, capacity=1)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"id": 1}, "hubs"),
        ([1], "hubs[0]"),
        ([{**OSLO, "id": None}], "hubs[0].id"),
        ([{**OSLO, "id": True}], "hubs[0].id"),
        ([{**OSLO, "id": ""}], "hubs[0].id"),
        ([{k: v for k, v in OSLO.items() if k != "seeking"}], "hubs[0].seeking"),
        ([OSLO, {**LISBON, "id": "NO"}], "hubs[1].id"),
        ([{**OSLO, "id": 7}, {**LISBON, "id": "7"}], "hubs[1].id"),
        (
            [OSLO, {**LISBON, "levels": {**LISBON["levels"], "funding": 0}}],
            "hubs[1].levels.funding",
        ),
        ([{**OSLO, "levels": {**OSLO["levels"], "mandate": 6}}], "hubs[0].levels.mandate"),
        ([{**OSLO, "levels": {**OSLO["levels"], "mandate": 3.0}}], "hubs[0].levels.mandate"),
        ([{**OSLO, "levels": {**OSLO["levels"], "mandate": True}}], "hubs[0].levels.mandate"),
        ([{**OSLO, "levels": {**OSLO["levels"], "mandate": "3"}}], "hubs[0].levels.mandate"),
        ([{**OSLO, "levels": {}}], "hubs[0].levels"),
        ([{**OSLO, "levels": [1, 2]}], "hubs[0].levels"),
        ([{**OSLO, "capacity": -1}], "hubs[0].capacity"),
        ([{**OSLO, "capacity": True}], "hubs[0].capacity"),
        ([{**OSLO, "capacity": 1.5}], "hubs[0].capacity"),
        ([{**OSLO, "seeking": 1}], "hubs[0].seeking"),
        ([{**OSLO, "seeking": "true"}], "hubs[0].seeking"),
        ([{**OSLO, "languages": []}], "hubs[0].languages"),
        ([{**OSLO, "languages": "en"}], "hubs[0].languages"),
        ([{**OSLO, "languages": ["en", " "]}], "hubs[0].languages[1]"),
        ([{**OSLO, "languages": ["en", 3]}], "hubs[0].languages[1]"),
        ([OSLO, {**LISBON, "levels": {"funding": 1, "mandate": 2}}], "hubs[1].levels.momentum"),
        (
            [OSLO, {**LISBON, "levels": {**LISBON["levels"], "fundng": 2}}],
            "hubs[1].levels.fundng",
        ),
        ([{**OSLO, "id": i} for i in range(pairing.MAX_HUBS + 1)], "hubs"),
    ],
)
def test_bad_input_names_the_field(data, field):
    with pytest.raises(PairingInvalid) as caught:
        pairing.pair_from_json(data)
    assert caught.value.field == field
    assert caught.value.message
    assert str(caught.value).startswith(field + ": ")


@pytest.mark.parametrize(
    "body", [b"[{", b"\xff\xfe\x00", "[" * 100 + "]" * 100, b" " * (pairing.MAX_BODY + 1)]
)
def test_unreadable_body_names_hubs(body):
    with pytest.raises(PairingInvalid) as caught:
        pairing.pair_from_body(body)
    assert caught.value.field == "hubs"


def test_example_pairs_with_reasons_both_ways():
    result = pairing.pair_from_json([OSLO, LISBON, VALLETTA])
    assert set(result) == {"pairs", "total_benefit", "benefits"}
    # Lisbon: weakest is funding (1): 2×(4−1) + (3−2) + (5−2) = 10 from Oslo; from Malta 2×(2−1)
    # + (4−2) = 4. Malta: weakest mandate (1): (4−2) + 2×(3−1) + (5−4) = 7 from Oslo; Lisbon has
    # no capacity. Oslo (capacity 2) takes both: 17.
    assert result["benefits"] == {"PT": {"NO": 10, "MT": 4}, "MT": {"NO": 7}}
    assert result["pairs"][0]["mentee"] == "PT" and result["pairs"][0]["mentor"] == "NO"
    assert result["total_benefit"] == 17
    reasons = result["pairs"][0]["reasons"]
    assert reasons[0] == "Both work in English."
    assert reasons[1].startswith("funding: mentor 4, mentee 1 (+3, counted twice")
    assert "momentum: mentor 5, mentee 2 (+3)." in reasons
    assert "mandate: mentor 3, mentee 2 (+1)." in reasons
    assert reasons[-1] == "Benefit 10: the sum of the gains above."
    malta = result["pairs"][1]["reasons"]
    assert not any("In return" in r for r in reasons)
    assert any(r.startswith("Both work in English") for r in malta)


def test_reverse_direction_is_explained():
    mentor = hub(
        "A", {"funding": 4, "mandate": 1}, capacity=1, languages=["nb", "en"], seeking=False
    )
    mentee = hub("B", {"funding": 1, "mandate": 3}, languages=["NB"])
    [p] = pairing.pair_from_json([mentor, mentee])["pairs"]
    assert p["reasons"][0].startswith("Both work in Norwegian")
    assert "In return the mentor can learn mandate: mentee 3, mentor 1 (+2)." in p["reasons"]
    assert p["benefit"] == 6


def test_no_shared_language_and_zero_benefit_stay_unpaired():
    strong = hub("A", {"d": 5}, capacity=3, languages=["fi"], seeking=False)
    weak = hub("B", {"d": 1}, languages=["pt"])
    equal = hub("C", {"d": 5}, languages=["fi"])
    result = pairing.pair_from_json([strong, weak, equal])
    assert result == {"pairs": [], "total_benefit": 0, "benefits": {"B": {}, "C": {}}}


def test_a_hub_alone_never_mentors_itself():
    alone = hub("A", {"d": 1, "e": 5}, capacity=5)
    assert pairing.pair_from_json([alone])["pairs"] == []
    assert pairing.benefit(*[pairing.parse_hubs([alone])[0]] * 2) == 0


def test_empty_input():
    assert pairing.pair_from_json([]) == {"pairs": [], "total_benefit": 0, "benefits": {}}


def test_integer_ids_come_back_as_given():
    result = pairing.pair_from_json([hub(1, {"d": 5}, seeking=False), hub(2, {"d": 1}, capacity=0)])
    assert result["pairs"][0]["mentee"] == 2 and result["pairs"][0]["mentor"] == 1
    assert result["benefits"] == {"2": {"1": 8}}


# Random small cases: every property, and optimality against brute force.

DIMS = ("a", "b", "c")


@st.composite
def hub_sets(draw, max_hubs=6):
    n = draw(st.integers(min_value=1, max_value=max_hubs))
    return [
        {
            "id": f"h{i}",
            "levels": {d: draw(st.integers(1, 5)) for d in DIMS},
            "capacity": draw(st.integers(0, 2)),
            "languages": draw(
                st.lists(st.sampled_from(["en", "fr", "pl"]), min_size=1, max_size=2)
            ),
            "seeking": draw(st.booleans()),
        }
        for i in range(n)
    ]


def brute_force(hubs):
    """The best total over every assignment of each seeking hub to nobody or a mentor."""
    mentees = [h for h in hubs if h.seeking]
    best = 0

    def go(i, used, total):
        nonlocal best
        if i == len(mentees):
            best = max(best, total)
            return
        go(i + 1, used, total)
        for m in hubs:
            gain = pairing.benefit(mentees[i], m)
            if gain > 0 and used.get(m.key, 0) < m.capacity:
                used[m.key] = used.get(m.key, 0) + 1
                go(i + 1, used, total + gain)
                used[m.key] -= 1

    go(0, {}, 0)
    return best


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hub_sets())
def test_pairing_properties_and_optimality(data):
    hubs = pairing.parse_hubs(data)
    by_key = {h.key: h for h in hubs}
    result = pairing.pair(hubs)
    # Exactly the promised shape, and JSON all the way.
    assert json.loads(json.dumps(result)) == result
    load: dict[str, int] = {}
    mentees = [p["mentee"] for p in result["pairs"]]
    assert len(mentees) == len(set(mentees)), "a mentee has one mentor at most"
    for p in result["pairs"]:
        mentee, mentor = by_key[p["mentee"]], by_key[p["mentor"]]
        assert mentee.key != mentor.key, "never self"
        assert mentee.seeking
        assert p["benefit"] > 0
        assert (
            p["benefit"]
            == pairing.benefit(mentee, mentor)
            == result["benefits"][mentee.key][mentor.key]
        )
        load[mentor.key] = load.get(mentor.key, 0) + 1
    for key, n in load.items():
        assert n <= by_key[key].capacity, "capacity respected"
    assert result["total_benefit"] == sum(p["benefit"] for p in result["pairs"])
    assert result["total_benefit"] == brute_force(hubs), "optimal"
    # Every candidate with a positive benefit is listed, and only those.
    for mentee in hubs:
        if mentee.seeking:
            expected = {m.key: pairing.benefit(mentee, m) for m in hubs}
            assert result["benefits"][mentee.key] == {k: v for k, v in expected.items() if v > 0}
        else:
            assert mentee.key not in result["benefits"]


@hypothesis_settings(max_examples=200, deadline=None)
@given(hub_sets(max_hubs=5), st.data())
def test_explanations_agree_with_the_scores(data, draw):
    hubs = pairing.parse_hubs(data)
    mentee, mentor = draw.draw(st.sampled_from(hubs)), draw.draw(st.sampled_from(hubs))
    e = pairing.explain(mentee, mentor)
    lowest = min(mentee.levels.values())
    for s in e.mentee_learns:
        assert (s.ahead, s.behind) == (mentor.levels[s.dimension], mentee.levels[s.dimension])
        assert s.gain > 0
        assert s.weight == (2 if mentee.levels[s.dimension] == lowest else 1)
    for s in e.mentor_learns:
        assert (s.ahead, s.behind) == (mentee.levels[s.dimension], mentor.levels[s.dimension])
    assert {s.dimension for s in e.mentee_learns} == {
        d for d in DIMS if mentor.levels[d] > mentee.levels[d]
    }
    assert {s.dimension for s in e.mentor_learns} == {
        d for d in DIMS if mentee.levels[d] > mentor.levels[d]
    }
    usable = mentee is not mentor and e.languages and mentee.seeking and mentor.capacity > 0
    assert e.benefit == (sum(s.weighted for s in e.mentee_learns) if usable else 0)
    text = " ".join(pairing.reasons(e))
    for s in e.mentee_learns:
        assert f"{s.dimension}: mentor {s.ahead}, mentee {s.behind} (+{s.gain}" in text
    for s in e.mentor_learns:
        assert f"{s.dimension}: mentee {s.ahead}, mentor {s.behind} (+{s.gain})" in text
    assert f"Benefit {e.benefit}:" in text


def test_vectorised_matrix_equals_the_definition():
    rng = np.random.default_rng(3)
    data = [
        {
            "id": f"h{i}",
            "levels": {f"d{k}": int(rng.integers(1, 6)) for k in range(5)},
            "capacity": int(rng.integers(0, 3)),
            "languages": list(rng.choice(["en", "de", "fr", "it"], size=rng.integers(1, 3))),
            "seeking": bool(rng.integers(0, 2)),
        }
        for i in range(300)
    ]
    hubs = pairing.parse_hubs(data)
    matrix = pairing.benefit_matrix(hubs)
    for r, i in enumerate(matrix.mentees):
        for c, j in enumerate(matrix.mentors):
            assert matrix.benefit[r, c] == pairing.benefit(hubs[i], hubs[j])
