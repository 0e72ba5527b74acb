"""Opening the corpus file safely.

Every way in goes through here, so that a wrong path, a file that is not SQLite,
a locked file or a database from a newer kommunpress is refused in one clear line
before anything is written. Connections use WAL and a busy timeout so that a crawl
can write while a report or Datasette reads the same file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from corpus.errors import CorpusError
from corpus.schema import SCHEMA_VERSION, migrate, schema_version

DEFAULT_DB = "kommunpress.db"
SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 10.0


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The database path: the argument, else $KOMMUNPRESS_DB, else ./kommunpress.db."""
    return Path(path or os.environ.get("KOMMUNPRESS_DB") or DEFAULT_DB)


def busy_timeout() -> float:
    """Seconds to wait for a lock held by another process ($KOMMUNPRESS_BUSY_TIMEOUT)."""
    try:
        return float(os.environ.get("KOMMUNPRESS_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT


def check_file(path: Path) -> None:
    """Refuse anything that is not a SQLite file, without opening it for writing."""
    if not path.exists():
        raise CorpusError(f"no database at {path}: run `kommunpress init --db {path}` first")
    if path.is_dir():
        raise CorpusError(f"{path} is a directory, not a database file")
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise CorpusError(f"cannot read {path}: {e.strerror}") from None
    if head != SQLITE_HEADER:
        raise CorpusError(f"{path} is not a SQLite database (left unchanged)")


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    timeout = busy_timeout()
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=timeout)
    else:
        conn = sqlite3.connect(str(path), timeout=timeout)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _is_foreign(conn: sqlite3.Connection) -> bool:
    """True for a SQLite file that holds some other application's tables."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return bool(names) and "schema_version" not in names


def open_db(path: str | os.PathLike | None = None, *, create: bool = False) -> sqlite_utils.Database:
    """Open the corpus for reading and writing, migrating it forward if it is older.

    With create=True a missing file (or an empty one) becomes a new corpus;
    otherwise a missing file is an error, so that a typo in --db never leaves
    an empty database behind.
    """
    p = db_path(path)
    fresh = create and (not p.exists() or (p.is_file() and p.stat().st_size == 0))
    if not fresh:
        check_file(p)
    elif not p.parent.exists():
        raise CorpusError(f"cannot create {p}: folder {p.parent} does not exist")
    try:
        conn = _connect(p)
        if not fresh and _is_foreign(conn):
            conn.close()
            raise CorpusError(f"{p} is a SQLite database but not a kommunpress corpus (left unchanged)")
        version = schema_version(conn)
        if version > SCHEMA_VERSION:
            conn.close()
            raise CorpusError(
                f"{p} has schema version {version}, newer than this kommunpress "
                f"understands ({SCHEMA_VERSION}): upgrade kommunpress"
            )
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        db = sqlite_utils.Database(conn)
        migrate(db)
    except sqlite3.DatabaseError as e:
        raise CorpusError(describe_sqlite_error(p, e)) from None
    return db


def open_readonly(path: str | os.PathLike | None = None) -> sqlite3.Connection:
    """A connection that cannot write, for queries typed by a user."""
    p = db_path(path)
    check_file(p)
    try:
        conn = _connect(p, readonly=True)
        version = schema_version(conn)
    except sqlite3.DatabaseError as e:
        raise CorpusError(describe_sqlite_error(p, e)) from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise CorpusError(f"{p} has schema version {version}, newer than this kommunpress understands")
    conn.execute("PRAGMA query_only = ON")
    return conn


def describe_sqlite_error(path: Path | None, e: sqlite3.DatabaseError) -> str:
    """One line that says what went wrong with the file, in the user's terms."""
    msg = str(e)
    path = path or "the corpus"
    if "locked" in msg or "busy" in msg:
        return (
            f"{path} is locked by another process (a crawl, an extract or Datasette?); try again when it has finished"
        )
    if "malformed" in msg or "not a database" in msg or "corrupt" in msg:
        return f"{path} is damaged ({msg}); restore it from a copy"
    if "readonly" in msg or "read-only" in msg:
        return f"{path} cannot be written ({msg})"
    return f"database error in {path}: {msg}"
