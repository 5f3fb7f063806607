"""No template writes English the translators cannot see (issue #17 item 5): every text between tags
and every `aria-label`, `title`, `placeholder`, `alt` and button value in src/echos/**/templates is
inside `{% translate %}`/`{% blocktranslate %}` or comes from a variable (`{{ … }}`)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

SRC = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    p
    for p in SRC.glob("**/templates/**/*")
    if p.suffix in {".html", ".txt"} and "/static/" not in str(p)
)
ATTRIBUTES = {
    "aria-label",
    "title",
    "placeholder",
    "alt",
    "aria-description",
    "aria-roledescription",
}
# Words that are the same in every language: names, formats, standards, units and symbols.
NOT_TRANSLATABLE = {
    "echos",
    "iCal",
    "ics",
    "CSV",
    "XLSX",
    "PDF",
    "JSON",
    "API",
    "OpenAPI",
    "Swagger",
    "ReDoc",
    "EU",
    "ORCID",
    "ROR",
    "OpenStreetMap",
    "OSM",
    "Leaflet",
    "Vega",
    "HTML",
    "URL",
    "ISO",
    "NUTS",
    "GDPR",
    "CC",
    "BY",
    "DOI",
    "ID",
    "TOTP",
    "MFA",
    "km",
    "h",
    "x",
    "GEXF",
    "GraphML",
    # Identifiers of the Horizon Europe grant agreement, the same in every language of a consortium:
    # work package WP3, deliverable D1.2, milestone MS4, task T2.1, risk R2, project month M12.
    "WP",
    "D",
    "MS",
    "T",
    "R",
    "M",
}
# Django tags, variables and comments become a marker (so "Hello {{ name }}" keeps "Hello").
BLOCK_TRANSLATE = re.compile(
    r"{%-?\s*blocktrans(?:late)?\b.*?{%-?\s*endblocktrans(?:late)?\s*-?%}", re.DOTALL
)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)
CODE_BLOCK = re.compile(r"<(script|style|pre|code)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Addresses, file names and fragments are not words: "https://", "datapackage.json", "#follow-ups".
NOT_WORDS = re.compile(
    r"\w+://\S*|\S*#[\w-]+|\b[\w-]+\.(?:json|csv|xlsx|ics|pdf|xml|gexf|graphml)\b"
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# A space: Django markup may sit inside an HTML tag (`<td{% if gap %} class="gap"{% endif %}>`).
MARK = " "


def untranslated_words(text: str) -> list[str]:
    """The words of a text that would be shown as they are, in English."""
    return [w for w in WORD.findall(NOT_WORDS.sub(" ", text)) if w not in NOT_TRANSLATABLE]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.open: list[tuple[str, bool]] = []  # (tag, inside translate="no")

    @property
    def kept(self) -> bool:
        return bool(self.open) and self.open[-1][1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        kept = self.kept or values.get("translate") == "no"
        if tag not in VOID:
            self.open.append((tag, kept))
        if kept:
            return  # marked as not to be translated: a name, a code, a sample
        for name, value in attrs:
            wanted = name in ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and values.get("type") in {"submit", "button", "reset"}
            )
            if wanted and value and untranslated_words(value.replace(MARK, " ")):
                self.found.append((self.getpos()[0], f'{name}="{value.replace(MARK, " ")}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        if self.kept:
            return
        text = data.replace(MARK, " ").strip()
        if text and untranslated_words(text):
            self.found.append((self.getpos()[0], " ".join(data.replace(MARK, " ").split())))


def strip_django(source: str) -> str:
    """The template with everything translated or computed replaced by markers, lines kept."""

    def blank(match: re.Match) -> str:
        return MARK + "\n" * match.group(0).count("\n")

    for pattern in (COMMENT_BLOCK, BLOCK_TRANSLATE, TAG, HTML_COMMENT, CODE_BLOCK):
        source = pattern.sub(blank, source)
    return source


def literal_english(source: str, *, html: bool = True) -> list[tuple[int, str]]:
    """(line, text) of the English left in a template once Django's markup is taken out."""
    stripped = strip_django(source)
    if not html:
        return [
            (number, line.replace(MARK, " ").strip())
            for number, line in enumerate(stripped.splitlines(), 1)
            if untranslated_words(line.replace(MARK, " "))
        ]
    collector = _Collector()
    collector.feed(stripped)
    collector.close()
    return collector.found


