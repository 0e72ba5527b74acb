"""kp_persons: named people with party and role.

Writes doc.spans["persons"] (span._.kp = {"name", "party", "role", "_key"}), one
span per mention; mentions with the same _key become one person in the record.
Not yet implemented."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes


@Language.factory("kp_persons")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans["persons"] = []
        return doc
