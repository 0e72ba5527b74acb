"""SQL fragments every comparison shares, so all tables agree on what is in scope.

The queries take Datasette-style named parameters (strings, '' meaning "no limit"), so
the very same SQL runs in `kommunpress compare`, in the report and as Datasette canned
queries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from reports.errors import ReportError

# :status, :year_from, :year_to, :municipalities -> one row of limits. municipalities is a JSON
# array of codes (["1880","0180"]) or, as a person types it into Datasette, 1880,0180.
PARAMS = """
params AS (
    SELECT
        nullif(:status, '') AS status,
        CAST(nullif(:year_from, '') AS INTEGER) AS year_from,
        CAST(nullif(:year_to, '') AS INTEGER) AS year_to,
        CASE
            WHEN trim(:municipalities) IN ('', '[]') THEN NULL
            WHEN trim(:municipalities) LIKE '[%' THEN trim(:municipalities)
            ELSE '["' || replace(replace(trim(:municipalities), ' ', ''), ',', '","') || '"]'
        END AS munis
)"""

# Canonical documents in scope, with the crawler's municipality and date where it had them
# and the analyser's otherwise (as `kommunpress stats` does).
SCOPED_DOCUMENTS = """
docs AS (
    SELECT d.id, d.title, d.url,
           coalesce(d.municipality_code, an.municipality_code) AS municipality_code,
           coalesce(d.published, an.published) AS published,
           coalesce(an.categories, '[]') AS categories
    FROM documents d LEFT JOIN analyses an ON an.document_id = d.id
    WHERE d.duplicate_of IS NULL
),
scoped_docs AS (
    SELECT docs.* FROM docs, params
    WHERE (params.munis IS NULL OR docs.municipality_code IN (SELECT value FROM json_each(params.munis)))
      AND (params.year_from IS NULL OR CAST(substr(docs.published, 1, 4) AS INTEGER) >= params.year_from)
      AND (params.year_to IS NULL OR CAST(substr(docs.published, 1, 4) AS INTEGER) <= params.year_to)
)"""


def run(conn: sqlite3.Connection, sql: str, params: Mapping[str, str]) -> list[sqlite3.Row]:
    """Rows of a report query, with a one-line error for a corpus that cannot answer it."""
    previous = conn.row_factory
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, dict(params)).fetchall()
    except sqlite3.OperationalError as e:
        raise ReportError(f"the corpus cannot answer this report ({e}); is it a kommunpress corpus?") from None
    finally:
        conn.row_factory = previous
