"""`labourlens case create|list|show|add|remove|delete`: named sets of documents, assessed together."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click
from rich import box
from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from labourlens.cli.store_common import (
    current_user,
    db_option,
    dump_json,
    open_store,
    output_options,
    resolver_for,
    user_option,
    write_csv,
    write_rich,
    write_text,
)
from labourlens.model import Assessment, Entity, IndicatorResult
from labourlens.store.cases import (
    CaseReport,
    add_to_case,
    assess_case,
    case_members,
    create_case,
    delete_case,
    get_case,
    list_cases,
    remove_from_case,
)

if TYPE_CHECKING:
    from labourlens.knowledge import Knowledge

__all__ = ["case_group"]


@functools.lru_cache(maxsize=1)
def _knowledge() -> Knowledge:
    from labourlens.knowledge import load_knowledge

    return load_knowledge()


def _assess(text: str, indicators: list[IndicatorResult], entities: list[Entity]) -> Assessment:
    """The ICLS 2018 test and legal hooks of the pipeline, applied to a case's evidence."""
    from labourlens.pipeline.assess import assess

    return assess(_knowledge(), text, indicators, entities)


def _dimensions() -> dict[str, str]:
    return dict(_knowledge().dimensions)


@click.group("case")
def case_group() -> None:
    """Cases: named sets of documents (by query, by hand), assessed together."""


@case_group.command("create")
@click.argument("name")
@click.option(
    "--where",
    "where",
    metavar="EXPR",
    help="The case's documents: key=value conditions joined by 'and' (keys: nationality, country, sector, "
    "indicator, status, entity, review, since, until, text), e.g. 'nationality=KP and country=RU'.",
)
@click.option("--description", help="What the case is about.")
@click.option("--add", "add", multiple=True, metavar="DOC_ID", help="A document to add by hand (repeatable).")
@db_option
@user_option
def create_command(
    name: str,
    where: str | None,
    description: str | None,
    add: Sequence[str],
    db: str | None,
    user: str | None,
) -> None:
    """Create a case NAME from a query (--where) and/or documents added by hand (--add)."""
    who = current_user(user)
    store = open_store(db)
    try:
        ids = [store.resolve(ref) for ref in add]
        case = create_case(
            store, name, where=where, resolver=resolver_for(store), user=who, description=description
        )
        if ids:
            add_to_case(store, case, ids, user=who)
        count = len(case_members(store, case, resolver_for(store)))
    finally:
        store.close()
    click.echo(f"Created case '{case.name}' with {count} document(s).")


@case_group.command("list")
@db_option
@output_options(["table", "json", "csv"], "table")
def list_command(db: str | None, fmt: str, output: str, color: bool | None) -> None:
    """List the cases with their queries and sizes."""
    store = open_store(db)
    try:
        found = list_cases(store)
        resolver = resolver_for(store)
        sizes = {c.id: len(case_members(store, c, resolver)) for c in found}
    finally:
        store.close()
    if fmt == "json":
        write_text(output, dump_json([{**c.to_dict(), "documents": sizes[c.id]} for c in found]))
    elif fmt == "csv":
        write_csv(
            output,
            ["name", "where", "documents", "created_at", "created_by"],
            ([c.name, c.query, sizes[c.id], c.created_at.isoformat(), c.created_by] for c in found),
        )
    else:
        table = Table(box=box.SIMPLE_HEAD)
        for col in ("case", "where", "documents", "by hand", "created"):
            table.add_column(col)
        for c in found:
            table.add_row(
                c.name,
                c.query or "",
                str(sizes[c.id]),
                f"+{c.added} -{c.removed}",
                f"{c.created_at:%Y-%m-%d} {c.created_by}",
            )
        write_rich(
            output,
            [table] if found else [Text("No case yet: `labourlens case create NAME --where ...`.")],
            color,
        )


