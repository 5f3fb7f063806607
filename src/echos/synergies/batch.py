"""Files in and out of the batch matcher (CLI and ``POST /api/v1/synergies/match``).

Initiatives: ``{"id", "name", "description"}`` (optional ``acronym``, ``objectives``);
activities: ``{"id", "title", "description"}`` (optional ``language``, ``objectives``,
``policy_areas``). JSON arrays, or CSV with the same columns (lists separated by ``;``).
"""

import csv
import io
import json
from functools import cache

import pycountry

from echos.core.spreadsheets import SafeWriter
from echos.synergies.engine import MAX_TEXT, Doc


class BatchError(ValueError):
    """A file or payload that cannot be used; the message names the line, item or field."""


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 codes."""
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def read_items(data: bytes | str, *, name: str, fmt: str | None = None) -> list[dict]:
    """Parse a JSON array or CSV into dicts; errors name the line."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    fmt = fmt or ("json" if text.lstrip().startswith(("[", "{")) else "csv")
    if fmt == "json":
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


def _docs(items: list[dict], *, name: str, title_key: str) -> list[Doc]:
    docs, seen = [], set()
    for i, item in enumerate(items, start=1):
        where = f"{name}: item {i}"
        raw_id = item.get("id")
        if raw_id in (None, ""):
            raise BatchError(f"{where}: missing id")
        key = str(raw_id)
        if key in seen:
            raise BatchError(f"{where}: duplicate id {key!r}")
        seen.add(key)
        description = item.get("description")
        if not isinstance(description, str) or not description.strip():
            raise BatchError(f"{where} (id {key}): empty description")
        language = item.get("language") or None
        if language is not None and (
            not isinstance(language, str) or language.lower() not in language_codes()
        ):
            raise BatchError(
                f"{where} (id {key}): unknown language code {language!r} (use ISO 639-1, e.g. fr)"
            )
        title = item.get(title_key) or ""
        extra = item.get("acronym") or ""
        for key_name in ("objectives", "policy_areas"):
            value = item.get(key_name, [])
            if not isinstance(value, list):
                raise BatchError(f"{where} (id {key}): {key_name} must be a list")
        docs.append(
            Doc.make(
                key,
                f"{title} ({extra})" if extra else title,
                description,
                language=language.lower() if language else None,
                objectives=item.get("objectives", []),
                policy_areas=item.get("policy_areas", []),
            )
        )
    return docs


def initiatives(items: list[dict], name: str = "initiatives") -> list[Doc]:
    """Initiative documents, checked."""
    return _docs(items, name=name, title_key="name")


def activities(items: list[dict], name: str = "activities") -> list[Doc]:
    """Activity documents, checked."""
    return _docs(items, name=name, title_key="title")


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
