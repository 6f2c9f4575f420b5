"""The README documents every command, setting and indicator."""

from __future__ import annotations

from pathlib import Path

import pytest

from labourlens.cli import main
from labourlens.knowledge import load_knowledge
from labourlens.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_docs_readme_shows_every_command(name: str) -> None:
    assert f"labourlens {name}" in README, f"README never shows `labourlens {name}`"


@pytest.mark.parametrize("name", [s[0] for s in SETTINGS])
def test_docs_readme_lists_every_setting(name: str) -> None:
    assert f"`{name}`" in README


@pytest.mark.parametrize("label", [i.spec.label for i in load_knowledge().indicators])
def test_docs_readme_names_every_indicator(label: str) -> None:
    assert label.lower() in README.lower()


def test_docs_readme_opens_with_the_two_commands() -> None:
    head = README[:800]
    assert "make demo" in head and "make test" in head
