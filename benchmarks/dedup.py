"""Near-duplicate detection at corpus scale: time and memory of `find_duplicates`.

Builds N releases from the annotated documents (each with a running number and a varying
frame, so they are different releases) plus a copy in another frame of every tenth, and
times the grouping. Prints documents/s and whether exactly the planted copies were found.

    .venv/bin/python benchmarks/dedup.py [--documents 20000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.dedup import Release, find_duplicates  # noqa: E402

FRAMES = ["Nyheter\n", "Pressmeddelande\n", "Aktuellt\nDela\n"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    args = parser.parse_args()
    bases = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/gold/docs").glob("*.txt"))]
    releases: list[Release] = []
    planted = 0
    for i in range(args.documents):
        words = bases[i % len(bases)].split()
        # a different release: every sentence-sized stretch gets this release's own numbers
        text = " ".join(f"{w} {i}-{j}" if j % 8 == 0 else w for j, w in enumerate(words))
        releases.append(Release(len(releases) + 1, FRAMES[i % 3] + text, site=f"site{i % 50}.se"))
        if i % 10 == 0:
            releases.append(Release(len(releases) + 1, "Lokalt\n" + text + "\nAnnons", site="tidning.se"))
            planted += 1
    start = time.perf_counter()
    result = find_duplicates(releases)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = sum(len(g) - 1 for g in result.groups)
    print(
        f"dedup: {len(releases)} documents in {seconds:.1f} s ({len(releases) / seconds:.0f} documents/s), "
        f"peak memory {peak:.0f} MB; {found} copies found of {planted} planted, {len(result.groups)} groups"
    )


if __name__ == "__main__":
    main()
