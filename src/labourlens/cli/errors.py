"""The one place where errors become messages and exit codes.

Exit codes: 0 success, 1 usage error (or `knowledge lint` found failing examples), 2 bad input
(`InvalidInput`, `NotFound`), 3 internal fault (`PipelineError`, `InvalidKnowledge`, any other
exception). Every error is one line on stderr, `labourlens: error: <message> <hint>`; with
`--debug` an unexpected exception also prints its traceback.
"""

from __future__ import annotations

import io
import os
import re
import sys
import traceback
from typing import Any

import click

from labourlens.errors import LabourLensError

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_USAGE",
    "LabourLensGroup",
    "error_message",
    "exit_code_for",
    "report_error",
]

PROG = "labourlens"
EXIT_USAGE = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
# What a process killed by SIGPIPE returns: the reader of our output went away (`| head`).
EXIT_BROKEN_PIPE = 141

_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def _one_line(text: str) -> str:
    return _NEWLINES.sub(" ", text).strip()


def _traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)).rstrip("\n")


def error_message(exc: BaseException, source: str | None = None, *, debug: bool = False) -> str:
    """The one-line message for an error: `labourlens: error: <message> <hint>`.

    exc: a LabourLensError (its message and hint are shown) or any other exception (shown as an
         internal error with its type).
    source: the input being processed; named in front of the message unless the message names it.
    debug: the traceback has been printed (so the message does not suggest --debug).
    """
    if isinstance(exc, LabourLensError):
        text = _one_line(str(exc))
        kind = "error"
    else:
        detail = _one_line(str(exc))
        text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        text += (
            " (this is a bug in labourlens; please report it with the traceback above)"
            if debug
            else " (this is a bug in labourlens; run with --debug to see the traceback)"
        )
        kind = "internal error"
    if source and source not in text:
        text = f"'{source}': {text}"
    return f"{PROG}: {kind}: {text}"


def exit_code_for(exc: BaseException) -> int:
    """The exit code for an error: the LabourLensError's own exit_code, else 3 (internal)."""
    if isinstance(exc, LabourLensError):
        return exc.exit_code
    return EXIT_INTERNAL


def report_error(exc: BaseException, *, source: str | None = None, debug: bool = False) -> int:
    """Print an error's one-line message on stderr (and its traceback for unexpected errors with debug).

    exc: the error; source: the input it concerns; debug: print tracebacks.
    Returns the exit code for the error.
    """
    if debug and not isinstance(exc, LabourLensError):
        click.echo(_traceback(exc), err=True)
    click.echo(error_message(exc, source, debug=debug), err=True)
    return exit_code_for(exc)


def _is_debug(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("debug"))


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # stdout is not a real file (a test runner's buffer): nothing to silence


class LabourLensGroup(click.Group):
    """A click group that turns every error of its commands into one message and an exit code.

    LabourLensError -> its message and hint, exit err.exit_code (2 input, 3 internal);
    click usage errors -> exit 1; any other exception -> one line and exit 3 (a traceback
    too with --debug); a closed stdout pipe -> quiet exit 141.
    """

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            exc.show()
            raise click.exceptions.Exit(EXIT_USAGE) from exc

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            exc.show()
            raise click.exceptions.Exit(EXIT_USAGE) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _silence_stdout()
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
        except Exception as exc:
            code = report_error(exc, debug=_is_debug(ctx))
            raise click.exceptions.Exit(code) from exc
