"""Finding the writes that change what cached pages show (``core.pagecache``).

A database execute wrapper reads the table of every ``INSERT``, ``UPDATE`` and ``DELETE`` (ORM
saves, ``queryset.update``, ``bulk_create``, raw SQL, imports, revert, backup restore, demo data,
management commands) and bumps the topics when the transaction commits (``on_commit``; at once in
autocommit). A table that no model owns counts for the app its name starts with; ``TRUNCATE`` and
migrations bump everything.

**Column topics.** An ``UPDATE`` that assigns only columns of a group an app declares
(``COLUMN_TOPICS`` in its page-cache module, e.g. an event's title and description: its
"details") bumps that group's topic (``"events.event:details"``) instead of the model's. Pages
that show those columns depend on the group's topic too (it is part of its app, and of ``"*"``);
a page that shows none of them (the participation gap's counts) may ignore it. An ORM ``save()``
without ``update_fields`` assigns every column, so it bumps the model's topic as before.
"""

from __future__ import annotations

import re
from types import ModuleType

from django.db import connections


def _cache() -> ModuleType:
    """``core.pagecache`` (imported when first needed: it imports this module)."""
    # Import cycle: core.pagecache imports this module for its API.
    from echos.core import pagecache

    return pagecache


_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)
    \s+[`"]?(\w+)[`"]?""",
    re.IGNORECASE | re.VERBOSE,
)
_EVERYTHING = re.compile(r"^\s*(?:TRUNCATE|ALTER|DROP|CREATE|RENAME)\b", re.IGNORECASE)
_SET_COLUMNS = re.compile(r"""[`"]?(\w+)[`"]?\s*=""")


def written_topics(sql: str) -> set[str]:
    """The topics a statement writes to (``{"*"}`` for schema changes and truncation)."""
    match = _WRITE.match(sql)
    if match is None:
        return {_cache().ALL} if _EVERYTHING.match(sql) else set()
    table = match.group(1).lower()
    reg = _cache()._registry()
    quiet = _cache().QUIET_UPDATES.get(table)
    groups = reg.column_topics.get(table)
    if (quiet or groups) and sql.lstrip()[:6].upper() == "UPDATE":
        assigned = sql.upper().split(" SET ", 1)[-1].split(" WHERE ", 1)[0]
        columns = {c.lower() for c in _SET_COLUMNS.findall(assigned)}
        if columns and quiet and columns <= quiet:
            return set()
        for group, topic in groups or ():
            if columns and columns <= group:
                return {topic}
    if table in reg.table_topic:
        topic = reg.table_topic[table]
        return {topic} if topic else set()
    # A table no model owns (a search index kept by raw SQL): its app, if its name says so.
    for label, topics in reg.app_topics.items():
        if table.startswith(label + "_"):
            return set(topics)
    return set()


class _Pending:
    """Topics written in the open transactions of one connection, bumped when one commits."""

    def __init__(self) -> None:
        self.topics: set[str] = set()

    def flush(self) -> None:
        topics, self.topics = self.topics, set()
        _cache().bump(topics)


def schedule(connection, topics: set[str]) -> None:
    """Bump ``topics`` when the connection's transaction commits (at once in autocommit)."""
    if not connection.in_atomic_block:
        _cache().bump(topics)
        return
    pending = connection.__dict__.get("_echos_pagecache")
    if pending is None:
        pending = connection._echos_pagecache = _Pending()
    pending.topics.update(topics)
    # A callback per write statement, all sharing one set: the first to run bumps every topic
    # written so far and the others find nothing left. A savepoint rolled back drops only its
    # own callbacks (its topics stay pending and are bumped with the next commit: one bump too
    # many, never one too few).
    connection.on_commit(pending.flush)


def is_bump(callback) -> bool:
    """Whether an on-commit callback is the page cache's own bump (tests leave these out)."""
    return getattr(callback, "__self__", None).__class__ is _Pending


def _execute_wrapper(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    # Versions move even while serving is off, so the views' own caches (the gap report) stay exact.
    if isinstance(sql, str):
        topics = written_topics(sql)
        if topics:
            schedule(context["connection"], topics)
    return result


def install(connection, **kwargs) -> None:
    """Watch a database connection's writes (``connection_created`` receiver)."""
    if _execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_execute_wrapper)


def install_all() -> None:
    for connection in connections.all(initialized_only=True):
        install(connection)


def after_migrate(**kwargs) -> None:
    """A migration may change what any page shows (``post_migrate`` receiver)."""
    _cache().bump_all()
