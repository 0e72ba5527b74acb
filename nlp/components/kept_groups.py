"""What a component wrote to a span group, kept per Doc in plain form for the components after it.

kp_persons needs the organisations' offsets and kp_quotes the persons' names. Reading them back
from doc.spans makes a Span object (and, for span._.kp, an extension object) per member, which
costs more than the finding itself. So the writer keeps a plain copy beside the group; a reader
gets it only while the group is still the one written and of the same length, and reads the
spans otherwise (a user's component in between may have replaced them).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from spacy.tokens import Doc, Span, SpanGroup

T = TypeVar("T")


class KeptGroup(Generic[T]):
    """A plain copy of doc.spans[name], one item per span, in order."""

    def __init__(self, name: str, from_span: Callable[[Span], T]):
        self.name = name
        self._from_span = from_span
        self._kept: weakref.WeakKeyDictionary[Doc, tuple[SpanGroup, list[T]]] = weakref.WeakKeyDictionary()

    def write(self, doc: Doc, spans: list[Span], items: list[T]) -> None:
        """Set doc.spans[name] to spans and keep items (one per span) beside it."""
        doc.spans[self.name] = spans
        self._kept[doc] = (doc.spans[self.name], items)

    def read(self, doc: Doc) -> list[T]:
        group = doc.spans.get(self.name)
        if group is None:
            return []
        kept = self._kept.get(doc)
        if kept is not None and kept[0] is group and len(group) == len(kept[1]):
            return list(kept[1])
        return [self._from_span(s) for s in group]
