"""Running a user's SQL without any chance of changing the corpus."""

from __future__ import annotations

import sqlite3

from corpus.errors import CorpusError

_DENIED = {
    sqlite3.SQLITE_ATTACH,
    sqlite3.SQLITE_DETACH,
    sqlite3.SQLITE_INSERT,
    sqlite3.SQLITE_UPDATE,
    sqlite3.SQLITE_DELETE,
    sqlite3.SQLITE_CREATE_TABLE,
    sqlite3.SQLITE_CREATE_INDEX,
    sqlite3.SQLITE_CREATE_VIEW,
    sqlite3.SQLITE_CREATE_TRIGGER,
    sqlite3.SQLITE_CREATE_TEMP_TABLE,
    sqlite3.SQLITE_CREATE_TEMP_VIEW,
    sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
    sqlite3.SQLITE_CREATE_TEMP_INDEX,
    sqlite3.SQLITE_DROP_TABLE,
    sqlite3.SQLITE_DROP_INDEX,
    sqlite3.SQLITE_DROP_VIEW,
    sqlite3.SQLITE_DROP_TRIGGER,
    sqlite3.SQLITE_ALTER_TABLE,
    sqlite3.SQLITE_CREATE_VTABLE,
    sqlite3.SQLITE_DROP_VTABLE,
    sqlite3.SQLITE_TRANSACTION,
    sqlite3.SQLITE_SAVEPOINT,
}

REFUSED = (
    "refused: `kommunpress query` only reads, and it changed nothing (use sqlite-utils or Datasette to edit the corpus)"
)


def _authorizer(action: int, *_args) -> int:
    # Three locks in all: a read-only file handle, query_only, and this refusal,
    # which also stops ATTACH from creating files elsewhere.
    return sqlite3.SQLITE_DENY if action in _DENIED else sqlite3.SQLITE_OK


def run_query(conn: sqlite3.Connection, sql: str, params: list | dict | None = None) -> tuple[list[str], list[tuple]]:
    """Column names and rows of one read-only statement."""
    conn.set_authorizer(_authorizer)
    try:
        cur = conn.execute(sql, params or [])
        rows = cur.fetchall()
    except sqlite3.DatabaseError as e:
        msg = str(e)
        if "not authorized" in msg or "readonly" in msg or "query_only" in msg:
            raise CorpusError(REFUSED) from None
        raise CorpusError(f"query failed: {msg}") from None
    except sqlite3.Warning as e:
        raise CorpusError(f"query failed: {e}") from None
    columns = [d[0] for d in cur.description or []]
    return columns, rows
