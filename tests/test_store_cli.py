"""The evidence-base commands: ingest, search, stats, show, case, review, reanalyze, db."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from labourlens.cli import main

ARTICLES = {
    "doha.txt": (
        "Nepali construction workers in Doha said the company took their passports on arrival in Qatar. "
        "They worked 16 hours a day and had not been paid for three months.\n"
    ),
    "sub/kursk.md": (
        "# North Korean crews in Kursk\n\nNorth Korean workers on building sites in Kursk were not allowed "
        "to leave their dormitory without a minder, and their wages were sent straight to Pyongyang.\n"
    ),
    "sub/market.txt": (
        "Share prices rose in Doha after the central bank left its main rate unchanged. The passport "
        "office said demand for new passports had doubled since last summer.\n"
    ),
}


def _run(args: list[str], input: str | None = None) -> Result:
    return CliRunner().invoke(main, args, input=input, catch_exceptions=False)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    for name, text in ARTICLES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "news.jsonl").write_text(
        json.dumps(
            {
                "id": "n1",
                "text": "The agency kept the workers' passports and charged them a fee of $3,000.",
                "date": "2024-05-02",
            }
        )
        + "\n{not json\n",
        encoding="utf-8",
    )
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    return tmp_path


def test_store_cli_ingest_search_show(store_url: str, corpus: Path) -> None:
    db = ["--db", store_url]
    log = corpus / "failures.jsonl"
    first = _run(
        [
            "ingest",
            str(corpus / "reports"),
            str(corpus / "news.jsonl"),
            str(corpus / "empty.txt"),
            *db,
            "--jobs",
            "1",
            "--log",
            str(log),
            "--json",
        ]
    )
    assert first.exit_code == 2, first.output  # two bad inputs: reported, the rest stored
    summary = json.loads(first.stdout)
    assert (summary["added"], summary["duplicates"], summary["failed"]) == (4, 0, 2)
    failures = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert {f["code"] for f in failures} == {"invalid_input"}
    assert sorted(f["source"] for f in failures) == sorted(
        [str(corpus / "news.jsonl"), str(corpus / "empty.txt")]
    )
    assert "2 document(s) failed" in first.stderr

    again = _run(
        ["ingest", str(corpus / "reports"), str(corpus / "news.jsonl"), *db, "--jobs", "1", "--json"]
    )
    assert json.loads(again.stdout)["added"] == 0 and json.loads(again.stdout)["duplicates"] == 4

    found = _run(
        [
            "search",
            "passport",
            "--indicator",
            "retention_of_identity_documents",
            "--country",
            "Qatar",
            *db,
            "-f",
            "json",
        ]
    )
    assert found.exit_code == 0, found.output
    page = json.loads(found.stdout)
    assert page["total"] == 1
    hit = page["hits"][0]
    assert hit["document"]["title"] is None and hit["document"]["source"].endswith("doha.txt")
    assert any("**passports**" in q["marked"] for q in hit["quotes"])

    dated = json.loads(_run(["search", "--since", "2024", *db, "-f", "json"]).stdout)
    assert [h["document"]["external_id"] for h in dated["hits"]] == ["n1"]

    table = _run(["search", "passports", *db, "--no-color"])
    assert table.exit_code == 0 and "Documents 1-" in table.stdout and "passports" in table.stdout

    rows = list(csv.reader(io.StringIO(_run(["search", "passport", *db, "-f", "csv"]).stdout)))
    assert rows[0][:3] == ["rank", "id", "date"] and len(rows) > 1

    ref = hit["document"]["id"]
    shown = _run(["show", ref, *db, "-f", "json"])
    data = json.loads(shown.stdout)
    assert data["document"]["id"] == ref and data["analysis"]["schema"] == "labourlens.analysis/1"
    for quote in data["evidence"]:
        assert data["analysis"]["text"][quote["start"] : quote["end"]] == quote["quote"]
    text = _run(["show", ref[:6], *db, "--no-color", "--width", "100"])
    assert text.exit_code == 0 and "evidence" in text.stdout and "ASSESSMENT" in text.stdout
    missing = _run(["show", "0000000000", *db])
    assert missing.exit_code == 2 and "No document '0000000000'" in missing.stderr


@pytest.mark.parametrize(
    "query",
    ['"', "'; DROP TABLE documents; --", "NEAR(", "*", "AND OR", "((passport", "passport) OR (", ""],
)
def test_store_cli_search_hostile_input(tmp_path: Path, query: str) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'b.db'}"]
    result = _run(["search", query, *db, "-f", "json"])
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert json.loads(result.stdout)["total"] == 0
    else:
        assert result.exit_code == 2 and result.stderr.startswith("labourlens: error: ")
    assert _run(["db", "info", *db, "-f", "json"]).exit_code == 0  # the tables are still there


def test_store_cli_stats_cases_review_reanalyze(tmp_path: Path, corpus: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'b.db'}"]
    who = [*db, "--user", "ana"]
    assert _run(["ingest", str(corpus / "reports"), *who, "--jobs", "1"]).exit_code == 0

    counts = json.loads(_run(["stats", "--by", "indicator,country", *db, "-f", "json"]).stdout)
    assert counts["total_documents"] == 3 and counts["rows"]
    for row in counts["rows"]:
        assert len(row["document_ids"]) == row["documents"] >= 1
    table = list(csv.DictReader(io.StringIO(_run(["stats", "--by", "country", *db, "-f", "csv"]).stdout)))
    assert {r["country"] for r in table} >= {"QA", "RU"}
    hours = json.loads(_run(["stats", "--fact", "hours_per_day", "--by", "", *db, "-f", "json"]).stdout)
    assert hours["rows"][0]["median"] == 16
    bad = _run(["stats", "--by", "colour", *db])
    assert bad.exit_code == 2 and "not something to count by" in bad.stderr

    made = _run(["case", "create", "Workers in Qatar", "--where", "country=Qatar", *who])
    assert made.exit_code == 0 and "2 document(s)" in made.stdout  # the report and the market news
    bad_case = _run(["case", "create", "Bad", "--where", "planet=Mars", *who])
    assert bad_case.exit_code == 2 and "Unknown --where key 'planet'" in bad_case.stderr
    report = json.loads(_run(["case", "show", "workers in qatar", *db, "-f", "json"]).stdout)
    assert report["assessment"]["forced_labour"] in ("indicated", "possible")
    docs = {d["id"] for d in report["documents"]}
    assert report["quotes"] and all(q["document"] in docs for q in report["quotes"])
    market = json.loads(_run(["search", "central bank", *db, "-f", "json"]).stdout)["hits"][0]["document"][
        "id"
    ]
    removed = _run(["case", "remove", "Workers in Qatar", market, *who])
    assert removed.exit_code == 0 and "has 1 document(s)" in removed.stdout
    listing = _run(["case", "list", *db, "-f", "json"])
    assert json.loads(listing.stdout)[0]["documents"] == 1

    quote = report["quotes"][0]
    reviewed = _run(["review", str(quote["evidence_id"]), "--reject", "--note", "not about pay", *who])
    assert reviewed.exit_code == 0, reviewed.output
    assert _run(["review", str(quote["evidence_id"]), *who]).exit_code == 1  # no decision given
    after = json.loads(_run(["case", "show", "Workers in Qatar", *db, "-f", "json"]).stdout)
    assert after["quotes_rejected_by_review"] == 1

    redo = _run(["reanalyze", "--all", *who, "--jobs", "1", "-f", "json"])
    assert redo.exit_code == 0, redo.output
    data = json.loads(redo.stdout)
    assert data["reanalysed"] == 3 and data["reviews_relinked"] == 1 and data["changed"] == 0
    assert _run(["reanalyze", *who, "--jobs", "1"]).stdout.startswith(
        "Examined 3 document(s): 3 already up to date"
    )

    audit = json.loads(_run(["db", "audit", *db, "-f", "json"]).stdout)
    assert {e["action"] for e in audit} >= {"ingest", "case_create", "case_remove", "review", "reanalyze"}
    assert {e["user"] for e in audit} == {"ana"}
    info = json.loads(_run(["db", "info", *db, "-f", "json"]).stdout)
    assert info["backend"] == "sqlite" and info["counts"]["documents"] == 3 and info["size_bytes"] > 0
    assert "newest revision" in _run(["db", "upgrade", *db]).stdout


def test_store_cli_bad_database_urls(tmp_path: Path) -> None:
    for url, expected in (
        ("mysql://x@y/z", "not supported"),
        ("postgresql://nobody:hunter2@127.0.0.1:9/none", "Can't open the database"),
    ):
        result = _run(["search", "passport", "--db", url])
        assert result.exit_code == 3 and expected in result.stderr
        assert "hunter2" not in result.stderr and "Traceback" not in result.output


def test_store_cli_default_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LABOURLENS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert _run(["db", "info"]).exit_code == 0
    assert (tmp_path / "data" / "labourlens" / "labourlens.db").exists()
    monkeypatch.setenv("LABOURLENS_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert _run(["db", "info"]).exit_code == 0
    assert (tmp_path / "env.db").exists()
