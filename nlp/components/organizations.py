"""kp_organizations: named organisations with canonical name and aliases.

Writes doc.spans["organizations"] (span._.kp = {"name", "aliases", "_key"}), one span per
mention; the record lists each organisation once (mentions share a _key). The finding itself
is nlp/org_finder.py; a trained NER's ORG entities, when the config sources one, are added.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes
from nlp.components.batching import BatchedComponent
from nlp.components.kept_groups import KeptGroup
from nlp.org_finder import OrgFinder
from nlp.people_lexicon import common_word_test, lemma_table
from nlp.textscan import doc_text

NER_ORG_LABELS = {"ORG"}

# the organisations' character ranges, for kp_persons
ORGANIZATIONS: KeptGroup[tuple[int, int]] = KeptGroup("organizations", lambda s: (s.start_char, s.end_char))


def organization_ranges(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each span in doc.spans["organizations"], in order."""
    return ORGANIZATIONS.read(doc)


@Language.factory("kp_organizations")
def make_component(nlp: Language, name: str) -> OrganizationsComponent:
    return OrganizationsComponent(nlp)


class OrganizationsComponent(BatchedComponent):
    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._finder: OrgFinder | None = None

    @property
    def finder(self) -> OrgFinder:
        """Built on first use, when the lemmatizer's table (the dictionary test) is loaded."""
        if self._finder is None:
            self._finder = OrgFinder(is_common_word=common_word_test(lemma_table(self.nlp)))
        return self._finder

    def __call__(self, doc: Doc) -> Doc:
        ner = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in NER_ORG_LABELS]
        spans: list[Span] = []
        ranges: list[tuple[int, int]] = []
        for m in self.finder.find(doc_text(doc), ner):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            span._.kp = {"name": m.name, "aliases": list(m.aliases), "_key": m.key}
            spans.append(span)
            ranges.append((span.start_char, span.end_char))
        ORGANIZATIONS.write(doc, spans, ranges)
        return doc
