"""The database full-text index of the library (table ``library_search``, see migration 0002).

One row per resource holds the folded title, description (each in every language of the catalogue
text: the source and its translations) and text (``text.fold``) and the original
description and text for snippets. SQLite matches with FTS5 and ranks with ``bm25``; PostgreSQL
matches a GIN-indexed ``tsvector`` and ranks with ``ts_rank``. Both get the same folded words, each
a prefix (``saud`` finds ``saúde``), all required. Ranks are turned so that lower is better on both.

Snippets come from the database (FTS5 ``snippet()``, ``ts_headline``) over the folded text, with
the hits marked by private-use characters; since folding keeps every position, the same span is
cut from the original text and the marks are put back there (``search.mark``).

The services keep the index in step (``index_resource``, ``remove``); ``rebuild`` refills it for
resources written in bulk (the data generator).
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, connection

from echos.library.text import HIT_END, HIT_START, clean, fold

INDEX_TEXT_CHARS = 300_000  # text indexed per resource (a PostgreSQL tsvector is at most 1 MB)
ELLIPSIS = "\ue002"
SNIPPET_TOKENS = 24
WINDOW = 3000  # characters of a long text that PostgreSQL's headline reads
HEADLINE = (
    f'StartSel="{HIT_START}", StopSel="{HIT_END}", MaxWords=30, MinWords=12, ShortWord=1, '
    'MaxFragments=1, FragmentDelimiter=" "'
)


def _vendor() -> str:
    return connection.vendor


def _every_language(resource, field: str) -> str:
    """A catalogue field in every language it is written in (the source text first), one per
    line, so that a search in any language finds the resource."""
    texts = resource.translations or {}
    parts = [clean(getattr(resource, field) or "")] + [
        clean(str((texts.get(language) or {}).get(field) or ""))
        for language in sorted(texts)
        if language != resource.source_language
    ]
    return "\n".join(p for p in parts if p)


def _rows(resources: Iterable) -> list[tuple[int, str, str, str, str]]:
    """(id, folded title, folded description, folded text, original description + text)."""
    rows = []
    for resource in resources:
        prefetched = getattr(resource, "_prefetched_objects_cache", {}).get("versions")
        if prefetched is not None:
            version = max(prefetched, key=lambda v: v.number, default=None)
        else:
            version = resource.latest_version()
        body = clean(version.text if version is not None else "")[:INDEX_TEXT_CHARS]
        title, description = (
            _every_language(resource, "title"),
            _every_language(resource, "description"),
        )
        rows.append(
            (resource.pk, fold(title), fold(description), fold(body), f"{description}\n\n{body}")
        )
    return rows


def write(rows: Sequence[tuple[int, str, str, str, str]]) -> None:
    """Replace the index rows of these resources."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if _vendor() == "postgresql":
            cursor.executemany(
                "INSERT INTO library_search (resource_id, title_f, description_f, body_f, original)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (resource_id) DO UPDATE SET"
                " title_f = EXCLUDED.title_f, description_f = EXCLUDED.description_f,"
                " body_f = EXCLUDED.body_f, original = EXCLUDED.original",
                rows,
            )
        else:
            cursor.executemany(
                "DELETE FROM library_search WHERE rowid = %s", [(row[0],) for row in rows]
            )
            cursor.executemany(
                "INSERT INTO library_search (rowid, title, description, doc, original)"
                " VALUES (%s, %s, %s, %s, %s)",
                [(pk, t, d, f"{d}\n\n{b}", o) for pk, t, d, b, o in rows],
            )


def index_resource(resource) -> None:
    """Index (again) one resource: its title, description and its newest version's text."""
    write(_rows([resource]))


def remove(resource_ids: Iterable[int]) -> None:
    """Drop resources from the index."""
    ids = [(pk,) for pk in resource_ids]
    column = "resource_id" if _vendor() == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM library_search WHERE {column} = %s", ids)


def rebuild(queryset, batch: int = 500) -> int:
    """Index every resource of ``queryset`` (after a bulk load); returns how many."""
    count = 0
    ids = list(queryset.values_list("pk", flat=True))
    model = queryset.model
    for start in range(0, len(ids), batch):
        chunk = model.objects.filter(pk__in=ids[start : start + batch]).prefetch_related("versions")
        write(_rows(chunk))
        count += len(chunk)
    return count


def analyze() -> None:
    """Refresh PostgreSQL's statistics of the library tables after a bulk load: without them the
    planner takes 20,000 visible rows for 60 and joins the search row by row (~0.3 s)."""
    if _vendor() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE library_resource, library_search")


# --- queries --------------------------------------------------------------------------------------


def match_expression(terms: Sequence[str]) -> str:
    """The folded words as the vendor's query: every word required, each a prefix."""
    if _vendor() == "postgresql":
        return " & ".join(f"{term}:*" for term in terms)
    return " AND ".join(f'"{term}"*' for term in terms)


