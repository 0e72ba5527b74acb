"""The report as one self-contained HTML file: no network, charts inline, every figure linked to its source.

Everything from crawled pages goes through Jinja2's autoescaping, links are kept only for
http(s) addresses, and a Content-Security-Policy lets no script run but the report's own
(allowed by its hash): a page that carries a <script> shows it as text.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from reports.build import MAX_UNPLACED_ROWS, Report
from reports.charts import Bar, colour_scale, heatmap, month_bars, small_multiples
from reports.evidence import Evidence
from reports.formatting import safe_url, sek, short_sek, status_label

# Sorts a table by the clicked column (numbers by their data-sort value) and marks the page
# as ready, which the tests use to tell "scripts are blocked" from "our script runs".
SCRIPT = """
document.documentElement.setAttribute('data-report-ready', '1');
document.querySelectorAll('table.sortable th').forEach(function (th) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var i = th.cellIndex;
    var asc = th.getAttribute('data-dir') !== 'asc';
    th.setAttribute('data-dir', asc ? 'asc' : 'desc');
    var key = function (row) {
      var cell = row.cells[i];
      var v = cell ? (cell.getAttribute('data-sort') || cell.textContent.trim()) : '';
      var n = parseFloat(v);
      return isNaN(n) ? v.toLowerCase() : n;
    };
    Array.prototype.slice.call(body.rows)
      .sort(function (a, b) { var x = key(a), y = key(b); return (x > y ? 1 : x < y ? -1 : 0) * (asc ? 1 : -1); })
      .forEach(function (row) { body.appendChild(row); });
  });
});
"""


def _script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(sek=sek, short_sek=short_sek, status_label=status_label, safe_url=safe_url)
    return env


def _doc_links(report: Report) -> dict[int, str]:
    """The citation after each quote, built once per document: title, date and source link."""
    links = {}
    for doc_id, doc in report.documents.items():
        title = escape(doc.title or f"document {doc_id}")
        text = f'<a href="#doc-{doc_id}">{title}</a>'
        if doc.published:
            text += f", {escape(doc.published)}"
        url = safe_url(doc.url)
        if url:
            text += f' · <a href="{escape(url)}">source</a>'
        links[doc_id] = text
    return links


def _evidence_html(report: Report, titles: dict[str, str]) -> Markup:
    """The evidence appendix, written directly: tens of thousands of quotes render fast this way.

    Every string from the corpus passes through escape(); nothing else reaches the page.
    """
    links = _doc_links(report)
    parts: list[str] = []
    for anchor, group in report.evidence.items():
        a = escape(anchor)
        parts.append(f'<div class="evidence" id="{a}"><h3>{escape(titles.get(anchor, anchor))}</h3>')
        for rank, (label, items) in enumerate(group.items, start=1):
            parts.append(f'<div id="{a}-{rank}">')
            if anchor.startswith("ev-money-"):
                kind = "Consensus" if rank == 1 else "Other value"
                parts.append(f"<h4>{kind}: {escape(sek(int(label)))} kr</h4>")
            parts.append("<ol>")
            for item in items:
                if isinstance(item, Evidence):
                    quote = f"<q>{escape(item.before)}<mark>{escape(item.marked)}</mark>{escape(item.after)}</q> — "
                    doc_id = item.document_id
                else:
                    quote, doc_id = "", item.id
                parts.append(f"<li>{quote}{links.get(doc_id, f'document {doc_id}')}</li>")
            parts.append("</ol></div>")
        if group.more:
            parts.append(
                f'<p class="note">And {group.more} more: the documents column of the table lists them all.</p>'
            )
        parts.append("</div>")
    return Markup("".join(parts))


def _documents_html(report: Report) -> Markup:
    parts = []
    for doc_id, doc in sorted(report.documents.items()):
        url = safe_url(doc.url)
        shown = escape(doc.url or "")
        link = f'<a href="{escape(url)}">{shown}</a>' if url else shown
        where = escape(doc.municipality or doc.municipality_code or "national or several")
        parts.append(
            f'<li id="doc-{doc_id}" value="{doc_id}"><strong>{escape(doc.title or "(no title)")}</strong>'
            f" · {escape(doc.published or 'no date')} · {where} · {link} <small>(document {doc_id})</small></li>"
        )
    return Markup("".join(parts))


def _names(report: Report) -> dict[str | None, str]:
    """Municipality names by code, from whichever table knows them."""
    names: dict[str | None, str] = {None: "National or several"}
    for p in report.people:
        if p.municipality_code and p.municipality:
            names[p.municipality_code] = p.municipality
    for m in report.measures.rows:
        if m.municipality_code and m.municipality:
            names[m.municipality_code] = m.municipality
    for r in report.money.municipal + report.money.periods:
        if r.municipality:
            names[r.recipient] = r.municipality
    for code in report.order:
        names.setdefault(code, code)
    return names


@dataclass
class ReportCharts:
    """The charts of a report, ready to inline or to save as .svg files for a paper."""

    names: dict[str | None, str]
    colours: dict[str, str]
    legend: list[tuple[str, str]]
    sums: list[tuple[str, str, Markup]]  # (status, title, chart): one small-multiples chart per status
    measures: Markup
    months: Markup

    def files(self) -> dict[str, Markup]:
        """File name -> SVG, for the charts worth saving on their own."""
        files = {f"chart-sums-{status}.svg": svg for status, _title, svg in self.sums}
        files["chart-measures.svg"] = self.measures
        if self.months:
            files["chart-releases-per-month.svg"] = self.months
        return files


def _sums_charts(report: Report, names: dict[str | None, str], colours: dict[str, str]) -> list:
    years = sorted({r.year_start for r in report.money.municipal})
    if years:
        years = list(range(years[0], years[-1] + 1))
    statuses: dict[str | None, dict[str, dict[int, Bar]]] = {}
    for r in report.money.municipal:
        tip = (
            f"{names.get(r.recipient, r.recipient)} {r.year_start}: {sek(r.value_sek)} kr, {status_label(r.status)}; "
            f"{r.n_sources} sources, {r.n_conflicting} disagree"
        )
        bar = Bar(r.value_sek, f"#ev-money-{r.key}", tip, conflict=r.n_conflicting > 0)
        statuses.setdefault(r.status, {}).setdefault(r.recipient, {})[r.year_start] = bar
    order = {"granted": 0, "eligible": 1, "allocated": 2, None: 3}
    charts = []
    for status in sorted(statuses, key=lambda s: order.get(s, 4)):
        by_code = statuses[status]
        listed = [c for c in report.order if c in by_code]
        rows = [(names.get(c, c), c, by_code[c]) for c in listed + sorted(set(by_code) - set(listed))]
        title = f"Sums per municipality and year: {status_label(status)}"
        charts.append((status or "unspecified", title, small_multiples(title, rows, years, colours=colours)))
    return charts


def _measures_chart(report: Report, names: dict[str | None, str]) -> Markup:
    rows, anchors = [], []
    for m in report.measures.rows:  # already in the report's order
        rows.append((names.get(m.municipality_code, m.municipality_code or ""), m.documents, m.counts))
        anchors.append(m.municipality_code or "none")

    def cell_href(i: int, category: str) -> str | None:
        anchor = f"ev-measures-{anchors[i]}-{category}"
        return f"#{anchor}" if anchor in report.evidence else None

    title = "Measure categories per municipality (share of its releases)"
    return heatmap(title, rows, report.measures.categories, cell_href)


def report_charts(report: Report) -> ReportCharts:
    colours: dict[str, str] = {}
    legend: list[tuple[str, str]] = []
    if report.colour_by:
        colours, legend = colour_scale({code: report.colour_by.value(code) for code in report.order})
    names = _names(report)
    months = [
        (m.month, m.documents, m.with_money, f"#month-{m.month}" if m.month in report.month_documents else None)
        for m in report.months
        if m.month
    ]
    return ReportCharts(
        names=names,
        colours=colours,
        legend=legend,
        sums=_sums_charts(report, names, colours),
        measures=_measures_chart(report, names),
        months=month_bars("Releases per month", months) if months else Markup(""),
    )


def render_html(report: Report, charts: ReportCharts | None = None) -> str:
    """The whole report page."""
    charts = charts or report_charts(report)
    names = charts.names
    evidence_titles = {}
    for r in report.money.municipal + report.money.national + report.money.periods:
        period = str(r.year_start) if not r.is_period else f"{r.year_start}–{r.year_end}"
        who = "All municipalities (national)" if r.national else names.get(r.recipient) or r.municipality or r.recipient
        evidence_titles[f"ev-money-{r.key}"] = f"{who}, {period}, {status_label(r.status)}"
    for m in report.measures.rows:
        for c in m.counts:
            evidence_titles[f"ev-measures-{m.municipality_code or 'none'}-{c}"] = (
                f"{names.get(m.municipality_code, m.municipality_code)}: measures for {c}"
            )
    for i, p in enumerate(report.people):
        party = f" ({p.party})" if p.party else ""
        evidence_titles[f"ev-people-{i}"] = f"{p.name}{party}, {names.get(p.municipality_code, p.municipality_code)}"
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        municipal=report.ordered(report.money.municipal),
        names=names,
        indicators=[
            i for i in {i.name: i for i in (report.per_inhabitant, report.colour_by, report.sort_by) if i}.values()
        ],
        colours=charts.colours,
        legend=charts.legend,
        charts=charts,
        evidence_html=_evidence_html(report, evidence_titles),
        documents_html=_documents_html(report),
        max_unplaced=MAX_UNPLACED_ROWS,
        script=Markup(SCRIPT),
        script_hash=_script_hash(SCRIPT),
    )