# A literal shown in place of a missing value: `{{ e.actor|default:"system" }}`, `{% firstof a "none" %}`.
SHOWN_LITERAL = re.compile(
    r"""{{[^}]*\|(?:default|default_if_none|yesno):(["'])(?P<a>[^"']*)\1[^}]*}}"""
    r"""|{%\s*firstof\b[^%]*?(["'])(?P<b>[^"']*)\3[^%]*%}"""
)
OPEN_ATTRIBUTE = re.compile(r"""([\w-]+)=["'][^"'<>]*$""")


def shown_literals(source: str) -> list[tuple[int, str]]:
    """Literals in filters and `firstof` that reach the page as text (not a class or an id)."""
    found = []
    for match in SHOWN_LITERAL.finditer(source):
        text = match.group("a") if match.group("a") is not None else match.group("b")
        line_start = source.rfind("\n", 0, match.start()) + 1
        attribute = OPEN_ATTRIBUTE.search(source[line_start : match.start()])
        if attribute and attribute.group(1) not in ATTRIBUTES:
            continue  # class="flag-{{ row.flag|default:'none' }}"
        if untranslated_words(text):
            found.append((source.count("\n", 0, match.start()) + 1, match.group(0)))
    return found


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 150


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_literal_english_in_the_template(path):
    source = path.read_text(encoding="utf-8")
    found = literal_english(source, html=path.suffix == ".html") + shown_literals(source)
    assert found == [], "\n".join(f"{path.relative_to(SRC)}:{line}: {text}" for line, text in found)


def test_the_checker_finds_literal_english_and_spares_translated_text():
    source = """{% load i18n %}
<h1>{% translate "Hubs" %}</h1>
<p>{% blocktranslate with n=count %}There are {{ n }} hubs{% endblocktranslate %}</p>
<nav aria-label="Pages">{{ hub.name }} · {% translate "Next" %}</nav>
<p>Show {{ n }} more</p>
<img src="x.png" alt="{% translate 'Map' %}"><img src="y.png" alt="Logo of the hub">
<input type="submit" value="Save"><input type="text" value="Oslo">
<input placeholder="{% translate 'Search' %}"><abbr title="Comma-separated values">CSV</abbr>
<code>python -m echos</code><span translate="no" title="Oslo kommune">Oslo kommune</span>
{# Not shown #}{% comment %}Nor this{% endcomment %}<!-- nor this -->
<script>const label = "Close";</script>
<p>echos · iCal · CSV</p>
"""
    assert literal_english(source) == [
        (4, 'aria-label="Pages"'),
        (5, "Show more"),
        (6, 'alt="Logo of the hub"'),
        (7, 'value="Save"'),
        (8, 'title="Comma-separated values"'),
    ]


def test_the_checker_reads_plain_text_e_mails_line_by_line():
    source = '{% load i18n %}{% translate "Hello" %}\nSee you soon\n{{ url }}\n-- \necho\x73\n'
    assert literal_english(source, html=False) == [(2, "See you soon")]


def test_the_checker_finds_english_shown_by_a_filter_or_firstof():
    source = """<td>{{ e.actor|default:"system" }}</td><td>{{ v|default:"—" }}</td>
<tr class="flag-{{ row.flag|default:'none' }}"><td title="{{ x|default:'Unknown' }}">
{% firstof a b "nobody" %}{{ a|default:_("system") }}{% firstof a b %}
"""
    assert shown_literals(source) == [
        (1, '{{ e.actor|default:"system" }}'),
        (2, "{{ x|default:'Unknown' }}"),
        (3, '{% firstof a b "nobody" %}'),
    ]
