"""Files in and out of the batch matcher (CLI and ``POST /api/v1/synergies/match``).

Initiatives: ``{"id", "name", "description"}`` (optional ``acronym``, ``objectives``);
activities: ``{"id", "title", "description"}`` (optional ``language``, ``objectives``,
``policy_areas``). JSON arrays, or CSV with the same columns (lists separated by ``;``).
"""

import csv
import io
import json
from collections.abc import Callable

from echos.core.languages import language_codes
from echos.core.middleware import MAX_JSON_DEPTH, json_depth
from echos.core.spreadsheets import SafeWriter
from echos.synergies import engine
from echos.synergies.engine import MAX_TEXT, Doc

# Activities matched at a time by ``run``: a multiple of ``engine.embed``'s batch, so that the
# vectors, and so the scores, are the same as in one call.
CHUNK = 64


class BatchError(ValueError):
    """A file or payload that cannot be used; the message names the line, item or field."""


def read_items(data: bytes | str, *, name: str, fmt: str | None = None) -> list[dict]:
    """Parse a JSON array or CSV into dicts; errors name the line."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    fmt = fmt or ("json" if text.lstrip().startswith(("[", "{")) else "csv")
    if fmt == "json":
        if json_depth(text) > MAX_JSON_DEPTH:
            raise BatchError(f"{name}: nested more than {MAX_JSON_DEPTH} levels deep")
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BatchError(
                f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        if not isinstance(items, list):
            raise BatchError(f"{name}: expected a JSON array of objects")
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise BatchError(f"{name}: item {i} is not an object")
        return items
    try:
        reader = csv.DictReader(io.StringIO(text))
        rows = []
        for row in reader:
            if None in row:
                raise BatchError(f"{name}: line {reader.line_num} has more fields than the header")
            rows.append({k.strip(): (v or "").strip() for k, v in row.items() if k})
    except csv.Error as exc:
        raise BatchError(f"{name}: invalid CSV at line {reader.line_num}: {exc}") from None
    for row in rows:
        for key in ("objectives", "policy_areas"):
            if isinstance(row.get(key), str):
                row[key] = [v.strip() for v in row[key].split(";") if v.strip()]
    return rows


def _text(item: dict, key: str, where: str) -> str:
    """An optional text field ("" when absent); anything else than text is refused."""
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BatchError(f"{where}.{key}: must be text")
    return value


def _text_list(item: dict, key: str, where: str) -> list[str]:
    """An optional list of text codes; lists inside, objects or numbers are refused."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BatchError(f"{where}.{key}: must be a list")
    for j, v in enumerate(value, start=1):
        if not isinstance(v, str):
            raise BatchError(f"{where}.{key}[{j}]: must be text")
    return value


def _docs(items: list[dict], *, name: str, title_key: str) -> list[Doc]:
    docs, seen = [], set()
    for i, item in enumerate(items, start=1):
        # Items and list entries are counted from 1, as in "activities[3].title: must be text".
        where = f"{name}[{i}]"
        raw_id = item.get("id")
        if raw_id in (None, ""):
            raise BatchError(f"{where}.id: missing id")
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int | float):
            raise BatchError(f"{where}.id: must be text or a number")
        key = str(raw_id)
        if key in seen:
            raise BatchError(f"{where}.id: duplicate id {key!r}")
        seen.add(key)
        description = item.get("description")
        if description is not None and not isinstance(description, str):
            raise BatchError(f"{where}.description (id {key}): must be text")
        if not description or not description.strip():
            raise BatchError(f"{where}.description (id {key}): empty description")
        language = item.get("language") or None
        if language is not None and (
            not isinstance(language, str) or language.lower() not in language_codes()
        ):
            raise BatchError(
                f"{where}.language (id {key}): unknown language code {language!r}"
                " (use ISO 639-1, e.g. fr)"
            )
        title = _text(item, title_key, where)
        extra = _text(item, "acronym", where)
        objectives = _text_list(item, "objectives", where)
        policy_areas = _text_list(item, "policy_areas", where)
        docs.append(
            Doc.make(
                key,
                f"{title} ({extra})" if extra else title,
                description,
                language=language.lower() if language else None,
                objectives=objectives,
                policy_areas=policy_areas,
            )
        )
    return docs


def initiatives(items: list[dict], name: str = "initiatives") -> list[Doc]:
    """Initiative documents, checked."""
    return _docs(items, name=name, title_key="name")


def activities(items: list[dict], name: str = "activities") -> list[Doc]:
    """Activity documents, checked."""
    return _docs(items, name=name, title_key="title")


def run(
    initiatives: list[Doc],
    activities: list[Doc],
    *,
    top: int,
    mode: str,
    explain: bool,
    progress: Callable[[int], object] | None = None,
) -> list[dict]:
    """Match a batch (the API's request and its background jobs alike).

    ``progress`` is told the number of documents done: the initiatives once indexed, then the
    activities as they are matched.
    """
    index = engine.Index(initiatives, need_vectors=mode != "lexical")
    done = len(initiatives)
    if progress:
        progress(done)
    results: list[dict] = []
    for start in range(0, len(activities), CHUNK):
        part = activities[start : start + CHUNK]
        results += engine.match(part, index, top=top, mode=mode, explain=explain)
        done += len(part)
        if progress:
            progress(done)
    return results


def truncation_notes(docs: list[Doc]) -> list[str]:
    """A note per document cut at MAX_TEXT characters."""
    return [f"{d.id}: description cut to {MAX_TEXT:,} characters" for d in docs if d.truncated]


def to_csv(results: list[dict]) -> str:
    """One row per (activity, match)."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["activity", "rank", "initiative", "score"])
    for r in results:
        for rank, m in enumerate(r["matches"], start=1):
            writer.writerow([r["activity"], rank, m["initiative"], m["score"]])
    return out.getvalue()
