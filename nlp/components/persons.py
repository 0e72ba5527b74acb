"""kp_persons: named people with party and role.

Writes doc.spans["persons"] (span._.kp = {"name", "party", "role", "_key"}), one span per
mention; mentions with the same _key become one person in the record (nlp/record.py). The
finding itself is nlp/person_finder.py; this component feeds it the organisations found
before it (no person inside "Anna Lindhs minnesfond") and, when the config sources a trained
NER, its PER/PRS entities.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes
from nlp.components.batching import BatchedComponent
from nlp.components.kept_groups import KeptGroup
from nlp.components.organizations import organization_ranges
from nlp.people_lexicon import common_word_test, lemma_table
from nlp.person_finder import PersonFinder, PersonMention
from nlp.textscan import doc_text

NER_PERSON_LABELS = {"PER", "PRS", "PERSON"}

# the persons, for kp_quotes
PERSONS: KeptGroup[PersonMention] = KeptGroup(
    "persons", lambda s: PersonMention(s.start_char, s.end_char, (s._.kp or {}).get("name") or s.text)
)


def person_mentions(doc: Doc) -> list[PersonMention]:
    """Each span in doc.spans["persons"], in order, as PersonMention(start_char, end_char, name)."""
    return PERSONS.read(doc)


@Language.factory("kp_persons")
def make_component(nlp: Language, name: str) -> PersonsComponent:
    return PersonsComponent(nlp)


class PersonsComponent(BatchedComponent):
    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._finder: PersonFinder | None = None

    @property
    def finder(self) -> PersonFinder:
        """Built on first use, when the lemmatizer's table (the dictionary test) is loaded."""
        if self._finder is None:
            self._finder = PersonFinder(is_common_word=common_word_test(lemma_table(self.nlp)))
        return self._finder

    def __call__(self, doc: Doc) -> Doc:
        blocked = organization_ranges(doc)
        ner = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in NER_PERSON_LABELS]
        spans: list[Span] = []
        found: list[PersonMention] = []
        for m in self.finder.find(doc_text(doc), blocked, ner):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            span._.kp = {"name": m.name, "party": m.party, "role": m.role, "_key": m.key}
            spans.append(span)
            found.append(PersonMention(span.start_char, span.end_char, m.name or span.text))
        PERSONS.write(doc, spans, found)
        return doc
