"""Engine contract on tiny data: order, explanations, exclusions, languages, bad input, CLI and API."""

import json
import subprocess
import sys

import pytest

from echos.synergies import batch, engine

INITIATIVES = [
    {
        "id": "screen",
        "name": "Colorectal screening network",
        "description": "Organised colorectal cancer screening programmes with faecal tests and colonoscopy for "
        "people over fifty.",
    },
    {
        "id": "work",
        "name": "Back to work",
        "description": "Return to work of cancer survivors: employers adapt "
        "jobs and working hours after treatment.",
    },
    {
        "id": "kids",
        "name": "Childhood cancer care",
        "description": "Paediatric oncology networks improving "
        "treatment of children and adolescents.",
    },
]


def index(mode="combined"):
    return engine.Index(batch.initiatives(INITIATIVES), need_vectors=mode != "lexical")


def ranked(text, mode="combined", language=None, **kw):
    doc = engine.Doc.make("a", text, language=language)
    [result] = engine.match([doc], index(mode), top=3, mode=mode, **kw)
    return result


@pytest.mark.parametrize("mode", engine.MODES)
def test_the_obvious_match_comes_first_in_every_mode(mode):
    result = ranked(
        "We run colorectal cancer screening with faecal tests in primary care.", mode=mode
    )
    assert [m["initiative"] for m in result["matches"]][0] == "screen"
    scores = [m["score"] for m in result["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_explanations_name_the_shared_concepts():
    result = ranked("Helping survivors go back to their jobs after chemotherapy.")
    best = result["matches"][0]
    assert best["initiative"] == "work"
    concepts = " ".join(best["why"]["concepts"]).lower()
    assert "work" in concepts or "employ" in concepts or "survivor" in concepts


def test_rejected_pairs_are_excluded():
    result = ranked("Colorectal cancer screening week.", exclude={"a": {"screen"}})
    assert "screen" not in [m["initiative"] for m in result["matches"]]
    assert len(result["matches"]) == 2


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "fr",
            "Semaine de dépistage du cancer colorectal avec le test immunologique chez le médecin traitant.",
            "screen",
        ),
        (
            "pl",
            "Powrót do pracy po leczeniu onkologicznym: pracodawcy dostosowują stanowiska.",
            "work",
        ),
        ("fi", "Lasten ja nuorten syöpähoidon verkosto.", "kids"),
        ("de", "Darmkrebsvorsorge mit Stuhltest und Darmspiegelung.", "screen"),
    ],
)
def test_other_languages_find_their_english_match(language, text, expected):
    assert ranked(text, language=language)["matches"][0]["initiative"] == expected


def test_structured_tags_count_in_combined_mode():
    docs = batch.initiatives(
        [dict(i, objectives=["prevention"]) if i["id"] == "kids" else i for i in INITIATIVES]
    )
    idx = engine.Index(docs)
    query = engine.Doc.make("q", "A network for cancer care.", objectives=["prevention"])
    [with_tags] = engine.match([query], idx, top=3)
    [without] = engine.match([engine.Doc.make("q", "A network for cancer care.")], idx, top=3)
    score = {m["initiative"]: m["score"] for m in with_tags["matches"]}
    plain = {m["initiative"]: m["score"] for m in without["matches"]}
    assert score["kids"] > plain["kids"] and score["screen"] == plain["screen"]
    assert with_tags["matches"][[m["initiative"] for m in with_tags["matches"]].index("kids")][
        "why"
    ]["objectives"] == ["prevention"]


def test_long_descriptions_are_cut_and_flagged():
    doc = engine.Doc.make("long", "screening " * 20_000)
    assert doc.truncated and len(doc.text) == engine.MAX_TEXT
    [result] = engine.match([doc], index("lexical"), top=1, mode="lexical")
    assert result["truncated"] is True


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{"id": 1, "title": "x", "description": ""}], "empty description"),
        ([{"id": 1, "title": "x", "description": "ok", "language": "xx"}], "unknown language code"),
        (
            [
                {"id": 1, "title": "x", "description": "ok"},
                {"id": 1, "title": "y", "description": "ok"},
            ],
            "duplicate id",
        ),
        ([{"title": "x", "description": "ok"}], "missing id"),
    ],
)
def test_bad_items_are_named(items, message):
    with pytest.raises(batch.BatchError, match=message):
        batch.activities(items)


def test_invalid_json_and_csv_name_the_line():
    with pytest.raises(batch.BatchError, match="line 3"):
        batch.read_items('[\n{"id": 1},\n{"id": 2,,}\n]', name="a.json")
    with pytest.raises(batch.BatchError, match="line 3"):
        batch.read_items("id,title,description\n1,a,b\n2,a,b,extra\n", name="a.csv", fmt="csv")


def test_a_file_nested_too_deep_is_named_not_a_recursion_error():
    with pytest.raises(batch.BatchError, match="a.json: nested more than 64 levels deep"):
        batch.read_items("[" * 100_000 + "]" * 100_000, name="a.json")


def _cli(tmp_path, initiatives, activities, *extra):
    (tmp_path / "i.json").write_text(json.dumps(initiatives))
    act = tmp_path / ("a.csv" if isinstance(activities, str) else "a.json")
    act.write_text(activities if isinstance(activities, str) else json.dumps(activities))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "echos",
            "synergies",
            "match",
            "--initiatives",
            str(tmp_path / "i.json"),
            "--activities",
            str(act),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "ECHOS_DATA_DIR": str(tmp_path)},
    )


def test_cli_json_and_csv_output(tmp_path):
    acts = [
        {
            "id": "a1",
            "title": "Bowel screening week",
            "description": "Colorectal screening in pharmacies.",
        }
    ]
    done = _cli(tmp_path, INITIATIVES, acts, "--top", "2")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out[0]["activity"] == "a1" and len(out[0]["matches"]) == 2
    assert (
        set(out[0]["matches"][0]) == {"initiative", "score"}
        and out[0]["matches"][0]["initiative"] == "screen"
    )
    csv_run = _cli(
        tmp_path,
        INITIATIVES,
        "id,title,description,language\na1,Rückkehr,Rückkehr an den Arbeitsplatz nach Krebs,de\n",
        "--top",
        "1",
        "--format",
        "csv",
    )
    assert csv_run.returncode == 0, csv_run.stderr
    assert csv_run.stdout.splitlines() == [
        "activity,rank,initiative,score",
        csv_run.stdout.splitlines()[1],
    ]
    assert csv_run.stdout.splitlines()[1].startswith("a1,1,work,")


def test_cli_bad_input_exits_2(tmp_path):
    done = _cli(tmp_path, INITIATIVES, [{"id": "a1", "title": "x", "description": "  "}])
    assert done.returncode == 2 and "empty description" in done.stderr


@pytest.mark.django_db
def test_api_match_same_format(client):
    body = {
        "initiatives": INITIATIVES,
        "activities": [
            {"id": "a", "title": "Screening", "description": "Colorectal cancer screening."}
        ],
        "top": 2,
    }
    response = client.post(
        "/api/v1/synergies/match", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()[0]["matches"][0]["initiative"] == "screen"
    bad = client.post(
        "/api/v1/synergies/match",
        json.dumps({**body, "activities": [{"id": "a", "description": ""}]}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "empty description" in bad.json()["detail"]
    wrong = client.post(
        "/api/v1/synergies/match", json.dumps({"initiatives": "x"}), content_type="application/json"
    )
    assert wrong.status_code == 422
