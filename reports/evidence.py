"""The sentences behind the figures: what a reader clicks to check a number against its source.

A finding's sentence comes from the sentences table; where the analyser stored none, a
window of the document's text around the finding's offsets stands in; where there are
no usable offsets (start = end), only the finding's own words, never a guessed sentence.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

WINDOW = 160  # characters either side of a finding when there is no sentence
FINDING_TABLES = ("amounts", "measures", "persons")

_EVIDENCE_SQL = """
SELECT f.id, f.document_id, f.sentence, {text} AS finding, f.start_char, f.end_char,
       s.text AS sentence_text, s.start_char AS sentence_start,
       CASE WHEN s.text IS NULL AND f.end_char > f.start_char
            THEN substr(d.text, max(1, f.start_char - {window} + 1), f.end_char - f.start_char + 2 * {window}) END
           AS window_text,
       max(0, f.start_char - {window}) AS window_start
FROM {table} f
JOIN documents d ON d.id = f.document_id
LEFT JOIN sentences s ON s.document_id = f.document_id AND s.sentence = f.sentence AND f.end_char > f.start_char
WHERE f.id IN (SELECT value FROM json_each(?))"""


@dataclass
class Evidence:
    """A finding in context: the sentence, split around the words the figure was read from."""

    table: str
    id: int
    document_id: int
    sentence: int
    finding: str
    before: str
    marked: str
    after: str

    @property
    def anchor(self) -> str:
        return f"ev-{self.table}-{self.id}"

    @property
    def text(self) -> str:
        return f"{self.before}{self.marked}{self.after}"


@dataclass
class DocumentInfo:
    id: int
    title: str | None
    url: str
    published: str | None
    municipality_code: str | None
    municipality: str | None
    source: str | None

    @property
    def anchor(self) -> str:
        return f"doc-{self.id}"


def _split(context: str, start: int, end: int, finding: str) -> tuple[str, str, str]:
    if 0 <= start < end <= len(context):
        return context[:start], context[start:end], context[end:]
    at = context.find(finding) if finding else -1
    if at >= 0:
        return context[:at], finding, context[at + len(finding) :]
    return context, "", ""


def finding_evidence(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> dict[int, Evidence]:
    """Evidence for rows of amounts, measures or persons, by their id."""
    if table not in FINDING_TABLES:
        raise ValueError(f"no evidence for {table}")
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    text_col = "f.name" if table == "persons" else "f.text"
    sql = _EVIDENCE_SQL.format(table=table, text=text_col, window=WINDOW)
    found: dict[int, Evidence] = {}
    for row in conn.execute(sql, [json.dumps(wanted)]):
        fid, doc_id, sentence, finding, start, end, s_text, s_start, w_text, w_start = row
        finding = finding or ""
        if s_text is not None:
            context, offset = s_text, s_start
        elif w_text is not None:
            context, offset = w_text, w_start
        else:
            context, offset = finding, start
        before, marked, after = _split(context, start - offset, end - offset, finding)
        found[fid] = Evidence(table, fid, doc_id, sentence, finding, before, marked, after)
    return found


def document_info(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, DocumentInfo]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    sql = """
        SELECT d.id, d.title, d.url, coalesce(d.published, an.published),
               coalesce(d.municipality_code, an.municipality_code), m.name, d.source
        FROM documents d
        LEFT JOIN analyses an ON an.document_id = d.id
        LEFT JOIN municipalities m ON m.code = coalesce(d.municipality_code, an.municipality_code)
        WHERE d.id IN (SELECT value FROM json_each(?))"""
    return {r[0]: DocumentInfo(*r) for r in conn.execute(sql, [json.dumps(wanted)])}


def first_measures(conn: sqlite3.Connection, document_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    """The first measure of each category in each document: (document id, category) -> measure id."""
    wanted = sorted(set(document_ids))
    if not wanted:
        return {}
    sql = """
        SELECT document_id, category, min(id) FROM measures
        WHERE document_id IN (SELECT value FROM json_each(?))
        GROUP BY document_id, category"""
    return {(d, c): i for d, c, i in conn.execute(sql, [json.dumps(wanted)])}
