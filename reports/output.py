"""Writing a whole report to a folder: the HTML page, a CSV per table, one workbook, the charts as SVG."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from reports.build import Report
from reports.errors import ReportError
from reports.export import write_csv, write_xlsx
from reports.html import render_html, report_charts

HTML_NAME = "report.html"
XLSX_NAME = "kommunpress-report.xlsx"


def write_report(report: Report, out_dir: Path, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Every file of the report; each is written to a temporary name first, so a failure leaves no half file."""
    step = progress or (lambda _name: None)
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"{out_dir} is a file; --out needs a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ReportError(f"cannot create the output folder {out_dir}: {e.strerror}") from None
    if not os.access(out_dir, os.W_OK):
        raise ReportError(f"cannot write to {out_dir}")
    written: list[Path] = []
    step("Drawing charts")
    charts = report_charts(report)
    step("Writing HTML")
    html_path = out_dir / HTML_NAME
    tmp = html_path.with_name(f".{HTML_NAME}.part")
    tmp.write_text(render_html(report, charts), encoding="utf-8")
    os.replace(tmp, html_path)
    written.append(html_path)
    for name, svg in charts.files().items():
        path = out_dir / name
        path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + str(svg), encoding="utf-8")
        written.append(path)
    step("Writing CSV")
    tables = report.tables()
    for table in tables:
        written.append(write_csv(table, out_dir / f"{table.name}.csv"))
    step("Writing XLSX")
    written.append(write_xlsx(tables, out_dir / XLSX_NAME))
    return written