@contextmanager
def _index_scans() -> Iterator[Any]:
    """A cursor with which PostgreSQL reads the GIN index rather than every row.

    The planner does not count the cost of reading each row's (large, out of line) ``tsvector``,
    so for a prefix query (``word:*``) it thinks a scan of the whole table cheaper than the index:
    measured on 20,000 resources, 480 ms against 1 ms. Sequential scans are discouraged for the
    duration of the query only.
    """
    with connection.cursor() as cursor:
        if _vendor() != "postgresql":
            yield cursor
            return
        cursor.execute("SET enable_seqscan = off")
        try:
            yield cursor
        finally:
            try:
                cursor.execute("RESET enable_seqscan")
            except DatabaseError:  # an aborted transaction rolls the setting back with it
                pass


def _hits_sql(visible_sql: str) -> str:
    """SQL of (id, translation_group, language, rank) of the matching visible resources."""
    if _vendor() == "postgresql":
        return (
            "SELECT r.id, r.translation_group, r.language, -ts_rank(s.document, q.query) AS rank"
            " FROM library_search s JOIN library_resource r ON r.id = s.resource_id,"
            " to_tsquery('simple', %s) AS q(query)"
            f" WHERE s.document @@ q.query AND r.id IN ({visible_sql})"
        )
    return (
        "SELECT r.id, r.translation_group, r.language,"
        " bm25(library_search, 10.0, 3.0, 1.0, 0.0) AS rank"
        " FROM library_search JOIN library_resource r ON r.id = library_search.rowid"
        f" WHERE library_search MATCH %s AND r.id IN ({visible_sql})"
    )


CANDIDATES = 200  # best matches ranked before grouping (at least three pages' worth)
MAX_CANDIDATES = 2_000  # past this, a page is taken from every match ranked and grouped


def _matches_sql(visible_sql: str) -> str:
    """SQL of (id, translation_group) of the matching visible resources: no rank computed."""
    if _vendor() == "postgresql":
        return (
            "SELECT r.id, r.translation_group FROM library_search s"
            " JOIN library_resource r ON r.id = s.resource_id"
            f" WHERE s.document @@ to_tsquery('simple', %s) AND r.id IN ({visible_sql})"
        )
    return (
        "SELECT r.id, r.translation_group"
        " FROM library_search JOIN library_resource r ON r.id = library_search.rowid"
        f" WHERE library_search MATCH %s AND r.id IN ({visible_sql})"
    )


def count_groups(
    terms: Sequence[str], visible: tuple[str, tuple], cap: int | None = None, cursor: Any = None
) -> int:
    """The number of matching translation groups (at most ``cap + 1`` when ``cap`` is given),
    without ranking anything (on ``cursor`` when the caller has one open)."""
    sql, params = visible
    inner = f"SELECT DISTINCT translation_group FROM ({_matches_sql(sql)}) m"
    args: list[Any] = [match_expression(terms), *params]
    if cap is not None:
        inner += " LIMIT %s"
        args.append(cap + 1)
    if cursor is None:
        with _index_scans() as opened:
            return count_groups(terms, visible, cap, opened)
    cursor.execute(f"SELECT COUNT(*) FROM ({inner}) g", args)
    return cursor.fetchone()[0]


def _best_sql(members: str) -> str:
    """Of each translation group in ``members`` (id, translation_group, language, rank): the
    resource in the preferred language (the first parameter), else the best ranked."""
    return (
        "SELECT id, rank, ROW_NUMBER() OVER (PARTITION BY translation_group"
        f" ORDER BY CASE WHEN language = %s THEN 0 ELSE 1 END, rank, id) AS n FROM ({members}) m"
    )


def _shown(rows: Iterable[tuple[int, Any, str, float]], prefer_language: str) -> list[tuple]:
    """``_best_sql`` over a bounded set of (id, group, language, rank): the shown resource of
    each group, as (id, rank), best first."""
    best: dict[Any, tuple] = {}
    for pk, group, language, rank in rows:
        key = (0 if language == prefer_language else 1, float(rank), pk)
        if group not in best or key < best[group]:
            best[group] = key
    return sorted((rank, pk) for _first, rank, pk in best.values())


