"""`labourlens evaluate`: counts, scores and misclassified passages on a tiny gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from labourlens.cli import main

# Two passages the rules must find, one label-free passage, and one passage given a label that
# nothing in its text supports (a deliberate miss, so that fn and recall are tested).
GOLD = [
    {
        "id": "g1",
        "text": "The agency took our passports when we landed and never gave them back.",
        "labels": ["retention_of_identity_documents"],
    },
    {
        "id": "g2",
        "text": "We worked eighteen hours a day and never had a day off.",
        "labels": ["excessive_overtime"],
    },
    {"id": "g3", "text": "The cooperative sells its coffee to buyers in three countries.", "labels": []},
    {"id": "g4", "text": "The report was published on a Tuesday.", "labels": ["debt_bondage"]},
]


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in GOLD), encoding="utf-8")
    return path


def test_cli_evaluate_json_counts(gold: Path) -> None:
    result = CliRunner().invoke(
        main, ["evaluate", str(gold), "--mode", "rules", "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["passages"] == 4
    assert data["negatives"] == 1
    assert data["negatives_clean_share"] == 1.0
    per = data["per_indicator"]
    assert (per["retention_of_identity_documents"]["tp"], per["retention_of_identity_documents"]["fp"]) == (
        1,
        0,
    )
    assert (per["excessive_overtime"]["tp"], per["excessive_overtime"]["fn"]) == (1, 0)
    assert (per["debt_bondage"]["tp"], per["debt_bondage"]["fn"], per["debt_bondage"]["support"]) == (0, 1, 1)
    assert sum(c["fp"] for c in per.values()) == 0
    assert data["micro"] == {"precision": 1.0, "recall": 0.6667, "f1": 0.8}
    assert data["macro_f1"] == pytest.approx(0.6667)
    assert "errors" not in data


def test_cli_evaluate_table_and_errors(gold: Path) -> None:
    result = CliRunner().invoke(
        main, ["evaluate", str(gold), "--mode", "rules", "--errors", "5"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    row = next(line for line in out.splitlines() if "Retention of identity documents" in line)
    assert row.split()[-7:] == ["1", "1", "0", "0", "100.0", "100.0", "100.0"]
    micro = next(line for line in out.splitlines() if line.strip().startswith("micro"))
    assert micro.split()[1:] == ["3", "2", "0", "1", "100.0", "66.7", "80.0"]
    assert "macro" in out and "66.7" in out
    assert "kept clean: 1 of 1 (100.0%)" in out
    # Only g4 is misclassified: its label was missed, nothing was spurious.
    assert "Misclassified passages (1 of 1)" in out
    assert "g4  missed: debt_bondage" in out
    assert "The report was published on a Tuesday." in out
    assert "g1" not in out.split("Misclassified")[1]


def test_cli_evaluate_json_errors(gold: Path) -> None:
    result = CliRunner().invoke(
        main, ["evaluate", str(gold), "--mode", "rules", "-f", "json", "--errors", "1"]
    )
    errors = json.loads(result.stdout)["errors"]
    assert errors == [{"id": "g4", "missed": ["debt_bondage"], "spurious": [], "text": GOLD[3]["text"]}]


def test_cli_evaluate_bad_gold(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOLD[0]) + "\n" + '{"id": "x", "labels": []}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(path)])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and str(path) in line and "line 2" in line
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(json.dumps({"id": "u", "text": "x", "labels": ["slavery"]}) + "\n")
    result = CliRunner().invoke(main, ["evaluate", str(unknown)])
    assert result.exit_code == 2
    assert "slavery" in result.stderr
    missing = CliRunner().invoke(main, ["evaluate", str(tmp_path / "absent.jsonl")])
    assert missing.exit_code == 2
    assert "absent.jsonl" in missing.stderr


def test_cli_evaluate_all_modes_side_by_side(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "p1",
                "text": "The agent took our passports at the airport.",
                "labels": ["retention_of_identity_documents"],
            }
        )
        + "\n"
        + json.dumps({"id": "n1", "text": "The bakery opened a second shop on Friday.", "labels": []})
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["evaluate", str(gold), "-f", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["modes"]) == {"rules", "model", "combined"}
    for report in data["modes"].values():
        assert report["passages"] == 2
        assert report["negatives"] == 1
    assert data["modes"]["rules"]["per_indicator"]["retention_of_identity_documents"]["tp"] == 1
    table = CliRunner().invoke(main, ["evaluate", str(gold), "--no-color"], catch_exceptions=False)
    assert table.exit_code == 0
    assert "macro F1" in table.output and "combined" in table.output
