"""How well main-text extraction removes furniture, measured the way trafilatura measures itself.

A gold case lists snippets the text must contain ("with") and furniture it must not
("without"). A found "with" snippet is a true positive, a missing one a false negative;
a "without" snippet left in is a false positive, one removed a true negative. Precision,
recall and F1 follow, plus title and date accuracy. benchmarks/crawl_extraction.py prints
the figures for the bundled gold set; tests keep them from sliding back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crawler.extract import Page, extract_page


@dataclass
class Scores:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    titles: int = 0
    dates: int = 0
    contacts: int = 0
    contact_cases: int = 0
    cases: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fn + self.fp + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    def summary(self) -> str:
        return (
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"accuracy {self.accuracy:.3f}  titles {self.titles}/{self.cases}  dates {self.dates}/{self.cases}  "
            f"contacts {self.contacts}/{self.contact_cases}"
        )


def load_gold(folder: Path) -> list[tuple[str, dict, str]]:
    """(name, gold entry, html) for every case in folder/gold.json."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return [
        (name, entry, (folder / name).read_text(encoding="utf-8"))
        for name, entry in sorted(gold.items())
        if not name.startswith("_")
    ]


def score(cases: list[tuple[str, dict, str]], extract: Callable[[str, str], Page] | None = None) -> Scores:
    extract = extract or (lambda html, url: extract_page(html, url))
    s = Scores()
    for name, entry, html in cases:
        page = extract(html, entry["url"])
        text = page.text or ""
        s.cases += 1
        for snippet in entry.get("with", []):
            if snippet in text:
                s.tp += 1
            else:
                s.fn += 1
                s.misses.append(f"{name}: missing {snippet!r}")
        for snippet in entry.get("without", []):
            if snippet in text:
                s.fp += 1
                s.misses.append(f"{name}: kept {snippet!r}")
            else:
                s.tn += 1
        s.titles += page.title == entry.get("title")
        s.dates += page.published == entry.get("published")
        if entry.get("contact"):
            s.contact_cases += 1
            s.contacts += all(c in (page.contact or "") for c in entry["contact"])
    return s
