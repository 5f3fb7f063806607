"""Plural forms in every catalogue (issue #17 item 5): the header gives the forms the language needs,
every plural entry fills every form, and no form loses the number it counts.

The reference for a language's rule is Django's own catalogue for it where Django ships one (gettext
must agree with Django's catalogue at run time), otherwise CLDR through Babel. Both are compared by
evaluating the rules on numbers, not by comparing the text of the header."""

import gettext
import re
from collections.abc import Callable
from pathlib import Path

import django
import pytest
from babel.core import Locale
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
DJANGO_LOCALE = Path(django.__file__).parent / "conf" / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# Enough integers to meet every branch of the rules in use (n % 100 up to 119, the millions of Spanish).
NUMBERS = [*range(0, 1200), 10_000, 100_000, 1_000_000, 2_000_000, 1_000_000_000]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|\{(\w+)\}")
# The placeholder that carries the counted number when an entry has several (the others, names and
# dates, must stay in every form).
COUNT_NAMES = ("count", "counter", "n", "num", "number", "rows", "days", "years")
# Where Django ships no catalogue and CLDR's current rule is not the one gettext tools use, the rule
# of reference, with why. Maltese: CLDR 42 split a dual "two" (n == 2) off "few" and moved 102, 202…
# to "other"; the dual exists for a handful of nouns only, and the established gettext rule (CLDR up
# to 41, Launchpad, Weblate) has four forms: 1; 0 and 2–10; 11–19; the rest (each modulo 100).
REFERENCE_RULES = {
    "mt": "nplurals=4; plural=(n==1 ? 0 : n==0 || (n%100>1 && n%100<11) ? 1 : "
    "(n%100>10 && n%100<20) ? 2 : 3);",
}

Rule = Callable[[int], int]


