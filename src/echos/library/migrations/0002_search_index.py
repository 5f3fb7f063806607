"""The full-text index of the library, one per database vendor (see echos.library.index).

Both hold accent- and case-folded copies of each resource's title, description and text (folded in
Python by ``echos.library.text.fold``, the same on both, which also folds Greek and needs no
PostgreSQL extension) and the original text its snippets are cut from.

SQLite: an FTS5 virtual table (``unicode61 remove_diacritics 2`` tokenizer) whose rowid is the
resource id; ``doc`` is the description and the text, where snippets are taken from.
PostgreSQL: a table with a weighted ``tsvector`` built by the ``simple`` configuration and a GIN
index on it. Rows are written by the library's services (``echos.library.index``).
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS library_search USING fts5(
        title, description, doc, original UNINDEXED,
        tokenize="unicode61 remove_diacritics 2")""",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS library_search"]

POSTGRESQL = [
    """CREATE TABLE IF NOT EXISTS library_search (
        resource_id bigint PRIMARY KEY,
        title_f text NOT NULL DEFAULT '',
        description_f text NOT NULL DEFAULT '',
        body_f text NOT NULL DEFAULT '',
        original text NOT NULL DEFAULT '',
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title_f), 'A')
            || setweight(to_tsvector('simple'::regconfig, description_f), 'B')
            || setweight(to_tsvector('simple'::regconfig, body_f), 'C')
        ) STORED)""",
    "CREATE INDEX IF NOT EXISTS library_search_document ON library_search USING gin (document)",
]
POSTGRESQL_DROP = ["DROP TABLE IF EXISTS library_search"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
