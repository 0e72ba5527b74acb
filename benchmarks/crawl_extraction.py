"""Main-text extraction quality on the gold pages, against plain trafilatura.

    .venv/bin/python benchmarks/crawl_extraction.py

Scored like trafilatura's own evaluation: per page, snippets of the release that must
be in the text and furniture that must not (tests/data/crawl_gold/gold.json). Also
prints title, date and contact-block accuracy and the time per page.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from crawler.evaluation import load_gold, score  # noqa: E402
from crawler.extract import Page, extract_page  # noqa: E402


def plain_trafilatura(html: str, url: str) -> Page:
    result = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    data = result.as_dict() if result is not None else {}
    date = data.get("date")
    text = data.get("text") or ""
    return Page(title=data.get("title"), text=text, published=date[:10] if date else None, language=None)


def main() -> None:
    cases = load_gold(ROOT / "tests" / "data" / "crawl_gold")
    print(f"gold set: {len(cases)} pages (tests/data/crawl_gold)")
    for label, extractor in (("kommunpress", extract_page), ("plain trafilatura", plain_trafilatura)):
        extractor(cases[0][2], cases[0][1]["url"])  # warm-up: imports, language model
        started = time.perf_counter()
        scores = score(cases, extractor)
        per_page = (time.perf_counter() - started) / len(cases) * 1000
        print(f"{label:<18} {scores.summary()}  ({per_page:.1f} ms/page)")
        for miss in scores.misses:
            print(f"    {miss}")


if __name__ == "__main__":
    main()
