"""Audit of the concept lexicon: which concepts name almost every text, and through which words.

A concept found in more than a third of the texts says nothing about a particular pair. It must
carry a lexicon ``weight`` no higher than its IDF-style weight ln(1/share) / ln(3) (1 at a third,
0 when every text has it); below 1 it is also never given as a reason for a suggestion.
``echos synergies lexicon-audit`` prints the table; a unit test keeps the shipped corpus clean.
"""

import json
import math
from collections import Counter
from dataclasses import dataclass

from echos.synergies import engine
from echos.synergies.demo import ACTIVITIES

COMMON_SHARE = engine.COMMON_SHARE


@dataclass(frozen=True)
class ConceptRow:
    """One concept's document frequency over a corpus and the text forms that named it."""

    concept: str
    label: str
    docs: int
    share: float
    weight: float
    limit: float
    forms: list[tuple[str, int]]

    @property
    def status(self) -> str:
        if self.share <= COMMON_SHARE:
            return "ok"
        return "down-weighted" if self.weight <= self.limit + 1e-9 else "too common"


def idf_weight(share: float) -> float:
    """The highest weight allowed for a concept in this share of texts (1 up to a third)."""
    if share <= COMMON_SHARE:
        return 1.0
    return max(0.0, math.log(1 / share) / math.log(1 / COMMON_SHARE))


def shipped_texts() -> list[tuple[str, str]]:
    """(source, text) of every text shipped with the platform: initiatives, demo activities and
    the activities of both labelled evaluation sets."""

    def read(name: str) -> dict:
        return json.loads((engine.DATA / name).read_text(encoding="utf-8"))

    texts = [
        (f"initiative {i['key']}", f"{i['name']}\n{i.get('acronym', '')}\n{i['description']}")
        for i in read("initiatives.json")["initiatives"]
    ]
    texts += [(f"demo activity {a[2]}", f"{a[2]}\n{a[3]}") for a in ACTIVITIES]
    for name in ("evaluation.json", "activity_evaluation.json"):
        texts += [
            (f"{name} {a['id']}", f"{a['title']}\n{a['description']}")
            for a in read(name)["activities"]
        ]
    return texts


def audit(texts: list[str], lexicon: engine.Lexicon | None = None) -> list[ConceptRow]:
    """Every concept found in ``texts``, most frequent first."""
    lexicon = lexicon or engine.lexicon()
    docs: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        hits = set(lexicon.hits(engine.concept_tokens(text)))
        docs.update({c for c, _form in hits})
        for concept, form in hits:
            forms.setdefault(concept, Counter())[form] += 1
    n = max(len(texts), 1)
    return [
        ConceptRow(
            concept=c,
            label=lexicon.labels[c],
            docs=k,
            share=k / n,
            weight=lexicon.weights.get(c, 1.0),
            limit=idf_weight(k / n),
            forms=forms[c].most_common(),
        )
        for c, k in sorted(docs.items(), key=lambda item: (-item[1], item[0]))
    ]


def report(rows: list[ConceptRow], n: int, *, top: int = 15) -> str:
    """The audit as a plain-text table: the ``top`` most frequent concepts and every problem."""
    lines = [
        f"{n} texts; a concept in more than {COMMON_SHARE:.0%} of them must be down-weighted.",
        f"{'concept':<32} {'texts':>5} {'share':>6} {'weight':>6} {'limit':>6}  status         named by",
    ]
    shown = [r for i, r in enumerate(rows) if i < top or r.status != "ok"]
    for r in shown:
        named = ", ".join(f"{form} ({k})" for form, k in r.forms[:5])
        lines.append(
            f"{r.concept:<32} {r.docs:>5} {r.share:>6.1%} {r.weight:>6.2f} {r.limit:>6.2f}  "
            f"{r.status:<14} {named}"
        )
    return "\n".join(lines) + "\n"
