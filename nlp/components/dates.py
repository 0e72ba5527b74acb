"""kp_dates: the publication date and the year expressions of the text.

Sets doc._.published (YYYY-MM-DD) from a date the text states ("22 oktober 2018",
"Publicerad 8/14/2019", "2018-10-26T09:25:56+00:00", "tis 26 jun 2018"), else
doc._.published_hint (the page's metadata). Not yet implemented: uses the hint."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes


@Language.factory("kp_dates")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


class Component:
    def __call__(self, doc: Doc) -> Doc:
        doc._.published = doc._.published_hint
        return doc
