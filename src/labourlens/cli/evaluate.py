"""`labourlens evaluate GOLD.jsonl`: score indicator detection against gold passage labels."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from labourlens.cli.common import get_pipeline, render_rich, resolve_settings, settings_options, use_color
from labourlens.evaluate import Report, evaluate, read_gold
from labourlens.ingest import normalize_text
from labourlens.render.common import indicator_label, shorten
from labourlens.settings import Settings

__all__ = ["PREDICTORS", "Predictor", "evaluate_command", "mode_predictor"]

Predictor = Callable[[str], set[str]]


def mode_predictor(mode: str) -> Callable[[Settings], Predictor]:
    """A builder of the predictor that decides indicators with `mode` (rules, model or combined)."""

    def build(settings: Settings) -> Predictor:
        pipeline = get_pipeline(dataclasses.replace(settings, indicator_mode=mode))

        def predict(text: str) -> set[str]:
            return {ind.indicator for ind in pipeline.analyze(normalize_text(text)).indicators}

        return predict

    return build


# --mode name -> a builder of the predictor. Register further modes here.
PREDICTORS: dict[str, Callable[[Settings], Predictor]] = {
    "rules": mode_predictor("rules"),
    "model": mode_predictor("model"),
    "combined": mode_predictor("combined"),
}


def _comparison(reports: dict[str, Report], gold: Path) -> list[RenderableType]:
    """Rules, model and combined side by side: F1 per indicator, then micro, macro and clean share."""
    n = next(iter(reports.values())).passages
    table = Table(title=f"{gold.name}: {n} passages, F1 by mode", box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("indicator")
    for mode in reports:
        table.add_column(mode, justify="right")
    keys = list(next(iter(reports.values())).per_indicator)
    for key in keys:
        table.add_row(indicator_label(key), *(_pct(r.per_indicator[key].f1) for r in reports.values()))
    table.add_section()
    table.add_row("micro F1", *(_pct(r.micro.f1) for r in reports.values()), style="bold")
    table.add_row("macro F1", *(_pct(r.macro_f1) for r in reports.values()), style="bold")
    table.add_row("label-free kept clean", *(_pct(r.clean_share) for r in reports.values()))
    return [table]


def _pct(value: float) -> str:
    return f"{value * 100:.1f}"


def _table(report: Report, gold: Path, mode: str) -> list[RenderableType]:
    table = Table(
        title=f"{gold.name}: {report.passages} passages, mode {mode}",
        box=box.SIMPLE_HEAVY,
        title_justify="left",
    )
    table.add_column("indicator")
    for name in ("support", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(name, justify="right")
    for key, c in report.per_indicator.items():
        table.add_row(
            indicator_label(key),
            str(c.tp + c.fn),
            str(c.tp),
            str(c.fp),
            str(c.fn),
            _pct(c.precision),
            _pct(c.recall),
            _pct(c.f1),
        )
    micro = report.micro
    table.add_section()
    table.add_row(
        "micro",
        str(micro.tp + micro.fn),
        str(micro.tp),
        str(micro.fp),
        str(micro.fn),
        _pct(micro.precision),
        _pct(micro.recall),
        _pct(micro.f1),
        style="bold",
    )
    table.add_row("macro", "", "", "", "", "", "", _pct(report.macro_f1), style="bold")
    clean = Text(
        f"Label-free passages kept clean: {report.negatives_clean} of {report.negatives}"
        + (f" ({_pct(report.clean_share)}%)" if report.negatives else " (none in the gold file)")
    )
    return [table, clean]


def _errors_view(errors: Sequence[dict[str, Any]], total: int) -> list[RenderableType]:
    parts: list[RenderableType] = [
        Text(f"\nMisclassified passages ({len(errors)} of {total}):", style="bold")
    ]
    for err in errors:
        line = Text(f"{err['id']}", style="bold")
        if err["missed"]:
            line.append(f"  missed: {', '.join(err['missed'])}", style="red")
        if err["spurious"]:
            line.append(f"  spurious: {', '.join(err['spurious'])}", style="yellow")
        parts += [line, Text("    " + shorten(str(err["text"]), 400))]
    return parts


@click.command("evaluate")
@click.argument("gold", type=click.Path(dir_okay=False, path_type=Path), metavar="GOLD.jsonl")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True
)
@click.option(
    "--errors",
    "n_errors",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="N",
    help="Also show the first N misclassified passages, with their missed and spurious labels.",
)
@click.option(
    "--mode",
    type=click.Choice((*PREDICTORS, "all")),
    default="all",
    show_default=True,
    help="What predicts the indicators: the rules, the learned model, both combined, or all side by side.",
)
@click.option("--color/--no-color", default=None, help="Colour the table [default: on a terminal].")
@settings_options
def evaluate_command(
    gold: Path,
    fmt: str,
    n_errors: int,
    mode: str,
    color: bool | None,
    sets: Sequence[str],
    no_language_check: bool,
) -> None:
    """Score indicator detection on GOLD.jsonl: per-indicator precision, recall and F1.

    Each line of GOLD.jsonl is {"id": ..., "text": ..., "labels": [indicator keys]}; the labels
    are passage-level. Macro F1 averages the indicators with gold support or predictions.
    """
    records = read_gold(gold)
    settings = resolve_settings(sets, no_language_check)
    if mode == "all":
        reports = {name: evaluate(records, build(settings)) for name, build in PREDICTORS.items()}
        if fmt == "json":
            out = {"gold": str(gold), "mode": "all", "modes": {m: r.to_dict() for m, r in reports.items()}}
            click.echo(json.dumps(out, ensure_ascii=False, indent=2))
            return
        parts = _comparison(reports, gold)
        if n_errors:
            errs = reports["combined"].errors
            parts += [
                Text("\nErrors of the combined mode:", style="bold"),
                *_errors_view(errs[:n_errors], len(errs)),
            ]
        click.echo(render_rich(parts, width=110, color=use_color(color, True)), nl=False)
        return
    report = evaluate(records, PREDICTORS[mode](settings))
    errors = report.errors[:n_errors]
    if fmt == "json":
        data = {"gold": str(gold), "mode": mode, **report.to_dict()}
        if n_errors:
            data["errors"] = errors
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    parts = _table(report, gold, mode)
    if n_errors:
        parts += _errors_view(errors, len(report.errors))
    click.echo(render_rich(parts, width=110, color=use_color(color, True)), nl=False)
