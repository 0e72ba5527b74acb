"""Which language a text is in, so non-Swedish pages can be told apart."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # Limiting the choice keeps Swedish from being mistaken for a rare language on short texts.
    ident.set_languages(["sv", "en", "no", "da", "fi", "de", "fr", "es", "ar", "so", "fa", "tr", "pl"])
    return ident


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = " ".join(text.split())[:5000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    lang, _prob = _identifier().classify(sample)
    return lang
