"""`labourlens db upgrade|info|audit` and `labourlens review`: the base itself, and reviewers' decisions."""

from __future__ import annotations

import click
from rich import box
from rich.table import Table
from rich.text import Text

from labourlens.cli.store_common import (
    current_user,
    db_option,
    dump_json,
    open_store,
    output_options,
    user_option,
    write_csv,
    write_rich,
    write_text,
)
from labourlens.model.analysis import INDICATOR_KEYS
from labourlens.store.migrations import head_revision

__all__ = ["db_group", "review_command"]


@click.group("db")
def db_group() -> None:
    """The evidence base: schema upgrades, size and counts, the audit log."""


@db_group.command("upgrade")
@db_option
def upgrade_command(db: str | None) -> None:
    """Create the evidence base, or bring its schema up to this version (every command also does this)."""
    store = open_store(db, upgrade=False)
    try:
        from labourlens.store.db import store_errors
        from labourlens.store.migrations import current_revision, upgrade_to_head

        with store_errors(store.url, "upgrade"):
            before = current_revision(store.engine)
            changed = upgrade_to_head(store.engine)
    finally:
        store.close()
    if changed:
        click.echo(
            f"Upgraded {store.display_url} from {before or 'an empty database'} "
            f"to revision {head_revision()}."
        )
    else:
        click.echo(f"{store.display_url} is at the newest revision ({head_revision()}).")


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


@db_group.command("info")
@db_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info_command(db: str | None, fmt: str) -> None:
    """Where the evidence base is, its schema revision, size on disk and row counts."""
    store = open_store(db)
    try:
        info = store.info()
    finally:
        store.close()
    if fmt == "json":
        write_text("-", dump_json(info))
        return
    lines = [
        f"database  {info['url']}",
        f"backend   {info['backend']}",
        f"revision  {info['revision']} (newest: {info['head']})",
        f"size      {_size(info['size_bytes'])}",
    ]
    lines += [f"{name:<18}{count:>10,}" for name, count in info["counts"].items()]
    write_text("-", "\n".join(lines) + "\n")


@db_group.command("audit")
@db_option
@click.option(
    "--limit", type=click.IntRange(1, 100_000), default=50, show_default=True, help="Newest entries to show."
)
@output_options(["table", "json", "csv"], "table")
def audit_command(db: str | None, limit: int, fmt: str, output: str, color: bool | None) -> None:
    """The audit log: who ingested, reanalysed, reviewed and changed cases, and when (newest first)."""
    store = open_store(db)
    try:
        entries = store.audit_entries(limit)
    finally:
        store.close()
    if fmt == "json":
        write_text(output, dump_json(entries))
    elif fmt == "csv":
        write_csv(
            output,
            ["at", "user", "action", "target", "details"],
            (
                [e["at"], e["user"], e["action"], e["target"], dump_json(e["details"]).strip()]
                for e in entries
            ),
        )
    else:
        table = Table(box=box.SIMPLE_HEAD)
        for col in ("at", "user", "action", "target", "details"):
            table.add_column(col)
        for e in entries:
            details = ", ".join(f"{k}={v}" for k, v in e["details"].items() if not isinstance(v, list | dict))
            table.add_row(e["at"], e["user"], e["action"], e["target"] or "", details)
        write_rich(output, [table] if entries else [Text("The audit log is empty.")], color)


@click.command("review")
@click.argument("evidence_id", type=int, metavar="EVIDENCE_ID")
@click.option(
    "--accept", "decision", flag_value="accept", help="The quote is good evidence of its indicator."
)
@click.option("--reject", "decision", flag_value="reject", help="The quote is not evidence of its indicator.")
@click.option(
    "--relabel",
    "new_indicator",
    metavar="KEY",
    help=f"The quote is evidence of another indicator: {', '.join(INDICATOR_KEYS)}.",
)
@click.option("--note", help="Why (kept with the decision).")
@db_option
@user_option
def review_command(
    evidence_id: int,
    decision: str | None,
    new_indicator: str | None,
    note: str | None,
    db: str | None,
    user: str | None,
) -> None:
    """Record a reviewer's decision on a quote (EVIDENCE_ID, as `labourlens show` lists them).

    Decisions are kept through reanalysis; case assessments leave rejected quotes out and count
    relabelled ones for their new indicator.
    """
    if new_indicator is not None:
        if decision is not None:
            raise click.UsageError("Give one of --accept, --reject or --relabel KEY.")
        decision = "relabel"
    if decision is None:
        raise click.UsageError("Give one of --accept, --reject or --relabel KEY.")
    store = open_store(db)
    try:
        review = store.add_review(
            evidence_id, decision, reviewer=current_user(user), new_indicator=new_indicator, note=note
        )
    finally:
        store.close()
    target = f" -> {review.new_indicator}" if review.new_indicator else ""
    click.echo(f"Review {review.id}: {review.decision}{target} of {review.indicator} “{review.quote}”.")
