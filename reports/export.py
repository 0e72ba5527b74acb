"""Writing tables as CSV files and as one XLSX workbook with a sheet per table.

CSV is UTF-8 with a header row and comma separators (what R, pandas and Stata read by
default); the workbook holds the same cells, numbers as numbers, so a reader of either
sees the same figures.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from reports.tables import Table, cell_text

_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters Excel refuses
XLSX_MAX_CELL = 32767


def _atomic_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


def write_csv(table: Table, path: Path) -> Path:
    tmp = _atomic_path(path)
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if v is None else cell_text(v) for v in row])
    os.replace(tmp, path)
    return path


def _xlsx_cell(ws, value):
    value = cell_text(value)
    if not isinstance(value, str):
        return value
    value = _ILLEGAL_XLSX.sub("", value)[:XLSX_MAX_CELL]
    if value.startswith("="):
        # A crawled sentence must never become a formula when the workbook is opened.
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(tables: Iterable[Table], path: Path) -> Path:
    """One sheet per table, header in bold, written in streaming mode so large corpora fit in memory."""
    wb = Workbook(write_only=True)
    for table in tables:
        ws = wb.create_sheet(table.name[:31])
        header = []
        for name in table.columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in table.rows:
            ws.append([_xlsx_cell(ws, v) for v in row])
    tmp = _atomic_path(path)
    wb.save(tmp)
    os.replace(tmp, path)
    return path
