"""Batched Language.pipe for the rule components: each component runs over a batch of Docs
before the next component starts.

Without a pipe() method spaCy streams every Doc through all nine components in turn, so each
component's lexicons, compiled patterns and code are evicted from the CPU caches by the others
before its next Doc arrives; run a batch at a time they stay warm, which saves about a sixth of
the pipeline's CPU time (benchmarks/analyze.py). The findings are the same: every component
still sees each Doc once, in pipeline order. nlp.pipe's batch_size (extract: 32) bounds the
Docs held at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from spacy.tokens import Doc
from spacy.util import minibatch, raise_error

ErrorHandler = Callable[[str, Any, list[Doc], Exception], Any]


class BatchedComponent:
    """Mixin: pipe() in batches, with spaCy's error-handler protocol (nlp.set_error_handler)."""

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        handler = self.get_error_handler()
        name = getattr(self, "name", type(self).__name__)
        for batch in minibatch(docs, batch_size):
            done = []
            for doc in batch:
                try:
                    done.append(self(doc))
                except Exception as e:  # handed to the handler, as spaCy's own pipes do
                    handler(name, self, [doc], e)
            yield from done

    def set_error_handler(self, error_handler: ErrorHandler) -> None:
        self._error_handler = error_handler

    def get_error_handler(self) -> ErrorHandler:
        return self.__dict__.get("_error_handler", raise_error)
