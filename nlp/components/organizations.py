"""kp_organizations: named organisations with canonical name and aliases.

Writes doc.spans["organizations"] (span._.kp = {"name", "aliases", "_key"}).
Not yet implemented."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes


@Language.factory("kp_organizations")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans["organizations"] = []
        return doc
