"""The analyser's Python API: text in, SCHEMA records out.

from nlp.analyze import analyze
record = analyze("Örebro kan söka 13,4 miljoner kronor ...", published="2018-06-26")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp.pipeline import load
from nlp.record import to_record


@dataclass
class Input:
    """One text to analyse, with what its page or source already says about it."""

    text: str
    id: str | None = None
    published: str | None = None
    municipality: str | None = None
    context: Any = field(default=None, repr=False)


def make_doc(nlp: Language, item: Input) -> Doc:
    doc = nlp.make_doc(item.text)
    doc._.published_hint = item.published
    doc._.municipality_hint = item.municipality
    return doc


def analyze(
    text: str,
    *,
    doc_id: str | None = None,
    published: str | None = None,
    municipality: str | None = None,
    nlp: Language | None = None,
) -> dict[str, Any]:
    """Findings for one text."""
    nlp = nlp or load()
    doc = nlp(make_doc(nlp, Input(text, doc_id, published, municipality)))
    return to_record(doc, doc_id)


def analyze_many(
    items: Iterable[Input],
    *,
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 32,
    with_sentences: bool = False,
) -> Iterator[tuple[Input, dict[str, Any]]]:
    """Findings for many texts, streamed in input order; n_process > 1 uses several cores."""
    nlp = nlp or load()
    pairs = ((make_doc(nlp, item), item) for item in items)
    for doc, item in nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size):
        yield item, to_record(doc, item.id, with_sentences=with_sentences)
