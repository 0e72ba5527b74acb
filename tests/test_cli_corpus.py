"""`kommunpress init / import / stats / query` as a researcher uses them."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3

import pytest
import sqlite_utils
from conftest import SEEDS_DIR

SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


def total_documents(stats_output: str) -> int:
    row = next(line for line in stats_output.splitlines() if "All" in line)
    return int(re.findall(r"\d+", row)[-1])


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"kommunpress \d+\.\d+\.\d+\n", result.stdout)


def test_init_import_stats_and_reimport(cli, tmp_path):
    assert cli("init").exit_code == 0
    assert (tmp_path / "kommunpress.db").exists()
    result = cli("import", *SEEDS)
    assert result.exit_code == 0, result.output
    assert "5 added" in result.stdout
    assert total_documents(cli("stats").stdout) == 5
    again = cli("import", *SEEDS)
    assert "5 unchanged" in again.stdout
    assert total_documents(cli("stats").stdout) == 5


def test_stats_counts_per_municipality_and_year(cli, tmp_path):
    (tmp_path / "a.txt").write_text("Pengar till Örebro\n\nText om segregation.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Pengar till Malmö\n\nEn annan text.", encoding="utf-8")
    cli("import", "--municipality", "Örebro", tmp_path / "a.txt")
    cli("import", "-m", "1280", tmp_path / "b.txt")
    out = cli("stats").stdout
    assert re.search(r"Örebro \(1880\)\s*│\s*1\s*│\s*1", out)
    assert re.search(r"Malmö \(1280\)\s*│\s*1\s*│\s*1", out)
    assert total_documents(out) == 2


def test_import_unknown_municipality_is_one_line_error(cli, tmp_path):
    (tmp_path / "a.txt").write_text("Text", encoding="utf-8")
    result = cli("import", "-m", "Atlantis", tmp_path / "a.txt")
    assert result.exit_code == 2
    assert "unknown municipality" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_query_refuses_writes_and_keeps_documents(cli):
    cli("import", *SEEDS)
    result = cli("query", "delete from documents")
    assert result.exit_code != 0
    assert "refused" in result.stderr
    assert "Traceback" not in result.output
    out = cli("query", "select count(*) as n from documents", "--format", "json")
    assert json.loads(out.stdout) == [{"n": 5}]


def test_query_formats(cli):
    cli("import", SEEDS[1])
    csv_out = cli(
        "query", "select code, name from municipalities where code in ('1880', '0114') order by code", "-f", "csv"
    ).stdout
    assert csv_out.splitlines() == ["code,name", "0114,Upplands Väsby", "1880,Örebro"]
    table = cli("query", "select title from documents").stdout
    assert "Regeringssatsning ger miljoner" in table
    assert "1 row" in table
    bad = cli("query", "select x from nowhere")
    assert bad.exit_code == 2 and "no such table" in bad.stderr


def test_import_skips_empty_binary_and_missing_files_but_keeps_the_rest(cli, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n ")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4 ...")
    result = cli(
        "import",
        tmp_path / "empty.txt",
        tmp_path / "blank.txt",
        tmp_path / "image.txt",
        tmp_path / "doc.pdf",
        tmp_path / "missing.txt",
        SEEDS[0],
    )
    assert result.exit_code == 1
    assert "1 added" in result.stdout
    for reason in [
        "empty.txt: is empty",
        "blank.txt: is empty",
        "image.txt: is a PNG image",
        "doc.pdf: is a PDF",
        "missing.txt: no such file",
    ]:
        assert reason in result.stderr
    assert "Traceback" not in result.output
    assert total_documents(cli("stats").stdout) == 1


def test_import_html_keeps_main_text_and_title(cli, tmp_path):
    page = tmp_path / "release.html"
    page.write_text(
        """<!doctype html><html><head><title>Miljoner mot segregation | Katrineholms kommun</title></head>
        <body><nav><a href="/">Start</a> <a href="/kontakt">Kontakta oss</a> Till sidans huvudinnehåll</nav>
        <main><article><h1>Miljoner mot segregation</h1>
        <p>Katrineholm får möjlighet att ansöka om 8 miljoner kronor under 2018 för att minska segregationen.</p>
        <p>Pengarna ska användas till tidiga insatser för barn och unga och ökad trygghet i bostadsområdena.</p>
        </article></main><footer>Katrineholms kommun, 641 80 Katrineholm. Cookies: vi använder kakor.</footer>
        </body></html>""",
        encoding="utf-8",
    )
    assert cli("import", page).exit_code == 0
    row = json.loads(cli("query", "select title, text, language from documents", "-f", "json").stdout)[0]
    assert row["title"].startswith("Miljoner mot segregation")
    assert "8 miljoner kronor" in row["text"]
    assert "Kontakta oss" not in row["text"] and "kakor" not in row["text"]
    assert row["language"] == "sv"


def test_import_latin1_text_file(cli, tmp_path):
    (tmp_path / "old.txt").write_bytes("Bidrag till Västerås för ökad trygghet.".encode("cp1252"))
    assert cli("import", tmp_path / "old.txt").exit_code == 0
    rows = json.loads(cli("query", "select text from documents", "-f", "json").stdout)
    assert rows == [{"text": "Bidrag till Västerås för ökad trygghet."}]


def test_import_same_text_under_other_name_adds_nothing(cli, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEEDS[0].read_bytes())
    cli("import", SEEDS[0])
    result = cli("import", copy)
    assert "1 duplicate" in result.stdout
    assert total_documents(cli("stats").stdout) == 1


@pytest.mark.parametrize("command", [["stats"], ["query", "select 1"], ["import", str(SEEDS[0])], ["init"]])
def test_not_a_database_is_one_line_exit_2_and_unchanged(cli, tmp_path, command):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("meeting notes, not a database\n", encoding="utf-8")
    result = cli(*command, "--db", bogus)
    assert result.exit_code == 2
    assert "not a SQLite database" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert bogus.read_text(encoding="utf-8") == "meeting notes, not a database\n"


@pytest.mark.parametrize("command", [["stats"], ["query", "select 1"]])
def test_missing_database_is_one_line_exit_2(cli, tmp_path, command):
    result = cli(*command, "--db", tmp_path / "nope.db")
    assert result.exit_code == 2
    assert "no database at" in result.stderr
    assert not (tmp_path / "nope.db").exists()


def test_newer_schema_is_one_line_exit_2(cli, tmp_path):
    cli("init")
    conn = sqlite3.connect(tmp_path / "kommunpress.db")
    conn.execute("INSERT INTO schema_version VALUES (999, 'future', 'x')")
    conn.commit()
    conn.close()
    result = cli("stats")
    assert result.exit_code == 2 and "newer" in result.stderr


def test_corrupt_database_is_one_line_exit_2(cli, tmp_path):
    cli("import", *SEEDS)
    path = tmp_path / "kommunpress.db"
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(path.read_bytes())
    data[4096 : len(data)] = b"\xde\xad" * ((len(data) - 4096) // 2)
    path.write_bytes(bytes(data))
    result = cli("stats")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_locked_database_is_one_line_exit_2(cli, tmp_path):
    cli("init")
    (tmp_path / "new.txt").write_text("Ny text om skolan.", encoding="utf-8")
    holder = sqlite3.connect(tmp_path / "kommunpress.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE documents SET title = title")
    try:
        result = cli("import", tmp_path / "new.txt")
    finally:
        holder.execute("ROLLBACK")
    assert result.exit_code == 2
    assert "locked" in result.stderr
    assert cli("import", tmp_path / "new.txt").exit_code == 0


def test_db_from_environment(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNPRESS_DB", str(tmp_path / "env.db"))
    cli("import", SEEDS[0])
    assert sqlite_utils.Database(tmp_path / "env.db")["documents"].count == 1
    assert not (tmp_path / "kommunpress.db").exists()


def test_datasette_opens_the_corpus(cli, tmp_path):
    from datasette.app import Datasette

    cli("import", *SEEDS)

    async def fetch():
        ds = Datasette([str(tmp_path / "kommunpress.db")])
        response = await ds.client.get("/kommunpress/documents.json?_shape=array&_col=title")
        return response.status_code, response.json()

    status, rows = asyncio.run(fetch())
    assert status == 200
    assert len(rows) == 5


def test_database_file_is_complete_when_a_command_ends(cli, tmp_path):
    """A researcher may copy kommunpress.db right after a command; the WAL must be folded in."""
    cli("import", *SEEDS)
    assert not (tmp_path / "kommunpress.db-wal").exists() or (tmp_path / "kommunpress.db-wal").stat().st_size == 0
    copy = tmp_path / "copy.db"
    copy.write_bytes((tmp_path / "kommunpress.db").read_bytes())
    assert sqlite_utils.Database(copy)["documents"].count == 5
