"""`labourlens knowledge lint|show`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from labourlens.cli import main
from labourlens.cli.knowledge import check_examples
from labourlens.knowledge import load_knowledge
from labourlens.model.analysis import INDICATOR_KEYS


@pytest.mark.slow
def test_cli_knowledge_lint_passes() -> None:
    result = CliRunner().invoke(main, ["knowledge", "lint"], catch_exceptions=False)
    assert result.exit_code == 0, result.stdout
    assert "0 failed" in result.stdout
    for key in INDICATOR_KEYS:
        assert key in result.stdout


def test_cli_knowledge_check_examples_flags_failures() -> None:
    kb = load_knowledge()
    # A detector that finds nothing: every positive example fails, every negative one passes.
    results = check_examples(kb, lambda text: set())
    assert results and all(r.ok == (r.kind == "negative") for r in results)
    # One that finds everything: the reverse.
    results = check_examples(kb, lambda text: set(INDICATOR_KEYS))
    assert all(r.ok == (r.kind == "positive") for r in results)


def test_cli_knowledge_lint_exit_1_on_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    import labourlens.cli.knowledge as knowledge_cli

    original = knowledge_cli.check_examples
    monkeypatch.setattr(knowledge_cli, "check_examples", lambda kb, detect: original(kb, lambda text: set()))
    result = CliRunner().invoke(main, ["knowledge", "lint"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "FAIL retention_of_identity_documents positive example not detected" in result.stdout


def test_cli_knowledge_show_one() -> None:
    result = CliRunner().invoke(main, ["knowledge", "show", "withholding_of_wages"], catch_exceptions=False)
    assert result.exit_code == 0
    spec = load_knowledge().indicator("withholding_of_wages").spec
    first = result.stdout.splitlines()[0]
    assert first == f"withholding_of_wages: {spec.label} ({spec.dimension})"
    assert spec.patterns[0].id in result.stdout
    assert "deception" not in result.stdout


def test_cli_knowledge_show_all_json() -> None:
    result = CliRunner().invoke(main, ["knowledge", "show", "--format", "json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert [d["key"] for d in data] == list(INDICATOR_KEYS)
    assert all(d["patterns"] and d["dimension"] in ("involuntariness", "coercion") for d in data)


def test_cli_knowledge_show_unknown_key() -> None:
    result = CliRunner().invoke(main, ["knowledge", "show", "slavery"])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith("labourlens: error: No indicator is called 'slavery'.")
    assert "withholding_of_wages" in line