def find(
    terms: Sequence[str],
    visible: tuple[str, tuple],
    *,
    prefer_language: str,
    limit: int,
    offset: int,
    count_cap: int | None = None,
) -> tuple[int, list[tuple[int, float]]]:
    """Count the matching translation groups and return one page of (resource id, rank).

    ``visible`` is the SQL and parameters of the ids the reader may see, filters applied. Of each
    translation group, the resource in ``prefer_language`` is shown, else the best ranked one;
    groups are ordered by the rank of the resource shown.

    Only the best ``CANDIDATES`` matches come back, in rank order (``ORDER BY rank LIMIT``). When
    there are fewer, they are every match and are grouped at once. Else the other matching members
    of the candidates' groups are read, and the groups whose shown resource ranks strictly better
    than the last candidate are final (any other group shows a resource that ranks no better):
    when they fill the page, it is the page, and the groups are counted without ranking (up to
    ``count_cap + 1`` when a cap is given). Else (a far page, translations in the reader's
    language ranked low) every match is ranked and grouped in the database.
    """
    sql, params = visible
    query = match_expression(terms)
    hits = _hits_sql(sql)
    need = offset + limit
    wanted = max(CANDIDATES, 3 * need)
    if wanted <= MAX_CANDIDATES:
        with _index_scans() as cursor:
            cursor.execute(f"{hits} ORDER BY rank, r.id LIMIT %s", [query, *params, wanted])
            candidates = cursor.fetchall()
            if len(candidates) < wanted:  # every match: all is exact
                shown = _shown(candidates, prefer_language)
                return len(shown), [(pk, rank) for rank, pk in shown[offset:need]]
            cutoff = float(candidates[-1][3])
            groups = sorted({group for _pk, group, _language, _rank in candidates})
            placeholders = ", ".join(["%s"] * len(groups))
            ids = {pk for pk, *_rest in candidates}
            cursor.execute(
                f"{hits} AND r.translation_group IN ({placeholders})", [query, *params, *groups]
            )
            members = [row for row in cursor.fetchall() if row[0] not in ids]
            shown = _shown([*candidates, *members], prefer_language)
            exact = [(pk, rank) for rank, pk in shown if rank < cutoff]
            if len(exact) >= need:
                return count_groups(terms, visible, count_cap, cursor), exact[offset:need]
    with _index_scans() as cursor:
        cursor.execute(
            f"SELECT id, rank, COUNT(*) OVER () FROM ({_best_sql(hits)}) b WHERE n = 1"
            " ORDER BY rank, id LIMIT %s OFFSET %s",
            [prefer_language, query, *params, limit, offset],
        )
        rows = cursor.fetchall()
    if rows:
        return rows[0][2], [(pk, float(rank)) for pk, rank, _total in rows]
    return count_groups(terms, visible), []


def snippets(terms: Sequence[str], ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Per resource: the marked folded fragment and the original span it was cut from.

    The fragment's characters without the marks are the fold of the span, one for one.
    """
    if not ids:
        return {}
    query = match_expression(terms)
    marks = [HIT_START, HIT_END, ELLIPSIS]
    placeholders = ", ".join(["%s"] * len(ids))
    if _vendor() == "postgresql":
        return _headlines(query, max(terms, key=len), ids)
    else:
        plain = "replace(replace(replace(frag, %s, ''), %s, ''), %s, '')"
        sql = (
            f"SELECT id, frag, substr(original, instr(doc, {plain}), length({plain})) FROM ("
            "SELECT rowid AS id, snippet(library_search, 2, %s, %s, %s, %s) AS frag, doc, original"
            f" FROM library_search WHERE library_search MATCH %s AND +rowid IN ({placeholders}))"
        )
        params: list[Any] = [*marks, *marks, *marks, SNIPPET_TOKENS, query, *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: (frag or "", span or "") for pk, frag, span in cursor.fetchall()}


def _headlines(query: str, anchor: str, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """PostgreSQL's snippets: ``ts_headline`` over a window of the folded text around the first
    place where the longest word occurs (a headline re-parses all it is given, ~0.1 s for 300,000
    characters), and the same span of the original text."""
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        "SELECT s.resource_id, h.frag,"
        " CASE WHEN p.found > 0 THEN substr(s.original, w.at + p.found - 1, length(p.plain)) END,"
        " w.at + p.found - 1, length(p.plain), length(d.doc)"
        " FROM library_search s"
        " CROSS JOIN LATERAL (SELECT s.description_f || E'\\n\\n' || s.body_f AS doc) d"
        " CROSS JOIN LATERAL (SELECT greatest(1, strpos(d.doc, %s) - %s) AS at) a"
        " CROSS JOIN LATERAL (SELECT a.at, substr(d.doc, a.at, %s) AS text) w"
        " CROSS JOIN LATERAL (SELECT ts_headline('simple', w.text, to_tsquery('simple', %s), %s)"
        " AS frag) h"
        " CROSS JOIN LATERAL (SELECT replace(replace(h.frag, %s, ''), %s, '') AS plain) q"
        " CROSS JOIN LATERAL (SELECT q.plain, strpos(w.text, q.plain) AS found) p"
        f" WHERE s.resource_id IN ({placeholders})"
    )
    params: list[Any] = [anchor, WINDOW // 2, WINDOW, query, HEADLINE, HIT_START, HIT_END, *ids]
    out: dict[int, tuple[str, str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, frag, span, at, length, total in cursor.fetchall():
            before = ELLIPSIS if at and at > 1 else ""
            after = ELLIPSIS if at and length is not None and at + length - 1 < total else ""
            out[pk] = (f"{before}{frag or ''}{after}", span or "")
    return out
