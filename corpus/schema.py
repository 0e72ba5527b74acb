"""The corpus schema and its forward migrations.

Each migration is a function applied once, in order, inside one IMMEDIATE
transaction together with its row in ``schema_version``: a crash part-way leaves
the previous version intact. Add new migrations at the end of MIGRATIONS; never
edit one that has landed, because existing corpus files have already run it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

# Columns every extraction row carries, so any figure can be traced to its evidence.
PROVENANCE = """
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    run_id INTEGER NOT NULL REFERENCES extraction_runs(id),
    sentence INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL"""

EXTRACTION_TABLES: dict[str, str] = {
    "amounts": """
        text TEXT NOT NULL,
        value_sek INTEGER NOT NULL,
        per_year INTEGER NOT NULL DEFAULT 0,
        year_start INTEGER,
        year_end INTEGER,
        recipient TEXT,
        qualifier TEXT,
        status TEXT,
        tentative INTEGER NOT NULL DEFAULT 0""",
    "persons": """
        name TEXT NOT NULL,
        party TEXT,
        role TEXT""",
    "organizations": """
        name TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]'""",
    "municipality_mentions": """
        code TEXT NOT NULL REFERENCES municipalities(code),
        text TEXT NOT NULL""",
    "measures": """
        text TEXT NOT NULL,
        category TEXT NOT NULL""",
    "quotes": """
        text TEXT NOT NULL,
        speaker TEXT""",
}


