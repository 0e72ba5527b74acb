"""What Datasette shows about the corpus: titles, descriptions, column docs, facets and canned queries.

The canned queries are the very SQL of `kommunpress compare`, so a figure browsed in
Datasette is the figure in the report.
"""

from __future__ import annotations

from typing import Any

from reports.measures import MEASURES_SQL
from reports.money import MUNICIPAL_SQL, NATIONAL_SQL, PERIODS_SQL, UNPLACED_SQL
from reports.people import PEOPLE_SQL
from reports.timeline import MONTHS_SQL

PROVENANCE_COLUMNS = {
    "document_id": "The document the finding was read from (documents.id)",
    "run_id": "The extraction run that found it (extraction_runs.id)",
    "sentence": "Index of the sentence in the document (sentences.sentence)",
    "start_char": "Start of the finding in documents.text (character offset)",
    "end_char": "End of the finding in documents.text (character offset)",
}

SCOPE_HELP = (
    " Leave a field empty for no limit: status (eligible, granted, allocated or unspecified), year_from, year_to,"
    " municipalities (codes such as 1880,0180)."
)

EVIDENCE_SQL = """
SELECT a.id AS amount_id, a.value_sek, a.per_year, a.year_start, a.year_end, a.recipient, a.status, a.tentative,
       a.text AS words, s.text AS sentence, d.title, d.url, coalesce(d.published, an.published) AS published,
       a.document_id
FROM amounts a
JOIN documents d ON d.id = a.document_id
LEFT JOIN analyses an ON an.document_id = a.document_id
LEFT JOIN sentences s ON s.document_id = a.document_id AND s.sentence = a.sentence
WHERE d.duplicate_of IS NULL
  AND (:municipality = '' OR a.recipient = :municipality)
  AND (:year = '' OR CAST(:year AS INTEGER) BETWEEN a.year_start AND a.year_end)
ORDER BY a.recipient, a.year_start, published DESC"""


def _table(description: str, columns: dict[str, str], facets: list[str] | None = None, **extra: Any) -> dict:
    meta: dict[str, Any] = {"description": description, "columns": columns}
    if facets:
        meta["facets"] = facets
    meta.update(extra)
    return meta


def metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for a corpus served under the name `database` (the file's stem)."""
    tables = {
        "documents": _table(
            "One row per press release. duplicate_of points a copy at the release kept for its group; "
            "the canonical_documents view holds the kept ones.",
            {
                "url": "Where the release was fetched",
                "canonical_url": "The page's canonical URL",
                "source": "Where it came from: a newsroom, an import, the bundled sample",
                "municipality_code": "SCB code of the municipality the release is from",
                "title": "Title of the release",
                "published": "Publication date (YYYY-MM-DD)",
                "text": "Main text, boilerplate removed",
                "html": "The raw page, gzip-compressed",
                "content_hash": "Hash of the text, ignoring white space",
                "duplicate_of": "The canonical copy of this release (NULL: this is the canonical one)",
            },
            ["municipality_code", "source", "language"],
            sort_desc="published",
            label_column="title",
        ),
        "amounts": _table(
            "Sums of money found in the releases, normalised to kronor, with their period, recipient and status.",
            {
                "text": "The words the sum was read from",
                "value_sek": "The sum in whole kronor",
                "per_year": "1: the sum is per year over year_start..year_end",
                "year_start": "First year the sum is for",
                "year_end": "Last year the sum is for",
                "recipient": "SCB code of the receiving municipality, 'national' for the programme, NULL if unsaid",
                "qualifier": "exact, approx, at_most or at_least",
                "status": "eligible (may apply for), granted, allocated (set aside) or NULL",
                "tentative": "1: the text calls the sum preliminary or undecided",
                **PROVENANCE_COLUMNS,
            },
            ["recipient", "status", "qualifier", "per_year", "tentative"],
        ),
        "persons": _table(
            "People named in the releases, once per document.",
            {"name": "As written", "party": "Party abbreviation (S, M, SD, ...)", "role": "Title or function"}
            | PROVENANCE_COLUMNS,
            ["party", "role"],
            label_column="name",
        ),
        "organizations": _table(
            "Organisations named (agencies, companies, associations).",
            {"name": "As written", "aliases": "Other names (JSON list)"} | PROVENANCE_COLUMNS,
        ),
        "municipality_mentions": _table(
            "Municipalities named in the text.",
            {"code": "SCB code", "text": "The words naming it"} | PROVENANCE_COLUMNS,
            ["code"],
        ),
        "measures": _table(
            "Planned or ongoing measures, by area (boende, utbildning, arbete, demokrati, trygghet, barn_unga, "
            "fritid, halsa, kunskap).",
            {"text": "The words naming the measure", "category": "Its area"} | PROVENANCE_COLUMNS,
            ["category"],
        ),
        "quotes": _table(
            "Quoted statements and who said them.",
            {"text": "The quotation", "speaker": "Who said it"} | PROVENANCE_COLUMNS,
            ["speaker"],
        ),
        "analyses": _table(
            "Per document: what the analyser decided about the whole release.",
            {
                "municipality_code": "The municipality the release is from or mainly about",
                "published": "Publication date found in the text",
                "categories": "Areas of measures the release names (JSON list)",
                "content_hash": "Hash of the text that was analysed",
            },
            ["municipality_code", "run_id"],
        ),
        "sentences": _table(
            "The sentences of each document, which findings point at.",
            {"sentence": "Index in the document", "text": "The sentence"},
        ),
        "municipalities": _table(
            "SCB's 290 municipalities.",
            {
                "code": "SCB municipality code (kommunkod)",
                "county": "County (län)",
                "delmos_2018": "1: one of the 32 municipalities of the 2018 grants against segregation",
            },
            ["county", "delmos_2018"],
            label_column="name",
        ),
        "indicators": _table(
            "Facts about municipalities imported with `kommunpress indicators import`.",
            {
                "name": "Indicator name (a column of the imported file)",
                "year": "Year of the value (NULL: no year)",
                "value": "The value as a number (NULL if not a number)",
                "text": "The value as the file wrote it",
                "source": "The file it came from",
            },
            ["name", "year"],
        ),
        "extraction_runs": _table(
            "Each run of the analyser: pipeline version and configuration.",
            {"config_hash": "Fingerprint of the pipeline configuration"},
        ),
    }
    queries = {
        "money_table": {
            "title": "Money table: consensus per municipality, year and status",
            "description": "The table of `kommunpress compare amounts`." + SCOPE_HELP,
            "sql": MUNICIPAL_SQL.strip(),
        },
        "national_amounts": {
            "title": "Sums for the programme as a whole, per year",
            "description": "`kommunpress compare amounts --table national`." + SCOPE_HELP,
            "sql": NATIONAL_SQL.strip(),
        },
        "period_totals": {
            "title": "Totals for a period of several years",
            "description": "`kommunpress compare amounts --table periods`." + SCOPE_HELP,
            "sql": PERIODS_SQL.strip(),
        },
        "unplaced_amounts": {
            "title": "Sums without a recipient or a year",
            "description": "`kommunpress compare amounts --table unplaced`." + SCOPE_HELP,
            "sql": UNPLACED_SQL.strip(),
        },
        "amount_evidence": {
            "title": "The sentences behind the sums",
            "description": "Every sum in canonical documents with its sentence and source; municipality is a code, "
            "year a year the sum covers (both optional).",
            "sql": EVIDENCE_SQL.strip(),
        },
        "measures_per_municipality": {
            "title": "Measure categories per municipality",
            "description": "Releases naming each area, per municipality (`kommunpress compare measures`)." + SCOPE_HELP,
            "sql": MEASURES_SQL.strip(),
        },
        "people_per_municipality": {
            "title": "People per municipality, with party and role",
            "description": "`kommunpress compare people`." + SCOPE_HELP,
            "sql": PEOPLE_SQL.strip(),
        },
        "releases_per_month": {
            "title": "Releases per month",
            "description": "Canonical releases per month." + SCOPE_HELP,
            "sql": MONTHS_SQL.strip(),
        },
    }
    return {
        "title": "kommunpress corpus",
        "description": "Swedish municipal press releases with the sums, people and measures found in them. "
        "Every finding links to its document and sentence.",
        "about": "kommunpress",
        "databases": {
            database: {
                "description": "The corpus: documents, findings with provenance, municipalities, indicators.",
                "tables": tables,
                "queries": queries,
            }
        },
    }
