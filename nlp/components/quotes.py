"""kp_quotes: quoted statements and who said them.

Writes doc.spans["quotes"] (span._.kp = {"speaker"}). Not yet implemented."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes


@Language.factory("kp_quotes")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans["quotes"] = []
        return doc
