"""Read JSON lines: one {"id": ..., "text": ..., ...} object per line, one Document each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from labourlens.errors import InputTooLarge, InvalidInput
from labourlens.ingest.document import Document, make_document
from labourlens.ingest.limits import human_bytes
from labourlens.settings import Settings

__all__ = ["iter_jsonl_stream", "parse_jsonl_line"]

_LINE_HINT = 'Each line must be one JSON object such as {"id": "a1", "text": "..."}; fix or remove the line.'
_FIELDS = ("title", "date", "author")
_SKIP_CHUNK = 1024 * 1024


def _line_error(name: str, lineno: int, what: str) -> InvalidInput:
    return InvalidInput(f"'{name}' line {lineno} {what}.", hint=_LINE_HINT)


def parse_jsonl_line(line: bytes, lineno: int, name: str, settings: Settings) -> Document:
    """Parse one JSON line into a Document; raises InvalidInput naming the file and line.

    "id" (string or integer, optional) and "text" (a non-empty string) are read; "title", "date"
    and "author" when they are strings fill those fields; every other key goes into metadata.
    line: the raw line; lineno: its 1-based number; name: the file's name.
    """
    try:
        raw = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise _line_error(name, lineno, f"is not valid UTF-8 (byte {exc.start + 1})") from exc
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _line_error(name, lineno, f"is not valid JSON ({exc.msg}, column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise _line_error(name, lineno, f"is a JSON {type(record).__name__}, not an object")
    text = record.get("text")
    if not isinstance(text, str):
        what = 'has no "text" key' if text is None else f'has a "text" that is a {type(text).__name__}'
        raise _line_error(name, lineno, f"{what}; it needs a string")
    doc_id = record.get("id")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int, type(None))):
        raise _line_error(name, lineno, f'has an "id" that is a {type(doc_id).__name__}; use a string')
    fields: dict[str, str | None] = {key: None for key in _FIELDS}
    metadata: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("id", "text"):
            continue
        if key in fields and isinstance(value, str):
            fields[key] = value
        else:
            metadata[key] = value
    source = f"{name}:{lineno}"
    return make_document(
        text,
        name=source,
        source=source,
        format="jsonl",
        settings=settings,
        id=None if doc_id is None else str(doc_id),
        metadata=metadata,
        title=fields["title"],
        date=fields["date"],
        author=fields["author"],
        empty_error=_line_error(name, lineno, 'has an empty "text"'),
    )


def iter_jsonl_stream(stream: BinaryIO, name: str, settings: Settings) -> Iterator[Document | InvalidInput]:
    """Read JSON lines from a stream, one line at a time; bad lines are yielded as errors.

    Blank lines are skipped. A line longer than settings.max_document_bytes yields InputTooLarge
    without being held in memory; the whole stream has no size limit.
    stream: an open binary stream; name: the file's name for sources and messages.
    """
    limit = settings.max_document_bytes
    lineno = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while not line.endswith(b"\n"):  # skip the rest of the line
                line = stream.readline(_SKIP_CHUNK)
                if not line:
                    break
                size += len(line)
            yield InputTooLarge(
                f"'{name}' line {lineno} is {human_bytes(size)}, over the limit of {human_bytes(limit)} "
                "per document.",
                hint="Split the text, or raise the max_document_bytes setting.",
            )
            continue
        if not line.strip():
            continue
        try:
            yield parse_jsonl_line(line, lineno, name, settings)
        except InvalidInput as exc:
            yield exc
