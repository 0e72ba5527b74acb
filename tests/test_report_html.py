"""The report: one HTML file that opens offline and renders in a browser, plus CSV, XLSX and SVG files."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from report_corpus import build_corpus, conflict_documents, gold_documents

from kommunpress.common import open_corpus

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]
TABLES = [
    "amounts",
    "national",
    "periods",
    "unplaced",
    "measures",
    "people",
    "releases_per_month",
    "evidence",
    "documents",
]


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    """A report over the seeds' gold and the conflict releases (with a planted <script>), with population."""
    base = tmp_path_factory.mktemp("report")
    path = base / "corpus.db"
    db = open_corpus(path, create=True)
    seeds = [d for d in gold_documents() if d["id"][:3] in {"000", "001", "002", "003", "004"}]
    build_corpus(db, seeds + conflict_documents())
    db.close()
    (base / "population.csv").write_text(
        "kommunkod;år;folkmängd\n1880;2019;155 696\n1280;2020;347 949\n1480;2021;583 056\n0380;2020;233 839\n",
        encoding="utf-8",
    )
    from typer.testing import CliRunner

    from kommunpress.cli import app

    runner = CliRunner()
    imported = runner.invoke(app, ["indicators", "import", str(base / "population.csv"), "--db", str(path)])
    assert imported.exit_code == 0, imported.output
    out = base / "out"
    args = ["report", "--db", str(path), "--out", str(out), "--sort-by", "folkmängd", "--colour-by", "folkmängd"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Report written to" in result.stdout
    return out


@pytest.fixture(scope="module")
def html(report_dir: Path) -> str:
    return (report_dir / "report.html").read_text(encoding="utf-8")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def test_report_writes_html_csv_xlsx_and_svg(report_dir: Path):
    for name in TABLES:
        assert (report_dir / f"{name}.csv").stat().st_size > 0, name
    assert (report_dir / "kommunpress-report.xlsx").exists()
    assert (report_dir / "chart-measures.svg").read_text().startswith("<?xml")
    assert list(report_dir.glob("chart-sums-*.svg"))
    assert not list(report_dir.glob(".*.part")), "no half-written files left"


def test_municipalities_sorted_and_coloured_by_an_indicator(html: str, report_dir: Path):
    rows = re.findall(r'<tr id="m-(\d{4})-', html)
    ranked = list(dict.fromkeys(rows))
    assert ranked[:4] == ["1480", "1280", "0380", "1880"]  # Göteborg, Malmö, Uppsala, Örebro by population
    assert 'class="legend"' in html and "folkmängd" in html
    with (report_dir / "amounts.csv").open(encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    assert first["municipality"] == "Göteborg" and first["folkmängd"] == "583056"
    assert first["sek_per_inhabitant"] == str(round(31_000_000 / 583_056, 2))


def test_html_needs_no_network(html: str):
    doc = _parse(html)
    assert doc.srcs == [], "no external images or scripts"
    assert "link" not in doc.tags and "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html  # the CSP forbids every fetch


def test_every_figure_link_has_a_target(html: str):
    doc = _parse(html)
    internal = [h[1:] for h in doc.hrefs if h.startswith("#")]
    assert len(internal) > 50
    assert sorted(set(internal) - doc.ids) == []


def test_conflict_is_shown_beside_the_consensus_with_its_evidence(html: str):
    row = re.search(r'<tr id="m-1880-2019-eligible" class="conflict">(.*?)</tr>', html, re.S)
    assert row, "Örebro 2019 is marked as a row where documents disagree"
    assert "43\u00a0000\u00a0000" in row.group(1) and "45\u00a0000\u00a0000" in row.group(1)
    assert 'href="#ev-money-1880-2019-eligible-2"' in row.group(1)
    evidence = re.search(r'<div id="ev-money-1880-2019-eligible-2">(.*?)</div>', html, re.S).group(1)
    assert "<mark>45 miljoner kronor</mark>" in evidence
    assert "Enligt Delmos kan Örebro söka" in evidence
    doc_id = re.search(r'href="#doc-(\d+)"', evidence).group(1)
    listing = re.search(rf'<li id="doc-{doc_id}".*?</li>', html, re.S).group(0)
    assert 'href="https://www.na.se/orebro/45-miljoner"' in listing


def test_crawled_text_is_escaped_and_unsafe_links_dropped(html: str):
    assert html.count("<script") == 1, "only the report's own script"
    assert "&lt;script&gt;document.title=" in html
    assert "onerror=&#34;" in html or "onerror=&quot;" in html
    assert 'href="javascript:' not in html.replace(" ", "")


def test_xlsx_holds_the_same_numbers_as_the_csv(report_dir: Path):
    wb = load_workbook(report_dir / "kommunpress-report.xlsx", read_only=True)
    assert wb.sheetnames == TABLES
    for name in TABLES:
        with (report_dir / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            csv_rows = list(csv.reader(f))
        # A streamed sheet leaves trailing empty cells out.
        sheet_rows = [[*r, *[None] * (len(csv_rows[0]) - len(r))] for r in wb[name].iter_rows(values_only=True)]
        assert len(sheet_rows) == len(csv_rows), name
        for csv_row, sheet_row in zip(csv_rows, sheet_rows, strict=True):
            for c, x in zip(csv_row, sheet_row, strict=True):
                if isinstance(x, (int, float)) and not isinstance(x, bool):
                    assert float(c) == x, (name, c, x)
                else:
                    assert c == ("" if x is None else str(x)), (name, c, x)
    amounts = [r for r in wb["amounts"].iter_rows(values_only=True)]
    header = amounts[0]
    orebro = next(r for r in amounts[1:] if r[0] == "1880" and r[2] == 2019)
    assert orebro[header.index("value_sek")] == 43_000_000
    assert orebro[header.index("sek_per_inhabitant")] == round(43_000_000 / 155_696, 2)
    wb.close()
    full = load_workbook(report_dir / "kommunpress-report.xlsx")
    titles = [row[1] for row in full["documents"].iter_rows(min_row=2)]
    planted = next(c for c in titles if str(c.value).startswith("=HYPERLINK"))
    assert planted.data_type == "s", "a title from a crawled page never becomes a formula"
    full.close()


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium chromium-driver; .ci/run does this)")
    return found


def _run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    cmd = [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def test_browser_runs_the_report_script_but_not_the_planted_one(report_dir: Path, tmp_path: Path):
    result = _run_chromium(tmp_path, "--dump-dom", (report_dir / "report.html").as_uri())
    dom = result.stdout
    assert result.returncode == 0 and "<html" in dom, result.stderr[-2000:]
    assert 'data-report-ready="1"' in dom, "the report's own script ran, so scripts are not simply off"
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0], "a planted script ran"
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title.startswith("kommunpress report") and "pwned" not in title
    assert "&lt;script&gt;document.body.setAttribute(" in dom  # the sentence with the sum, shown as text
    assert "&lt;script&gt;document.title=" in dom  # the title
    with (report_dir / "amounts.csv").open(encoding="utf-8") as f:
        n_rows = sum(1 for _ in f) - 1
    assert dom.count('<tr id="m-') == n_rows > 10  # every money row rendered


def test_screenshot_shows_table_and_charts(report_dir: Path, tmp_path: Path):
    from PIL import Image

    shot = tmp_path / "report.png"
    result = _run_chromium(
        tmp_path, "--window-size=1280,4200", f"--screenshot={shot}", (report_dir / "report.html").as_uri()
    )
    assert shot.exists(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    width, height = image.size
    assert (width, height) == (1280, 4200)
    pixels = image.load()

    def count(colour: tuple[int, int, int], top: int, bottom: int) -> int:
        return sum(1 for y in range(top, bottom, 2) for x in range(0, width, 2) if pixels[x, y] == colour)

    def dark(top: int, bottom: int) -> int:
        return sum(1 for y in range(top, bottom, 2) for x in range(0, width, 2) if sum(pixels[x, y]) < 200)

    assert dark(0, 300) > 500, "heading and text at the top"
    assert dark(300, 1400) > 3000, "the money table's text"
    bars = count((0x2B, 0x6C, 0xB0), 0, height)
    assert bars > 400, "bars of the sums chart (and of releases per month)"
    heat = count((0x08, 0x30, 0x6B), 0, height) + count((0x21, 0x71, 0xB5), 0, height)
    assert heat > 200, "shaded cells of the measures heatmap"
