"""The accent and case fold shared by every search (issue #17, "Search and matching").

``fold`` maps each character to exactly one character (``São`` → ``sao``, ``Zdrowie`` → ``zdrowie``,
``Υγεία`` → ``υγεια``, ``Łódź`` → ``lodz``), so a folded text has the length of its original and a
position found in one is the same position in the other (the library highlights snippets that
way). A character whose fold would be longer (``ß``, ligatures) is only lower-cased.

Searches compare folded text with a folded query in Python-maintained columns (``search_text``),
so they work alike on SQLite and PostgreSQL without database extensions.
"""

import re
import unicodedata

# Letters that carry their accent without a Unicode decomposition; and markup characters, which
# PostgreSQL's text-search parser would read as tags that its headlines drop.
LETTERS = {
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ħ": "h", "Ħ": "h", "ı": "i",
    "<": " ", ">": " ", "&": " ",
}  # fmt: skip

WORD = re.compile(r"[^\W_]+")


class _Fold(dict):
    """``str.translate`` table filled on demand: one character in, one character out."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in LETTERS:
            self[code] = LETTERS[char]
            return LETTERS[char]
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        ).lower()
        if len(base) != 1:
            base = char.lower() if len(char.lower()) == 1 else char
        if base == "ς":  # Greek final sigma is the same letter as σ
            base = "σ"
        self[code] = base
        return base


_FOLD = _Fold()


def fold(text: str) -> str:
    """``text`` without accents and in lower case, character for character (same length)."""
    return (text or "").translate(_FOLD)


def words(query: str) -> list[str]:
    """The folded words of a query (letters and digits; punctuation dropped)."""
    return WORD.findall(fold(query))