def header_rule(plural_forms: str) -> tuple[int, Rule]:
    """The number of forms and the form-selecting function of a `Plural-Forms` header."""
    match = re.search(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", plural_forms)
    assert match, f"unreadable Plural-Forms header: {plural_forms!r}"
    return int(match.group(1)), gettext.c2py(match.group(2))


def po_header(path: Path) -> str:
    with path.open("rb") as f:
        catalogue = read_po(f)
    for name, value in catalogue.mime_headers:
        if name.lower() == "plural-forms":
            return value
    raise AssertionError(f"{path}: no Plural-Forms header")


def partition(forms: int, rule: Rule) -> dict[int, frozenset[int]]:
    """Which of NUMBERS each form is selected for."""
    chosen: dict[int, set[int]] = {i: set() for i in range(forms)}
    for n in NUMBERS:
        index = rule(n)
        assert 0 <= index < forms, f"the rule selects form {index} of {forms} for n={n}"
        chosen[index].add(n)
    return {i: frozenset(numbers) for i, numbers in chosen.items()}


def header_problems(code: str, plural_forms: str) -> list[str]:
    """Why a catalogue's `Plural-Forms` header does not fit the language (empty when it does)."""
    forms, rule = header_rule(plural_forms)
    partition(forms, rule)  # every number selects an existing form
    problems = []
    reference = DJANGO_LOCALE / code / "LC_MESSAGES" / "django.po"
    if reference.exists() or code in REFERENCE_RULES:
        source = "Django's catalogue" if reference.exists() else "the reference rule"
        their_forms, their_rule = header_rule(
            po_header(reference) if reference.exists() else REFERENCE_RULES[code]
        )
        if forms != their_forms:
            problems.append(f"nplurals={forms}, {source} has nplurals={their_forms}")
        differ = [n for n in NUMBERS if rule(n) != their_rule(n)]
        if differ and forms == their_forms:
            problems.append(f"the rule picks other forms than {source} for n={differ[:8]}")
        return problems
    # Integers only: CLDR's categories for fractions (Czech, Polish…) need no form of their own here.
    cldr = Locale.parse(code).plural_form
    categories: dict[str, set[int]] = {}
    for n in NUMBERS:
        categories.setdefault(cldr(n), set()).add(n)
    groups = sorted(sorted(numbers) for numbers in partition(forms, rule).values() if numbers)
    if forms != len(categories):
        problems.append(f"nplurals={forms}, CLDR needs {len(categories)} ({sorted(categories)})")
    elif sorted(map(sorted, categories.values())) != groups:
        problems.append(f"the rule does not group numbers as CLDR does ({sorted(categories)})")
    return problems


def only_one(forms: int, rule: Rule) -> set[int]:
    """The forms selected by n == 1 and by no other number: they may spell the number out."""
    return {i for i, numbers in partition(forms, rule).items() if numbers == {1}}


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def count_placeholder(singular: str, plural: str) -> str | None:
    names = placeholders(plural)
    dropped = names - placeholders(singular)
    if len(dropped) == 1:
        return dropped.pop()
    if len(names) == 1:
        return next(iter(names))
    return next((name for name in COUNT_NAMES if name in names), None)


def entry_problems(path: Path) -> list[str]:
    """Every plural entry of a catalogue: all forms there and filled, none losing a placeholder."""
    with path.open("rb") as f:
        catalogue = read_po(f)
    forms, rule = header_rule(po_header(path))
    may_spell_out = only_one(forms, rule)
    problems = []
    for message in catalogue:
        if not message.pluralizable:
            continue
        singular, plural = message.id
        label = plural[:60]
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if len(texts) > forms:
            problems.append(f"{label!r}: {len(texts)} forms, the header says {forms}")
        wanted = placeholders(plural)
        count = count_placeholder(singular, plural)
        for i in range(forms):
            text = texts[i] if i < len(texts) else ""
            if not text.strip():
                # Babel pads a missing msgstr[i] with "": both are reported here.
                problems.append(f"{label!r}: form {i} is missing or empty")
                continue
            missing = wanted - placeholders(text)
            if i in may_spell_out:
                missing.discard(count)  # type: ignore[arg-type]
            if missing:
                problems.append(f"{label!r}: form {i} drops {sorted(missing)}")
            invented = placeholders(text) - wanted - placeholders(singular)
            if invented:
                problems.append(f"{label!r}: form {i} invents {sorted(invented)}")
    return problems


def catalogues(code: str) -> list[Path]:
    return sorted((LOCALE / code / "LC_MESSAGES").glob("*.po"))


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_plural_forms_header_fits_the_language(code):
    assert catalogues(code), f"{code}: no catalogue"
    for po in catalogues(code):
        assert header_problems(code, po_header(po)) == [], po


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_plural_entry_has_every_form_with_its_number(code):
    for po in catalogues(code):
        problems = entry_problems(po)
        assert problems == [], f"{po}:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_catalogue_chooses_forms_as_its_source(code):
    for po in catalogues(code):
        with po.with_suffix(".mo").open("rb") as f:
            compiled = gettext.GNUTranslations(f)
        forms, rule = header_rule(po_header(po))
        assert [compiled.plural(n) for n in NUMBERS] == [rule(n) for n in NUMBERS], po


# The gate proven on purpose: tiny broken catalogues, and the exact problems they must raise.

POLISH_HEADER = (
    "nplurals=4; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : "
    "n!=1 && (n%10>=0 && n%10<=1) || (n%10>=5 && n%10<=9) || (n%100>=12 && n%100<=14) ? 2 : 3);"
)


def tiny_po(tmp_path: Path, header: str, entries: str) -> Path:
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {header}\\n"\n\n{entries}',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "code, header, problem",
    [
        ("pl", "nplurals=2; plural=(n != 1);", "nplurals=2, Django's catalogue has nplurals=4"),
        (
            "ga",
            "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);",
            "Django's catalogue has nplurals=5",
        ),
        ("lv", "nplurals=3; plural=(n==1 ? 0 : n==0 ? 1 : 2);", "other forms than Django's"),
        ("hr", "nplurals=2; plural=(n != 1);", "nplurals=2, Django's catalogue has nplurals=3"),
        ("mt", "nplurals=2; plural=(n != 1);", "nplurals=2, the reference rule has nplurals=4"),
        ("mt", "nplurals=4; plural=(n==1 ? 0 : n<11 ? 1 : n<20 ? 2 : 3);", "for n=[102, 103"),
        (
            "de",
            "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);",
            "Django's catalogue has nplurals=2",
        ),
        ("el", "nplurals=2; plural=(n > 1);", "other forms than Django's catalogue for n=[0]"),
        ("is", "nplurals=2; plural=(n == 1 ? 0 : 1);", "for n=[21, 31, 41"),
    ],
)
def test_a_wrong_header_is_caught(code, header, problem):
    problems = header_problems(code, header)
    assert any(problem in p for p in problems), problems


def test_the_right_headers_pass_including_maltese_without_django():
    maltese = (
        "nplurals=4; plural=(n==1 ? 0 : n==0 || ( n%100>1 && n%100<11) ? 1 : "
        "(n%100>10 && n%100<20 ) ? 2 : 3);"
    )
    assert not (DJANGO_LOCALE / "mt").exists(), "Django now ships Maltese: compare with it"
    assert header_problems("mt", maltese) == []
    assert header_problems("pl", POLISH_HEADER) == []


