"""kp_municipalities: municipalities named in the text, and the document's main one.

Writes doc.spans["municipalities"] (span._.kp = {"code": "1880"}) and
doc._.municipality (the code the release is from or mainly about, None when national
or many). Not yet implemented: uses the hint."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes


@Language.factory("kp_municipalities")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans["municipalities"] = []
        doc._.municipality = doc._.municipality_hint
        return doc
