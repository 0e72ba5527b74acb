"""kp_quotes: quoted statements and who said them.

Writes doc.spans["quotes"] (span._.kp = {"speaker", "attribution"}): the span is the quoted
text, speaker the full name of the person who said it (from kp_persons' spans, so it runs after
kp_persons) or None, attribution who said it when that is not a person ("staden"). The finding
itself is nlp/quote_finder.py.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes
from nlp.components.batching import BatchedComponent
from nlp.components.persons import person_mentions
from nlp.quote_finder import QuoteFinder
from nlp.textscan import doc_text


@Language.factory("kp_quotes")
def make_component(nlp: Language, name: str) -> QuotesComponent:
    return QuotesComponent()


class QuotesComponent(BatchedComponent):
    def __init__(self) -> None:
        self.finder = QuoteFinder()

    def __call__(self, doc: Doc) -> Doc:
        persons = person_mentions(doc)
        spans: list[Span] = []
        for q in self.finder.find(doc_text(doc), persons):
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            span._.kp = {"speaker": q.speaker, "attribution": q.attribution}
            spans.append(span)
        doc.spans["quotes"] = spans
        return doc
