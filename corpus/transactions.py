"""Write transactions that wait for the lock instead of failing.

sqlite-utils' `Database.atomic()` opens a deferred transaction (`BEGIN`): it starts as a
reader and asks for the write lock at its first write. In WAL mode, if another process
committed in between, SQLite cannot upgrade the stale read snapshot and answers "database is
locked" at once, without waiting for the busy timeout. A crawl and `kommunpress extract`
writing the same file hit exactly that. `BEGIN IMMEDIATE` takes the write lock first, and so
waits its turn like any other lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All writes inside commit together or not at all; nested blocks use savepoints."""
    conn = db.conn
    if conn.in_transaction:  # Python's sqlite3 opens one only at a write: the lock is held
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
