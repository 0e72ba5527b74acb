"""Reading a researcher's CSV of facts about municipalities (population, area types, Kolada figures).

The files come from many places, so the reader accepts what they commonly look like:

- a kommunkod column under any usual name (kommunkod, kommun-id, kod, region, municipality, ...),
  with or without the leading zero, or SCB's "0114 Upplands Väsby";
- long files with a year column (år, year, period), files without one (an area type, or
  --year), and SCB's wide files with one column per year;
- Kolada's tidy files (kpi, municipality, period, gender, value);
- comma, semicolon or tab separated, UTF-8 or Windows-1252, Swedish numbers ("1 234,5").

Every row that cannot be stored is reported with its line number, never dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from corpus.indicators import IndicatorValue
from reports.errors import ReportError

CODE_HEADERS = (
    "kommunkod",
    "kommunkoden",
    "kommunid",
    "kommunnr",
    "kommunnummer",
    "knkod",
    "kkod",
    "municipalitycode",
    "municipalityid",
    "kod",
    "code",
    "regionkod",
    "region",
    "municipality",
    "kommun",
)
YEAR_HEADERS = ("ar", "year", "period", "tid", "time", "artal")
NAME_HEADERS = ("kpi", "indikator", "indicator", "nyckeltal", "variabel", "variable", "matt", "measure")
VALUE_HEADERS = ("value", "varde", "values")
GENDER_HEADERS = ("gender", "kon")
# Label columns that describe the row rather than measure anything.
LABEL_HEADERS = (
    "kommun",
    "kommunnamn",
    "namn",
    "name",
    "municipality",
    "municipalityname",
    "lan",
    "lansnamn",
    "lanskod",
    "county",
    "countycode",
    "region",
    "regionnamn",
)
MISSING = {"", "..", "...", "-", "–", "—", ".", "na", "n/a", "nan", "null", "saknas", "x"}
_CODE = re.compile(r"^\s*(\d{1,4})(?:\.0+)?(?:\s+\D.*)?$")
_YEAR = re.compile(r"^\s*(\d{4})(?:\D.*)?$")
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
MAX_REPORTED = 20


@dataclass
class ParsedIndicators:
    values: list[IndicatorValue] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line per row that was not stored
    names: list[str] = field(default_factory=list)
    missing: int = 0  # cells marked as missing ("..", "-"), which are not values


def _norm(header: str) -> str:
    """'Kommun-ID' -> 'kommunid', 'År' -> 'ar': headers compared without case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", header.strip().lower())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def parse_code(cell: str) -> str | None:
    m = _CODE.match(cell or "")
    return m.group(1).zfill(4) if m else None


def parse_year(cell: str) -> int | None:
    m = _YEAR.match(cell or "")
    return int(m.group(1)) if m else None


