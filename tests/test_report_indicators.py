"""`kommunpress indicators import`: facts per municipality from the CSV files researchers actually have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_corpus import build_corpus, conflict_documents

from kommunpress.common import open_corpus
from reports.indicator_csv import parse_number


@pytest.fixture
def corpus(db_file: Path) -> Path:
    db = open_corpus(db_file, create=True)
    build_corpus(db, conflict_documents())
    db.close()
    return db_file


def _values(db_file: Path, name: str) -> dict[tuple[str, int | None], float | str | None]:
    db = open_corpus(db_file)
    rows = db.execute("SELECT municipality_code, year, value, text FROM indicators WHERE name = ?", [name]).fetchall()
    db.close()
    return {(code, year): (value if value is not None else text) for code, year, value, text in rows}


def test_scb_wide_file_with_title_line_regions_and_the_whole_country(cli, corpus: Path, tmp_path: Path):
    """SCB's PX-Web export: a title line, "0180 Stockholm" regions, one column per year, a Riket row."""
    f = tmp_path / "folkmangd.csv"
    f.write_bytes(
        (
            '"Folkmängd efter region och år"\n\n'
            '"region";"2019";"2020"\n'
            '"00 Riket";10327589;10379295\n'
            '"0180 Stockholm";974073;975551\n'
            '"1880 Örebro";155696;156381\n'
        ).encode("cp1252")
    )
    result = cli("indicators", "import", f, "--name", "population", "--db", corpus)
    assert result.exit_code == 1  # one row not stored: said, not dropped silently
    assert "line 4: '00 Riket' is not a municipality code" in result.stderr
    assert "Stored 4 values" in result.stdout
    assert _values(corpus, "population") == {
        ("0180", 2019): 974073,
        ("0180", 2020): 975551,
        ("1880", 2019): 155696,
        ("1880", 2020): 156381,
    }


def test_kolada_tidy_file_with_gender(cli, corpus: Path, tmp_path: Path):
    f = tmp_path / "kolada.csv"
    f.write_text(
        "kpi,municipality,period,gender,value\n"
        "N00914,1880,2020,T,12.5\nN00914,1880,2020,K,11.0\nN00914,1880,2021,T,13\nN00914,0180,2020,T,\n",
        encoding="utf-8",
    )
    result = cli("indicators", "import", f, "--db", corpus)
    assert result.exit_code == 0, result.stderr
    assert _values(corpus, "N00914") == {("1880", 2020): 12.5, ("1880", 2021): 13}
    assert _values(corpus, "N00914 (K)") == {("1880", 2020): 11.0}


def test_codes_without_leading_zero_area_types_and_year_option(cli, corpus: Path, tmp_path: Path):
    f = tmp_path / "grupper.csv"
    f.write_text(
        "Kommunkod;Kommun;Kommungrupp;Andel utrikes födda\n"
        "180;Stockholm;Storstäder;26,1\n1880;Örebro;Större städer;21,4\n",
        encoding="utf-8",
    )
    result = cli("indicators", "import", f, "--year", "2022", "--db", corpus)
    assert result.exit_code == 0, result.stderr
    assert _values(corpus, "Kommungrupp") == {("0180", 2022): "Storstäder", ("1880", 2022): "Större städer"}
    assert _values(corpus, "Andel utrikes födda") == {("0180", 2022): 26.1, ("1880", 2022): 21.4}
    # Importing the file again replaces, it does not add.
    assert cli("indicators", "import", f, "--year", "2022", "--db", corpus).exit_code == 0
    assert len(_values(corpus, "Kommungrupp")) == 2
    listing = cli("indicators", "list", "--db", corpus)
    assert "Kommungrupp" in listing.stdout and "text" in listing.stdout


def test_sums_per_inhabitant_use_the_nearest_earlier_year(cli, corpus: Path, tmp_path: Path):
    f = tmp_path / "pop.csv"
    f.write_text("kommunkod,år,folkmängd\n1880,2018,150000\n1880,2020,160000\n1280,2021,350000\n", encoding="utf-8")
    assert cli("indicators", "import", f, "--db", corpus).exit_code == 0
    result = cli(
        "compare",
        "amounts",
        "--db",
        corpus,
        "-f",
        "json",
        "--per-inhabitant",
        "folkmängd",
        "--sort",
        "sek_per_inhabitant",
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    by_key = {(r["municipality_code"], r["year"]): r for r in rows}
    assert by_key[("1880", 2019)]["sek_per_inhabitant"] == round(43_000_000 / 150_000, 2)  # 2018 is the nearest before
    assert by_key[("1280", 2020)]["sek_per_inhabitant"] == round(20_000_000 / 350_000, 2)  # only a later year exists
    assert by_key[("1480", 2021)]["sek_per_inhabitant"] is None  # no population for Göteborg
    shares = [r["sek_per_inhabitant"] for r in rows if r["sek_per_inhabitant"] is not None]
    assert shares == sorted(shares, reverse=True)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x00\x01\x02binary\x00", "is a binary file"),
        (b"PK\x03\x04rest-of-a-workbook", "Excel workbook"),
        (b"namn,varde\nOrebro,3\n", "has no kommunkod column"),
        (b"kommunkod,kommun\n1880,Orebro\n", "no column of values"),
    ],
)
def test_bad_files_give_one_clear_line(cli, corpus: Path, tmp_path: Path, content: bytes, message: str):
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    result = cli("indicators", "import", f, "--db", corpus)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _values(corpus, "varde") == {}


def test_missing_file_and_unknown_indicator(cli, corpus: Path, tmp_path: Path):
    missing = cli("indicators", "import", tmp_path / "nope.csv", "--db", corpus)
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    unknown = cli("report", "--db", corpus, "--out", tmp_path / "r", "--colour-by", "invånare")
    assert unknown.exit_code == 2 and "no indicator named 'invånare'" in unknown.stderr


@pytest.mark.parametrize(
    "text, number",
    [("1 234,5", 1234.5), ("1\u00a0234", 1234), ("1,234.5", 1234.5), ("12,5%", 12.5), ("-3", -3), ("abc", None)],
)
def test_swedish_and_english_numbers(text: str, number: float | None):
    assert parse_number(text) == number