def _initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE schema_version (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        CREATE TABLE municipalities (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            county_code TEXT NOT NULL,
            county TEXT NOT NULL,
            delmos_2018 INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE municipality_names (
            name TEXT NOT NULL,
            code TEXT NOT NULL REFERENCES municipalities(code),
            kind TEXT NOT NULL,
            PRIMARY KEY (name, code)
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            canonical_url TEXT,
            source TEXT,
            municipality_code TEXT REFERENCES municipalities(code),
            title TEXT,
            published TEXT,
            fetched_at TEXT,
            language TEXT,
            text TEXT NOT NULL,
            html BLOB,
            content_hash TEXT NOT NULL,
            http_status INTEGER,
            etag TEXT,
            last_modified TEXT,
            relevant INTEGER
        );
        CREATE INDEX documents_canonical_url ON documents(canonical_url);
        CREATE INDEX documents_content_hash ON documents(content_hash);
        CREATE INDEX documents_municipality_code ON documents(municipality_code);
        CREATE TABLE extraction_runs (
            id INTEGER PRIMARY KEY,
            pipeline_version TEXT NOT NULL,
            config_hash TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT,
            n_documents INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE analyses (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            run_id INTEGER NOT NULL REFERENCES extraction_runs(id),
            content_hash TEXT NOT NULL,
            municipality_code TEXT REFERENCES municipalities(code),
            published TEXT,
            categories TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE sentences (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            sentence INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (document_id, sentence)
        );
        """
    )
    for table, columns in EXTRACTION_TABLES.items():
        db.execute(f"CREATE TABLE {table} ({PROVENANCE},{columns})")
        db.execute(f"CREATE INDEX {table}_document_id ON {table}(document_id)")
    # Swedish needs å, ä, ö kept apart: "för" is not "for".
    db["documents"].enable_fts(
        ["title", "text"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 0",
    )


def _duplicates(db: sqlite_utils.Database) -> None:
    """One release often stands on the municipal site, on Mynewsdesk and in the local paper.

    duplicate_of points a copy at the document kept for its group (NULL: canonical),
    so counts can use canonical documents only.
    """
    db.execute("ALTER TABLE documents ADD COLUMN duplicate_of INTEGER REFERENCES documents(id)")
    db.execute("CREATE INDEX documents_duplicate_of ON documents(duplicate_of)")
    db.execute("CREATE VIEW canonical_documents AS SELECT * FROM documents WHERE duplicate_of IS NULL")


def _indicators(db: sqlite_utils.Database) -> None:
    """Facts about municipalities from outside the corpus (population, SCB/Delmos area types,
    Kolada key figures), so reports can show sums per inhabitant and sort or colour by them.

    year NULL: a value without a year (an area type). value holds numbers; text keeps what
    the file said, so a category ("Storstäder") or a number written "1 234,5" is not lost.
    """
    # execute(), not executescript(): a script would commit the migration's transaction part-way.
    db.execute(
        """CREATE TABLE indicators (
            name TEXT NOT NULL,
            municipality_code TEXT NOT NULL REFERENCES municipalities(code),
            year INTEGER,
            value REAL,
            text TEXT,
            source TEXT,
            imported_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE UNIQUE INDEX indicators_key ON indicators(name, municipality_code, coalesce(year, -1))")
    db.execute("CREATE INDEX indicators_municipality_code ON indicators(municipality_code)")


def _embeddings(db: sqlite_utils.Database) -> None:
    """Sentence vectors for semantic search, and full-text search over single sentences.

    embeddings is a cache keyed by (model, content_hash of the text): a re-run, a
    re-extraction or a copy of a release embeds nothing twice, and vectors of several
    models can sit side by side. sentence_vectors links each sentence to its vector
    and records the model and the sentence's length in words (headings and contact
    lines are left out of search by meaning); it empties itself when extract replaces
    a document's sentences, so `embed` knows what is new. sentences_fts lets the hybrid
    search match keywords per sentence rather than per document, and its vocabulary
    lets a query word be found inside Swedish compounds. Plain execute() keeps
    every statement inside the migration's transaction.
    """
    db.execute(
        """CREATE TABLE embeddings (
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            dimension INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, text_hash)
        )"""
    )
    db.execute(
        """CREATE TABLE sentence_vectors (
            document_id INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            words INTEGER NOT NULL,
            PRIMARY KEY (document_id, sentence),
            FOREIGN KEY (document_id, sentence) REFERENCES sentences(document_id, sentence) ON DELETE CASCADE
        )"""
    )
    db.execute("CREATE INDEX sentence_vectors_model ON sentence_vectors(model, text_hash)")
    db.execute(
        "CREATE VIRTUAL TABLE sentences_fts USING FTS5 (text, tokenize='unicode61 remove_diacritics 0', "
        "content='sentences', content_rowid='rowid')"
    )
    db.execute("INSERT INTO sentences_fts (rowid, text) SELECT rowid, text FROM sentences")
    db.execute("CREATE VIRTUAL TABLE sentences_fts_vocab USING fts5vocab(sentences_fts, 'row')")
    db.execute(
        "CREATE TRIGGER sentences_fts_ai AFTER INSERT ON sentences BEGIN "
        "INSERT INTO sentences_fts (rowid, text) VALUES (new.rowid, new.text); END"
    )
    db.execute(
        "CREATE TRIGGER sentences_fts_ad AFTER DELETE ON sentences BEGIN "
        "INSERT INTO sentences_fts (sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END"
    )
    db.execute(
        "CREATE TRIGGER sentences_fts_au AFTER UPDATE ON sentences BEGIN "
        "INSERT INTO sentences_fts (sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
        "INSERT INTO sentences_fts (rowid, text) VALUES (new.rowid, new.text); END"
    )


def _crawl(db: sqlite_utils.Database) -> None:
    """What the crawler needs to be polite, incremental and resumable, and where it found files.

    documents.contact keeps a release's contact block (names, phones) apart from its body.
    crawl_runs holds each crawl's arguments, so `crawl --resume` can rebuild it; crawl_queue is
    its frontier, written before a request leaves and marked done only after what the page
    yielded is stored, so a crawl killed at any moment resumes without losing a page.
    crawl_pages remembers every URL fetched (with ETag/Last-Modified), so a later crawl skips
    or revalidates it; crawl_sources says when a newsroom was last crawled to the end.
    links lists PDFs and other files found, recorded but not parsed.
    """
    db.execute("ALTER TABLE documents ADD COLUMN contact TEXT")
    db.execute(
        """CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL,
            spec TEXT NOT NULL,
            pid INTEGER,
            stats TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE crawl_queue (
            run_id INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            callback TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            priority INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending',
            PRIMARY KEY (run_id, url)
        )"""
    )
    db.execute("CREATE INDEX crawl_queue_state ON crawl_queue(run_id, state)")
    db.execute(
        """CREATE TABLE crawl_pages (
            url TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            http_status INTEGER,
            etag TEXT,
            last_modified TEXT,
            fetched_at TEXT NOT NULL,
            document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            source TEXT,
            run_id INTEGER,
            note TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE crawl_sources (
            url TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            municipality_code TEXT,
            last_run_id INTEGER,
            last_crawled TEXT,
            completed TEXT,
            completed_since TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE links (
            url TEXT PRIMARY KEY,
            content_type TEXT,
            size INTEGER,
            label TEXT,
            found_on TEXT,
            document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            municipality_code TEXT REFERENCES municipalities(code),
            source TEXT,
            http_status INTEGER,
            fetched_at TEXT
        )"""
    )
    db.execute("CREATE INDEX links_document_id ON links(document_id)")


Migration = Callable[[sqlite_utils.Database], None]

MIGRATIONS: list[tuple[str, Migration]] = [
    ("initial", _initial),
    ("duplicates", _duplicates),
    ("indicators", _indicators),
    ("embeddings", _embeddings),
    ("crawl", _crawl),
]

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The version a corpus file is at; 0 for a file with no kommunpress tables yet."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if not row:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(db: sqlite_utils.Database, migrations: list[tuple[str, Migration]] | None = None) -> int:
    """Bring the file up to the newest schema; returns the version it ends at.

    Each step re-reads the version after taking the write lock, so two processes
    opening a new file at once do not both create it.
    """
    steps = MIGRATIONS if migrations is None else migrations
    conn = db.conn
    while schema_version(conn) < len(steps):
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn)
            if version < len(steps):
                name, step = steps[version]
                step(db)
                conn.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (version + 1, name, datetime.now(UTC).isoformat(timespec="seconds")),
                )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return schema_version(conn)
