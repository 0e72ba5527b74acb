"""Crawl speed and memory: a 2,000-release local newsroom, crawled with politeness delays off.

    .venv/bin/python benchmarks/crawl.py [--releases 2000] [--page-size 20] [--concurrency 16]

Serves a Sitevision-like site (listing pages, article pages with full furniture) from
crawler.testsite on 127.0.0.1, runs the real crawl process (python -m crawler.run, as
`kommunpress crawl` does) into a fresh corpus, and prints pages per second (with
extraction, storing and the frontier bookkeeping on) and the crawl process's peak
memory. Target: at least 100 pages/s on a 2-core machine.

CPU is also counted (from /proc) for the crawl process and its extraction workers, so
the rate the machine would give with its cores to itself can be read off even when
other work shares them: pages / (CPU seconds / cores).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.testsite import Newsroom, generate_releases  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=2000)
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--processes",
        default="auto",
        help="extraction worker processes (KOMMUNPRESS_EXTRACT_PROCESSES): auto, 0, 1 ...",
    )
    args = parser.parse_args()

    releases = generate_releases(args.releases, municipality="Örebro", style="sitevision", seed=7)
    with tempfile.TemporaryDirectory() as tmp, Newsroom(releases, page_size=args.page_size) as sim:
        site = sim.site()
        db = Path(tmp) / "bench.db"
        spec = {
            "spider": "auto",
            "args": {"targets": [{"url": site.start_url, "kind": "listing", "municipality": "1880"}]},
            "settings": {
                "KOMMUNPRESS_DB": str(db),
                "KOMMUNPRESS_PROGRESS_FD": "1",
                "LOG_FILE": str(Path(tmp) / "bench.log"),
                "LOG_LEVEL": "WARNING",
                "DOWNLOAD_DELAY": 0,
                "AUTOTHROTTLE_ENABLED": False,
                "CONCURRENT_REQUESTS": args.concurrency,
                "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
                "KOMMUNPRESS_EXTRACT_PROCESSES": args.processes,
            },
        }
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
        started = time.perf_counter()
        server_cpu = time.process_time()
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.run", json.dumps(spec)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        cpu = CpuSampler(proc.pid)
        cpu.start()
        out, err = proc.communicate()
        cpu.stop()
        wall = time.perf_counter() - started
        server_cpu = time.process_time() - server_cpu
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        events = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        done = next((e for e in events if e.get("event") == "done"), None)
        if proc.returncode != 0 or done is None:
            sys.exit(f"crawl failed (exit {proc.returncode}): {out[-500:]} {err[-500:]}")
        stats = done["stats"]
        stored = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
        requests = len(sim.hits())

    pages = stats.get("pages fetched", 0) + stats.get("listing pages read", 0)
    crawl_seconds = done["elapsed"]
    cores = os.cpu_count() or 1
    crawl_cpu = cpu.total()
    all_cpu = crawl_cpu + server_cpu
    print(
        f"site:   {args.releases} releases, {args.releases // args.page_size} listing pages; {requests} requests served"
    )
    print(f"stored: {stored} documents; extraction workers: {args.processes}")
    print(f"crawl:  {pages} pages in {crawl_seconds:.1f} s = {pages / crawl_seconds:.0f} pages/s (extraction on)")
    print(f"total:  {wall:.1f} s including process start-up = {pages / wall:.0f} pages/s")
    print(
        f"cpu:    crawl and extraction processes {crawl_cpu:.1f} s ({crawl_cpu / pages * 1000:.1f} ms/page), "
        f"simulated server {server_cpu:.1f} s ({server_cpu / pages * 1000:.1f} ms/page)"
    )
    print(
        f"        machine load average {os.getloadavg()[0]:.1f} on {cores} cores (other work shares them); "
        f"CPU-bound rate on {cores} idle cores: {pages / (all_cpu / cores):.0f} pages/s"
    )
    print(f"memory: peak of the crawl process {peak_kib / 1024:.0f} MiB")
    if stored != args.releases:
        sys.exit(f"expected {args.releases} documents, found {stored}")


class CpuSampler:
    """CPU seconds used by a process and all its descendants (the extraction workers too), from /proc."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.tick = os.sysconf("SC_CLK_TCK")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def total(self) -> float:
        return sum(self.seen.values())

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for pid in self._family():
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    continue
                self.seen[pid] = max(self.seen.get(pid, 0.0), (int(fields[11]) + int(fields[12])) / self.tick)

    def _family(self) -> set[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
        family, grew = {self.root}, True
        while grew:
            more = {pid for pid, ppid in parents.items() if ppid in family} - family
            family |= more
            grew = bool(more)
        return family


if __name__ == "__main__":
    main()
