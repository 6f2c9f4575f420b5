"""`labourlens search`, `labourlens show` and `labourlens stats`: read the evidence base."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from labourlens.cli.common import terminal_width, use_color
from labourlens.cli.store_common import (
    country_names,
    db_option,
    dump_json,
    facet_options,
    filters_from_options,
    open_store,
    output_options,
    write_csv,
    write_rich,
    write_text,
)
from labourlens.render import render_text
from labourlens.store import Quote, SearchPage, search
from labourlens.store.aggregate import DIMENSIONS, FactSummary, Stats, fact_summary, stats
from labourlens.store.search import MAX_PER_PAGE

__all__ = ["search_command", "show_command", "stats_command"]


def _marked_text(quote: Quote, prefix: str = "") -> Text:
    text = Text(prefix)
    offset = len(prefix)
    text.append(quote.text)
    for s, e in quote.marks:
        text.stylize("bold reverse", offset + s, offset + e)
    return text


def _indicator_label(quote: Quote) -> str:
    keys = [k for k in [quote.indicator, *quote.also] if k]
    label = ", ".join(keys)
    if quote.negated:
        label += ", negated"
    return label


def _search_table(page: SearchPage) -> list[RenderableType]:
    table = Table(box=box.SIMPLE_HEAD, show_lines=True, expand=True, pad_edge=False)
    table.add_column("id", no_wrap=True, style="cyan")
    table.add_column("date", no_wrap=True)
    table.add_column("document and quotes", ratio=1)
    table.add_column("status", no_wrap=True)
    for hit in page.hits:
        doc = hit.document
        cell: list[RenderableType] = [Text(doc.title or doc.source, style="bold")]
        for q in hit.quotes:
            cell.append(Text(f"[{_indicator_label(q)}]", style="dim"))
            cell.append(_marked_text(q, "  “") + Text("”"))
        if hit.more_quotes:
            cell.append(
                Text(f"  (+{hit.more_quotes} more quote{'s' if hit.more_quotes > 1 else ''})", style="dim")
            )
        if not hit.quotes and hit.snippet is not None:
            cell.append(_marked_text(hit.snippet, "  "))
        table.add_row(doc.ref, doc.date or "", Group(*cell), doc.status or "")
    start = (page.page - 1) * page.per_page + 1
    if page.total:
        end = start + len(page.hits) - 1
        footer = f"Documents {start}-{end} of {page.total} (page {page.page} of {page.pages})."
        if page.page < page.pages:
            footer += f" Next: --page {page.page + 1}."
    else:
        footer = "No document matches."
    return [table, Text(footer)] if page.hits else [Text(footer)]


def _search_csv_rows(page: SearchPage) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for rank, hit in enumerate(page.hits, start=(page.page - 1) * page.per_page + 1):
        doc = hit.document
        base = [rank, doc.ref, doc.date, doc.title, doc.source, doc.status]
        if hit.quotes:
            for q in hit.quotes:
                rows.append([*base, q.evidence_id, _indicator_label(q), q.start, q.end, q.marked()])
        else:
            rows.append([*base, None, None, None, None, hit.snippet.marked() if hit.snippet else None])
    return rows


@click.command("search")
@click.argument("query", nargs=-1, metavar="[QUERY]...")
@facet_options
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Which page of results.")
@click.option(
    "--per-page",
    type=click.IntRange(1, MAX_PER_PAGE),
    default=20,
    show_default=True,
    help="Documents per page.",
)
@click.option(
    "--quotes", type=click.IntRange(0, 100), default=3, show_default=True, help="Quotes shown per document."
)
@db_option
@output_options(["table", "json", "csv"], "table")
def search_command(
    query: Sequence[str],
    page: int,
    per_page: int,
    quotes: int,
    db: str | None,
    fmt: str,
    output: str,
    color: bool | None,
    **facets: Any,
) -> None:
    """Search the stored documents by words and facets; show the quotes that match.

    QUERY: words (all must appear), "a phrase", OR between two words, -word to leave one out,
    word* for a prefix. Words match by stem: "passport" finds "passports". With no QUERY, the
    facets alone select the documents (newest first). Facets combine: every option must hold.
    """
    text = " ".join(query).strip() or None
    store = open_store(db)
    try:
        filters = filters_from_options(store, query=text, **facets)
        result = search(store, filters, page=page, per_page=per_page, quotes=quotes)
    finally:
        store.close()
    if fmt == "json":
        write_text(output, dump_json(result.to_dict()))
    elif fmt == "csv":
        header = [
            "rank",
            "id",
            "date",
            "title",
            "source",
            "status",
            "evidence_id",
            "indicator",
            "start",
            "end",
            "quote",
        ]
        write_csv(output, header, _search_csv_rows(result))
    else:
        write_rich(output, _search_table(result), color)


@click.command("show")
@click.argument("doc_id", metavar="DOC_ID")
@db_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-text", is_flag=True, help="Leave the document text out of the JSON.")
@click.option("--width", type=click.IntRange(60, 400), help="Width of the text report.")
@click.option("--color/--no-color", default=None, help="Colour the text report [default: on a terminal].")
def show_command(
    doc_id: str, db: str | None, fmt: str, no_text: bool, width: int | None, color: bool | None
) -> None:
    """Show a stored document with its analysis, the ids of its quotes, and its reviews.

    DOC_ID: the id shown by search (the start of the text's sha256, 4 digits or more) or the
    document's own id from its JSONL record.
    """
    store = open_store(db)
    try:
        row_id = store.resolve(doc_id)
        record = store.document(row_id)
        analysis = store.analysis(row_id)
        quotes = store.evidence_rows(row_id)
        reviews = store.reviews(row_id)
        history = store.history(row_id)
    finally:
        store.close()
    if fmt == "json":
        write_text(
            "-",
            dump_json(
                {
                    "document": record.to_dict(),
                    "analysis": analysis.to_dict(include_text=not no_text),
                    "evidence": quotes,
                    "reviews": [r.to_dict() for r in reviews],
                    "analyses": history,
                }
            ),
        )
        return
    colour = use_color(color, True)
    size = width or terminal_width()
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    for label, value in (
        ("id", record.ref),
        ("sha256", record.sha256),
        ("own id", record.external_id),
        ("title", record.title),
        ("date", record.date),
        ("source", record.source),
        ("added", f"{record.added_at:%Y-%m-%d %H:%M} UTC by {record.added_by}"),
        (
            "analyses",
            f"{len(history)} (current: labourlens {history[-1]['pipeline_version']}, "
            f"knowledge {history[-1]['knowledge_version']})"
            if history
            else "none",
        ),
    ):
        if value:
            head.add_row(label, str(value))
    parts: list[RenderableType] = [head]
    decided = {r.evidence_id: r for r in reviews if r.evidence_id is not None}
    if quotes:
        table = Table(
            box=box.SIMPLE_HEAD, title="Quotes (evidence ids, for `labourlens review`)", title_justify="left"
        )
        table.add_column("evidence", justify="right", style="cyan")
        table.add_column("indicator")
        table.add_column("quote", ratio=1)
        table.add_column("review")
        for q in quotes:
            review = decided.get(q["id"])
            label = q["indicator"] + (" (negated)" if q["negated"] else "")
            verdict = ""
            if review is not None:
                verdict = review.decision + (f" -> {review.new_indicator}" if review.new_indicator else "")
                verdict += f" ({review.reviewer})"
            table.add_row(str(q["id"]), label, q["quote"], verdict)
        parts.append(table)
    orphans = [r for r in reviews if r.evidence_id is None]
    if orphans:
        parts.append(Text(f"{len(orphans)} review(s) of quotes that the current analysis no longer finds:"))
        for r in orphans:
            parts.append(
                Text(f"  {r.decision} {r.indicator} “{r.quote}” ({r.reviewer}, {r.created_at:%Y-%m-%d})")
            )
    from labourlens.cli.common import render_rich

    write_text(
        "-",
        render_rich(parts, width=size, color=colour) + "\n" + render_text(analysis, width=size, color=colour),
    )


def _value_label(dim: str, value: Any, names: dict[str, str]) -> str:
    if value is None:
        return "(unknown)"
    if dim in ("country", "nationality") and isinstance(value, str):
        name = names.get(value)
        return f"{value} {name}" if name else value
    return str(value)


def _doc_list(refs: Sequence[str], limit: int) -> str:
    shown = ", ".join(refs[:limit])
    return shown + (f" (+{len(refs) - limit})" if len(refs) > limit else "")


def _stats_table(result: Stats, docs: int, limit: int | None) -> list[RenderableType]:
    names = country_names() if {"country", "nationality"} & set(result.by) else {}
    table = Table(box=box.SIMPLE_HEAD)
    for n, dim in enumerate(result.by):
        table.add_column(dim if dim not in result.by[:n] else f"{dim} (with)", overflow="fold")
    table.add_column("documents", justify="right")
    if docs:
        table.add_column("document ids")
    rows = result.rows[:limit] if limit else result.rows
    for row in rows:
        cells = [_value_label(d, v, names) for d, v in zip(result.by, row.values, strict=True)]
        cells.append(str(row.count))
        if docs:
            cells.append(_doc_list(row.documents, docs))
        table.add_row(*cells)
    note = f"{len(result.rows)} group(s) over {result.total} document(s)."
    if limit and len(result.rows) > limit:
        note += f" The first {limit} are shown (--limit)."
    return [table, Text(note)]


def _facts_table(result: FactSummary, docs: int, limit: int | None) -> list[RenderableType]:
    names = country_names() if {"country", "nationality"} & set(result.by) else {}
    table = Table(box=box.SIMPLE_HEAD, title=f"{result.kind}", title_justify="left")
    for dim in result.by:
        table.add_column(dim, overflow="fold")
    for col in ("unit", "facts", "median", "min", "max", "documents"):
        table.add_column(col, justify="left" if col == "unit" else "right")
    if docs:
        table.add_column("document ids")
    rows = result.rows[:limit] if limit else result.rows
    for row in rows:
        cells = [_value_label(d, v, names) for d, v in zip(result.by, row.values, strict=True)]
        cells += [
            row.unit or "",
            str(row.n),
            f"{row.median:g}",
            f"{min(row.numbers):g}",
            f"{max(row.numbers):g}",
        ]
        cells.append(str(len(row.documents)))
        if docs:
            cells.append(_doc_list(row.documents, docs))
        table.add_row(*cells)
    return [table, Text(f"{len(result.rows)} group(s) over {result.total} document(s).")]


@click.command("stats")
@click.option(
    "--by",
    "by",
    default="indicator",
    show_default=True,
    metavar="DIM[,DIM...]",
    help=f"Count documents by these (up to three): {', '.join(DIMENSIONS)}; "
    "indicator twice counts pairs of indicators found together.",
)
@click.option(
    "--fact", "fact", metavar="KIND", help="Summarise this kind of fact instead (hours_per_day, wage...)."
)
@click.option(
    "--min-count", type=click.IntRange(1), default=1, show_default=True, help="Leave out smaller groups."
)
@click.option("--limit", type=click.IntRange(1), help="Show at most this many groups in the table.")
@click.option(
    "--docs",
    type=click.IntRange(0, 1000),
    default=3,
    show_default=True,
    help="Document ids shown per row in the table.",
)
@facet_options
@db_option
@output_options(["table", "json", "csv"], "table")
def stats_command(
    by: str,
    fact: str | None,
    min_count: int,
    limit: int | None,
    docs: int,
    db: str | None,
    fmt: str,
    output: str,
    color: bool | None,
    **facets: Any,
) -> None:
    """Count documents by indicator, country, nationality, sector, year...; or summarise facts.

    Every number comes with the ids of the documents behind it (all of them in json and csv).
    Places, organisations and nationalities count by canonical name, so "DPRK" and "North
    Korea" are one country. With --fact, the median, min and max of that kind of fact per group;
    --by may then be left empty (--by '') for one row.
    """
    dims = [d.strip() for d in by.split(",") if d.strip()]
    store = open_store(db)
    try:
        filters = filters_from_options(store, **facets)
        result: Stats | FactSummary
        if fact:
            result = fact_summary(store, fact.strip(), dims, filters)
        else:
            result = stats(store, dims, filters, min_count=min_count)
    finally:
        store.close()
    if fmt == "json":
        write_text(output, dump_json(result.to_dict()))
    elif fmt == "csv":
        data = result.to_dict()
        rows = data["rows"]
        keys = [k for k in rows[0] if k != "document_ids"] if rows else [*result.by, "documents"]
        write_csv(
            output,
            [*keys, "document_ids"],
            ([r[k] for k in keys] + [" ".join(r["document_ids"])] for r in rows),
        )
    elif isinstance(result, FactSummary):
        write_rich(output, _facts_table(result, docs, limit), color)
    else:
        write_rich(output, _stats_table(result, docs, limit), color)
