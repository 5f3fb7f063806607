"""Pieces of a page (a list's rows or cards) kept per version of what each is made of (#18).

A list page shows 20–25 objects, and rendering their rows is a large part of the page's time.
After a write to one object the page is rendered again (``core.pagecache``), but the other rows
are unchanged. ``render_each`` keeps each row in the shared cache (Redis in production, each
process's memory on the embedded default) under a digest of **everything the row is made of**:
the object's column values as read, those of the related rows the template shows, any extra
values the caller names (an annotation such as a member count), the language, the script prefix
the row's links carry and the template's own format number. The key changes whenever the row
would, whichever way the database was written (no timestamp is trusted); a page reads all of its
rows in one ``get_many`` and renders only the missing ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

SECONDS = 3600


def columns(obj: Any) -> tuple:
    """The column values a row was read with (deferred ones are not read, so not shown)."""
    if obj is None:
        return ()
    loaded = vars(obj)
    return tuple(
        (f.attname, repr(loaded[f.attname]))
        for f in obj._meta.concrete_fields
        if f.attname in loaded
    )


def key(name: str, fmt: int, obj: Any, related: Iterable[Any], extra: tuple) -> str:
    """The cache key of one object's fragment: a digest of all it is made of."""
    parts = (
        name,
        fmt,
        get_language(),
        get_script_prefix(),
        extra,
        columns(obj),
        tuple(columns(r) for r in related),
    )
    return f"echos:fragment:{name}:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def render_block(
    template: str,
    context: dict,
    *,
    name: str,
    fmt: int,
    objects: Iterable[Any],
    extra: tuple = (),
) -> SafeString:
    """``template`` rendered with ``context``, kept under a digest of the columns of ``objects``
    (every row it shows, with the related rows it reads) and ``extra`` (every other value of
    ``context`` it reads): one cache read for a block of many rows."""
    digest = hashlib.sha256()
    for obj in objects:
        digest.update(repr(columns(obj)).encode())
    k = key(name, fmt, None, (), (extra, digest.hexdigest()))
    html = cache.get(k)
    if html is None:
        html = render_to_string(template, context)
        cache.set(k, html, SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by our templates)


def render_each(
    objects: Sequence[Any],
    template: str,
    *,
    name: str,
    fmt: int,
    as_name: str,
    related: Callable[[Any], Iterable[Any]] = lambda obj: (),
    extra: Callable[[Any], tuple] = lambda obj: (),
    context: dict | None = None,
) -> list[SafeString]:
    """Each object rendered with ``template`` (the object as ``as_name``, plus ``context``), in
    order: from the cache, rendering only the missing ones. ``context`` values must be part of
    the name (or of ``extra``): they are not in the key otherwise."""
    keys = [key(name, fmt, obj, related(obj), extra(obj)) for obj in objects]
    found = cache.get_many(keys)
    rendered = {}
    for obj, k in zip(objects, keys, strict=True):
        if k not in found:
            rendered[k] = render_to_string(template, {**(context or {}), as_name: obj})
    if rendered:
        cache.set_many(rendered, SECONDS)
        found.update(rendered)
    return [mark_safe(found[k]) for k in keys]  # noqa: S308 (rendered by our templates)
