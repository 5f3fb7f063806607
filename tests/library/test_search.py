"""Full-text search: accents and case ignored in many languages, ranks, snippets, filters and
translation groups. The same tests run on SQLite (FTS5) and PostgreSQL (tsvector)."""

import pytest

from echos.core.exceptions import RuleViolation
from echos.library.search import search

pytestmark = pytest.mark.django_db


def titles(page) -> list[str]:
    return [r.resource.title for r in page.results]


@pytest.mark.parametrize(
    ("language", "text", "query"),
    [
        ("pt", "Guia de saúde pública para hubs", "saude"),
        ("pt", "Guia de saude publica para hubs", "SAÚDE"),
        ("pl", "Zdrowie publiczne w regionach", "zdrowie"),
        ("pl", "Profilaktyka nowotworów w Łodzi", "lodzi"),
        ("de", "Gesundheitsförderung für Ärzte", "arzte"),
        ("de", "Früherkennung von Krebs", "FRUHERKENNUNG"),
        ("fr", "Santé et équité d'accès", "equite"),
        ("fr", "Qualite de vie des patients", "qualité"),
        ("es", "Prevención del cáncer en niños", "prevencion nino"),
        ("el", "Υγεία και πρόληψη του καρκίνου", "υγεια"),
        ("el", "ΠΡΟΛΗΨΗ ΚΑΡΚΙΝΟΥ", "πρόληψη"),
        ("cs", "Včasná diagnostika", "vcasna"),
    ],
)
def test_accents_and_case_are_ignored(make_resource, language, text, query):
    make_resource(text, language=language)
    make_resource("Something else entirely", language=language)
    assert titles(search(query, user=None)) == [text]


def test_words_are_prefixes_and_all_required(make_resource):
    make_resource("Screening programmes for cervical cancer")
    make_resource("Screening of lung cancer")
    assert titles(search("screen cervic", user=None)) == [
        "Screening programmes for cervical cancer"
    ]


def test_description_is_searched_and_title_ranks_first(make_resource):
    make_resource("A general handbook", description="Chapter on survivorship care")
    make_resource("Survivorship care plans", description="A template")
    page = search("survivorship", user=None)
    assert titles(page) == ["Survivorship care plans", "A general handbook"]
    assert page.results[0].rank > page.results[1].rank


@pytest.mark.parametrize("query", ["", " ", "a", "é", "!!", "*"])
def test_empty_or_one_character_query_is_refused(make_resource, query):
    make_resource("Anything")
    with pytest.raises(RuleViolation) as refused:
        search(query, user=None)
    assert refused.value.field == "q"


def test_query_operators_are_plain_words(make_resource):
    make_resource("Health AND equity")
    for query in ['"health', "health OR", "NEAR(health)", "health:*", "equity & !x", "h'ealth"]:
        search(query, user=None)  # never a database error


def test_snippet_marks_hits_in_the_original_text_and_escapes_it(make_resource):
    make_resource(
        "Guide",
        language="pt",
        description="Um guia <script>alert(1)</script> sobre a Saúde dos doentes e a saúde pública.",
    )
    snippet = search("saude", user=None).results[0].snippet
    assert "<mark>Saúde</mark>" in snippet
    assert "<mark>saúde</mark>" in snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet


def test_translations_appear_once_in_the_readers_language(make_resource):
    en = make_resource("Patient navigation toolkit", language="en")
    pt = make_resource("Patient navigation toolkit (PT)", language="pt", translation_of=en)
    make_resource("Patient navigation toolkit (PL)", language="pl", translation_of=en)
    page = search("navigation", user=None, prefer_language="pt")
    assert page.count == 1
    assert [r.resource for r in page.results] == [pt]
    assert sorted(t.language for t in page.results[0].translations) == ["en", "pl"]


def test_filters_by_language_type_and_tag(make_resource):
    make_resource(
        "Cancer screening", language="en", type="report", tags=[("objectives", "prevention")]
    )
    make_resource("Cancer screening brief", language="en", type="policy_brief")
    make_resource("Cancer screening (de)", language="de", type="report")
    assert titles(search("cancer", user=None, type="policy_brief")) == ["Cancer screening brief"]
    assert titles(search("cancer", user=None, language="de")) == ["Cancer screening (de)"]
    assert titles(search("cancer", user=None, tags=[("objectives", "prevention")])) == [
        "Cancer screening"
    ]


def test_changed_title_is_searched_and_deleted_resource_is_gone(make_resource):
    from echos.library import services

    resource = make_resource("Old title")
    services.update_resource(actor=None, resource=resource, title="Brand new wording")
    assert titles(search("wording", user=None)) == ["Brand new wording"]
    assert titles(search("old", user=None)) == []
    services.delete_resource(actor=None, resource=resource)
    assert titles(search("wording", user=None)) == []


def test_pages(make_resource):
    for n in range(5):
        make_resource(f"Registry report {n}")
    first = search("registry", user=None, per_page=2)
    third = search("registry", user=None, per_page=2, page=3)
    assert first.count == 5 and first.pages == 3
    assert len(first.results) == 2 and len(third.results) == 1


def test_snippet_of_a_hit_deep_inside_a_long_text(make_resource):
    from echos.library import index

    resource = make_resource("Long report")
    long_text = "Lorem ipsum dolor sit amet. " * 2000 + "Here the Ćwiczenia start. " + "Tail. " * 50
    # as if extracted from a file: (id, folded title, description, text; original snippet source)
    index.write([(resource.pk, "long report", "", index.fold(long_text), f"\n\n{long_text}")])
    hit = search("cwiczenia", user=None).results[0]
    assert "<mark>Ćwiczenia</mark>" in hit.snippet
    assert hit.snippet.startswith("…")


def _pages(query, per_page, **kw):
    found = [search(query, user=None, per_page=per_page, page=n, **kw) for n in (1, 2, 3, 4, 5)]
    return [(p.count, [(r.resource.pk, r.rank) for r in p.results]) for p in found]


def test_ranking_only_the_best_candidates_gives_the_same_pages(make_resource, monkeypatch):
    """With few candidates (and translations in the reader's language ranked low), every page is
    the one that ranking and grouping every match gives."""
    from echos.library import index

    for n in range(14):
        text = " ".join(["screening"] * (n % 5 + 1)) + f" programme {n}"
        en = make_resource(f"Screening {n}", description=text, language="en")
        if n % 3 == 0:
            make_resource(
                f"Rastreio {n}", description="screening", language="pt", translation_of=en
            )
    for language in ("pt", "en"):
        monkeypatch.setattr(index, "CANDIDATES", 4)
        fast = _pages("screening", 3, prefer_language=language)
        monkeypatch.setattr(index, "MAX_CANDIDATES", 0)
        full = _pages("screening", 3, prefer_language=language)
        monkeypatch.undo()
        assert fast == full
        assert fast[0][0] == 14 and sum(len(ids) for _count, ids in fast) == 14


def test_count_cap_says_more(make_resource):
    for n in range(5):
        make_resource(f"Registry report {n}")
    capped = search("registry", user=None, per_page=2, count_cap=3)
    assert capped.more and capped.count > 3 and capped.count_cap == 3
    assert not search("registry", user=None, per_page=2, count_cap=10).more