def test_without_a_reference_rule_cldr_decides(monkeypatch):
    """The path for a language neither Django nor REFERENCE_RULES covers (Maltese stands in)."""
    monkeypatch.setitem(globals(), "REFERENCE_RULES", {})
    cldr_maltese = (
        "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n==0 || (n%100>=3 && n%100<=10) ? 2 : "
        "(n%100>=11 && n%100<=19) ? 3 : 4);"
    )
    assert header_problems("mt", cldr_maltese) == []
    assert (
        "CLDR needs 5" in header_problems("mt", "nplurals=4; plural=(n==1 ? 0 : n==2 ? 1 : 2);")[0]
    )
    swapped = cldr_maltese.replace("n==1 ? 0 : n==2 ? 1", "n==1 ? 0 : n==3 ? 1")
    assert "as CLDR does" in header_problems("mt", swapped)[0]


def test_a_missing_an_empty_and_a_numberless_form_are_caught(tmp_path):
    po = tiny_po(
        tmp_path,
        POLISH_HEADER,
        'msgid "%(n)s event"\nmsgid_plural "%(n)s events"\n'
        'msgstr[0] "%(n)s wydarzenie"\nmsgstr[1] "%(n)s wydarzenia"\nmsgstr[2] "%(n)s wydarzeń"\n\n'
        'msgid "%(n)s hub"\nmsgid_plural "%(n)s hubs"\n'
        'msgstr[0] "%(n)s centrum"\nmsgstr[1] ""\nmsgstr[2] "%(n)s centrów"\n'
        'msgstr[3] "%(n)s centrum"\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\n'
        'msgstr[0] "jeden dzień"\nmsgstr[1] "kilka dni"\nmsgstr[2] "%(n)s dni"\n'
        'msgstr[3] "%(n)s dnia"\n\n'
        'msgid "%(name)s has %(n)s member"\nmsgid_plural "%(name)s has %(n)s members"\n'
        'msgstr[0] "ma jednego członka"\nmsgstr[1] "%(name)s ma %(n)s członków"\n'
        'msgstr[2] "%(name)s ma %(n)s członków"\nmsgstr[3] "%(name)s ma %(n)s członka"\n',
    )
    problems = entry_problems(po)
    assert problems == [
        "'%(n)s events': form 3 is missing or empty",
        "'%(n)s hubs': form 1 is missing or empty",
        # Form 0 (n == 1 only) may say "one day"; form 1 (2–4, 22–24…) must carry the number.
        "'%(n)s days': form 1 drops ['n']",
        # Spelling the number out never excuses dropping the name.
        "'%(name)s has %(n)s members': form 0 drops ['name']",
    ]


def test_the_form_for_one_must_keep_its_number_when_it_also_serves_21(tmp_path):
    """Croatian, Latvian, Lithuanian, Slovenian… select their first form for 21, 31, 101 too."""
    croatian = (
        "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;"
    )
    assert header_problems("hr", croatian) == []
    po = tiny_po(
        tmp_path,
        croatian,
        'msgid "%(n)s hub"\nmsgid_plural "%(n)s hubs"\n'
        'msgstr[0] "jedan centar"\nmsgstr[1] "%(n)s centra"\nmsgstr[2] "%(n)s centara"\n\n'
        'msgid "{count} event"\nmsgid_plural "{count} events"\n'
        'msgstr[0] "{count} događaj"\nmsgstr[1] "događaja"\nmsgstr[2] "{count} događaja"\n',
    )
    assert entry_problems(po) == [
        "'%(n)s hubs': form 0 drops ['n']",
        "'{count} events': form 1 drops ['count']",
    ]


def test_make_messages_regenerates_every_catalogue():
    """`make messages` extracts and compiles each offered language but English, and JavaScript has no
    strings of its own to extract (translated text reaches scripts through data attributes)."""
    makefile = (Path(settings.BASE_DIR).parents[1] / "Makefile").read_text(encoding="utf-8")
    langs = re.search(r"^LANGS\s*:=\s*(.+)$", makefile, re.MULTILINE)
    assert langs, "the Makefile has no LANGS"
    assert sorted(langs.group(1).split()) == sorted(LANGUAGES)
    recipe = makefile.split("\nmessages:", 1)[1].split("\n\n", 1)[0]
    assert "makemessages" in recipe and "compilemessages" in recipe
    assert "$(addprefix -l ,$(LANGS))" in recipe
    scripts = Path(settings.BASE_DIR) / "static" / "echos"
    uses_gettext = [
        js.name for js in scripts.glob("*.js") if re.search(r"\bn?gettext\(", js.read_text())
    ]
    assert uses_gettext == [] or "djangojs" in recipe, uses_gettext