def parse_number(cell: str) -> float | None:
    """Swedish and English numbers: '1 234,5', '1234.5', '1,234.5', '12%'. None if not a number."""
    s = _NUMBER_SPACES.sub("", cell.strip()).rstrip("%")
    if not s:
        return None
    if "," in s and "." in s:
        s = s.replace(",", "") if s.rfind(".") > s.rfind(",") else s.replace(".", "").replace(",", ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1 and re.fullmatch(r"-?\d{1,3}(,\d{3})+", s):
        s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path} is a directory, not a CSV file") from None
    except OSError as e:
        raise ReportError(f"cannot read {path}: {e.strerror}") from None
    if not data.strip():
        raise ReportError(f"{path} is empty: expected a CSV file with a kommunkod column")
    if data[:4] == b"PK\x03\x04":
        raise ReportError(f"{path} is a zip or Excel workbook, not CSV: save it as CSV and import that")
    if b"\x00" in data[:8192]:
        raise ReportError(f"{path} is a binary file, not CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _rows(text: str) -> list[list[str]]:
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = max(",;\t", key=sample.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _find_header(path: Path, rows: list[list[str]]) -> tuple[int, int]:
    """(header row index, code column) of the first of the first rows naming a code column.

    SCB's exports start with a title line, so the header is not always the first row.
    Among code-like headers the one whose cells hold municipality codes wins
    ("kommun" may hold names beside a "kommunkod" column).
    """
    for i, row in enumerate(rows[:10]):
        headers = [_norm(h) for h in row]
        candidates = [c for name in CODE_HEADERS for c, h in enumerate(headers) if h == name]
        if not candidates:
            continue
        body = [r for r in rows[i + 1 : i + 201] if any(cell.strip() for cell in r)]
        for c in candidates:
            cells = [r[c] for r in body if c < len(r) and r[c].strip()]
            coded = [parse_code(cell) for cell in cells]
            if cells and sum(code is not None for code in coded) >= len(cells) / 2:
                return i, c
        return i, candidates[0]
    raise ReportError(
        f"{path} has no kommunkod column: name one of the columns kommunkod, kommun-id, kod, region or municipality "
        "(codes such as 0180 or 180)"
    )


def parse_indicator_csv(
    path: Path, known_codes: Collection[str], *, name: str | None = None, year: int | None = None
) -> ParsedIndicators:
    """The indicator values of one CSV file, with a line for every row that was not stored."""
    rows = _rows(_decode(path))
    h, code_col = _find_header(path, rows)
    header = [cell.strip() for cell in rows[h]]
    norm = [_norm(x) for x in header]
    year_col = next((c for y in YEAR_HEADERS for c, x in enumerate(norm) if x == y and c != code_col), None)
    name_col = next((c for n in NAME_HEADERS for c, x in enumerate(norm) if x == n), None)
    value_col = next((c for v in VALUE_HEADERS for c, x in enumerate(norm) if x == v), None)
    gender_col = next((c for g in GENDER_HEADERS for c, x in enumerate(norm) if x == g), None)
    tidy = name_col is not None and value_col is not None
    wide_years = {c: int(x) for c, x in enumerate(header) if re.fullmatch(r"\d{4}", x) and c != code_col}
    wide = not tidy and year_col is None and bool(wide_years)

    if tidy:
        value_cols: dict[int, str] = {value_col: ""}
    elif wide:
        value_cols = {c: name or path.stem for c in wide_years}
    else:
        skip = {code_col, year_col, gender_col}
        value_cols = {c: header[c] for c, x in enumerate(norm) if c not in skip and x not in LABEL_HEADERS and x}
        if not value_cols:
            raise ReportError(f"{path} has a kommunkod column but no column of values")
        if name:
            if len(value_cols) > 1:
                raise ReportError(f"--name needs a file with one column of values; {path} has {len(value_cols)}")
            value_cols = {c: name for c in value_cols}

    known = set(known_codes)
    result = ParsedIndicators()
    by_key: dict[tuple[str, str, int | None], IndicatorValue] = {}
    unknown: list[str] = []
    for line_no, row in enumerate(rows[h + 1 :], start=h + 2):
        if not any(cell.strip() for cell in row):
            continue
        raw_code = row[code_col].strip() if code_col < len(row) else ""
        code = parse_code(raw_code)
        if code is None or code not in known:
            unknown.append(f"line {line_no}: {raw_code or '(empty)'!r} is not a municipality code")
            continue
        row_year = year
        if year_col is not None:
            cell = row[year_col] if year_col < len(row) else ""
            row_year = parse_year(cell)
            if row_year is None:
                result.problems.append(f"line {line_no}: year {cell.strip()!r} is not a year")
                continue
        for c, indicator in value_cols.items():
            cell = row[c].strip() if c < len(row) else ""
            if cell.lower() in MISSING:
                result.missing += 1
                continue
            if tidy:
                indicator = name or row[name_col].strip()
                gender = row[gender_col].strip().upper() if gender_col is not None and gender_col < len(row) else ""
                if gender and gender not in ("T", "TOTALT", "TOTAL", "ALLA"):
                    indicator = f"{indicator} ({gender})"
                if not indicator:
                    result.problems.append(f"line {line_no}: no indicator name")
                    continue
            value_year = wide_years[c] if wide else row_year
            number = parse_number(cell)
            by_key[(indicator, code, value_year)] = IndicatorValue(indicator, code, value_year, number, cell)
    result.values = list(by_key.values())
    result.names = sorted({v.name for v in result.values})
    result.problems = unknown + result.problems
    return result
