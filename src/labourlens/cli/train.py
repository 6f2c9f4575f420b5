"""`labourlens train`: rebuild the shipped indicator classifier from the project's data files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click
from rich import box
from rich.table import Table

from labourlens.cli.common import render_rich
from labourlens.errors import InvalidInput
from labourlens.render.common import indicator_label

__all__ = ["train_command"]


def _default_out() -> Path:
    return Path(str(resources.files("labourlens.classifier")))


@click.command("train")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data/train"),
    show_default=True,
    help="Folder of training JSONL files (one labelled sentence per line).",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write indicator_model.npz and model_card.json [default: the installed package].",
)
@click.option(
    "--dev-gold",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Only write the development split's documents as a gold file for `labourlens evaluate`.",
)
def train_command(data_dir: Path, out_dir: Path | None, dev_gold: Path | None) -> None:
    """Fit the classifier (seeded and deterministic), score it on the dev split, write model and card."""
    if dev_gold is not None:
        import json

        from labourlens.classifier.train import dev_gold as make_dev_gold

        records = make_dev_gold(sorted(data_dir.glob("*.jsonl")))
        dev_gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        click.echo(f"wrote {len(records)} development documents to {dev_gold}")
        return
    try:
        from labourlens.classifier.train import train
    except ImportError as exc:  # scikit-learn and scipy are training extras
        raise InvalidInput(
            f"Training needs scikit-learn and scipy ({exc}).", hint="pip install 'labourlens[train]'."
        ) from exc
    files = sorted(data_dir.glob("*.jsonl"))
    if not files:
        raise InvalidInput(f"No *.jsonl training files in '{data_dir}'.", hint="Pass --data DIR.")
    target = out_dir or _default_out()
    card = train(files, target, progress=lambda msg: click.echo(msg, err=True))
    metrics = card["dev_metrics_sentence_level"]
    table = Table(
        title=f"Dev split ({card['data']['dev_sentences']} sentences): F1 by mode",
        box=box.SIMPLE_HEAVY,
        title_justify="left",
    )
    table.add_column("indicator")
    for mode in metrics:
        table.add_column(mode, justify="right")
    for key in metrics["combined"]["per_indicator"]:
        table.add_row(
            indicator_label(key), *(f"{metrics[m]['per_indicator'][key]['f1'] * 100:.1f}" for m in metrics)
        )
    table.add_section()
    table.add_row("macro F1", *(f"{metrics[m]['macro_f1'] * 100:.1f}" for m in metrics), style="bold")
    table.add_row(
        "label-free kept clean", *(f"{metrics[m]['negatives_clean_share'] * 100:.1f}" for m in metrics)
    )
    click.echo(render_rich([table], width=100, color=False), nl=False)
    click.echo(f"wrote {target / 'indicator_model.npz'} and {target / 'model_card.json'}")
