"""`labourlens analyze PATH...`: analyse documents and write a report, JSON or an HTML page."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click

from labourlens.cli.common import (
    Output,
    get_pipeline,
    resolve_settings,
    settings_options,
    terminal_width,
    use_color,
)
from labourlens.cli.errors import EXIT_INPUT, EXIT_INTERNAL, report_error
from labourlens.cli.inputs import is_collection, iter_documents
from labourlens.errors import LabourLensError
from labourlens.ingest.document import document_metadata
from labourlens.ingest.sniff import suffix_hint
from labourlens.model import Analysis
from labourlens.render import render_html, render_text

__all__ = ["FORMATS", "analyze_command", "document_metadata"]

FORMATS = ("text", "json", "jsonl", "html")


def _dump(obj: Any, pretty: bool) -> str:
    if pretty:
        return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


class _Writer:
    """Writes each analysis in the chosen format: streamed (text, jsonl) or at the end (json, html)."""

    def __init__(self, fmt: str, out: Output, *, include_text: bool, width: int, color: bool) -> None:
        self.fmt = fmt
        self.out = out
        self.include_text = include_text
        self.width = width
        self.color = color
        self.count = 0
        self._held: list[Any] = []

    def add(self, analysis: Analysis, source: str) -> None:
        """Write (or hold) one analysis. source: its input, named if html is given several."""
        self.count += 1
        if self.fmt == "jsonl":
            self.out.write(_dump(analysis.to_dict(include_text=self.include_text), pretty=False))
        elif self.fmt == "text":
            self.out.write(
                ("\n" if self.count > 1 else "") + render_text(analysis, width=self.width, color=self.color)
            )
        elif self.fmt == "json":
            self._held.append(analysis.to_dict(include_text=self.include_text))
        elif self.count > 1:  # html
            raise click.UsageError(
                f"--format html renders one document, but the input holds several ('{source}' is the "
                "second); use --format json or jsonl, or give one document."
            )
        else:
            self._held.append(analysis)

    def finish(self, as_array: bool) -> None:
        """Write what was held: the JSON object or array, or the HTML page."""
        if self.fmt == "json":
            if as_array:
                self.out.write(_dump(self._held, pretty=True))
            elif self._held:
                self.out.write(_dump(self._held[0], pretty=True))
        elif self.fmt == "html" and self._held:
            self.out.write(render_html(self._held[0]))


@click.command("analyze")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: a report for people; json: one object per document (an array for several); "
    "jsonl: one compact object per line; html: a standalone page (one document).",
)
@click.option("--no-text", is_flag=True, help="Leave the document text out of json and jsonl output.")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--width",
    type=click.IntRange(60, 400),
    help="Width of the text report [default: the terminal's width, else 100].",
)
@click.option("--color/--no-color", default=None, help="Colour the text report [default: on a terminal].")
@settings_options
@click.pass_context
def analyze_command(
    ctx: click.Context,
    paths: Sequence[str],
    fmt: str,
    no_text: bool,
    output: str,
    width: int | None,
    color: bool | None,
    sets: Sequence[str],
    no_language_check: bool,
) -> None:
    """Analyse documents and report the forced-labour indicators, facts and entities found.

    PATH is a file (.txt, .md, .html, .pdf, .docx, .eml, or .jsonl with one {"id", "text"}
    object per line), a directory (searched for such files), or - for standard input. When
    several documents are read, a bad one is reported on stderr and the others go on; the exit
    code is then 2 (3 for an internal fault).
    """
    if no_text and fmt not in ("json", "jsonl"):
        raise click.UsageError("--no-text applies to --format json and jsonl only.")
    if sum(p == "-" for p in paths) > 1:
        raise click.UsageError("'-' (standard input) may be given only once.")
    collection = is_collection(paths)
    if fmt == "html" and collection:
        raise click.UsageError("--format html renders one document; give a single file.")
    settings = resolve_settings(sets, no_language_check)
    debug = bool(ctx.find_root().params.get("debug"))
    out = Output(output)
    writer = _Writer(
        fmt,
        out,
        include_text=not no_text,
        width=width or (terminal_width() if out.is_stdout else 100),
        color=use_color(color, out.is_stdout) and fmt == "text",
    )
    failed = internal = 0
    from_jsonl = False
    try:
        for item in iter_documents(paths, settings, sys.stdin.buffer):
            if isinstance(item, LabourLensError):
                failed += 1
                report_error(item, debug=debug)
                continue
            from_jsonl = from_jsonl or item.format == "jsonl"
            pipeline = get_pipeline(settings)  # built once, on the first document
            try:
                analysis = pipeline.analyze(item.text, id=item.id, metadata=document_metadata(item))
            except Exception as exc:
                failed += 1
                internal += report_error(exc, source=item.source, debug=debug) == EXIT_INTERNAL
                continue
            writer.add(analysis, item.source)
        writer.finish(as_array=collection or from_jsonl or any(suffix_hint(p) == "jsonl" for p in paths))
    finally:
        out.close()
    if failed:
        if writer.count + failed > 1:
            click.echo(
                f"labourlens: {writer.count} of {writer.count + failed} documents analysed; {failed} failed.",
                err=True,
            )
        ctx.exit(EXIT_INTERNAL if internal else EXIT_INPUT)
