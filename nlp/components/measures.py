"""kp_measures: phrases naming planned or ongoing measures, and their areas.

Writes doc.spans["measures"] (span._.kp = {"category"}) and doc._.categories (the
SCHEMA's category ids, in order of first appearance). Not yet implemented."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes


@Language.factory("kp_measures")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans["measures"] = []
        doc._.categories = []
        return doc
