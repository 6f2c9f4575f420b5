"""Size limits on input bytes and extracted text, checked as early as possible."""

from __future__ import annotations

from typing import BinaryIO

from labourlens.errors import InputTooLarge
from labourlens.settings import Settings

__all__ = ["check_size", "check_text_length", "human_bytes", "read_limited"]

_CHUNK = 1024 * 1024


def human_bytes(size: int) -> str:
    """Format a byte count for people: '200.0 MiB'.

    size: a number of bytes.
    """
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _too_large_hint() -> str:
    return (
        "Split the document, or raise the max_document_bytes setting "
        "(environment variable LABOURLENS_MAX_DOCUMENT_BYTES)."
    )


def check_size(size: int, name: str, settings: Settings) -> None:
    """Raise InputTooLarge when an input of `size` bytes is over settings.max_document_bytes.

    size: the input size in bytes (from stat, or counted so far); name: shown in the message.
    """
    limit = settings.max_document_bytes
    if size > limit:
        raise InputTooLarge(
            f"'{name}' is {human_bytes(size)} ({size} bytes), over the limit of {human_bytes(limit)} "
            f"({limit} bytes).",
            hint=_too_large_hint(),
        )


def check_text_length(text: str, name: str, settings: Settings) -> None:
    """Raise InputTooLarge when extracted text is longer than settings.max_text_chars.

    text: the extracted text; name: shown in the message.
    """
    limit = settings.max_text_chars
    if len(text) > limit:
        raise InputTooLarge(
            f"The text of '{name}' is {len(text)} characters long, over the limit of {limit} characters.",
            hint="Split the document, or raise the max_text_chars setting "
            "(environment variable LABOURLENS_MAX_TEXT_CHARS).",
        )


def read_limited(stream: BinaryIO, name: str, settings: Settings, prefix: bytes = b"") -> bytes:
    """Read a stream to its end, failing as soon as it passes settings.max_document_bytes.

    stream: a binary stream (stdin, a socket, a file); name: shown in messages;
    prefix: bytes already read from the stream, counted against the limit.
    """
    limit = settings.max_document_bytes
    chunks = [prefix]
    total = len(prefix)
    while total <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise InputTooLarge(
            f"'{name}' is more than {human_bytes(limit)} ({limit} bytes), the limit; reading stopped there.",
            hint=_too_large_hint(),
        )
    return b"".join(chunks)
