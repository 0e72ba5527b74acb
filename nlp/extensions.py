"""The custom attributes the pipeline's components write and the record reads.

Doc:  published, municipality, categories (results); published_hint,
      municipality_hint (what the page's metadata or the crawler's source says).
Span: kp, a dict of the finding's fields (value_sek, party, category, ...).
      Keys starting with "_" are internal: "_key" merges repeated mentions of
      one person or organisation into one record entry.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

DOC_ATTRS = {
    "published": None,
    "published_hint": None,
    "municipality": None,
    "municipality_hint": None,
    "categories": None,
}


def register() -> None:
    """Idempotent: safe to call from every component module."""
    for name, default in DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("kp"):
        Span.set_extension("kp", default=None)


register()
