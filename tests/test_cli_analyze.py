"""`labourlens analyze`: formats, stdin, JSONL batches, directories, bad inputs and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from labourlens.cli import main
from labourlens.errors import InvalidKnowledge

ARTICLE = (
    "Labour inspectors in Penang found that a cleaning contractor had confiscated the passports of "
    "40 workers from Myanmar. The workers said they worked sixteen hours a day, seven days a week, and "
    "that their wages had been withheld for three months. A supervisor threatened to have them "
    "deported if they spoke to the inspectors.\n"
)
EXPECTED = {
    "retention_of_identity_documents",
    "excessive_overtime",
    "withholding_of_wages",
    "intimidation_threats",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "penang.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str, input: bytes | str | None = None) -> Result:
    return runner.invoke(main, list(args), input=input, catch_exceptions=False)


def found(result: dict[str, Any]) -> set[str]:
    return {ind["indicator"] for ind in result["indicators"]}


def check_quotes(result: dict[str, Any]) -> None:
    """Every evidence and fact quote is exactly text[start:end]."""
    text = result["text"]
    spans = [ev for ind in result["indicators"] for ev in ind["evidence"]] + result["facts"]
    assert spans
    for span in spans:
        assert span["quote"] == text[span["start"] : span["end"]], span


def one_error_line(result: Result, name: str) -> str:
    """The single stderr line of a failed run, which must name the input."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("labourlens: error: "), lines[0]
    assert name in lines[0], lines[0]
    return lines[0]


# Formats.


def test_cli_analyze_text_report(runner: CliRunner, article: Path) -> None:
    result = run(runner, "analyze", str(article))
    assert result.exit_code == 0, result.output
    out = result.stdout
    for label in ("Retention of identity documents", "Withholding of wages", "Excessive overtime"):
        assert label in out
    assert str(article) in out  # the source is in the header
    assert "\x1b[" not in out  # no colour when stdout is not a terminal
    assert result.stderr == ""


