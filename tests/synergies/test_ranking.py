"""Ranking quality: the lexicon audit, reasons given, the reported cases and floors on both labelled sets."""

import json
from functools import cache

import pytest

from echos.synergies import engine, evaluation, lexicon_audit
from echos.synergies.demo import ACTIVITIES


def _lexicon(tmp_path, concepts) -> engine.Lexicon:
    path = tmp_path / "concepts.json"
    path.write_text(json.dumps({"concepts": concepts}), encoding="utf-8")
    return engine.Lexicon(path)


# --- the lexicon audit ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_concept_names_more_than_a_third_of_the_shipped_texts_without_being_down_weighted():
    texts = [text for _source, text in lexicon_audit.shipped_texts()]
    assert len(texts) > 150  # initiatives, demo activities and both labelled sets
    rows = lexicon_audit.audit(texts)
    too_common = [
        (r.concept, round(r.share, 2), r.weight) for r in rows if r.status == "too common"
    ]
    assert too_common == []
    # "cancer" is in most texts: it is kept, but down-weighted and never given as a reason.
    [cancer] = [r for r in rows if r.concept == "cancer"]
    assert cancer.share > 1 / 3 and cancer.status == "down-weighted"
    assert engine.lexicon().background("cancer")
    # Telemedicine used to be named by every text mentioning health ("e-health" read as "health").
    [tele] = [r for r in rows if r.concept == "telemedicine_digital_health"]
    assert tele.share < 0.05


def test_the_audit_flags_a_common_concept_until_it_is_down_weighted(tmp_path):
    texts = ["Health for all.", "Public health.", "Health and tobacco.", "Tobacco taxes."]
    concepts = [
        {"id": "health", "label": "Health", "terms": {"en": ["health"]}},
        {"id": "tobacco", "label": "Tobacco", "terms": {"en": ["tobacco"]}},
    ]
    rows = {r.concept: r for r in lexicon_audit.audit(texts, _lexicon(tmp_path, concepts))}
    assert rows["health"].share == 0.75 and rows["health"].status == "too common"
    assert rows["tobacco"].status == "too common"  # half the texts: still more than a third
    assert "health (3)" in lexicon_audit.report(list(rows.values()), len(texts))
    concepts[0]["weight"] = 0.25  # ln(1/0.75) / ln(3) = 0.26 allowed
    concepts[1]["weight"] = 0.5  # ln(2) / ln(3) = 0.63 allowed
    rows = {r.concept: r for r in lexicon_audit.audit(texts, _lexicon(tmp_path, concepts))}
    assert {r.status for r in rows.values()} == {"down-weighted"}
    concepts[0]["weight"] = 0.5  # more than its IDF-style weight: still too common
    rows = {r.concept: r for r in lexicon_audit.audit(texts, _lexicon(tmp_path, concepts))}
    assert rows["health"].status == "too common"


def test_a_lone_letter_prefix_stays_part_of_the_word():
    lex = engine.lexicon()
    assert "telemedicine_digital_health" not in lex.concepts(
        engine.concept_tokens("Public health policy and healthy schools; e. g. santé publique.")
    )
    for text in ("An e-health app", "Des outils d'e-santé", "E-helse for pasienter"):
        assert "telemedicine_digital_health" in lex.concepts(engine.concept_tokens(text)), text
    assert "tobacco_smoking" in lex.concepts(engine.concept_tokens("Vaping e-cigarettes"))


def test_stems_that_begin_unrelated_words_are_not_used():
    lex = engine.lexicon()
    found = lex.concepts(engine.concept_tokens("hospitals interventions generation comparable"))
    assert not found & {
        "palliative_care",
        "rural_remote_access",
        "womens_health",
        "employers_workplace_health",
    }
    # Useful stems still work: "survivorship" answers to "survivors", "genomik" to "genomdata".
    assert "survivorship" in lex.concepts(["survivors"])
    assert "genomics_personalised_medicine" in lex.concepts(["genomdata"])


# --- reasons given -------------------------------------------------------------------------------


def test_background_concepts_are_counted_lightly_and_never_given_as_reasons():
    targets = [
        engine.Doc.make("smoke", "Tobacco control", "Cancer prevention through tobacco control."),
        engine.Doc.make("kids", "Childhood cancer", "Paediatric cancer care for children."),
    ]
    index = engine.Index(targets, need_vectors=False)
    query = engine.Doc.make("q", "Smoke-free schools", "Cancer prevention: tobacco-free schools.")
    [result] = engine.match([query], index, top=2, mode="lexical")
    best = result["matches"][0]
    assert best["initiative"] == "smoke"
    assert "Tobacco and smoking" in best["why"]["concepts"]
    assert "Cancer (general)" not in best["why"]["concepts"]
    kids = result["matches"][1]
    assert "Cancer (general)" not in kids["why"]["concepts"]