def _report_parts(report: CaseReport) -> list[RenderableType]:
    case = report.case
    a = report.assessment
    parts: list[RenderableType] = [Text(case.name, style="bold")]
    if case.query:
        parts.append(Text(f"where {case.query}"))
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(report.statuses.items()))
    parts.append(Text(f"{len(report.documents)} document(s) ({statuses or 'none'})"))
    parts.append(Text(f"Case assessment (ICLS 2018): {a.forced_labour.replace('_', ' ')}", style="bold"))
    lines = [*a.reasons, *(f"Legal: {hook.instrument} — {hook.why}" for hook in a.legal)]
    if report.rejected:
        lines.append(f"{report.rejected} quote(s) rejected by reviewers are left out.")
    parts.extend(Padding(Text(line), (0, 0, 0, 2)) for line in lines)
    ind = Table(box=box.SIMPLE_HEAD, title="Indicators", title_justify="left")
    for col in ("indicator", "dimension", "quotes", "documents"):
        ind.add_column(col)
    for row in report.indicator_rows():
        ind.add_row(row["indicator"], row["dimension"], str(row["quotes"]), str(row["documents"]))
    parts.append(ind)
    quotes = Table(box=box.SIMPLE_HEAD, title="Every quote behind the assessment", title_justify="left")
    quotes.add_column("document", style="cyan", no_wrap=True)
    quotes.add_column("indicator")
    quotes.add_column("quote", ratio=1)
    for q in report.quotes:
        label = q.indicator + (f" ({q.review})" if q.review else "")
        quotes.add_row(q.document, label, q.quote)
    parts.append(quotes)
    return parts


@case_group.command("show")
@click.argument("name")
@db_option
@output_options(["text", "json", "csv"], "text")
def show_command(name: str, db: str | None, fmt: str, output: str, color: bool | None) -> None:
    """Show a case: the ICLS 2018 assessment across its documents and every quote behind it.

    csv gives one row per quote, with its document.
    """
    store = open_store(db)
    try:
        case = get_case(store, name)
        report = assess_case(store, case, resolver_for(store), _assess, dimensions=_dimensions())
    finally:
        store.close()
    if fmt == "json":
        write_text(output, dump_json(report.to_dict()))
    elif fmt == "csv":
        header = [
            "document",
            "title",
            "evidence_id",
            "indicator",
            "dimension",
            "start",
            "end",
            "quote",
            "review",
        ]
        write_csv(
            output,
            header,
            (
                [
                    q.document,
                    q.title,
                    q.evidence_id,
                    q.indicator,
                    q.dimension,
                    q.start,
                    q.end,
                    q.quote,
                    q.review,
                ]
                for q in report.quotes
            ),
        )
    else:
        write_rich(output, _report_parts(report), color)


def _membership(name: str, doc_ids: Sequence[str], db: str | None, user: str | None, add: bool) -> None:
    who = current_user(user)
    store = open_store(db)
    try:
        case = get_case(store, name)
        ids = [store.resolve(ref) for ref in doc_ids]
        n = add_to_case(store, case, ids, user=who) if add else remove_from_case(store, case, ids, user=who)
        size = len(case_members(store, case, resolver_for(store)))
    finally:
        store.close()
    verb = "Added" if add else "Removed"
    click.echo(f"{verb} {n} document(s); case '{case.name}' has {size} document(s).")


@case_group.command("add")
@click.argument("name")
@click.argument("doc_ids", nargs=-1, required=True, metavar="DOC_ID...")
@db_option
@user_option
def add_command(name: str, doc_ids: Sequence[str], db: str | None, user: str | None) -> None:
    """Add documents to a case by hand."""
    _membership(name, doc_ids, db, user, add=True)


@case_group.command("remove")
@click.argument("name")
@click.argument("doc_ids", nargs=-1, required=True, metavar="DOC_ID...")
@db_option
@user_option
def remove_command(name: str, doc_ids: Sequence[str], db: str | None, user: str | None) -> None:
    """Remove documents from a case (they stay out even when its query selects them)."""
    _membership(name, doc_ids, db, user, add=False)


@case_group.command("delete")
@click.argument("name")
@db_option
@user_option
def delete_command(name: str, db: str | None, user: str | None) -> None:
    """Delete a case; its documents stay in the base."""
    store = open_store(db)
    try:
        case = get_case(store, name)
        delete_case(store, case, user=current_user(user))
    finally:
        store.close()
    click.echo(f"Deleted case '{case.name}'.")