def test_cli_analyze_json_matches_schema_and_quotes(runner: CliRunner, article: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from labourlens.model.schema import load_schema

    result = run(runner, "analyze", str(article), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)  # one document: one object, not an array
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    assert found(data) >= EXPECTED
    assert data["text"] == ARTICLE.strip()
    assert data["id"].startswith("sha256:")
    assert data["metadata"]["source"] == str(article)
    assert data["metadata"]["format"] == "txt"
    check_quotes(data)
    assert result.stdout.startswith('{\n  "schema": "labourlens.analysis/1"')  # pretty, contract order


def test_cli_analyze_json_is_deterministic(runner: CliRunner, article: Path) -> None:
    first = run(runner, "analyze", str(article), "-f", "json").stdout_bytes
    second = run(runner, "analyze", str(article), "-f", "json").stdout_bytes
    assert first == second


def test_cli_analyze_no_text(runner: CliRunner, article: Path) -> None:
    result = run(runner, "analyze", str(article), "-f", "json", "--no-text")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert "text" not in data
    assert found(data) >= EXPECTED
    refused = run(runner, "analyze", str(article), "--no-text")  # text format: a usage error
    assert refused.exit_code == 1
    assert "--no-text" in refused.stderr


def test_cli_analyze_jsonl_one_compact_line(runner: CliRunner, article: Path) -> None:
    result = run(runner, "analyze", str(article), "-f", "jsonl")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert ": " not in lines[0][:40]  # compact separators
    data = json.loads(lines[0])
    assert found(data) >= EXPECTED
    check_quotes(data)


def test_cli_analyze_html_page(runner: CliRunner, article: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run(runner, "analyze", str(article), "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "<mark" in page
    assert "confiscated the passports" in page
    two = run(runner, "analyze", str(article), str(article), "-f", "html")
    assert two.exit_code == 1
    assert "one document" in two.stderr


def test_cli_analyze_output_file_and_width(runner: CliRunner, article: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = run(runner, "analyze", str(article), "--width", "72", "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Withholding of wages" in text
    assert max(len(line) for line in text.splitlines()) <= 72


def test_cli_analyze_output_file_unwritable(runner: CliRunner, article: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.json"
    result = run(runner, "analyze", str(article), "-f", "json", "-o", str(target))
    assert result.exit_code == 2
    one_error_line(result, str(target))


# Standard input, JSONL, directories.


def test_cli_analyze_stdin(runner: CliRunner) -> None:
    result = run(runner, "analyze", "-", "-f", "json", input=ARTICLE.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["metadata"]["source"] == "-"
    assert found(data) >= EXPECTED


def test_cli_analyze_stdin_empty(runner: CliRunner) -> None:
    result = run(runner, "analyze", "-", input=b"")
    assert result.exit_code == 2
    assert "empty" in one_error_line(result, "'-'")


def test_cli_analyze_jsonl_bad_line_others_go_on(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    records = [
        json.dumps({"id": "r1", "text": "The broker kept their passports in his car.", "title": "One"}),
        '{"id": "r2", "text": "this line is cut',
        json.dumps({"id": "r3", "text": "The cooks said their wages had been withheld for five months."}),
    ]
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    result = run(runner, "analyze", str(path), "-f", "jsonl", "--no-text")
    assert result.exit_code == 2
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["r1", "r3"]
    assert rows[0]["metadata"]["title"] == "One"
    assert rows[0]["metadata"]["source"] == f"{path}:1"
    assert "retention_of_identity_documents" in found(rows[0])
    assert "withholding_of_wages" in found(rows[1])
    errors = [line for line in result.stderr.splitlines() if line.startswith("labourlens: error:")]
    assert len(errors) == 1
    assert str(path) in errors[0] and "line 2" in errors[0]
    assert "2 of 3 documents analysed; 1 failed" in result.stderr


def test_cli_analyze_jsonl_as_json_array(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": 7, "text": "Their passports were taken on arrival."}) + "\n")
    result = run(runner, "analyze", str(path), "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert isinstance(data, list) and [d["id"] for d in data] == ["7"]


def test_cli_analyze_jsonl_without_records(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_text("\n\n")
    result = run(runner, "analyze", str(path), "-f", "jsonl")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no JSON lines" in one_error_line(result, str(path))


def test_cli_analyze_stdin_jsonl_goes_on(runner: CliRunner) -> None:
    lines = [
        json.dumps({"id": "s1", "text": "The agent took my passport and never gave it back."}),
        "not json at all",
        json.dumps({"id": "s3", "text": "We worked eighteen hours a day in the kitchen."}),
    ]
    result = run(runner, "analyze", "-", "-f", "jsonl", input="\n".join(lines) + "\n")
    assert result.exit_code == 2
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["s1", "s3"]
    assert "line 2" in result.stderr


def test_cli_analyze_directory(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "sub" / "a.md").write_text("# Note\n\nThe boss held their wages back for a year.\n")
    (root / ".hidden.txt").write_text("skipped")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    result = run(runner, "analyze", str(root), "-f", "json", "--no-text")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["metadata"]["source"] for d in data] == [str(root / "b.txt"), str(root / "sub" / "a.md")]
    assert [d["metadata"]["format"] for d in data] == ["txt", "md"]
    empty = tmp_path / "nothing"
    empty.mkdir()
    none = run(runner, "analyze", str(empty))
    assert none.exit_code == 2
    one_error_line(none, str(empty))


def test_cli_analyze_several_files_one_bad(runner: CliRunner, article: Path, tmp_path: Path) -> None:
    bad = tmp_path / "blank.txt"
    bad.write_text("")
    result = run(runner, "analyze", str(bad), str(article), "-f", "json", "--no-text")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [d["metadata"]["source"] for d in data] == [str(article)]
    assert str(bad) in result.stderr and "empty" in result.stderr


# Bad inputs: one clear line naming the file, exit 2.


def test_cli_analyze_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    result = run(runner, "analyze", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no such file" in one_error_line(result, str(path))


def test_cli_analyze_empty_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = run(runner, "analyze", str(path))
    assert result.exit_code == 2
    assert "empty" in one_error_line(result, str(path))


def test_cli_analyze_binary_junk(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(256)) * 40)
    result = run(runner, "analyze", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    one_error_line(result, str(path))


def test_cli_analyze_too_large_sparse_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no disk used, nothing should read it
    result = run(runner, "analyze", str(path))
    assert result.exit_code == 2
    assert "limit" in one_error_line(result, str(path))


def test_cli_analyze_fake_pdf(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("<html><body>404 Not Found</body></html>")
    result = run(runner, "analyze", str(path))
    assert result.exit_code == 2
    assert "PDF" in one_error_line(result, str(path))


def test_cli_analyze_latin1_text(runner: CliRunner, tmp_path: Path) -> None:
    text = (
        "José and Inés came to Almería to pick peppers in the greenhouses. The foreman, a man the "
        "pickers called the señor, took their passports and kept them in his office. Their pay for "
        "the whole season was withheld until the last day of the harvest, and nobody dared complain."
    )
    path = tmp_path / "almeria.txt"
    path.write_bytes(text.encode("latin-1"))
    result = run(runner, "analyze", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["text"] == text
    assert data["language"] == "en"
    assert "retention_of_identity_documents" in found(data)
    check_quotes(data)


def test_cli_analyze_html_with_scripts(runner: CliRunner, tmp_path: Path) -> None:
    noise = "\n".join(
        f"<script>var tracker{i} = 'SCRIPTNOISE{i}'; window.load{i}();</script>" for i in range(30)
    )
    page = (
        "<!DOCTYPE html><html><head><title>Boat crews</title>"
        f"{noise}<style>.x {{ color: red }}</style></head><body>"
        "<article><h1>Boat crews</h1><p>Fishermen on the trawler said the captain took their "
        "passports on the first day at sea and locked them in the wheelhouse.</p>"
        "<script>document.write('SCRIPTNOISE-body')</script>"
        "<p>They were not paid for eleven months and worked twenty hours a day when the catch was "
        "good, the men told the court.</p></article>"
        f"{noise}</body></html>"
    )
    path = tmp_path / "boat.html"
    path.write_text(page, encoding="utf-8")
    result = run(runner, "analyze", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert "SCRIPTNOISE" not in result.stdout
    assert "tracker" not in result.stdout
    data = json.loads(result.stdout)
    assert data["metadata"]["format"] == "html"
    assert data["metadata"]["title"] == "Boat crews"
    assert {"retention_of_identity_documents", "withholding_of_wages"} <= found(data)
    check_quotes(data)


# Settings.


def test_cli_analyze_set_min_confidence(runner: CliRunner, article: Path) -> None:
    base = json.loads(run(runner, "analyze", str(article), "-f", "json").stdout)
    confidences = [ev["confidence"] for ind in base["indicators"] for ev in ind["evidence"]]
    levels = sorted(set(confidences))
    cut = levels[len(levels) // 2]  # keep the stronger half of the evidence
    assert min(confidences) < cut
    strict = run(runner, "analyze", str(article), "-f", "json", "--set", f"min_confidence={cut}")
    assert strict.exit_code == 0
    kept = [ev["confidence"] for ind in json.loads(strict.stdout)["indicators"] for ev in ind["evidence"]]
    assert kept and min(kept) >= cut - 0.0005  # the output rounds confidences to 3 places
    assert len(kept) < len(confidences)


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("colour=blue", "unknown setting 'colour'"),
        ("min_confidence=high", "expected a float"),
        ("min_confidence=1.5", "from 0.0 to 1.0"),
        ("language_check=maybe", "expected true or false"),
        ("min_confidence", "is not key=value"),
        ("max_pdf_pages=-3", "at least 0"),
    ],
)
def test_cli_analyze_bad_set(runner: CliRunner, article: Path, pair: str, message: str) -> None:
    result = run(runner, "analyze", str(article), "--set", pair)
    assert result.exit_code == 1
    assert message in result.stderr


def test_cli_parse_set_types() -> None:
    from labourlens.cli.common import parse_set

    assert parse_set(["min-confidence=0.75", "language_check=off", "max_pdf_pages=12"]) == {
        "min_confidence": 0.75,
        "language_check": False,
        "max_pdf_pages": 12,
    }
    assert parse_set(["max_pdf_pages=1", "max_pdf_pages=2"]) == {"max_pdf_pages": 2}  # the last wins


def test_cli_analyze_no_language_check(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_text(
        "Die Arbeiter berichteten, dass der Vorarbeiter ihre Pässe einbehalten habe und dass sie "
        "seit Monaten keinen Lohn bekommen hätten. Sie arbeiteten jeden Tag vierzehn Stunden.",
        encoding="utf-8",
    )
    checked = json.loads(run(runner, "analyze", str(path), "-f", "json").stdout)
    assert checked["language"] == "de"
    assert checked["indicators"] == []
    forced = json.loads(run(runner, "analyze", str(path), "-f", "json", "--no-language-check").stdout)
    assert forced["language"] == "en"


# Errors become one line and an exit code, in one place.


class _Boom:
    def analyze(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("stage exploded")


def test_cli_analyze_internal_error_one_line(
    runner: CliRunner, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("labourlens.cli.analyze.get_pipeline", lambda settings: _Boom())
    result = run(runner, "analyze", str(article))
    assert result.exit_code == 3
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith("labourlens: internal error:") and "RuntimeError: stage exploded" in line
    debug = run(runner, "--debug", "analyze", str(article))
    assert debug.exit_code == 3
    assert "Traceback (most recent call last)" in debug.stderr


def test_cli_analyze_knowledge_error_exit_3(
    runner: CliRunner, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(settings: Any) -> Any:
        raise InvalidKnowledge("indicators/deception.yaml: pattern 'x': bad.", hint="Fix the file.")

    monkeypatch.setattr("labourlens.cli.analyze.get_pipeline", broken)
    result = run(runner, "analyze", str(article))
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        "labourlens: error: indicators/deception.yaml: pattern 'x': bad. Fix the file."
    )


def test_cli_version_and_help(runner: CliRunner) -> None:
    from labourlens import __version__

    assert run(runner, "--version").stdout.strip() == f"labourlens {__version__}"
    helped = run(runner, "--help")
    assert helped.exit_code == 0
    for command in ("analyze", "evaluate", "knowledge"):
        assert command in helped.stdout
    assert run(runner, "analyze", "--bogus").exit_code == 1


# Real processes: exit codes and stdin as the shell sees them.


def _cli(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "labourlens", *args], input=input, capture_output=True, timeout=60, env=env
    )


def test_cli_process_stdin_jsonl_and_exit_code() -> None:
    lines = [
        json.dumps({"id": "p1", "text": "The recruiter took our passports at the airport."}),
        "{broken",
    ]
    proc = _cli("analyze", "-", "--format", "jsonl", "--no-text", input=("\n".join(lines) + "\n").encode())
    assert proc.returncode == 2, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["p1"]
    assert b"line 2" in proc.stderr


def test_cli_process_missing_file_exit_2(tmp_path: Path) -> None:
    proc = _cli("analyze", str(tmp_path / "absent.md"))
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8").strip().splitlines()
    assert len(err) == 1 and "absent.md" in err[0]
    assert proc.stdout == b""


# The HTML page in a real browser (skipped where chromium is not installed).


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.slow
def test_cli_analyze_html_screenshot(runner: CliRunner, article: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed")
    page = tmp_path / "page.html"
    assert run(runner, "analyze", str(article), "-f", "html", "-o", str(page)).exit_code == 0
    shot = tmp_path / "page.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1000,800",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=90,
        check=False,
    )
    assert shot.exists(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    assert _png_size(data) == (1000, 800)
    assert len(data) > 20_000  # a rendered report, not a blank page
