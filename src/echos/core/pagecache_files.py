"""The page cache's version store on the embedded default: files, read once per change.

Without Redis, the topic versions (``core.pagecache``) live in files under the data directory so
that every app process and management command sees the same ones. A page lookup reads the
versions of 10–20 topics, and reading one file each costs more than the rest of a cache hit.

This backend is Django's file cache plus a **generation file**: every write (``set``, ``add``,
``delete``, ``touch``, ``clear``) rewrites the version files first and then gives the generation
file a new random token (written to a temporary file and renamed into place). A process keeps
the versions it has read together with the token it read *before* them, and serves them again
while the generation file still holds that token: one small read per lookup instead of one file
per topic. A version written by another process is seen by the next lookup that starts after
that write returned, because the token changes after the version files do. The token is
compared by content, not by modification time (file times on Linux are coarse, and a renamed
file's inode may be reused).
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
from typing import Any, cast

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

GENERATION = "generation"

# Per store directory: (token, {(key, version): value} read under it), shared by the threads of a
# process. Only the version store uses this backend: its entries never expire (timeout None).
_memo: dict[str, tuple[bytes, dict[tuple[str, Any], Any]]] = {}
_ABSENT = object()
_lock = threading.Lock()


class GenerationFileBasedCache(FileBasedCache):
    """Django's file cache whose reads are kept while its generation file is unchanged."""

    @property
    def _root(self) -> str:
        return cast(Any, self)._dir  # FileBasedCache's directory (not in its type stubs)

    def _generation_path(self) -> str:
        return os.path.join(self._root, GENERATION)

    def _token(self) -> bytes | None:
        try:
            with open(self._generation_path(), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def _new_generation(self) -> None:
        cast(Any, self)._createdir()
        fd, tmp = tempfile.mkstemp(dir=self._root, prefix=".generation-")
        try:
            with open(fd, "wb") as f:
                f.write(secrets.token_hex(16).encode())
            os.replace(tmp, self._generation_path())
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise
        with _lock:
            _memo.pop(self._root, None)

    def get_many(self, keys, version=None):
        token = self._token()
        if token is None:  # a store no write has reached yet
            self._new_generation()
            token = self._token()
        remembered = _memo.get(self._root) if token is not None else None
        known: dict[tuple[str, Any], Any] = {}
        if remembered is not None and remembered[0] == token:
            known = remembered[1]
        found = {k: known[(k, version)] for k in keys if (k, version) in known}
        missing = [k for k in keys if k not in found]
        if missing:
            read = {}
            for key in missing:
                value = FileBasedCache.get(self, key, _ABSENT, version)
                if value is not _ABSENT:
                    read[key] = value
            found.update(read)
            if token is not None and read:
                with _lock:
                    current = _memo.get(self._root)
                    merged = dict(current[1]) if current and current[0] == token else {}
                    merged.update({(k, version): v for k, v in read.items()})
                    _memo[self._root] = (token, merged)
        return found

    def get(self, key, default=None, version=None):
        return self.get_many([key], version=version).get(key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        self._new_generation()

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for key, value in data.items():
            super().set(key, value, timeout, version)
        self._new_generation()
        return []

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        touched = super().touch(key, timeout, version)
        self._new_generation()
        return touched

    def delete(self, key, version=None):
        deleted = super().delete(key, version)
        self._new_generation()
        return deleted

    def clear(self):
        super().clear()
        self._new_generation()
