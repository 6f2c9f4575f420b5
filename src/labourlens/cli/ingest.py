"""`labourlens ingest PATH...` and `labourlens reanalyze`: fill the evidence base, and bring it up to date."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from labourlens.cli.common import resolve_settings, settings_options
from labourlens.cli.errors import EXIT_INPUT
from labourlens.cli.inputs import iter_documents, walk_directory
from labourlens.cli.store_common import (
    current_user,
    db_option,
    dump_json,
    facet_options,
    filters_from_options,
    open_store,
    user_option,
    write_text,
)
from labourlens.errors import InvalidInput
from labourlens.ingest import STDIN_NAME
from labourlens.ingest.sniff import suffix_hint
from labourlens.store.ingest import IngestFailure, default_jobs, ingest
from labourlens.store.reanalyze import reanalyze

__all__ = ["ingest_command", "reanalyze_command"]

_GLOB_CHARS = frozenset("*?[")
EXIT_INTERRUPTED = 130


class _RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} docs/s" if speed else "– docs/s")


def _progress(enabled: bool) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def expand_paths(paths: Sequence[str]) -> tuple[list[str], list[InvalidInput]]:
    """Expand glob patterns ('reports/**/*.pdf') that are not existing paths; and report empty ones."""
    out: list[str] = []
    errors: list[InvalidInput] = []
    for raw in paths:
        if raw != STDIN_NAME and _GLOB_CHARS & set(raw) and not os.path.exists(raw):
            found = sorted(p for p in glob.glob(raw, recursive=True) if os.path.isfile(p) or os.path.isdir(p))
            if not found:
                errors.append(InvalidInput(f"'{raw}' matches no file.", hint="Check the pattern (quote it)."))
            out.extend(found)
        else:
            out.append(raw)
    return out, errors


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return 1


def count_inputs(paths: Sequence[str]) -> int | None:
    """How many documents the inputs hold, for the progress bar (None when stdin is read)."""
    total = 0
    for raw in paths:
        if raw == STDIN_NAME:
            return None
        path = Path(raw)
        files = walk_directory(path) if path.is_dir() else [path]
        for file in files:
            total += _count_lines(file) if suffix_hint(file.name) == "jsonl" and file.is_file() else 1
    return total


class _FailureLog:
    """Appends each failure as one JSON line to --log (flushed at once, so a killed run keeps it)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._fh: IO[str] | None = None
        if path is not None:  # opened now, so that a bad path stops the ingest before it starts
            try:
                self._fh = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
            except OSError as exc:
                raise InvalidInput(
                    f"Can't write the log '{path}': {exc.strerror or exc}.", hint="Give another --log path."
                ) from exc

    def __call__(self, failure: IngestFailure) -> None:
        if self._fh is None:
            return
        self._fh.write(json.dumps(failure.to_dict(), ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def _report_failures(failures: Sequence[IngestFailure], limit: int = 20) -> None:
    if not failures:
        return
    click.echo(f"labourlens: {len(failures)} document(s) failed:", err=True)
    for failure in failures[:limit]:
        hint = f" {failure.hint}" if failure.hint else ""
        click.echo(f"  {failure.source}: {failure.message}{hint}", err=True)
    if len(failures) > limit:
        click.echo(f"  ... and {len(failures) - limit} more (see --log).", err=True)


@contextlib.contextmanager
def _interrupt_note(what: str) -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        click.echo(
            "labourlens: interrupted; every document stored so far is complete. "
            f"Run the same {what} again to go on.",
            err=True,
        )
        raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


def _jobs_option(func: Any) -> Any:
    func = click.option(
        "--batch-size",
        type=click.IntRange(1, 1000),
        default=8,
        show_default=True,
        help="Documents per worker task.",
    )(func)
    return click.option(
        "-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes [default: the cores available]."
    )(func)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@user_option
@_jobs_option
@click.option("--log", "log_path", metavar="FILE", help="Append each failure as a JSON line to this file.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar [default: on a terminal].")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on standard output.")
@settings_options
def ingest_command(
    paths: Sequence[str],
    db: str | None,
    user: str | None,
    jobs: int | None,
    batch_size: int,
    log_path: str | None,
    progress: bool | None,
    as_json: bool,
    sets: Sequence[str],
    no_language_check: bool,
) -> None:
    """Analyse documents and store them, with their analyses, in the evidence base.

    PATH is a file (.txt .md .html .pdf .docx .eml, or .jsonl with one {"id", "text", "title",
    "date", ...} object per line), a folder (searched recursively), a glob pattern
    ('reports/**/*.html'), or - for standard input. A text already stored is skipped, so running
    the same ingest again adds nothing, and an interrupted ingest goes on where it stopped. A
    document that can't be read or analysed is reported at the end (and in --log) and the others
    go on; the exit code is then 2.
    """
    if sum(p == STDIN_NAME for p in paths) > 1:
        raise click.UsageError("'-' (standard input) may be given only once.")
    settings = resolve_settings(sets, no_language_check)
    expanded, glob_errors = expand_paths(paths)
    who = current_user(user)
    show = sys.stderr.isatty() if progress is None else progress
    total = count_inputs(expanded) if show else None
    failure_log = _FailureLog(log_path)
    store = open_store(db)
    items = iter_documents(expanded, settings, sys.stdin.buffer)

    def with_glob_errors() -> Iterator[Any]:
        yield from glob_errors
        yield from items

    try:
        with _progress(show) as bar, _interrupt_note("ingest"):
            task = bar.add_task("ingest", total=total)

            def tick(event: str, source: str) -> None:
                bar.update(
                    task, advance=1, description=f"ingest ({event})" if event == "failed" else "ingest"
                )

            report = ingest(
                store,
                with_glob_errors(),
                settings=settings,
                user=who,
                jobs=jobs or default_jobs(),
                batch_size=batch_size,
                progress=tick,
                on_failure=failure_log,
            )
    finally:
        failure_log.close()
        store.close()
    _report_failures(report.failed)
    click.echo(
        f"labourlens: {report.added} document(s) added, {report.duplicates} already stored, "
        f"{len(report.failed)} failed, in {report.seconds:.1f} s ({report.rate:.1f} documents/s) "
        f"into {store.display_url}.",
        err=True,
    )
    if as_json:
        write_text("-", dump_json(report.to_dict()))
    if report.failed:
        raise click.exceptions.Exit(EXIT_INPUT)


@click.command("reanalyze")
@db_option
@user_option
@_jobs_option
@click.option(
    "--all",
    "force",
    is_flag=True,
    help="Reanalyse every document, not only those a newer pipeline would change.",
)
@facet_options
@click.option("--progress/--no-progress", default=None, help="Show a progress bar [default: on a terminal].")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@settings_options
def reanalyze_command(
    db: str | None,
    user: str | None,
    jobs: int | None,
    batch_size: int,
    force: bool,
    progress: bool | None,
    fmt: str,
    sets: Sequence[str],
    no_language_check: bool,
    **facets: Any,
) -> None:
    """Run this version's pipeline over the stored documents analysed by another version.

    Every reviewer's decision is kept: reviews stay with their document and are linked to the
    new evidence where it is the same quote. The report lists the documents whose indicators or
    assessment changed. Facet options (--country, --where...) limit it to some documents.
    """
    settings = resolve_settings(sets, no_language_check)
    show = sys.stderr.isatty() if progress is None else progress
    store = open_store(db)
    try:
        filters = filters_from_options(store, **facets)
        with _progress(show) as bar, _interrupt_note("reanalyze"):
            task = bar.add_task("reanalyze", total=None)
            report = reanalyze(
                store,
                settings=settings,
                user=current_user(user),
                jobs=jobs or default_jobs(),
                batch_size=batch_size,
                force=force,
                filters=filters,
                progress=lambda _event, _ref: bar.update(task, advance=1),
                on_start=lambda n: bar.update(task, total=n),
            )
    finally:
        store.close()
    if fmt == "json":
        write_text("-", dump_json(report.to_dict()))
    else:
        lines = [
            f"Examined {report.examined} document(s): {report.up_to_date} already up to date, "
            f"{report.reanalysed} reanalysed, {len(report.changed)} changed, {len(report.failed)} failed "
            f"({report.seconds:.1f} s).",
        ]
        relinked = sum(c.reviews_relinked for c in report.changes)
        unlinked = sum(c.reviews_unlinked for c in report.changes)
        if relinked or unlinked:
            lines.append(
                f"Reviews kept: {relinked + unlinked} ({relinked} linked to the same quote, "
                f"{unlinked} whose quote is no longer evidence)."
            )
        for change in report.changed:
            parts = []
            if change.added:
                parts.append("+" + ", +".join(change.added))
            if change.removed:
                parts.append("-" + ", -".join(change.removed))
            if change.status_before != change.status_after:
                parts.append(f"{change.status_before} -> {change.status_after}")
            if not parts:
                parts.append(f"evidence {change.evidence_before} -> {change.evidence_after}")
            lines.append(f"  {change.document}  {'; '.join(parts)}")
        write_text("-", "\n".join(lines) + "\n")
    _report_failures(report.failed)
    if report.failed:
        raise click.exceptions.Exit(EXIT_INPUT)
