"""How numbers, statuses and links are written in the report (Swedish conventions for kronor)."""

from __future__ import annotations

from urllib.parse import urlsplit

NBSP = "\u00a0"

STATUS_LABELS = {
    "eligible": "eligible (may apply for)",
    "granted": "granted",
    "allocated": "allocated (set aside)",
    None: "unspecified",
}


def sek(value: int | float | None) -> str:
    """13400000 -> '13 400 000' with no-break spaces, as Swedish tables write it."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".replace(",", NBSP).replace(".", ",")
    return f"{int(value):,}".replace(",", NBSP)


def short_sek(value: int | float) -> str:
    """13400000 -> '13,4 mn', 2200000000 -> '2,2 md', 300000 -> '300 tn' (for chart labels)."""
    for size, unit in ((1e9, "md"), (1e6, "mn"), (1e3, "tn")):
        if abs(value) >= size:
            number = f"{value / size:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{number}{NBSP}{unit}"
    return f"{int(value)}"


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status, status or "unspecified")


def safe_url(url: str | None) -> str | None:
    """The URL when it is a web address; None for javascript:, data: and anything else a page could plant."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None
