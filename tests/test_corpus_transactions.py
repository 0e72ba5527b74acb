"""Two processes writing one corpus (a crawl and `extract`) must wait for each other, not fail.

A deferred transaction that reads and then writes fails at once with "database is locked" when
another connection committed after its read; the crawl lost releases that way while `extract`
ran. corpus.transactions.write_transaction takes the write lock first.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing

import pytest

from corpus.connection import open_db
from corpus.transactions import write_transaction


def _read_then_write_while_another_writer_commits(db_file, transaction) -> list[BaseException]:
    first = open_db(db_file, create=True)
    first.execute("CREATE TABLE notes (who TEXT)")
    first.conn.commit()
    errors: list[BaseException] = []

    def other_writer() -> None:
        second = open_db(db_file)  # its own connection, as another process has
        try:
            with write_transaction(second):
                second.execute("INSERT INTO notes VALUES ('extract')")
        except BaseException as e:
            errors.append(e)
        finally:
            second.close()

    try:
        with transaction(first):
            first.execute("SELECT count(*) FROM notes").fetchall()  # the transaction reads first
            writer = threading.Thread(target=other_writer)
            writer.start()
            _wait_for_the_other_writer(db_file)  # it commits now, unless this transaction holds the lock
            first.execute("INSERT INTO notes VALUES ('crawl')")
        writer.join(timeout=20)
    except BaseException as e:
        errors.append(e)
    rows = sorted(r[0] for r in first.execute("SELECT who FROM notes"))
    first.close()
    if not errors:
        assert rows == ["crawl", "extract"]
    return errors


def _wait_for_the_other_writer(db_file, seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with closing(sqlite3.connect(db_file)) as look:
            if look.execute("SELECT count(*) FROM notes").fetchone()[0]:
                return
        time.sleep(0.02)


def test_a_write_transaction_that_reads_first_waits_for_the_other_writer(db_file):
    assert _read_then_write_while_another_writer_commits(db_file, write_transaction) == []


def test_the_deferred_transaction_it_replaces_fails_in_that_case(db_file):
    """Why write_transaction exists: sqlite-utils' atomic() gives up at once."""
    errors = _read_then_write_while_another_writer_commits(db_file, lambda db: db.atomic())
    assert errors and "locked" in str(errors[0])


def test_nothing_is_written_when_the_block_fails(db_file):
    db = open_db(db_file, create=True)
    db.execute("CREATE TABLE notes (who TEXT)")
    db.conn.commit()
    with pytest.raises(RuntimeError), write_transaction(db):
        db.execute("INSERT INTO notes VALUES ('half')")
        raise RuntimeError("crash mid-write")
    assert db.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    with write_transaction(db), write_transaction(db):  # nested: a savepoint inside
        db.execute("INSERT INTO notes VALUES ('whole')")
    assert db.execute("SELECT who FROM notes").fetchall() == [("whole",)]
    db.close()
