"""`labourlens knowledge lint|show`: check the indicator files' examples, and show the definitions."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import click
from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from labourlens.cli.common import get_pipeline, render_rich, resolve_settings, settings_options, use_color
from labourlens.errors import NotFound
from labourlens.ingest import normalize_text
from labourlens.knowledge import Indicator, Knowledge, load_knowledge
from labourlens.render.common import shorten

__all__ = ["ExampleResult", "check_examples", "knowledge_group"]


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """One indicator example run through the pipeline.

    indicator: its key; kind: "positive" (must be detected) or "negative" (must not be);
    text: the example; detected: the pipeline found that indicator in it.
    """

    indicator: str
    kind: str
    text: str
    detected: bool

    @property
    def ok(self) -> bool:
        return self.detected == (self.kind == "positive")


def check_examples(knowledge: Knowledge, detect: Callable[[str], set[str]]) -> list[ExampleResult]:
    """Run every indicator file's examples through `detect` (text -> set of indicator keys).

    knowledge: the loaded knowledge; detect: the detector.
    """
    results: list[ExampleResult] = []
    for ind in knowledge.indicators:
        for kind, texts in (
            ("positive", ind.spec.examples.positive),
            ("negative", ind.spec.examples.negative),
        ):
            for text in texts:
                results.append(ExampleResult(ind.key, kind, text, ind.key in detect(text)))
    return results


@click.group("knowledge")
def knowledge_group() -> None:
    """Check and show the knowledge files (indicator definitions, patterns, examples)."""


@knowledge_group.command("lint")
@click.option("--color/--no-color", default=None, help="Colour the table [default: on a terminal].")
@settings_options
@click.pass_context
def lint(ctx: click.Context, color: bool | None, sets: Sequence[str], no_language_check: bool) -> None:
    """Run every indicator's positive and negative examples through the pipeline.

    A positive example must be detected for its indicator, a negative one must not be. Exits 1
    when any example fails.
    """
    kb = load_knowledge()
    pipeline = get_pipeline(resolve_settings(sets, no_language_check))

    def detect(text: str) -> set[str]:
        # The examples are English by definition: no language identification on one sentence.
        return {r.indicator for r in pipeline.analyze(normalize_text(text), language="en").indicators}

    results = check_examples(kb, detect)
    table = Table(box=box.SIMPLE_HEAVY, title="Indicator examples", title_justify="left")
    for name, justify in (("indicator", "left"), ("positive", "right"), ("negative", "right"), ("", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for ind in kb.indicators:
        mine = [r for r in results if r.indicator == ind.key]
        pos = [r for r in mine if r.kind == "positive"]
        neg = [r for r in mine if r.kind == "negative"]
        good = all(r.ok for r in mine)
        table.add_row(
            ind.key,
            f"{sum(r.ok for r in pos)}/{len(pos)}",
            f"{sum(r.ok for r in neg)}/{len(neg)}",
            Text("ok" if good else "FAIL", style="green" if good else "bold red"),
        )
    failures = [r for r in results if not r.ok]
    parts: list[RenderableType] = [table]
    for r in failures:
        what = "not detected" if r.kind == "positive" else "detected, but must not be"
        parts.append(Text(f"FAIL {r.indicator} {r.kind} example {what}: {shorten(r.text, 200)}", style="red"))
    parts.append(
        Text(
            f"{len(results)} examples, {len(failures)} failed.",
            style="bold red" if failures else "bold green",
        )
    )
    click.echo(render_rich(parts, width=100, color=use_color(color, True)), nl=False)
    if failures:
        ctx.exit(1)


def _definition(ind: Indicator) -> dict[str, Any]:
    spec = ind.spec
    return {
        "key": spec.key,
        "label": spec.label,
        "dimension": spec.dimension,
        "description": " ".join(spec.description.split()),
        "source": spec.source,
        "patterns": [p.id for p in spec.patterns],
        "traps": [g.id for g in spec.traps],
        "negations": [g.id for g in spec.negations],
        "contexts": [g.id for g in spec.contexts],
        "fact_rules": [r.id for r in spec.fact_rules],
    }


def _show_text(d: dict[str, Any]) -> str:
    lines = [f"{d['key']}: {d['label']} ({d['dimension']})"]
    lines += textwrap.wrap(d["description"], 96, initial_indent="  ", subsequent_indent="  ")
    for name in ("patterns", "traps", "negations", "contexts", "fact_rules"):
        if d[name]:
            label = name.replace("_", " ")
            lines += textwrap.wrap(
                f"{label}: {', '.join(d[name])}", 96, initial_indent="  ", subsequent_indent="    "
            )
    return "\n".join(lines)


@knowledge_group.command("show")
@click.argument("key", required=False)
@click.option("-f", "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def show(key: str | None, fmt: str) -> None:
    """Show the indicator definitions: label, dimension, description and pattern ids.

    KEY: one indicator key (e.g. withholding_of_wages); all eleven when left out.
    """
    kb = load_knowledge()
    indicators = list(kb.indicators)
    if key is not None:
        wanted = key.strip().lower().replace("-", "_")
        indicators = [i for i in indicators if i.key == wanted]
        if not indicators:
            raise NotFound(
                f"No indicator is called {key!r}.",
                hint=f"The keys are: {', '.join(i.key for i in kb.indicators)}.",
            )
    defs = [_definition(i) for i in indicators]
    if fmt == "json":
        click.echo(json.dumps(defs[0] if key is not None else defs, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(_show_text(d) for d in defs))
