"""A researcher's own files (.txt, .html) read as documents.

Files on disk come in every encoding and sometimes are not text at all, so this
module decides, with one clear reason, whether a file can be used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from crawler.extract import extract_page
from crawler.language import detect_language

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
BINARY_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a zip or Office file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"SQLite format 3": "a SQLite database",
    b"\x1f\x8b": "a gzip file",
}


class InputFileError(Exception):
    """A file that cannot be read as a document; the message says why in one line."""


@dataclass
class LocalDocument:
    path: Path
    url: str
    title: str | None
    text: str
    html: str | None
    published: str | None
    language: str | None


def decode(data: bytes, name: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else Windows-1252, else refused as binary."""
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputFileError(f"{name}: is {what}, not a text or HTML file")
    if b"\x00" in data[:8192]:
        raise InputFileError(f"{name}: is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise InputFileError(f"{name}: is not readable text (neither UTF-8 nor Windows-1252)")
    return text


_DATE_ONLY = re.compile(r"^[\d\s./:T+-]*(?:\d{1,2}\s+\w+\s+\d{4})?[\d\s./:T+-]*$")


def first_line(text: str) -> str | None:
    """The first line that reads as a title: not blank and not a bare date."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return next((line for line in lines if not _DATE_ONLY.match(line)), lines[0] if lines else None)


def looks_like_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


def read_document_file(path: str | Path) -> LocalDocument:
    """Read one file; raises InputFileError for missing, empty, binary or unreadable files."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputFileError(f"{name}: no such file")
    if p.is_dir():
        raise InputFileError(f"{name}: is a folder")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputFileError(f"{name}: cannot be read ({e.strerror})") from None
    if not data.strip():
        raise InputFileError(f"{name}: is empty")
    text = decode(data, name)
    url = p.resolve().as_uri()
    if looks_like_html(p, text):
        page = extract_page(text, url=url)
        if not page.text:
            raise InputFileError(f"{name}: no readable text found in the HTML")
        return LocalDocument(
            p, url, page.title or first_line(page.text), page.text, text, page.published, page.language
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputFileError(f"{name}: is empty")
    return LocalDocument(p, url, first_line(text), text, None, None, detect_language(text))


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files named directly, plus the .txt and .html files inside any folder named."""
    out: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in HTML_SUFFIXES | TEXT_SUFFIXES)
            )
        else:
            out.append(p)
    return out
