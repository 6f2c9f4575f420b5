"""Every indicator file's own examples through the default pipeline, and load_knowledge() errors."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from labourlens.errors import InvalidKnowledge
from labourlens.knowledge import load_knowledge
from labourlens.model.analysis import INDICATOR_KEYS

_KNOWLEDGE = load_knowledge()


def _examples(kind: str) -> list[Any]:
    return [
        pytest.param(ind.key, text, id=f"{ind.key}-{kind}{i}")
        for ind in _KNOWLEDGE.indicators
        for i, text in enumerate(getattr(ind.spec.examples, kind))
    ]


def _found(text: str) -> dict[str, list[str]]:
    """Indicator key -> quotes of its non-negated evidence, for one text."""
    from labourlens.pipeline import default_pipeline

    analysis = default_pipeline().analyze(text, language="en")
    return {r.indicator: [e.quote for e in r.evidence if not e.negated] for r in analysis.indicators}


def test_knowledge_every_indicator_has_examples() -> None:
    assert tuple(sorted(i.key for i in _KNOWLEDGE.indicators)) == tuple(sorted(INDICATOR_KEYS))
    for ind in _KNOWLEDGE.indicators:
        assert ind.spec.examples.positive and ind.spec.examples.negative, ind.key


@pytest.mark.parametrize(("key", "text"), _examples("positive"))
def test_knowledge_positive_example_is_detected(key: str, text: str) -> None:
    found = _found(text)
    assert found.get(key), f"{key} not found in its positive example {text!r}; found {sorted(found)}"


@pytest.mark.parametrize(("key", "text"), _examples("negative"))
def test_knowledge_negative_example_is_not_detected(key: str, text: str) -> None:
    found = _found(text)
    assert key not in found, f"{key} found in its negative example {text!r}: {found[key]}"


# load_knowledge(root) on a copy of the package's knowledge folder, broken in one place.


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    src = Path(str(resources.files("labourlens.knowledge")))
    dst = tmp_path / "knowledge"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dst


def _edit_indicator(root: Path, key: str, change: Any) -> Path:
    path = root / "indicators" / f"{key}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_knowledge_copy_loads_like_the_package(knowledge_copy: Path) -> None:
    copy = load_knowledge(knowledge_copy)
    package = load_knowledge(Path(str(resources.files("labourlens.knowledge"))))
    assert copy.version == package.version
    assert [i.key for i in copy.indicators] == list(INDICATOR_KEYS)
    assert load_knowledge() is load_knowledge(), "the default call stays cached"
    assert load_knowledge(knowledge_copy) is not copy, "a given root is loaded afresh"


def test_knowledge_error_names_file_with_malformed_yaml(knowledge_copy: Path) -> None:
    path = knowledge_copy / "indicators" / "deception.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\npatterns: [unclosed, {\n", encoding="utf-8")
    with pytest.raises(InvalidKnowledge) as err:
        load_knowledge(knowledge_copy)
    assert "indicators/deception.yaml" in str(err.value)
    assert "YAML" in str(err.value)


def test_knowledge_error_names_file_with_malformed_lexicon(knowledge_copy: Path) -> None:
    (knowledge_copy / "lexicon.yaml").write_text("entries:\n  GAP2: [a, b\n", encoding="utf-8")
    with pytest.raises(InvalidKnowledge, match=r"lexicon\.yaml"):
        load_knowledge(knowledge_copy)


def test_knowledge_error_names_unknown_macro(knowledge_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["patterns"][0]["pattern"] = r"\b{NO_SUCH_ENTRY}\b"

    _edit_indicator(knowledge_copy, "isolation", change)
    first_id = _KNOWLEDGE.indicator("isolation").patterns[0].id
    with pytest.raises(InvalidKnowledge) as err:
        load_knowledge(knowledge_copy)
    message = str(err.value)
    assert "indicators/isolation.yaml" in message
    assert f"'{first_id}'" in message
    assert "{NO_SUCH_ENTRY}" in message


def test_knowledge_error_names_bad_regex(knowledge_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["traps"] = [{"id": "broken_trap", "pattern": r"(?:unclosed group"}]

    _edit_indicator(knowledge_copy, "debt_bondage", change)
    with pytest.raises(InvalidKnowledge) as err:
        load_knowledge(knowledge_copy)
    message = str(err.value)
    assert "indicators/debt_bondage.yaml" in message
    assert "broken_trap" in message
    assert "invalid pattern" in message


def test_knowledge_error_names_key_that_differs_from_file_name(knowledge_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["key"] = "isolation"

    _edit_indicator(knowledge_copy, "deception", change)
    with pytest.raises(InvalidKnowledge) as err:
        load_knowledge(knowledge_copy)
    message = str(err.value)
    assert "indicators/deception.yaml" in message
    assert "'isolation'" in message and "'deception'" in message


def test_knowledge_error_names_field_failing_validation(knowledge_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["patterns"][0]["confidence"] = 1.5

    _edit_indicator(knowledge_copy, "excessive_overtime", change)
    with pytest.raises(InvalidKnowledge) as err:
        load_knowledge(knowledge_copy)
    message = str(err.value)
    assert "indicators/excessive_overtime.yaml" in message
    assert "patterns.0.confidence" in message


def test_knowledge_error_names_missing_indicator_file(knowledge_copy: Path) -> None:
    (knowledge_copy / "indicators" / "isolation.yaml").unlink()
    with pytest.raises(InvalidKnowledge, match=r"indicators/isolation\.yaml"):
        load_knowledge(knowledge_copy)
