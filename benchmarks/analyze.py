"""Speed and memory of the analyser (without embeddings), against a bare spaCy tokenizer.

    .venv/bin/python benchmarks/analyze.py [--docs 1000] [--processes 2]

Builds N documents by cycling through the annotated texts (tests/data/gold/docs and
corpus/sample/seeds), then times:
- a bare spacy.blank("sv") tokenizer pass over the same texts (the floor any pipeline pays);
- the full pipeline (nlp/config.cfg) through nlp.pipe, streamed as `kommunpress extract` runs it;
- each component on its own, to show where the time goes;
- with --processes 2, nlp.pipe(n_process=2), checking the span extensions survive the trip.
Target (issue 3): the pipeline within 5x the tokenizer, compared in CPU time of this process
(wall time is printed too, but on a shared machine it measures the neighbours as well), as the
median over paired runs (a tokenizer pass, then a pipeline pass). Peak
memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from nlp.pipeline import load  # noqa: E402

SOURCES = [ROOT / "tests" / "data" / "gold" / "docs", ROOT / "corpus" / "sample" / "seeds"]
TARGET_RATIO = 5.0


def corpus(n: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for d in SOURCES if d.is_dir() for p in sorted(d.glob("*.txt"))]
    if not texts:
        sys.exit("benchmarks/analyze.py: no annotated documents found")
    return [texts[i % len(texts)] for i in range(n)]


def timed(fn, repeat: int = 1) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process), the best of repeat runs. CPU time is the fairer
    figure on a machine shared with other work; wall time is what a user waits."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument(
        "--repeat", type=int, default=5, help="paired runs (tokenizer, then pipeline); the median ratio counts"
    )
    parser.add_argument("--processes", type=int, default=1, help="also time nlp.pipe with this many processes")
    args = parser.parse_args()
    texts = corpus(args.docs)
    chars = sum(map(len, texts))

    blank = spacy.blank("sv")
    nlp = load()
    for _ in nlp.pipe(texts[:20]):  # warm-up: lexicons, lookups and compiled patterns load once
        pass

    def tokenize() -> None:
        for _ in blank.pipe(texts, batch_size=64):
            pass

    findings: list = []

    def analyse() -> None:
        findings.clear()
        for doc in nlp.pipe(texts, batch_size=64):  # streamed, as `extract` runs it: no Doc is kept
            findings.append([(s.start_char, s._.kp) for s in doc.spans["money"]])

    # Each pipeline run is paired with a tokenizer run just before it and the median of the
    # pairs' ratios is the verdict: on a shared machine one slow tokenizer pass alone would
    # otherwise decide it (a best-of over separate phases once printed 3.7x for a 5.7x pipeline).
    pairs = [(timed(tokenize), timed(analyse)) for _ in range(args.repeat)]
    ratios = sorted(nlp[1] / tok[1] for tok, nlp in pairs)
    ratio = statistics.median(ratios)
    tok_wall, tok_cpu = min(tok for tok, _ in pairs)
    nlp_wall, nlp_cpu = min(nlp for _, nlp in pairs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(texts)
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"documents            {n}  ({chars / n:,.0f} characters on average)")
    print(f"tokenizer only       {n / tok_cpu:8.1f} documents/s CPU  ({n / tok_wall:.1f}/s wall)")
    print(f"full pipeline        {n / nlp_cpu:8.1f} documents/s CPU  ({n / nlp_wall:.1f}/s wall)")
    print(
        f"pipeline/tokenizer   {ratio:8.2f}x CPU time, median of {len(ratios)} paired runs "
        f"({ratios[0]:.2f}-{ratios[-1]:.2f}; target <= {TARGET_RATIO:.0f}x: {verdict})"
    )
    print(f"sums found           {sum(map(len, findings)):8d}")
    print(f"peak memory          {peak_mb:8.1f} MB resident (pipeline loaded, documents streamed)")

    print("per component, CPU ms/document (each on Docs that passed the components before it):")
    for name, ms in per_component(blank, nlp, texts[: min(n, 200)], args.repeat).items():
        print(f"  {name:18s} {ms:7.3f}")
    if args.processes > 1:
        wall, _ = timed(lambda: _check_multiprocess(nlp, texts, findings, args.processes))
        print(f"{args.processes} processes          {n / wall:8.1f} documents/s wall  (same findings as 1 process)")


def per_component(blank, nlp, sample: list[str], repeat: int) -> dict[str, float]:
    """CPU ms per document of the tokenizer and of each component in pipeline order, the best of
    repeat runs over fresh Docs, so each component meets its Docs as it does inside nlp.pipe
    (with the annotations of the components before it and no per-Doc cache yet filled)."""
    best = {"tokenizer": 1000 * timed(lambda: [blank.make_doc(t) for t in sample], repeat)[1] / len(sample)}
    for _ in range(repeat):
        docs = [nlp.make_doc(t) for t in sample]
        for name, proc in nlp.pipeline:
            cpu = timed(lambda proc=proc, docs=docs: [proc(d) for d in docs])[1]
            best[name] = min(best.get(name, float("inf")), 1000 * cpu / len(sample))
    return best


def _check_multiprocess(nlp, texts: list[str], single: list, n_process: int) -> None:
    multi = [[(s.start_char, s._.kp) for s in doc.spans["money"]] for doc in nlp.pipe(texts, n_process=n_process)]
    if multi != single:
        sys.exit("benchmarks/analyze.py: findings differ between 1 and several processes")


if __name__ == "__main__":
    main()
