"""The founding article: what the entities stage must find in it, what it must not, and how fast."""

from __future__ import annotations

import importlib.util
import json
import re
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from labourlens.model import Entity, Sentence
from labourlens.pipeline.entities import EntityExtractor, Gazetteer

REPO = Path(__file__).resolve().parents[1]
SHARED_CANDIDATES = (REPO.parent / "shared", REPO / "shared")
SHARED = next((p for p in SHARED_CANDIDATES if (p / "seed").is_dir()), None)

pytestmark = pytest.mark.skipif(
    SHARED is None, reason="shared/ (the seed article) is not beside the repository"
)

JUNK_PERSONS = ["Moscow", "Pyongyang", "YouTube", "Read", "Last", "Most", "Only", "Central Asian", "Then"]


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, Any]]:
    assert SHARED is not None
    text = (SHARED / "seed" / "north-korean-workers-russia.txt").read_text(encoding="utf-8")
    expected = json.loads((SHARED / "seed" / "expected.json").read_text(encoding="utf-8"))
    return text, expected


@pytest.fixture(scope="module")
def checker() -> ModuleType | None:
    """shared/tools/check_seed.py, whose name matching the acceptance check uses."""
    assert SHARED is not None
    path = SHARED / "tools" / "check_seed.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("check_seed", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ex() -> EntityExtractor:
    return EntityExtractor(Gazetteer.load())


def regex_sentences(text: str) -> list[Sentence]:
    out = []
    for m in re.finditer(r"[^.!?\n]+[.!?]?", text):
        if m.group().strip():
            out.append(Sentence(m.start(), m.end(), 0, m.group()))
    return out


def whole(text: str) -> list[Sentence]:
    return [Sentence(0, len(text), 0, text)]


def _matches(checker: ModuleType | None, want: str, name: str) -> bool:
    if checker is not None:
        return bool(checker.name_matches(want, checker.norm(name)))
    return want.lower() == name.lower()


@pytest.mark.parametrize("splitter", [whole, regex_sentences], ids=["one-sentence", "regex-sentences"])
def test_seed_required_entities(
    ex: EntityExtractor, seed: tuple[str, dict[str, Any]], checker: ModuleType | None, splitter: Any
) -> None:
    text, expected = seed
    ents = ex(text, splitter(text))
    missing = []
    for type_, wanted in expected["entities_required"].items():
        have = [e.name for e in ents if e.type == type_]
        missing += [f"{type_}:{w}" for w in wanted if not any(_matches(checker, w, h) for h in have)]
    assert not missing, missing


def test_seed_exact_names_and_countries(ex: EntityExtractor, seed: tuple[str, dict[str, Any]]) -> None:
    text, _ = seed
    ents = {(e.type, e.name): e for e in ex(text, whole(text))}
    for key, country in [
        (("place", "Russia"), "RU"),
        (("place", "Kursk"), "RU"),
        (("place", "Ukraine"), "UA"),
        (("place", "North Korea"), "KP"),
        (("place", "South Korea"), "KR"),
        (("place", "Russian Far East"), "RU"),
        (("nationality", "North Korean"), "KP"),
    ]:
        assert ents[key].country == country
    for name in ("Jin", "Tae", "Chan", "Nam"):
        assert ("person", name) in ents
    assert ents[("person", "Jin")].role == "worker"
    assert len(ents[("person", "Jin")].mentions) == 4  # "Jin", "Jin was", "Jin shuddered", "Jin's"
    assert len(ents[("person", "Tae")].mentions) == 3
    assert {("organization", "BBC"), ("organization", "United Nations")} <= ents.keys()
    assert {("sector", "construction"), ("sector", "garment"), ("sector", "IT")} <= ents.keys()
    for key in [("place", "Korea"), ("organization", "IT"), ("person", "North Korean")]:
        assert key not in ents


def test_seed_no_junk_persons(ex: EntityExtractor, seed: tuple[str, dict[str, Any]]) -> None:
    text, _ = seed
    for splitter in (whole, regex_sentences):
        persons = {e.name for e in ex(text, splitter(text)) if e.type == "person"}
        assert persons == {"Jin", "Tae", "Chan", "Nam"}
        assert not persons & set(JUNK_PERSONS)


def test_seed_mentions_are_exact(ex: EntityExtractor, seed: tuple[str, dict[str, Any]]) -> None:
    text, _ = seed
    ents: list[Entity] = ex(text, regex_sentences(text))
    for e in ents:
        for start, end in e.mentions:
            mention = text[start:end]
            assert mention == mention.strip() and mention
            if e.type in ("person", "place", "organization"):
                assert mention[0].isupper()


def test_speed_per_700_words(ex: EntityExtractor, seed: tuple[str, dict[str, Any]]) -> None:
    text, _ = seed
    doc = " ".join(text.split(" ")[:700])
    sentences = regex_sentences(doc)
    ex(doc, sentences)
    rounds = 40
    started = time.perf_counter()
    for _ in range(rounds):
        ex(doc, sentences)
    per_doc_ms = (time.perf_counter() - started) / rounds * 1000
    # the target is under 5 ms on a developer machine; the bound leaves room for slow CI runners
    assert per_doc_ms < 25, f"{per_doc_ms:.1f} ms per 700-word document"
