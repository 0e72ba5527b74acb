"""Benchmark: `kommunpress report` over a synthetic corpus of 100,000 releases and 300,000 sums.

Targets: under 30 s and under 1 GB peak memory for the whole report (HTML, CSV, XLSX, SVG).
The corpus is shaped like the annotated releases in tests/data: most releases from the grant
municipalities, sums repeated across releases with 8 % disagreeing, 7 % per-year sums over
2020–2027, 15 % national sums, 20 % without recipient, 25 % without a year, and one
release in ten a duplicate of another.

    .venv/bin/python benchmarks/report.py [--documents 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.extractions import start_run  # noqa: E402
from kommunpress.common import open_corpus  # noqa: E402

STATUSES = ["eligible", "granted", "allocated", None]
CATEGORIES = ["boende", "utbildning", "arbete", "demokrati", "trygghet", "barn_unga", "fritid", "halsa", "kunskap"]
PARTIES = ["S", "M", "SD", "C", "V", "KD", "L", "MP", None]
TARGET_SECONDS = 30.0
TARGET_MB = 1024.0


def build(path: Path, n_docs: int, per_doc: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    db = open_corpus(path, create=True)
    codes = [r[0] for r in db.execute("SELECT code FROM municipalities ORDER BY code")]
    grant = [r[0] for r in db.execute("SELECT code FROM municipalities WHERE delmos_2018 = 1")] or codes[:32]
    truth: dict[tuple, int] = {}

    def true_value(code: str, year: int, status: str | None) -> int:
        key = (code, year, status)
        if key not in truth:
            truth[key] = rng.randrange(1, 200) * 100_000
        return truth[key]

    run = start_run(db, "benchmark", "synthetic")
    documents, analyses, amounts, sentences, persons, measures = [], [], [], [], [], []
    # Each municipality quotes its own few dozen politicians and officials, year after year.
    people = {code: [(f"Person {code}-{i}", rng.choice(PARTIES)) for i in range(30)] for code in codes}
    amount_id = 0
    for doc_id in range(1, n_docs + 1):
        code = rng.choice(grant) if rng.random() < 0.8 else rng.choice(codes)
        published = f"{rng.randint(2018, 2027)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        text_parts, offset = [], 0
        for s in range(per_doc):
            amount_id += 1
            year = rng.randint(2018, 2027)
            status = rng.choice(STATUSES)
            # Shares as in the annotated releases of tests/data: 7 % per year over several years,
            # 15 % to the programme as a whole, 20 % without recipient, 25 % without a year.
            per_year = rng.random() < 0.07
            year_start, year_end = (2020, 2027) if per_year else (year, year)
            recipient: str | None = code
            r = rng.random()
            if r < 0.15:
                recipient = "national"
            elif r < 0.35:
                recipient = None
            if rng.random() < 0.25:
                year_start = year_end = None
            value = true_value(recipient or "-", year_start or 0, status)
            if rng.random() < 0.08:  # a disagreeing figure: a misprint or an outdated preliminary one
                value = value + rng.choice([-1, 1]) * 500_000
            words = f"{value} kronor"
            sentence = f"Kommunen kan söka {words} för perioden."
            start = offset + len("Kommunen kan söka ")
            sentences.append((doc_id, s, offset, offset + len(sentence), sentence))
            amounts.append(
                (
                    amount_id,
                    doc_id,
                    run,
                    s,
                    start,
                    start + len(words),
                    words,
                    value,
                    int(per_year),
                    year_start,
                    year_end,
                    recipient,
                    "exact",
                    status,
                    int(rng.random() < 0.2),
                )
            )
            text_parts.append(sentence)
            offset += len(sentence) + 1
        text = " ".join(text_parts)
        duplicate_of = rng.randint(1, doc_id - 1) if doc_id > 10 and rng.random() < 0.1 else None
        documents.append(
            (
                doc_id,
                f"https://example.org/{code}/{doc_id}",
                code,
                f"Pressmeddelande {doc_id}",
                published,
                text,
                f"h{doc_id}",
                duplicate_of,
            )
        )
        cats = rng.sample(CATEGORIES, rng.randint(0, 3))
        analyses.append((doc_id, run, f"h{doc_id}", code, published, json.dumps(cats)))
        for c in cats:
            measures.append((doc_id, run, 0, 0, 10, c, c))
        name, party = rng.choice(people[code])
        persons.append((doc_id, run, 0, 0, 10, name, party, "kommunalråd"))
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO documents (id, url, municipality_code, title, published, text, content_hash, duplicate_of) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            documents,
        )
        db.conn.executemany(
            "INSERT INTO analyses (document_id, run_id, content_hash, municipality_code, published, categories) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            analyses,
        )
        db.conn.executemany(
            "INSERT INTO sentences (document_id, sentence, start_char, end_char, text) VALUES (?, ?, ?, ?, ?)",
            sentences,
        )
        db.conn.executemany(
            "INSERT INTO amounts (id, document_id, run_id, sentence, start_char, end_char, text, value_sek, per_year, "
            "year_start, year_end, recipient, qualifier, status, tentative) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            amounts,
        )
        db.conn.executemany(
            "INSERT INTO measures (document_id, run_id, sentence, start_char, end_char, text, category) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            measures,
        )
        db.conn.executemany(
            "INSERT INTO persons (document_id, run_id, sentence, start_char, end_char, name, party, role) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            persons,
        )
    counts = {"documents": len(documents), "amounts": len(amounts)}
    db.close()
    return counts


def timed(cmd: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one child process, and its last line of output.

    Run the child whose memory matters first: ru_maxrss of children is a running maximum.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return seconds, cpu, usage.ru_maxrss / 1024, (done.stdout.strip().splitlines() or [""])[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--amounts-per-document", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Keep the corpus and the report in this folder.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="kommunpress-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.db"
    if db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    counts = build(db, args.documents, args.amounts_per_document)
    print(
        f"synthetic corpus: {counts['documents']:,} documents, {counts['amounts']:,} amounts "
        f"({time.perf_counter() - start:.1f} s to build, {db.stat().st_size / 1e6:.0f} MB)"
    )
    kommunpress = [sys.executable, "-m", "kommunpress"]
    # The report first, so that its peak memory is its own (ru_maxrss of children is a running maximum).
    seconds, cpu, peak, line = timed([*kommunpress, "report", "--db", str(db), "--out", str(work / "report")])
    html = work / "report" / "report.html"
    ok = seconds < TARGET_SECONDS and peak < TARGET_MB
    load = os.getloadavg()[0]
    print(
        f"report: {seconds:.1f} s wall, {cpu:.1f} s CPU, peak {peak:.0f} MB "
        f"(targets: < {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB) {'OK' if ok else 'OVER TARGET'}"
    )
    print(f"  load average {load:.1f} on {os.cpu_count()} cores; report.html {html.stat().st_size / 1e6:.1f} MB")
    print(f"  {line}")
    seconds_csv, cpu_csv, _, _ = timed([*kommunpress, "compare", "amounts", "--db", str(db), "-f", "csv"])
    print(f"compare amounts --format csv: {seconds_csv:.1f} s wall, {cpu_csv:.1f} s CPU")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
