"""Commands for search by meaning: embed, search, similar, dedup."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Optional
from urllib.parse import urlsplit

import typer
from rich.table import Table

from corpus.dedup import apply_duplicates, dedup_candidates
from corpus.municipalities import resolve_municipality
from corpus.search import VECTOR_WEIGHT, Filters, Mode, SentenceIndex, search, similar_measures, vocabulary
from corpus.vectors import (
    check_model,
    clear_sentence_vectors,
    ensure_vectors,
    fill_sentence_vectors,
    index_model,
    measure_texts,
    missing_texts,
    pending_sentences,
    vector_counts,
)
from kommunpress.cmd_nlp import progress_bar
from kommunpress.common import DbOption, err, fail, open_corpus, out
from nlp.categories import CATEGORIES

ModelOption = Annotated[
    Optional[str],
    typer.Option(
        "--model",
        help="sentence-transformers model name or folder (default: $KOMMUNPRESS_EMBEDDING_MODEL, "
        "kommunpress.toml [embeddings] model, else the bundled all-MiniLM-L6-v2).",
        show_default=False,
    ),
]
KOption = Annotated[int, typer.Option("-k", "--limit", min=1, max=1000, help="How many results.")]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def _category(value: str | None) -> str | None:
    if value is not None and value not in CATEGORIES:
        raise fail(f"unknown category {value!r}: use one of {', '.join(CATEGORIES)}")
    return value


def _filters(conn, municipality, year, category, all_copies) -> Filters:
    return Filters(
        municipality=resolve_municipality(conn, municipality) if municipality else None,
        year=year,
        category=_category(category),
        include_copies=all_copies,
    )


def _search_model(conn, explicit: str | None) -> str | None:
    """The model whose vectors the corpus holds; a different explicit setting is refused."""
    from nlp.embeddings import model_setting

    stored = index_model(conn)
    wanted = model_setting(explicit)
    if stored and wanted:
        check_model(conn, wanted)
    return stored


def embed(
    db: DbOption = None,
    model: ModelOption = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Replace the sentence vectors (to change model); the cache stays.")
    ] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=4096, help="Texts per model batch.")] = 64,
) -> None:
    """Embed every sentence and measure that has no vector yet (a re-run embeds only new text)."""
    from nlp.embeddings import configured_model, load_embedder

    conn = open_corpus(db)
    name = configured_model(model)
    embedder = None
    if rebuild:
        # Load the new model before dropping anything: a model that cannot load leaves the vectors.
        embedder = load_embedder(name, batch_size=batch_size)
        dropped = clear_sentence_vectors(conn)
        if dropped:
            err.print(f"Dropped {dropped} sentence vectors; cached vectors are kept.", highlight=False)
    check_model(conn, name)
    counts = vector_counts(conn)
    if counts["sentences"] == 0:
        out.print("No sentences to embed yet: run `kommunpress extract` first.")
        return
    pending = pending_sentences(conn)
    measures = missing_texts(conn, name, measure_texts(conn))
    if not pending and not measures:
        out.print(f"Nothing to embed: all {counts['sentences']} sentences have vectors of {name}.")
        return

    def encode(texts: list[str]):
        nonlocal embedder
        embedder = embedder or load_embedder(name, batch_size=batch_size)
        return embedder.encode(texts)

    with progress_bar() as progress:
        task = progress.add_task(f"Embedding with {name}", total=len(pending) + len(measures))
        report = fill_sentence_vectors(conn, name, encode, on_progress=lambda n: progress.advance(task, n))
        measured = ensure_vectors(conn, name, measures, encode, on_progress=lambda n: progress.advance(task, n))
    total = vector_counts(conn)["sentence_vectors"]
    out.print(
        f"Embedded {report.encoded} new sentence texts ({report.from_cache} from the cache) and "
        f"{measured.encoded} measures with {name}; {total} sentences have vectors."
    )


def search_command(
    query: Annotated[str, typer.Argument(help='What to look for, in Swedish; "quoted words" must match exactly.')],
    municipality: Annotated[
        Optional[str], typer.Option("--municipality", "-m", help="Only releases of this municipality (name or code).")
    ] = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="Only releases published this year.")] = None,
    category: Annotated[
        Optional[str], typer.Option("--category", "-c", help="Only releases with measures in this category.")
    ] = None,
    k: KOption = 20,
    mode: Annotated[
        Mode, typer.Option("--mode", help="hybrid: meaning and keywords fused; vector or keyword alone.")
    ] = Mode.hybrid,
    all_copies: Annotated[
        bool, typer.Option("--all-copies", help="Also search copies that `dedup` marked as duplicates.")
    ] = False,
    vector_weight: Annotated[
        float,
        typer.Option(
            "--vector-weight", min=0.0, max=10.0, help="Weight of the meaning ranking against keywords (1 = equal)."
        ),
    ] = VECTOR_WEIGHT,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    model: ModelOption = None,
    db: DbOption = None,
) -> None:
    """Find the sentences that best match a query, by meaning and by keyword."""
    from nlp.keywords import match_expressions, required_phrases

    conn = open_corpus(db)
    filters = _filters(conn, municipality, year, category, all_copies)
    if vector_counts(conn)["sentences"] == 0:
        raise fail("the corpus has no sentences yet: run `kommunpress extract`, then `kommunpress embed`")
    match = match_expressions(query, vocabulary(conn))
    if mode is Mode.keyword and not match:
        raise fail(f"{query!r} has no word to search for")
    index = query_vector = None
    if mode is not Mode.keyword:
        stored = _search_model(conn, model)
        if stored is None:
            if mode is Mode.vector:
                raise fail("the corpus has no vectors yet: run `kommunpress embed`")
            err.print("[yellow]No vectors yet: keyword matches only (run `kommunpress embed`).[/]", highlight=False)
        else:
            from nlp.embeddings import load_embedder

            query_vector = load_embedder(stored).encode_queries([query])[0]
            index = SentenceIndex.load(conn, stored)
            missing = len(pending_sentences(conn))
            if missing:
                err.print(
                    f"[yellow]{missing} sentences have no vector yet; run `kommunpress embed` to search them "
                    "by meaning too.[/]",
                    highlight=False,
                )
    hits = search(
        conn,
        match=match,
        query_vector=query_vector,
        index=index,
        filters=filters,
        k=k,
        mode=mode,
        vector_weight=vector_weight,
        required=required_phrases(query),
    )
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2) + "\n")
        return
    if not hits:
        out.print("No matching sentences.")
        return
    table = Table("#", "score", "municipality", "published", "document", "sentence", caption=f"{len(hits)} sentences")
    for i, h in enumerate(hits, start=1):
        place = h.municipality or h.municipality_code or ""
        doc = f"{h.document_id}: {h.title or urlsplit(h.url or '').netloc}"
        table.add_row(str(i), f"{h.score:.4f}", place, h.published or "", doc, h.text)
    out.print(table)


def similar(
    phrase: Annotated[str, typer.Argument(help="A measure, e.g. 'läxhjälp på biblioteket'.")],
    exclude: Annotated[
        Optional[str],
        typer.Option("--exclude", "-x", help="Leave out this municipality's own measures (name or code)."),
    ] = None,
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="Only measures of this category.")] = None,
    k: KOption = 10,
    all_copies: Annotated[bool, typer.Option("--all-copies", help="Also look in documents marked as copies.")] = False,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    model: ModelOption = None,
    db: DbOption = None,
) -> None:
    """The measures in other municipalities closest in meaning to a phrase."""
    from nlp.embeddings import configured_model, load_embedder

    conn = open_corpus(db)
    category = _category(category)
    filters = _filters(conn, None, None, None, all_copies)
    excluded = resolve_municipality(conn, exclude) if exclude else None
    texts = measure_texts(conn)
    if not texts:
        raise fail("the corpus has no measures yet: run `kommunpress extract`")
    name = _search_model(conn, model) or configured_model(model)
    embedder = load_embedder(name)
    ensure_vectors(conn, name, texts, embedder.encode)  # measures extracted since the last `embed`
    found = similar_measures(
        conn,
        name,
        embedder.encode_queries([phrase])[0],
        k=k,
        exclude_municipality=excluded,
        category=category,
        filters=filters,
    )
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps([m.to_dict() for m in found], ensure_ascii=False, indent=2) + "\n")
        return
    if not found:
        out.print("No measures found.")
        return
    table = Table("score", "municipality", "category", "measure", "document", caption=f"{len(found)} measures")
    for m in found:
        table.add_row(
            f"{m.score:.3f}", m.municipality or m.municipality_code or "", m.category, m.text, f"{m.document_id}"
        )
    out.print(table)


def dedup(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the groups without marking anything.")] = False,
    show: Annotated[bool, typer.Option("--show", help="List every group found.")] = False,
    use_embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings/--no-embeddings",
            help="Ask the embedding model about rewrites that share the facts but few words.",
        ),
    ] = True,
    model: ModelOption = None,
    db: DbOption = None,
) -> None:
    """Group copies of the same release and mark one canonical document per group.

    Canonical: the copy from the municipality's own newsroom, then the earliest
    published, then the first stored. Reports count canonical documents only.
    """
    from nlp.dedup import Release, find_duplicates

    conn = open_corpus(db)
    rows = dedup_candidates(conn)
    releases = [
        Release(
            id=r["id"],
            text=r["text"],
            published=r["published"],
            municipal=r["municipal"],
            site=urlsplit(r["url"] or "").hostname,
        )
        for r in rows
    ]
    encode = None
    if use_embeddings:
        from nlp.embeddings import configured_model, load_embedder

        name = _search_model(conn, model) or configured_model(model)
        encode = lambda texts: load_embedder(name).encode(texts)  # noqa: E731 - loaded only if a pair needs it
    with progress_bar() as progress:
        progress.add_task(f"Comparing {len(releases)} documents", total=None)
        result = find_duplicates(releases, encode=encode)
    mapping = result.duplicate_of()
    if show or dry_run:
        titles = {r["id"]: r["title"] or r["url"] for r in rows}
        table = Table("group", "document", "role", "title", caption=f"{len(result.groups)} groups")
        for n, group in enumerate(result.groups, start=1):
            for i, doc in enumerate(group):
                table.add_row(str(n) if i == 0 else "", str(doc), "canonical" if i == 0 else "copy", titles[doc] or "")
        out.print(table)
    if dry_run:
        out.print(f"Dry run: {len(mapping)} documents would be marked as copies in {len(result.groups)} groups.")
        return
    changed = apply_duplicates(conn, mapping)
    out.print(
        f"{len(result.groups)} groups of copies: {len(mapping)} of {len(releases)} documents marked as copies "
        f"({changed} changed); {len(releases) - len(mapping)} canonical documents."
    )


def register(app: typer.Typer) -> None:
    app.command()(embed)
    app.command("search")(search_command)
    app.command()(similar)
    app.command()(dedup)
