"""Tests of the size limits: checked before reading files, while reading streams, after extraction."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from labourlens.errors import InputTooLarge
from labourlens.ingest import read_bytes, read_path, read_stdin_bytes, read_stream
from labourlens.ingest.limits import human_bytes
from labourlens.settings import Settings

SETTINGS = Settings()


class CountingStream(io.RawIOBase):
    """An endless stream of text that counts how much was read from it."""

    def __init__(self) -> None:
        super().__init__()
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = len(buffer)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        return n


def test_ingest_limit_200mb_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    start = time.perf_counter()
    with pytest.raises(InputTooLarge) as info:
        read_path(path, SETTINGS)
    assert time.perf_counter() - start < 0.5
    message = str(info.value)
    assert "'" + str(path) + "' is 200.0 MiB (209715200 bytes)" in message
    assert "limit of 25.0 MiB (26214400 bytes)" in message
    assert "max_document_bytes" in message


def test_ingest_limit_on_bytes() -> None:
    with pytest.raises(InputTooLarge, match=r"'blob' is 2\.0 KiB \(2048 bytes\), over the limit of 1\.0 KiB"):
        read_bytes(b"x" * 2048, "blob", Settings(max_document_bytes=1024))
    with pytest.raises(InputTooLarge, match="'-' is"):
        read_stdin_bytes(b"x" * 2048, Settings(max_document_bytes=1024))


def test_ingest_limit_on_stream_stops_reading() -> None:
    stream = CountingStream()
    limit = 512 * 1024
    with pytest.raises(InputTooLarge, match=r"'-' is more than 512\.0 KiB"):
        read_stream(io.BufferedReader(stream), Settings(max_document_bytes=limit))
    assert stream.read_bytes <= limit + 2 * 1024 * 1024  # stopped near the limit, not at the end


def test_ingest_limit_stream_within_limit() -> None:
    docs = list(read_stream(io.BytesIO(b"Words arriving on stdin."), SETTINGS))
    assert [d.text for d in docs] == ["Words arriving on stdin."]


def test_ingest_limit_text_chars() -> None:
    with pytest.raises(InputTooLarge, match="is 5000 characters long, over the limit of 1000 characters"):
        list(read_bytes(b"word " * 1000, "long.txt", Settings(max_text_chars=1000)))


def test_ingest_limit_human_bytes() -> None:
    assert human_bytes(5) == "5 bytes"
    assert human_bytes(1536) == "1.5 KiB"
    assert human_bytes(3 * 1024**3) == "3.0 GiB"
