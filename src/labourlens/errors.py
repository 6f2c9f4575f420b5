"""Typed errors. Layers below the edges raise these; the CLI and the app turn them into messages.

Each error has a stable `code`, a message that says what happened, and a `hint` that says what
to do. `exit_code` is what the CLI exits with: 2 for bad input, 3 for internal faults.
"""

from __future__ import annotations


class LabourLensError(Exception):
    code = "error"
    exit_code = 3

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class InvalidInput(LabourLensError):
    """The document can't be read or analysed as given."""

    code = "invalid_input"
    exit_code = 2


class InputTooLarge(InvalidInput):
    code = "input_too_large"


class UnsupportedFormat(InvalidInput):
    code = "unsupported_format"


class InvalidKnowledge(LabourLensError):
    """A knowledge file (indicator, gazetteer, legal instrument) is malformed."""

    code = "invalid_knowledge"


class PipelineError(LabourLensError):
    code = "pipeline_error"


class NotFound(LabourLensError):
    code = "not_found"
    exit_code = 2


class StoreError(LabourLensError):
    """The evidence base can't be opened, migrated, read or written."""

    code = "store_error"
    exit_code = 3
