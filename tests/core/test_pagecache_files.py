"""The embedded default's version store: files read once per change (core/pagecache_files.py)."""

import subprocess
import sys

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from echos.core import pagecache_files
from echos.core.pagecache_files import GenerationFileBasedCache


@pytest.fixture
def store(tmp_path):
    pagecache_files._memo.clear()
    yield GenerationFileBasedCache(str(tmp_path / "versions"), {})
    pagecache_files._memo.clear()


@pytest.fixture
def file_reads(monkeypatch):
    """How many version files were read."""
    calls = []
    real = FileBasedCache.get

    def counting(self, key, default=None, version=None):
        calls.append(key)
        return real(self, key, default, version)

    monkeypatch.setattr(FileBasedCache, "get", counting)
    return calls


def test_versions_are_read_from_their_files_once_while_nothing_is_written(store, file_reads):
    store.set_many({"a": "1", "b": "2"}, None)
    assert store.get_many(["a", "b", "c"]) == {"a": "1", "b": "2"}
    assert sorted(file_reads) == ["a", "b", "c"]
    file_reads.clear()
    assert store.get_many(["a", "b"]) == {"a": "1", "b": "2"}
    assert file_reads == []
    # A key not found is read again each time (it may be added by another process).
    assert store.get_many(["c"]) == {}
    assert file_reads == ["c"]


@pytest.mark.parametrize(
    ("write", "expected"),
    [
        (lambda s: s.set("a", "new", None), {"a": "new"}),
        (lambda s: s.set_many({"a": "new"}, None), {"a": "new"}),
        (lambda s: s.delete("a"), {}),
        (lambda s: s.clear(), {}),
        (lambda s: s.add("z", "added", None), {"a": "1", "z": "added"}),
        (lambda s: s.touch("a", 5), {"a": "1"}),
    ],
    ids=["set", "set_many", "delete", "clear", "add", "touch"],
)
def test_every_write_is_seen_by_the_next_read(store, file_reads, write, expected):
    store.set_many({"a": "1"}, None)
    assert store.get_many(["a", "z"]) == {"a": "1"}
    token = store._token()
    write(store)
    assert store._token() != token
    file_reads.clear()
    assert store.get_many(["a", "z"]) == expected
    assert sorted(file_reads) == ["a", "z"]


def test_a_version_written_by_another_process_is_seen_at_once(store, tmp_path):
    store.set("topic", "v1", None)
    assert store.get("topic") == "v1"
    code = (
        "import sys; from echos.core.pagecache_files import GenerationFileBasedCache as C;"
        "C(sys.argv[1], {}).set('topic', 'v2', None)"
    )
    subprocess.run([sys.executable, "-c", code, store._dir], check=True)
    assert store.get("topic") == "v2"


def test_a_process_that_only_reads_keeps_no_stale_value_after_a_write_elsewhere(tmp_path):
    """Two stores on one directory (two processes' instances): the memo follows the file."""
    pagecache_files._memo.clear()
    reader = GenerationFileBasedCache(str(tmp_path / "v"), {})
    writer = GenerationFileBasedCache(str(tmp_path / "v"), {})
    writer.set("k", "1", None)
    assert reader.get("k") == "1"
    # Forget this process's memo bookkeeping as another process would not share it, then write.
    pagecache_files._memo[reader._dir] = (reader._token() or b"", {("k", None): "1"})
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from echos.core.pagecache_files import GenerationFileBasedCache as C;"
            "C(sys.argv[1], {}).set('k', '2', None)",
            reader._dir,
        ],
        check=True,
    )
    assert reader.get("k") == "2"
    pagecache_files._memo.clear()