def test_a_concept_shared_by_most_of_an_index_is_not_given_as_a_reason():
    targets = [
        engine.Doc.make(f"t{i}", f"Tobacco project {i}", f"Tobacco and {topic}.")
        for i, topic in enumerate(["alcohol", "radon", "sun", "diet"] * 4)
    ]
    index = engine.Index(targets, need_vectors=False)
    query = engine.Doc.make("q", "Alcohol", "Tobacco and alcohol prevention.")
    [result] = engine.match([query], index, top=3, mode="lexical")
    best = result["matches"][0]
    assert best["initiative"] in {"t0", "t4", "t8", "t12"}
    assert best["why"]["concepts"] == ["Alcohol"]


# --- the reported cases (#16) --------------------------------------------------------------------


@cache
def _catalogue_index() -> engine.Index:
    """The shipped catalogue as the platform indexes it (name with acronym, tags)."""
    items = json.loads((engine.DATA / "initiatives.json").read_text(encoding="utf-8"))
    return engine.Index(
        [
            engine.Doc.make(
                i["key"],
                f"{i['name']} ({i['acronym']})" if i.get("acronym") else i["name"],
                i["description"],
                objectives=i["objectives"],
                policy_areas=i["policy_areas"],
            )
            for i in items["initiatives"]
        ]
    )


def _ranking(doc: engine.Doc) -> list[str]:
    [result] = engine.match([doc], _catalogue_index(), top=10)
    return [m["initiative"] for m in result["matches"]]


@pytest.mark.parametrize("tags", [True, False])
def test_a_norwegian_school_anti_smoking_activity_finds_the_tobacco_joint_action(tags):
    doc = engine.Doc.make(
        "no",
        "Røykfri skole",
        "Elever på ungdomsskolen lager kampanjer mot røyking, snus og e-sigaretter sammen med "
        "lærerne.",
        language="nb",
        objectives=["prevention"] if tags else (),
        policy_areas=["education"] if tags else (),
    )
    ranking = _ranking(doc)
    assert "jatc2" in ranking[:2], ranking
    assert set(ranking[:2]) == {"jatc2", "council-recommendation-smoke-free"}


@pytest.mark.parametrize("tags", [True, False])
def test_the_german_bowel_screening_demo_activity_finds_the_screening_initiatives(tags):
    _country, language, title, description, objectives, areas, _start = ACTIVITIES[0]
    assert title == "Aktionswoche Darmkrebsvorsorge"
    doc = engine.Doc.make(
        "de",
        title,
        description,
        language=language,
        objectives=objectives if tags else (),
        policy_areas=areas if tags else (),
    )
    ranking = _ranking(doc)
    # The screening joint action used to rank last of ten; the two above it are the colorectal
    # screening Council Recommendation and the colorectal screening Mission project.
    assert "eucanscreen" in ranking[:3], ranking
    assert set(ranking[:3]) == {
        "council-recommendation-cancer-screening",
        "oncoscreen",
        "eucanscreen",
    }


# --- floors on the labelled sets (measured with `make bench`, minus a margin) --------------------

# Measured on 5 December 2026 (combined ranker): initiatives recall@5 0.694, MRR 0.832;
# activities recall@5 0.833, MRR 0.889. Before #16 the activities scored 0.520 and 0.644.
FLOORS = {
    "initiatives": (0.65, 0.80),
    "activities": (0.80, 0.85),
}


@pytest.mark.parametrize("which", ["initiatives", "activities"])
def test_ranking_quality_stays_above_its_floor(which):
    quality = (
        evaluation.initiative_quality(("combined",))
        if which == "initiatives"
        else evaluation.activity_quality(("combined",))
    )
    [overall] = [s for s in quality if s.kind == "all"]
    recall, mrr = FLOORS[which]
    assert overall.recall >= recall and overall.mrr >= mrr, overall


def test_the_activity_set_is_labelled_across_countries_and_languages():
    items = evaluation.activity_set()
    assert len(items) >= 40
    assert len({a["language"] for a in items}) >= 10
    by_id = {a["id"]: a for a in items}
    for a in items:
        assert a["relevant"], a["id"]
        assert all(by_id[r]["hub"] != a["hub"] for r in a["relevant"]), a["id"]


def test_recall_and_reciprocal_rank_of_one_ranking():
    assert evaluation.rank_metrics(["x", "a", "y", "b"], {"a", "b"}) == (1.0, 0.5)
    assert evaluation.rank_metrics(["x", "y", "z", "w", "v", "a"], {"a"}) == (0.0, 1 / 6)
    assert evaluation.rank_metrics(["x"], {"a"}) == (0.0, 0.0)
