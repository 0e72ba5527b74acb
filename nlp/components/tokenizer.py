"""kp_tokenizer: spaCy's default tokenizer for the language, which also hands each Doc's text
to nlp/textscan.py.

Every rule component reads the Doc's text, and Doc.text joins it anew from the tokens (a
Token object each), which in the pipeline costs about a fifth of tokenising. The tokenizer has
the text in hand, so it keeps it for doc_text(). The tokens are spaCy's own (the language's
rules, exceptions and patterns, as `spacy.Tokenizer.v1` builds them). With another tokenizer (a
trained pipeline's), doc_text() joins the text once per Doc instead.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

from nlp.textscan import keep_text


class TextKeepingTokenizer(Tokenizer):
    """spaCy's Tokenizer; each Doc it makes knows its text without joining its tokens."""

    def __call__(self, text: str) -> Doc:
        doc = super().__call__(text)
        keep_text(doc, text)
        return doc


@registry.tokenizers("kp_tokenizer.v1")
def make_tokenizer() -> Callable[[Language], Tokenizer]:
    """The language's default tokenizer (spacy.Tokenizer.v1), as a TextKeepingTokenizer."""
    default = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def factory(nlp: Language) -> Tokenizer:
        base = default(nlp)
        return TextKeepingTokenizer(
            nlp.vocab,
            rules=base.rules,
            prefix_search=base.prefix_search,
            suffix_search=base.suffix_search,
            infix_finditer=base.infix_finditer,
            token_match=base.token_match,
            url_match=base.url_match,
            faster_heuristics=base.faster_heuristics,
        )

    return factory
