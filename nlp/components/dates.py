"""kp_dates: the publication date and the year expressions of the text.

Sets doc._.published (YYYY-MM-DD) from a date the text states in a publication position
("22 oktober 2018" heading the page, "Publicerad 8/14/2019", "2018-10-26T09:25:56+00:00",
"tis 26 jun 2018", "10.2.2025 14:24:42 CET | ..."), else doc._.published_hint (the page's
metadata), else None. A date in running text (a meeting, a deadline) is never taken for it.

Writes two span groups for later components:
- "dates": every calendar date, span._.kp = {"date", "year_start", "year_end", "kind": "date",
  "published": bool};
- "years": year and period expressions and the dates in running text, span._.kp = {"year_start",
  "year_end", "kind"}; relative ones ("i år", "nästa år", "de kommande tre åren") are resolved
  against the publication date, and stay None when it is unknown.
The work is regex over doc.text (nlp/timex.py), so the component costs little per document.
"""

from __future__ import annotations

from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes
from nlp.components.batching import BatchedComponent
from nlp.textscan import doc_text
from nlp.timex import find_dates, find_years, publication_date


@Language.factory("kp_dates")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


def _parse_hint(hint: object) -> date | None:
    if isinstance(hint, date):
        return hint
    if isinstance(hint, str) and len(hint) >= 10:
        try:
            return date.fromisoformat(hint[:10])
        except ValueError:
            return None
    return None


class Component(BatchedComponent):
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        dates = find_dates(text)
        stated = publication_date(text, dates)
        published = stated.date if stated else _parse_hint(doc._.published_hint)
        doc._.published = published.isoformat() if published else None

        date_spans, year_spans = [], []
        for d in dates:
            span = doc.char_span(d.start, d.end, label="DATE", alignment_mode="expand")
            if span is None:
                continue
            is_published = stated is not None and d.start == stated.start and d.end == stated.end
            span._.kp = {
                "date": d.date.isoformat(),
                "year_start": d.date.year,
                "year_end": d.date.year,
                "kind": "date",
                "published": is_published,
            }
            date_spans.append(span)
            if not is_published:
                year_spans.append(span)
        for y in find_years(text, published, exclude=[(d.start, d.end) for d in dates]):
            span = doc.char_span(y.start, y.end, label="YEAR", alignment_mode="expand")
            if span is None:
                continue
            span._.kp = {"year_start": y.year_start, "year_end": y.year_end, "kind": y.kind}
            year_spans.append(span)
        doc.spans["dates"] = date_spans
        doc.spans["years"] = sorted(year_spans, key=lambda s: s.start_char)
        return doc
