"""Turn the PATH arguments of `analyze` into documents: files, directories and stdin.

Every input problem is yielded as an error in place of the document(s), so that a batch can
report it and go on; JSON lines files go on past bad lines.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from labourlens.errors import InvalidInput, LabourLensError
from labourlens.ingest import STDIN_NAME, Document, iter_jsonl, read_path, read_stream, sniff_format
from labourlens.ingest.jsonl import iter_jsonl_stream
from labourlens.ingest.sniff import SNIFF_BYTES, suffix_hint
from labourlens.ingest.source import PrefixedStream, read_head
from labourlens.settings import Settings

__all__ = ["Item", "is_collection", "iter_documents", "walk_directory"]

Item = Document | LabourLensError


def is_collection(paths: Sequence[str]) -> bool:
    """True when the arguments may name several documents: several paths or a directory."""
    return len(paths) > 1 or any(p != STDIN_NAME and os.path.isdir(p) for p in paths)


def walk_directory(root: Path) -> list[Path]:
    """The files under a directory whose suffix labourlens reads, sorted; hidden entries skipped.

    root: the directory; symbolic links to directories are not followed.
    """
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(folder, name) for name in files if not name.startswith(".") and suffix_hint(name) is not None
        )
    return sorted(found)


def iter_documents(paths: Sequence[str], settings: Settings, stdin: BinaryIO) -> Iterator[Item]:
    """Yield a Document for each document in the inputs, or the error that stopped one.

    paths: files, directories (searched recursively) and "-" for standard input.
    settings: size limits; stdin: the binary stream "-" reads.
    """
    for raw in paths:
        if raw == STDIN_NAME:
            yield from _guard(_stdin_documents(stdin, settings))
        elif os.path.isdir(raw):
            files = walk_directory(Path(raw))
            if not files:
                yield InvalidInput(
                    f"'{raw}' is a directory with no file that labourlens reads.",
                    hint="Put .txt, .md, .html, .pdf, .docx, .eml or .jsonl files in it.",
                )
            for path in files:
                yield from _guard(_file_documents(path, settings))
        else:
            yield from _guard(_file_documents(Path(raw), settings))


def _guard(items: Iterator[Item]) -> Iterator[Item]:
    """Yield the items; an error raised while reading ends the input and is yielded in its place."""
    try:
        yield from items
    except LabourLensError as exc:
        yield exc


def _file_documents(path: Path, settings: Settings) -> Iterator[Item]:
    if suffix_hint(path.name) == "jsonl" and _plausible_jsonl(path):
        count = 0
        for item in iter_jsonl(path, settings):  # bad lines come as errors; the rest go on
            count += 1
            yield item
        if not count:
            yield InvalidInput(
                f"'{path}' holds no JSON lines (only blank lines).",
                hint='Give one JSON object such as {"id": "a1", "text": "..."} per line.',
            )
    else:
        yield from read_path(path, settings)


def _plausible_jsonl(path: Path) -> bool:
    """A regular .jsonl file, neither empty nor binary; read_path handles (and reports) the rest."""
    if not path.is_file():
        return False  # missing, or a FIFO that must not be read twice
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return bool(head) and b"\x00" not in head


def _stdin_documents(stdin: BinaryIO, settings: Settings) -> Iterator[Item]:
    """Read standard input; JSON lines go on past bad lines, like a .jsonl file."""
    head = read_head(stdin)
    stream = io.BufferedReader(PrefixedStream(head, stdin))
    try:
        is_jsonl = bool(head) and sniff_format(head, STDIN_NAME, partial=len(head) >= SNIFF_BYTES) == "jsonl"
    except InvalidInput:
        is_jsonl = False  # read_stream reports what is wrong with it
    if is_jsonl:
        yield from iter_jsonl_stream(stream, STDIN_NAME, settings)
    else:
        yield from read_stream(stream, settings, STDIN_NAME)
