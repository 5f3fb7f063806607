"""The questionnaire engine: definition checks, validation of every question type, uploads and forms."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from echos.core.exceptions import RuleViolation
from echos.questionnaires.engine import (
    EVIDENCE_MAX_BYTES,
    DefinitionError,
    answers_from_post,
    clean_evidence_file,
    parse,
    questions,
    validate,
)

INSTRUMENTS = Path(__file__).parents[2] / "src/echos/assessment/data/instruments"
SHIPPED = ["maturity_model.json", "mapping_survey.json"]


def load(name):
    return json.loads((INSTRUMENTS / name).read_text(encoding="utf-8"))


def options(*values):
    return [{"value": v, "label": v.title()} for v in values]


def definition(*qs):
    """A one-section definition of the given questions."""
    return {"sections": [{"code": "s", "title": "Section", "questions": list(qs)}]}


def q(code, kind, **spec):
    return {"code": code, "type": kind, "text": f"Question {code}?", **spec}


LEVELS = [{"value": v, "label": f"L{v}", "descriptor": f"Level {v}"} for v in range(1, 6)]

FORM = definition(
    q("kind", "single", required=True, options=options("formal", "hosted", "informal")),
    q(
        "host",
        "single",
        required=True,
        options=options("ministry", "university"),
        show_if={"question": "kind", "equals": "hosted"},
    ),
    q("tools", "multiple", required=True, options=options("x", "y", "z"), max_choices=2),
    q("tool_y_detail", "text", required=True, show_if={"question": "tools", "contains": "y"}),
    q("level", "scale", required=True, levels=LEVELS),
    q("fte", "number", required=True, min=0, max=500),
    q("members", "number", min=0, max=10000, integer=True),
    q("budget", "money", min=0),
    q("until", "date"),
    q("notes", "text", max_length=10),
    q("tor", "evidence"),
)


def check(defn, answers, code):
    """The error of one question, for answers given only to it (draft mode)."""
    _cleaned, errors = validate(defn, answers, complete=False)
    return errors.get(code)


# --- parse -----------------------------------------------------------------------------------


def test_parse_builds_sections_and_questions_with_dimension_from_section():
    defn = {
        "sections": [
            {
                "code": "gov",
                "title": "Governance",
                "dimension": "governance",
                "questions": [
                    q("gov_level", "scale", required=True, levels=LEVELS),
                    q("gov_notes", "text"),
                ],
            }
        ]
    }
    (section,) = parse(defn)
    assert (section.code, section.title, section.dimension) == ("gov", "Governance", "governance")
    level, notes = section.questions
    assert level.dimension == "governance" and level.required and level.section == "gov"
    assert notes.dimension is None and not notes.required
    assert [o for o in level.levels] == LEVELS


def test_parse_rejects_repeated_codes_even_across_sections():
    defn = {
        "sections": [
            {"code": "a", "questions": [q("x", "text")]},
            {"code": "b", "questions": [q("x", "number")]},
        ]
    }
    with pytest.raises(DefinitionError, match="repeated"):
        parse(defn)


def test_parse_rejects_missing_code():
    with pytest.raises(DefinitionError):
        parse(definition({"type": "text", "text": "No code"}))


def test_parse_rejects_unknown_type():
    with pytest.raises(DefinitionError, match="unknown type 'slider'"):
        parse(definition(q("x", "slider")))


def test_parse_rejects_show_if_to_a_later_question():
    defn = definition(
        q("a", "text", show_if={"question": "b", "equals": "yes"}),
        q("b", "single", options=options("yes", "no")),
    )
    with pytest.raises(DefinitionError, match="earlier question"):
        parse(defn)


def test_parse_rejects_show_if_to_itself_or_an_unknown_question():
    with pytest.raises(DefinitionError):
        parse(
            definition(
                q("a", "single", options=options("yes"), show_if={"question": "a", "equals": "yes"})
            )
        )
    with pytest.raises(DefinitionError):
        parse(definition(q("a", "text", show_if={"question": "ghost", "equals": "yes"})))


def test_parse_rejects_scale_without_levels():
    with pytest.raises(DefinitionError, match="needs levels"):
        parse(definition(q("x", "scale")))
    with pytest.raises(DefinitionError, match="needs levels"):
        parse(definition(q("x", "scale", levels=[])))


# --- required answers and conditions ---------------------------------------------------------


def test_complete_submission_names_each_missing_required_answer():
    _cleaned, errors = validate(FORM, {}, complete=True)
    assert set(errors) == {"kind", "tools", "level", "fte"}
    assert "Question kind?" in errors["kind"]
    assert "Question fte?" in errors["fte"]


def test_draft_does_not_require_answers():
    cleaned, errors = validate(FORM, {}, complete=False)
    assert cleaned == {} and errors == {}


def test_draft_still_checks_the_answers_given():
    cleaned, errors = validate(FORM, {"kind": "formal", "level": 9}, complete=False)
    assert cleaned == {"kind": "formal"}
    assert set(errors) == {"level"}


def test_empty_values_count_as_unanswered():
    answers = {"kind": "", "tools": [], "level": None, "fte": "", "budget": {}}
    cleaned, errors = validate(FORM, answers, complete=True)
    assert cleaned == {}
    assert set(errors) == {"kind", "tools", "level", "fte"}


def test_hidden_equals_question_is_not_required_and_its_answer_is_dropped():
    answers = {"kind": "formal", "host": "ministry", "tools": ["x"], "level": 3, "fte": 1}
    cleaned, errors = validate(FORM, answers, complete=True)
    assert errors == {}
    assert "host" not in cleaned


def test_shown_equals_question_is_required():
    answers = {"kind": "hosted", "tools": ["x"], "level": 3, "fte": 1}
    _cleaned, errors = validate(FORM, answers, complete=True)
    assert set(errors) == {"host"}
    cleaned, errors = validate(FORM, {**answers, "host": "university"}, complete=True)
    assert errors == {} and cleaned["host"] == "university"


def test_hidden_contains_question_is_not_required_and_its_answer_is_dropped():
    answers = {
        "kind": "formal",
        "tools": ["x", "z"],
        "level": 3,
        "fte": 1,
        "tool_y_detail": "ignored",
    }
    cleaned, errors = validate(FORM, answers, complete=True)
    assert errors == {}
    assert "tool_y_detail" not in cleaned


def test_shown_contains_question_is_required():
    answers = {"kind": "formal", "tools": ["y"], "level": 3, "fte": 1}
    _cleaned, errors = validate(FORM, answers, complete=True)
    assert set(errors) == {"tool_y_detail"}
    cleaned, errors = validate(FORM, {**answers, "tool_y_detail": " detail "}, complete=True)
    assert errors == {} and cleaned["tool_y_detail"] == "detail"


def test_condition_on_an_invalid_answer_hides_the_dependent_question():
    answers = {"kind": "hosted-ish", "host": "ministry"}
    cleaned, errors = validate(FORM, answers, complete=True)
    assert "kind" in errors and "host" not in errors and "host" not in cleaned


def test_answer_to_unknown_question_is_reported():
    cleaned, errors = validate(FORM, {"kind": "formal", "ghost": "boo"}, complete=False)
    assert set(errors) == {"ghost"}
    assert "not part of the instrument" in errors["ghost"]
    assert cleaned == {"kind": "formal"}


# --- choices ---------------------------------------------------------------------------------


def test_single_accepts_a_listed_option_and_refuses_others():
    assert validate(FORM, {"kind": "informal"}, complete=False) == ({"kind": "informal"}, {})
    assert check(FORM, {"kind": "nope"}, "kind") == "Choose one of the listed options."
    assert check(FORM, {"kind": ["formal"]}, "kind") is not None


def test_single_with_numeric_option_values_compares_as_text():
    defn = definition(
        q("n", "single", options=[{"value": 1, "label": "One"}, {"value": 2, "label": "Two"}])
    )
    assert validate(defn, {"n": 2}, complete=False) == ({"n": "2"}, {})


def test_multiple_refuses_unknown_options_naming_them():
    error = check(FORM, {"tools": ["x", "w", "v"]}, "tools")
    assert error is not None and "w" in error and "v" in error and "x" not in error


def test_multiple_keeps_option_order_and_drops_duplicates():
    cleaned, errors = validate(FORM, {"tools": ["z", "x", "z"]}, complete=False)
    assert errors == {} and cleaned["tools"] == ["x", "z"]


def test_multiple_accepts_a_single_value():
    assert validate(FORM, {"tools": "y"}, complete=False)[0]["tools"] == ["y"]


def test_multiple_max_choices():
    assert validate(FORM, {"tools": ["x", "y"]}, complete=False)[1] == {}
    error = check(FORM, {"tools": ["x", "y", "z"]}, "tools")
    assert error == "Choose at most 2 options."


# --- scale and numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 3, 5, "4", 2.0])
def test_scale_accepts_levels(value):
    cleaned, errors = validate(FORM, {"level": value}, complete=False)
    assert errors == {}
    assert cleaned["level"] == int(value) and isinstance(cleaned["level"], int)


@pytest.mark.parametrize(
    "value,message",
    [
        (0, "from 1 to 5"),
        (6, "from 1 to 5"),
        (2.5, "whole number"),
        ("x", "Enter a number"),
        (-1, "from 1 to 5"),
        ("nan", "Enter a number"),
    ],
)
def test_scale_refuses_values_off_the_levels(value, message):
    error = check(FORM, {"level": value}, "level")
    assert error is not None and message in error


def test_number_min_max_and_negative_fte_refused():
    assert validate(FORM, {"fte": "2.5"}, complete=False)[0]["fte"] == 2.5
    assert validate(FORM, {"fte": 0}, complete=False)[1] == {}
    assert validate(FORM, {"fte": 500}, complete=False)[1] == {}
    assert check(FORM, {"fte": -0.5}, "fte") == "Enter a value of at least 0."
    assert check(FORM, {"fte": 501}, "fte") == "Enter a value of at most 500."
    assert check(FORM, {"fte": "many"}, "fte") == "Enter a number."
    assert check(FORM, {"fte": "inf"}, "fte") == "Enter a number."


def test_integer_number():
    cleaned, errors = validate(FORM, {"members": "12"}, complete=False)
    assert errors == {} and cleaned["members"] == 12 and isinstance(cleaned["members"], int)
    assert validate(FORM, {"members": 12.0}, complete=False)[0]["members"] == 12
    assert check(FORM, {"members": 12.5}, "members") == "Enter a whole number."
    assert check(FORM, {"members": -1}, "members") == "Enter a value of at least 0."


# --- money -----------------------------------------------------------------------------------


def test_money_is_cleaned_with_an_uppercase_currency():
    cleaned, errors = validate(
        FORM, {"budget": {"amount": "1200.50", "currency": "eur"}}, complete=False
    )
    assert errors == {}
    assert cleaned["budget"] == {"amount": 1200.5, "currency": "EUR"}


def test_money_without_currency_refused():
    assert "currency" in check(FORM, {"budget": {"amount": 100}}, "budget")
    assert "currency" in check(FORM, {"budget": {"amount": 100, "currency": ""}}, "budget")


def test_money_with_unknown_currency_refused():
    error = check(FORM, {"budget": {"amount": 100, "currency": "xyz"}}, "budget")
    assert error is not None and "XYZ" in error and "ISO 4217" in error


def test_money_negative_amount_refused():
    assert (
        check(FORM, {"budget": {"amount": -5, "currency": "EUR"}}, "budget")
        == "Enter a value of at least 0."
    )


def test_money_max_is_respected():
    defn = definition(q("grant", "money", min=0, max=1000))
    assert (
        check(defn, {"grant": {"amount": 5000, "currency": "EUR"}}, "grant")
        == "Enter a value of at most 1000."
    )


def test_money_needs_an_amount_and_a_dict():
    assert (
        check(FORM, {"budget": {"amount": None, "currency": "EUR"}}, "budget") == "Enter a number."
    )
    assert check(FORM, {"budget": "100 EUR"}, "budget") == "Give an amount and a currency."


# --- date, text, evidence, organisations -----------------------------------------------------


def test_date_format():
    assert validate(FORM, {"until": "2027-12-31"}, complete=False) == ({"until": "2027-12-31"}, {})
    for bad in ["31/12/2027", "2027-13-01", "2027-02-30", "next year"]:
        assert check(FORM, {"until": bad}, "until") == "Enter a date as YYYY-MM-DD.", bad


def test_text_is_stripped_and_over_max_length_refused_naming_the_length():
    assert validate(FORM, {"notes": "  ten chars "}, complete=False)[0]["notes"] == "ten chars"
    assert validate(FORM, {"notes": "x" * 10}, complete=False)[1] == {}
    error = check(FORM, {"notes": "x" * 12}, "notes")
    assert error == "Keep this under 10 characters (it has 12)."


def test_text_default_max_length_is_5000():
    defn = definition(q("t", "text"))
    assert validate(defn, {"t": "x" * 5000}, complete=False)[1] == {}
    assert "5001" in check(defn, {"t": "x" * 5001}, "t")


def test_whitespace_only_text_does_not_answer_a_required_question():
    answers = {"kind": "formal", "tools": ["y"], "level": 3, "fte": 1, "tool_y_detail": "   "}
    cleaned, errors = validate(FORM, answers, complete=True)
    assert "tool_y_detail" in errors
    assert "tool_y_detail" not in cleaned


@pytest.mark.parametrize("link", ["https://example.org/tor.pdf", "http://example.org"])
def test_evidence_link_accepted(link):
    assert validate(FORM, {"tor": {"link": link}}, complete=False) == ({"tor": {"link": link}}, {})


def test_evidence_link_as_plain_string_accepted():
    assert validate(FORM, {"tor": "https://example.org"}, complete=False)[0]["tor"] == {
        "link": "https://example.org"
    }


@pytest.mark.parametrize(
    "link",
    ["ftp://example.org/tor.pdf", "javascript:alert(1)", "example.org", "file:///etc/passwd"],
)
def test_evidence_link_must_be_http(link):
    assert "http://" in check(FORM, {"tor": {"link": link}}, "tor")


@pytest.mark.django_db
def test_organisations_must_exist(hubs):
    defn = definition(q("partners", "organisations"))
    occ, ncs = hubs["occ"].pk, hubs["ncs"].pk
    cleaned, errors = validate(defn, {"partners": [str(ncs), occ, ncs]}, complete=False)
    assert errors == {} and cleaned["partners"] == sorted({occ, ncs})
    assert validate(defn, {"partners": occ}, complete=False)[0]["partners"] == [occ]
    missing = max(occ, ncs, hubs["aicib"].pk) + 1000
    assert (
        check(defn, {"partners": [occ, missing]}, "partners")
        == "Choose organisations from the list."
    )
    assert check(defn, {"partners": ["abc"]}, "partners") == "Choose organisations from the list."


@pytest.mark.django_db
def test_options_from_a_vocabulary():
    defn = definition(
        q("groups", "multiple", options_from="stakeholder_groups"),
        q(
            "level_patients",
            "single",
            options_from="engagement_levels",
            show_if={"question": "groups", "contains": "patients"},
        ),
    )
    (groups, level) = questions(defn)
    codes = [code for code, _label in groups.options]
    assert {"citizens", "patients", "research"} <= set(codes)
    first_level = level.options[0][0]
    cleaned, errors = validate(
        defn, {"groups": ["research", "patients"], "level_patients": first_level}, complete=True
    )
    assert errors == {}
    assert cleaned["groups"] == sorted(["research", "patients"], key=codes.index)
    assert "unicorns" in check(defn, {"groups": ["patients", "unicorns"]}, "groups")


# --- uploads ---------------------------------------------------------------------------------


PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "logo.svg", "report.pdf.exe", "README"])
def test_evidence_file_type_refused(name):
    with pytest.raises(RuleViolation, match="not accepted") as exc:
        clean_evidence_file(SimpleUploadedFile(name, PDF))
    assert exc.value.field == "file"


@pytest.mark.parametrize("name", ["report.pdf", "REPORT.PDF", "minutes.pdf"])
def test_evidence_file_accepted(name):
    assert clean_evidence_file(SimpleUploadedFile(name, PDF)).content_type == "application/pdf"


def test_evidence_file_content_must_match_its_type():
    with pytest.raises(RuleViolation, match="not a .docx file"):
        clean_evidence_file(SimpleUploadedFile("minutes.docx", PDF))


def test_evidence_file_size_limit():
    assert EVIDENCE_MAX_BYTES == 10 * 1024 * 1024
    clean_evidence_file(SimpleUploadedFile("report.pdf", PDF.ljust(EVIDENCE_MAX_BYTES, b"0")))
    with pytest.raises(RuleViolation, match="10 MB"):
        clean_evidence_file(
            SimpleUploadedFile("report.pdf", PDF.ljust(EVIDENCE_MAX_BYTES + 1, b"0"))
        )


# --- form posts ------------------------------------------------------------------------------


def post(pairs):
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, value)
    return data


def test_answers_from_post_reads_every_kind_of_field():
    data = post(
        [
            ("q_kind", "hosted"),
            ("q_host", " ministry "),
            ("q_tools", "x"),
            ("q_tools", ""),
            ("q_tools", "z"),
            ("q_level", "4"),
            ("q_fte", "1.5"),
            ("q_budget_amount", " 2000 "),
            ("q_budget_currency", "nok"),
            ("q_until", "2027-06-30"),
            ("q_notes", "  hi  "),
            ("q_tor", " https://example.org/tor "),
            ("csrfmiddlewaretoken", "abc"),
        ]
    )
    answers = answers_from_post(FORM, data)
    assert answers == {
        "kind": "hosted",
        "host": "ministry",
        "tools": ["x", "z"],
        "level": "4",
        "fte": "1.5",
        "budget": {"amount": "2000", "currency": "nok"},
        "until": "2027-06-30",
        "notes": "hi",
        "tor": {"link": "https://example.org/tor"},
    }
    cleaned, errors = validate(FORM, answers, complete=True)
    assert errors == {}
    assert cleaned["level"] == 4 and cleaned["budget"] == {"amount": 2000.0, "currency": "NOK"}


def test_answers_from_post_ignores_empty_fields():
    data = post(
        [
            ("q_kind", ""),
            ("q_tools", ""),
            ("q_level", "  "),
            ("q_notes", "   "),
            ("q_budget_amount", ""),
            ("q_budget_currency", " "),
            ("q_tor", " "),
        ]
    )
    assert answers_from_post(FORM, data) == {}


def test_answers_from_post_keeps_a_currency_without_amount_so_it_is_reported():
    answers = answers_from_post(FORM, post([("q_budget_amount", ""), ("q_budget_currency", "EUR")]))
    assert answers == {"budget": {"amount": None, "currency": "EUR"}}
    assert check(FORM, answers, "budget") == "Enter a number."


def test_answers_from_post_from_an_urlencoded_body():
    data = QueryDict("q_kind=formal&q_tools=y&q_tools=x&q_members=7")
    assert answers_from_post(FORM, data) == {"kind": "formal", "tools": ["y", "x"], "members": "7"}


# --- the shipped instruments -----------------------------------------------------------------


def valid_answers(defn):
    """One valid answer to every question, choosing values that make every conditional question show."""
    qs = questions(defn)
    wanted: dict[str, list] = {}
    for question in qs:
        cond = question.show_if
        if cond and "equals" in cond:
            wanted.setdefault(cond["question"], []).append(str(cond["equals"]))
        elif cond and "contains" in cond:
            wanted.setdefault(cond["question"], []).append(str(cond["contains"]))
    answers = {}
    for question in qs:
        spec = question.spec
        if question.type == "single":
            answers[question.code] = wanted.get(question.code, [question.options[0][0]])[0]
        elif question.type == "multiple":
            values = wanted.get(question.code) or [question.options[-1][0]]
            limit = spec.get("max_choices")
            assert not limit or len(values) <= limit
            answers[question.code] = values
        elif question.type == "scale":
            answers[question.code] = question.levels[len(question.levels) // 2]["value"]
        elif question.type == "number":
            value = spec.get("max", spec.get("min", 0) + 1)
            answers[question.code] = int(value) if spec.get("integer") else value
        elif question.type == "money":
            answers[question.code] = {"amount": 250000, "currency": "EUR"}
        elif question.type == "date":
            answers[question.code] = "2027-12-31"
        elif question.type == "text":
            answers[question.code] = "x" * spec.get("max_length", 5000)
        elif question.type == "evidence":
            answers[question.code] = {"link": "https://example.org/evidence.pdf"}
        elif question.type == "organisations":
            raise AssertionError("no shipped instrument asks for organisations")
    return answers


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_instrument_parses(name):
    defn = load(name)
    sections = parse(defn)
    assert sections and all(s.questions for s in sections)
    codes = [question.code for question in questions(defn)]
    assert len(codes) == len(set(codes))


def test_maturity_model_has_eight_dimensions_with_five_described_levels():
    scales = [
        question for question in questions(load("maturity_model.json")) if question.type == "scale"
    ]
    assert len(scales) == 8 and len({question.dimension for question in scales}) == 8
    for question in scales:
        assert [lv["value"] for lv in question.levels] == [1, 2, 3, 4, 5]
        assert all(lv["label"] and lv["descriptor"] for lv in question.levels)


@pytest.mark.django_db
@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_instrument_accepts_a_complete_valid_answer_set(name):
    defn = load(name)
    answers = valid_answers(defn)
    cleaned, errors = validate(defn, answers, complete=True)
    assert errors == {}
    assert set(cleaned) == {question.code for question in questions(defn)}


@pytest.mark.django_db
def test_mapping_survey_requires_what_it_says_when_empty():
    defn = load("mapping_survey.json")
    _cleaned, errors = validate(defn, {}, complete=True)
    required_unconditional = {x.code for x in questions(defn) if x.required and not x.show_if}
    assert set(errors) == required_unconditional


def test_labels_given_per_language_follow_the_active_language():
    from django.utils import translation

    defn = {
        "sections": [
            {
                "code": "s",
                "title": {"en": "Funding", "fr": "Financement"},
                "questions": [
                    {
                        "code": "kind",
                        "type": "single",
                        "text": {"en": "Which kind?", "fr": "Quel type ?"},
                        "options": [{"value": "a", "label": {"en": "Grant", "fr": "Subvention"}}],
                    }
                ],
            }
        ]
    }
    with translation.override("fr"):
        [section] = parse(defn)
        assert section.title == "Financement" and section.questions[0].text == "Quel type ?"
        assert section.questions[0].options == [("a", "Subvention")]
    with translation.override("de"):  # no German label: English
        assert parse(defn)[0].questions[0].text == "Which kind?"
