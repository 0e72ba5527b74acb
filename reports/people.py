"""People named in each municipality's releases, with party and role, and how often quoted.

A person is one name within one municipality's releases. Their party is the one most of
those releases give (ties: the most recent); their role is the most recent one given, and
all roles are listed, because politicians change posts over the years.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from reports.scope import Scope
from reports.sql import PARAMS, SCOPED_DOCUMENTS, run

PEOPLE_SQL = f"""
WITH {PARAMS}, {SCOPED_DOCUMENTS},
mentions AS (
    SELECT coalesce(sd.municipality_code, '') AS mkey, trim(p.name) AS name, p.party, p.role, p.document_id,
           p.id AS person_id, sd.published
    FROM persons p JOIN scoped_docs sd ON sd.id = p.document_id
),
quoted AS (
    SELECT q.document_id, trim(q.speaker) AS speaker, count(*) AS n
    FROM quotes q JOIN scoped_docs sd ON sd.id = q.document_id
    WHERE q.speaker IS NOT NULL GROUP BY q.document_id, trim(q.speaker)
),
people AS (
    SELECT m.mkey, m.name, count(DISTINCT m.document_id) AS n_documents, coalesce(sum(q.n), 0) AS n_quotes,
           min(m.published) AS first_seen, max(m.published) AS last_seen,
           group_concat(DISTINCT m.document_id) AS documents, group_concat(DISTINCT m.person_id) AS person_ids
    FROM mentions m LEFT JOIN quoted q ON q.document_id = m.document_id AND q.speaker = m.name
    GROUP BY m.mkey, m.name
),
party_votes AS (
    SELECT mkey, name, party,
           row_number() OVER (PARTITION BY mkey, name ORDER BY count(*) DESC, max(published) DESC) AS rank
    FROM mentions WHERE party IS NOT NULL GROUP BY mkey, name, party
),
parties AS (
    SELECT mkey, name, max(CASE WHEN rank = 1 THEN party END) AS party, group_concat(party, '/') AS parties
    FROM (SELECT * FROM party_votes ORDER BY rank) GROUP BY mkey, name
),
role_votes AS (
    SELECT mkey, name, role,
           row_number() OVER (PARTITION BY mkey, name ORDER BY max(published) DESC, count(*) DESC) AS rank
    FROM mentions WHERE role IS NOT NULL GROUP BY mkey, name, role
),
roles AS (
    SELECT mkey, name, max(CASE WHEN rank = 1 THEN role END) AS role,
           group_concat(CASE WHEN rank > 1 THEN role END, '; ') AS other_roles
    FROM (SELECT * FROM role_votes ORDER BY rank) GROUP BY mkey, name
)
SELECT nullif(p.mkey, '') AS municipality_code, mu.name AS municipality, p.name,
       pa.party, pa.parties, r.role, r.other_roles, p.n_documents, p.n_quotes, p.first_seen, p.last_seen,
       p.documents, p.person_ids
FROM people p
LEFT JOIN parties pa ON pa.mkey = p.mkey AND pa.name = p.name
LEFT JOIN roles r ON r.mkey = p.mkey AND r.name = p.name
LEFT JOIN municipalities mu ON mu.code = p.mkey
ORDER BY p.mkey = '', coalesce(mu.name, p.mkey), p.n_quotes DESC, p.n_documents DESC, p.name"""


@dataclass
class PersonRow:
    municipality_code: str | None
    municipality: str | None
    name: str
    party: str | None
    parties: str | None  # every party given, when releases disagree ("S/M")
    role: str | None  # the latest role given
    other_roles: str | None  # earlier roles, latest first
    n_documents: int
    n_quotes: int
    first_seen: str | None
    last_seen: str | None
    documents: list[int]
    person_ids: list[int]


def _ids(text: str | None) -> list[int]:
    return sorted({int(x) for x in str(text).split(",") if x}) if text else []


def people_table(conn: sqlite3.Connection, scope: Scope = Scope(), *, quoted_only: bool = False) -> list[PersonRow]:
    rows = []
    for r in run(conn, PEOPLE_SQL, scope.sql_params()):
        if quoted_only and not r["n_quotes"]:
            continue
        d = dict(r)
        d["documents"] = _ids(d["documents"])
        d["person_ids"] = _ids(d["person_ids"])
        rows.append(PersonRow(**d))
    return rows
