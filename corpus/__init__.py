"""The corpus: one SQLite file with documents, findings and reference data.

The Python API mirrors the CLI: open_db, save_document, store_analysis, run_query.
"""

from corpus.connection import db_path, open_db, open_readonly
from corpus.documents import Document, content_hash, save_document
from corpus.errors import CorpusError
from corpus.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "CorpusError",
    "Document",
    "content_hash",
    "db_path",
    "open_db",
    "open_readonly",
    "save_document",
]
