"""The `labourlens` command line: thin commands over ingest, pipeline, render and evaluate.

    labourlens analyze article.html
    labourlens analyze corpus.jsonl --format jsonl -o results.jsonl
    labourlens evaluate data/dev/passages-a.jsonl --errors 5
    labourlens knowledge lint

Errors become one-line messages and exit codes in one place, `cli.errors.LabourLensGroup`.
"""

from __future__ import annotations

import click

from labourlens import __version__
from labourlens.cli.analyze import analyze_command
from labourlens.cli.cases import case_group
from labourlens.cli.db import db_group, review_command
from labourlens.cli.errors import LabourLensGroup
from labourlens.cli.evaluate import evaluate_command
from labourlens.cli.ingest import ingest_command, reanalyze_command
from labourlens.cli.knowledge import knowledge_group
from labourlens.cli.search import search_command, show_command, stats_command
from labourlens.cli.serve import serve_command
from labourlens.cli.train import train_command
from labourlens.cli.users import user_group

__all__ = ["main"]


@click.group(cls=LabourLensGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="labourlens", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
def main(debug: bool) -> None:
    """Find, structure and keep the evidence of forced labour in text, offline.

    Exit codes: 0 ok, 1 usage error, 2 bad input, 3 internal error.
    """


main.add_command(analyze_command)
main.add_command(evaluate_command)
main.add_command(knowledge_group)
main.add_command(train_command)
main.add_command(ingest_command)
main.add_command(search_command)
main.add_command(stats_command)
main.add_command(show_command)
main.add_command(case_group)
main.add_command(reanalyze_command)
main.add_command(review_command)
main.add_command(db_group)
main.add_command(serve_command)
main.add_command(user_group)
