"""kp_money: every sum of money, normalised to whole SEK, with its attributes.

Writes doc.spans["money"]; each span's _.kp holds value_sek, per_year, year_start,
year_end, recipient, qualifier, status, tentative (see ../shared/eval/SCHEMA.md).
Not yet implemented."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes


@Language.factory("kp_money")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc.spans["money"] = []
        return doc
