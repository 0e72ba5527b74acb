"""Charts as hand-built inline SVG: small, crisp in print, readable offline, and every mark a link.

Built by hand rather than with a plotting library so that each bar and cell can link to
the evidence behind it, and so the SVG stays small enough to inline for hundreds of
municipalities. All text is escaped here; callers pass plain strings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from reports.formatting import short_sek

BAR = "#2b6cb0"
CONFLICT = "#cf222e"
GRID = "#d0d7de"
INK = "#1f2328"
MUTED = "#57606a"
SEQUENTIAL = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
CATEGORICAL = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
SCALE = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")  # viridis: legible in greyscale print


@dataclass
class Bar:
    value: int
    href: str
    tooltip: str
    conflict: bool = False


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 11, fill: str = INK, extra: str = ""
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{extra}>'
        f"{escape(text)}</text>"
    )


def _link(href: str, inner: str, tooltip: str) -> str:
    return f'<a href="{escape(href)}"><title>{escape(tooltip)}</title>{inner}</a>'


def small_multiples(
    title: str,
    rows: Sequence[tuple[str, str, dict[int, Bar]]],
    years: Sequence[int],
    *,
    colours: dict[str, str] | None = None,
) -> Markup:
    """One line of bars per municipality (label, code, bars by year), all on one scale.

    One shared scale lets the eye compare municipalities; one line each keeps 74 of them
    readable where a grouped bar chart would not be.
    """
    label_w, cell_w, row_h, top, right = 190, 34, 34, 34, 90
    width = label_w + cell_w * len(years) + right
    height = top + row_h * len(rows) + 10
    peak = max((b.value for _, _, bars in rows for b in bars.values()), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for i, y in enumerate(years):
        parts.append(_text(label_w + cell_w * i + cell_w / 2, top - 10, str(y), anchor="middle", size=10, fill=MUTED))
    for r, (label, code, bars) in enumerate(rows):
        y0 = top + r * row_h
        base = y0 + row_h - 6
        parts.append(
            f'<line x1="{label_w}" x2="{label_w + cell_w * len(years)}" y1="{base}" y2="{base}" stroke="{GRID}"/>'
        )
        swatch = (colours or {}).get(code)
        if swatch:
            parts.append(f'<rect x="0" y="{base - 12}" width="10" height="10" fill="{swatch}"/>')
        parts.append(_text(14 if swatch else 0, base - 3, label))
        total = 0
        for i, year in enumerate(years):
            bar = bars.get(year)
            if not bar:
                continue
            total += bar.value
            h = max(1.5, (row_h - 16) * bar.value / peak)
            x = label_w + cell_w * i + 4
            w = cell_w - 8
            rect = f'<rect class="bar" x="{x}" y="{base - h:.1f}" width="{w}" height="{h:.1f}" fill="{swatch or BAR}"/>'
            if bar.conflict:
                rect += f'<circle class="conflict" cx="{x + w / 2}" cy="{base - h - 4:.1f}" r="3" fill="{CONFLICT}"/>'
            parts.append(_link(bar.href, rect, bar.tooltip))
        parts.append(_text(label_w + cell_w * len(years) + 6, base - 3, short_sek(total), size=10, fill=MUTED))
    parts.append("</svg>")
    return Markup("".join(parts))


def heatmap(
    title: str,
    rows: Sequence[tuple[str, int, dict[str, int]]],
    columns: Sequence[str],
    href: Callable[[int, str], str | None],
) -> Markup:
    """Rows (label, number of releases, count per column); a cell's shade is its share of the row's releases.

    Shares, not counts, so a municipality that publishes a lot does not darken every cell.
    """
    label_w, cell_w, row_h, top = 190, 78, 24, 70
    width = label_w + cell_w * len(columns) + 10
    height = top + row_h * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for i, col in enumerate(columns):
        x = label_w + cell_w * i + cell_w / 2
        parts.append(_text(x, top - 8, col, anchor="middle", size=11, fill=MUTED))
    for r, (label, total, counts) in enumerate(rows):
        y = top + r * row_h
        parts.append(_text(0, y + row_h / 2 + 4, label))
        for i, col in enumerate(columns):
            n = counts.get(col, 0)
            share = n / total if total else 0
            shade = SEQUENTIAL[min(len(SEQUENTIAL) - 1, int(share * (len(SEQUENTIAL) - 1) + 0.999))] if n else "#ffffff"
            x = label_w + cell_w * i
            cell = (
                f'<rect class="cell" x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{row_h - 2}" '
                f'fill="{shade}" stroke="{GRID}"/>'
            )
            if n:
                ink = "#ffffff" if share > 0.5 else INK
                cell += _text(x + cell_w / 2, y + row_h / 2 + 4, str(n), anchor="middle", size=11, fill=ink)
            link = href(r, col) if n else None
            tip = f"{label}, {col}: {n} of {total} releases"
            parts.append(_link(link, cell, tip) if link else f"<g><title>{escape(tip)}</title>{cell}</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def month_bars(title: str, months: Sequence[tuple[str, int, int, str | None]]) -> Markup:
    """Releases per month (month, releases, releases with sums of money, link), a year label each January."""
    bar_w, height, top, bottom, left = 9, 180, 12, 28, 36
    width = left + bar_w * len(months) + 10
    peak = max((n for _, n, _, _ in months), default=0) or 1
    plot_h = height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif">',
        f"<title>{escape(title)}</title>",
        _text(left - 4, top + 8, str(peak), anchor="end", size=10, fill=MUTED),
        _text(left - 4, top + plot_h, "0", anchor="end", size=10, fill=MUTED),
        f'<line x1="{left}" x2="{width - 10}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{GRID}"/>',
    ]
    for i, (month, n, with_money, href) in enumerate(months):
        x = left + i * bar_w
        if month.endswith("-01") or i == 0:
            parts.append(_text(x, height - 8, month[:4], size=10, fill=MUTED))
        if not n:
            continue
        h = plot_h * n / peak
        hm = plot_h * with_money / peak
        inner = (
            f'<rect class="bar" x="{x + 1}" y="{top + plot_h - h:.1f}" width="{bar_w - 2}" height="{h:.1f}" '
            f'fill="#9ec5e8"/>'
            f'<rect x="{x + 1}" y="{top + plot_h - hm:.1f}" width="{bar_w - 2}" height="{hm:.1f}" fill="{BAR}"/>'
        )
        tip = f"{month}: {n} releases, {with_money} with sums of money"
        parts.append(_link(href, inner, tip) if href else f"<g><title>{escape(tip)}</title>{inner}</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def colour_scale(values: dict[str, float | str | None]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Colours for municipalities by an indicator, and the legend: quintiles for numbers, a palette for kinds."""
    known = {code: v for code, v in values.items() if v is not None}
    if not known:
        return {}, []
    if all(isinstance(v, (int, float)) for v in known.values()):
        ordered = sorted(known.values())
        n = len(SCALE)
        cuts = [ordered[(len(ordered) * k) // n] for k in range(1, n)]  # lower bounds of classes 1..n-1
        colours = {code: SCALE[sum(v >= c for c in cuts)] for code, v in known.items()}
        legend = []
        for k, colour in enumerate(SCALE):
            members = [v for v in known.values() if sum(v >= c for c in cuts) == k]
            if members:
                low, high = min(members), max(members)
                label = f"{low:,.6g}" if low == high else f"{low:,.6g} – {high:,.6g}"
                legend.append((colour, label.replace(",", "\u00a0")))
        return colours, legend
    kinds = sorted({str(v) for v in known.values()})
    palette = {kind: CATEGORICAL[i % len(CATEGORICAL)] for i, kind in enumerate(kinds)}
    return {code: palette[str(v)] for code, v in known.items()}, [(palette[k], k) for k in kinds]
