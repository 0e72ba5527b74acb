"""Cross-municipality comparisons read from the corpus: tables, charts, CSV/XLSX, HTML."""
