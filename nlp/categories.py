"""The SCHEMA's nine areas of measures, and a fallback that files a text under them by meaning.

The rule component (nlp/components/measures.py) decides categories from words. Where
the rules are unsure (a sentence that names a measure but no category word), the
embedding model can compare the sentence with short Swedish descriptions of each
area and their typical measures: `nearest_categories`. It is kept out of the
pipeline unless it raises categories F1 on the annotated documents; see
`categorise_by_embeddings` for the document-level use that was measured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Encode = Callable[[list[str]], np.ndarray]

# id -> (area, example phrases of measures in it); ids and areas as in tests/data/SCHEMA.md.
CATEGORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "boende": (
        "bostäder och fysisk miljö",
        (
            "minska bostadssegregationen",
            "rusta upp bostadsområden och utemiljöer",
            "stadsutveckling och nya bostäder",
            "bättre belysning och upprustning av gårdar",
        ),
    ),
    "utbildning": (
        "skola och utbildning",
        (
            "höja skolresultaten",
            "läxhjälp och fler lärare i skolan",
            "språkutveckling i förskolan",
            "jämlikhet i skolan och vuxenutbildning",
        ),
    ),
    "arbete": (
        "arbete och egen försörjning",
        (
            "minska arbetslösheten",
            "fler vuxna i arbete och egen försörjning",
            "sommarjobb och praktik för unga",
            "jobbspår tillsammans med Arbetsförmedlingen och näringslivet",
        ),
    ),
    "demokrati": (
        "demokrati och civilsamhälle",
        (
            "öka valdeltagandet",
            "stärka demokratin och det civila samhället",
            "stöd till föreningslivet och ideella organisationer",
            "ökad delaktighet och inflytande för de boende",
        ),
    ),
    "trygghet": (
        "brottsförebyggande arbete och trygghet",
        (
            "öka tryggheten i bostadsområdet",
            "brottsförebyggande insatser mot kriminalitet",
            "trygghetskameror och fältassistenter",
            "trygghetsvandringar och samarbete med polisen",
        ),
    ),
    "barn_unga": (
        "tidiga insatser för barn, unga och familjer",
        (
            "tidiga insatser för barn och unga",
            "föräldrastöd och familjecentral",
            "bättre uppväxtvillkor för barn",
            "stöd till familjer",
        ),
    ),
    "fritid": (
        "fritid, kultur och mötesplatser",
        (
            "meningsfull fritid för barn och unga",
            "fritidsaktiviteter, idrott och kultur",
            "nya mötesplatser och fritidsgårdar",
            "sommarlovsaktiviteter och gatufester",
        ),
    ),
    "halsa": ("folkhälsa", ("förbättra folkhälsan", "insatser för bättre hälsa")),
    "kunskap": (
        "kartläggning, analys och uppföljning",
        (
            "kartläggning av segregationen",
            "behovsanalys och lägesbild",
            "uppföljning och utvärdering av insatserna",
            "forskning om vad som fungerar",
        ),
    ),
}


@dataclass
class Prototypes:
    """The vectors of every category's examples, made once per model."""

    ids: list[str]
    matrix: np.ndarray  # one row per example, normalised

    @classmethod
    def build(cls, encode: Encode) -> Prototypes:
        ids, texts = [], []
        for cat, (area, examples) in CATEGORIES.items():
            for text in (area, *examples):
                ids.append(cat)
                texts.append(text)
        return cls(ids=ids, matrix=np.asarray(encode(texts), dtype=np.float32))

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """(texts, categories) best cosine of each text to any example of each category."""
        sims = np.asarray(vectors, dtype=np.float32) @ self.matrix.T
        cats = list(CATEGORIES)
        out = np.full((sims.shape[0], len(cats)), -1.0, dtype=np.float32)
        for col, cat in enumerate(self.ids):
            j = cats.index(cat)
            out[:, j] = np.maximum(out[:, j], sims[:, col])
        return out


def nearest_categories(
    vectors: np.ndarray, prototypes: Prototypes, *, threshold: float = 0.6, margin: float = 0.05
) -> list[str | None]:
    """For each text vector, the category it is clearly closest to, or None when no category is close or clear."""
    scores = prototypes.scores(vectors)
    cats = list(CATEGORIES)
    out: list[str | None] = []
    for row in scores:
        order = np.argsort(-row)
        best, second = row[order[0]], row[order[1]]
        out.append(cats[order[0]] if best >= threshold and best - second >= margin else None)
    return out


def categorise_by_embeddings(
    sentences: Sequence[str],
    rule_categories: Sequence[str],
    encode: Encode,
    prototypes: Prototypes,
    *,
    threshold: float = 0.6,
    margin: float = 0.05,
) -> list[str]:
    """A document's categories: the rules' ones plus those its sentences are clearly closest to.

    Adds only; the rules' categories always stay, in their order, then the added ones
    in order of first appearance.
    """
    found = list(dict.fromkeys(rule_categories))
    if sentences:
        for cat in nearest_categories(encode(list(sentences)), prototypes, threshold=threshold, margin=margin):
            if cat is not None and cat not in found:
                found.append(cat)
    return found
