"""Tests of JSON lines input: one Document per line, bad lines named, iter_jsonl goes on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from labourlens.errors import InputTooLarge, InvalidInput
from labourlens.ingest import Document, iter_jsonl, read_bytes, read_path, read_stream
from labourlens.settings import Settings

SETTINGS = Settings()

GOOD = [
    {
        "id": "case-1",
        "text": "The crew  were not\u00a0paid.",
        "url": "https://example.org/1",
        "title": "Crew",
    },
    {"id": 7, "text": "Second document.", "date": "2024-01-09", "tags": ["fishing"]},
    {"text": "No id here."},
]


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_jsonl_reads_each_line(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "batch.jsonl", [json.dumps(r) for r in GOOD[:2]] + ["", json.dumps(GOOD[2])]
    )
    docs = list(read_path(path, SETTINGS))
    assert [d.id for d in docs] == ["case-1", "7", None]
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    assert docs[0].text == "The crew were not paid."
    assert docs[0].title == "Crew"
    assert docs[0].metadata == {"url": "https://example.org/1"}
    assert docs[1].date == "2024-01-09"
    assert docs[1].metadata == {"tags": ["fishing"]}
    assert all(d.format == "jsonl" for d in docs)


def test_ingest_jsonl_bad_line_raises_with_line_number(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "batch.jsonl", [json.dumps(GOOD[0]), '{"id": "x", "text": "unclosed', json.dumps(GOOD[1])]
    )
    docs = read_path(path, SETTINGS)
    assert next(docs).id == "case-1"
    with pytest.raises(InvalidInput, match=r"batch\.jsonl' line 2 is not valid JSON"):
        next(docs)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json at all", "is not valid JSON"),
        ('["a", "list"]', "is a JSON list, not an object"),
        ('{"id": "a"}', 'has no "text" key'),
        ('{"text": 5}', 'has a "text" that is a int'),
        ('{"text": "   \\u200b "}', 'has an empty "text"'),
        ('{"id": {"nested": 1}, "text": "t"}', 'has an "id" that is a dict'),
    ],
)
def test_ingest_jsonl_iter_yields_errors_and_goes_on(tmp_path: Path, line: str, problem: str) -> None:
    path = write_jsonl(tmp_path / "mixed.jsonl", [json.dumps(GOOD[0]), line, json.dumps(GOOD[1])])
    items = list(iter_jsonl(path, SETTINGS))
    assert isinstance(items[0], Document) and isinstance(items[2], Document)
    error = items[1]
    assert isinstance(error, InvalidInput)
    assert f"mixed.jsonl' line 2 {problem}" in str(error)
    assert error.hint and "JSON object" in error.hint


def test_ingest_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "enc.jsonl"
    path.write_bytes(json.dumps(GOOD[0]).encode() + b'\n{"text": "caf\xe9"}\n')
    items = list(iter_jsonl(path, SETTINGS))
    assert isinstance(items[1], InvalidInput)
    assert "line 2 is not valid UTF-8" in str(items[1])


def test_ingest_jsonl_long_line_refused_alone(tmp_path: Path) -> None:
    settings = Settings(max_document_bytes=1000)
    long_line = json.dumps({"id": "big", "text": "x" * 5000})
    path = write_jsonl(tmp_path / "long.jsonl", [json.dumps(GOOD[0]), long_line, json.dumps(GOOD[1])])
    items = list(iter_jsonl(path, settings))
    assert isinstance(items[1], InputTooLarge)
    assert "line 2 is" in str(items[1])
    assert isinstance(items[2], Document) and items[2].id == "7"


def test_ingest_jsonl_file_may_exceed_the_document_limit(tmp_path: Path) -> None:
    settings = Settings(max_document_bytes=2000)
    lines = [json.dumps({"id": str(i), "text": f"Document number {i}."}) for i in range(200)]
    path = write_jsonl(tmp_path / "many.jsonl", lines)
    assert path.stat().st_size > settings.max_document_bytes
    assert len(list(read_path(path, settings))) == 200


def test_ingest_jsonl_from_stdin_stream_and_bytes() -> None:
    data = "".join(json.dumps({"id": str(i), "text": "word " * 50}) + "\n" for i in range(400)).encode()
    assert len(data) > 64 * 1024  # longer than the sniffed head
    docs = list(read_stream(io.BytesIO(data), SETTINGS))
    assert [d.id for d in docs] == [str(i) for i in range(400)]
    assert docs[3].source == "-:4"
    first_line = data.split(b"\n")[0] + b"\n"
    assert [d.id for d in read_bytes(first_line, "-", SETTINGS)] == ["0"]


def test_ingest_jsonl_missing_file(tmp_path: Path) -> None:
    from labourlens.errors import NotFound

    with pytest.raises(NotFound):
        iter_jsonl(tmp_path / "absent.jsonl", SETTINGS)


@pytest.mark.parametrize(
    ("value", "date", "unparsed"),
    [
        ("2024-03-05", "2024-03-05", None),
        ("2024-03-05T10:00:00+07:00", "2024-03-05", None),
        ("2024-03", "2024-03", None),
        ("March 2024", None, "March 2024"),
        ("2024-13-40", None, "2024-13-40"),
    ],
)
def test_ingest_jsonl_date_is_iso_or_kept_aside(value: str, date: str | None, unparsed: str | None) -> None:
    line = json.dumps({"text": "Some text.", "date": value}).encode()
    doc = next(read_bytes(line, "d.jsonl", SETTINGS))
    assert doc.date == date
    assert doc.metadata.get("date_unparsed") == unparsed


def test_ingest_jsonl_stream_with_a_long_first_line() -> None:
    first = json.dumps({"id": "long", "text": "word " * 20000})  # longer than the sniffed head
    data = (first + "\n" + json.dumps({"id": "short", "text": "Short one."}) + "\n").encode()
    docs = list(read_stream(io.BytesIO(data), SETTINGS))
    assert [d.id for d in docs] == ["long", "short"]
    assert docs[0].format == "jsonl"
