"""Read documents from a path, bytes or a stream: check limits, sniff the format, pick the reader."""

from __future__ import annotations

import io
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from labourlens.errors import InvalidInput, NotFound
from labourlens.ingest.document import Document
from labourlens.ingest.jsonl import iter_jsonl_stream
from labourlens.ingest.limits import check_size, read_limited
from labourlens.ingest.readers import READERS
from labourlens.ingest.sniff import JSONL_SUFFIXES, SNIFF_BYTES, sniff_format
from labourlens.settings import Settings

__all__ = ["STDIN_NAME", "iter_jsonl", "read_bytes", "read_path", "read_stdin_bytes", "read_stream"]

STDIN_NAME = "-"


def _raising(items: Iterator[Document | InvalidInput]) -> Iterator[Document]:
    """Yield the documents and raise the first error."""
    for item in items:
        if isinstance(item, InvalidInput):
            raise item
        yield item


def _empty(name: str) -> InvalidInput:
    return InvalidInput(f"'{name}' is empty.", hint="Give a document that contains text.")


def read_bytes(data: bytes, name: str, settings: Settings) -> Iterator[Document]:
    """Read a document held in memory; JSON lines give one Document per line.

    Checks run now, before the iterator is returned (except for JSON lines, which are checked
    line by line as they are read). Raises InvalidInput or InputTooLarge.
    data: the input; name: shown in messages, used as Document.source and as a suffix hint.
    """
    check_size(len(data), name, settings)
    if not data:
        raise _empty(name)
    fmt = sniff_format(data, name)
    if fmt == "jsonl":
        return _raising(iter_jsonl_stream(io.BytesIO(data), name, settings))
    return iter([READERS[fmt](data, name, settings)])


def read_stdin_bytes(data: bytes, settings: Settings) -> Iterator[Document]:
    """Read what came on standard input, sniffed like a file named "-".

    data: the bytes read from stdin (see read_stream to read them within the size limit).
    """
    return read_bytes(data, STDIN_NAME, settings)


class PrefixedStream(io.RawIOBase):
    """A raw stream that gives back bytes already read, then the rest of the stream."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        super().__init__()
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        chunk = self._stream.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def read_head(stream: BinaryIO) -> bytes:
    """Read up to SNIFF_BYTES, looping because pipes return short reads."""
    parts: list[bytes] = []
    size = 0
    while size < SNIFF_BYTES:
        chunk = stream.read(SNIFF_BYTES - size)
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def read_stream(stream: BinaryIO, settings: Settings, name: str = STDIN_NAME) -> Iterator[Document]:
    """Read a document from a binary stream (stdin), never holding more than the size limit.

    JSON lines are read line by line (each line within max_document_bytes, the stream unbounded);
    any other format is read whole and refused as soon as it passes max_document_bytes.
    stream: e.g. sys.stdin.buffer; name: shown in messages and used as Document.source.
    """
    head = read_head(stream)
    if len(head) < SNIFF_BYTES:
        return read_bytes(head, name, settings)
    if sniff_format(head, name, partial=True) == "jsonl":
        lines = io.BufferedReader(PrefixedStream(head, stream))
        return _raising(iter_jsonl_stream(lines, name, settings))
    return read_bytes(read_limited(stream, name, settings, prefix=head), name, settings)


def _stat(path: Path) -> tuple[str, int, bool]:
    """(name, size, is a regular file) of a path; raises NotFound / InvalidInput."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise NotFound(f"Can't read '{name}': no such file.", hint="Check the path.") from exc
    except PermissionError as exc:
        raise InvalidInput(
            f"Can't read '{name}': permission denied.", hint="Check the file's permissions."
        ) from exc
    except OSError as exc:
        raise InvalidInput(f"Can't read '{name}': {exc.strerror or exc}.", hint="Check the path.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"'{name}' is a directory.", hint="Give the files in it one by one.")
    return name, info.st_size, stat.S_ISREG(info.st_mode)


def _open(path: Path, name: str) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"Can't read '{name}': {exc.strerror or exc}.", hint="Check the path.") from exc


def _jsonl_lines(path: Path, name: str, settings: Settings) -> Iterator[Document | InvalidInput]:
    with _open(path, name) as fh:
        yield from iter_jsonl_stream(fh, name, settings)


def _stream_docs(path: Path, name: str, settings: Settings) -> Iterator[Document]:
    with _open(path, name) as fh:
        yield from read_stream(fh, settings, name)


def read_path(path: Path, settings: Settings) -> Iterator[Document]:
    """Read the document(s) in a file; a .jsonl file gives one Document per line.

    The size is checked from the file system before anything is read. A .jsonl file is streamed
    line by line (each line within max_document_bytes) and raises InvalidInput at its first bad
    line, naming the line; use iter_jsonl to go on past bad lines.
    path: the file; its name as given is used in messages and as Document.source.
    """
    path = Path(path)
    name, size, regular = _stat(path)
    if not regular:  # a FIFO or a device: read it as a stream, within the limit
        return _stream_docs(path, name, settings)
    if path.suffix.lower() in JSONL_SUFFIXES:
        with _open(path, name) as fh:
            head = fh.read(SNIFF_BYTES)
        if head and sniff_format(head, name, partial=len(head) < size) == "jsonl":
            return _raising(_jsonl_lines(path, name, settings))
    check_size(size, name, settings)
    if size == 0:
        raise _empty(name)
    with _open(path, name) as fh:
        data = fh.read(settings.max_document_bytes + 1)  # the file may have grown since stat
    return read_bytes(data, name, settings)


def iter_jsonl(path: Path, settings: Settings) -> Iterator[Document | InvalidInput]:
    """Read a JSON lines file, yielding a Document per good line and the InvalidInput of each bad one.

    A batch can log the errors and go on. Problems with the file itself (missing, a directory)
    raise at once.
    path: the .jsonl file.
    """
    path = Path(path)
    name, _size, _regular = _stat(path)
    return _jsonl_lines(path, name, settings)
