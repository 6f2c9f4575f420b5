"""The knowledge files (indicators, lexicon, cues, legal instruments), loaded and validated once.

`load_knowledge()` reads the YAML files shipped in this package, validates them with the
pydantic models in `schema.py`, expands `{MACRO}` references from `lexicon.yaml` and compiles
every pattern. Errors name the file and the key: a researcher edits YAML, not Python.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from labourlens.errors import InvalidKnowledge
from labourlens.knowledge.literals import required_literals
from labourlens.knowledge.schema import CueFile, GuardSpec, IndicatorSpec, LegalFile, PatternSpec
from labourlens.model.analysis import INDICATOR_KEYS

_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_FLAGS = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A trigger. literals: lower-case strings one of which every match contains (a pre-filter)."""

    id: str
    regex: re.Pattern[str]
    confidence: float
    literals: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class CompiledGuard:
    id: str
    regex: re.Pattern[str]
    scope: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """An indicator definition with its patterns compiled."""

    spec: IndicatorSpec
    patterns: tuple[CompiledPattern, ...]
    traps: tuple[CompiledGuard, ...]
    negations: tuple[CompiledGuard, ...]
    contexts: tuple[CompiledGuard, ...]
    anchors: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.spec.key


_GATE_WORD = re.compile(r"[a-z0-9]+")


class AnchorGate:
    """Which indicators' anchor words a sentence holds, as a bit mask (bit i: indicator i).

    One pass over the sentence's words: each word's prefixes are looked up in one table.
    An indicator without anchors is always tried.
    """

    def __init__(self, indicators: tuple[Indicator, ...]) -> None:
        self.prefixes: dict[str, int] = {}
        self.words: dict[str, int] = {}
        self.always = 0
        for i, ind in enumerate(indicators):
            if not ind.anchors:
                self.always |= 1 << i
            for a in ind.anchors:
                table = self.words if a.endswith("$") else self.prefixes
                key = a.rstrip("$")
                table[key] = table.get(key, 0) | (1 << i)
        self.longest = max((len(k) for k in self.prefixes), default=0)

    def mask(self, text: str) -> int:
        bits = self.always
        prefixes, words, longest = self.prefixes, self.words, self.longest
        for w in _GATE_WORD.findall(text.lower()):
            bits |= words.get(w, 0)
            for n in range(1, min(len(w), longest) + 1):
                bits |= prefixes.get(w[:n], 0)
        return bits


@dataclass(frozen=True)
class Knowledge:
    """Everything the pipeline knows, validated and compiled. version: hash of all files."""

    indicators: tuple[Indicator, ...]
    legal: LegalFile
    cues: CueFile
    lexicon: dict[str, str]
    version: str

    @functools.cached_property
    def gate(self) -> AnchorGate:
        return AnchorGate(self.indicators)

    def indicator(self, key: str) -> Indicator:
        for ind in self.indicators:
            if ind.key == key:
                return ind
        raise KeyError(key)

    @property
    def dimensions(self) -> dict[str, str]:
        return {i.key: i.spec.dimension for i in self.indicators}

    @property
    def labels(self) -> dict[str, str]:
        return {i.key: i.spec.label for i in self.indicators}


def _root() -> Traversable:
    return resources.files("labourlens.knowledge")


def _read_yaml(node: Traversable, name: str) -> tuple[Any, bytes]:
    try:
        raw = node.read_bytes()
    except OSError as exc:
        raise InvalidKnowledge(f"{name}: can't be read ({exc}).") from exc
    try:
        return yaml.safe_load(raw), raw
    except yaml.YAMLError as exc:
        raise InvalidKnowledge(f"{name}: not valid YAML ({exc}).", hint="Fix the file's syntax.") from exc


def _validation_message(name: str, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"{where}: {err['msg']}")
    return f"{name}: " + "; ".join(parts)


def expand_macros(pattern: str, lexicon: dict[str, str], where: str) -> str:
    """Replace {NAME} by the lexicon entry NAME (recursively), wrapped in a non-capturing group."""

    def sub(m: re.Match[str], depth: int = 0) -> str:
        name = m.group(1)
        if name not in lexicon:
            raise InvalidKnowledge(
                f"{where}: unknown lexicon entry {{{name}}}.", hint="Define it in lexicon.yaml."
            )
        if depth > 8:
            raise InvalidKnowledge(f"{where}: lexicon entry {{{name}}} refers to itself.")
        inner = _MACRO.sub(lambda m2: sub(m2, depth + 1), lexicon[name])
        return f"(?:{inner})"

    return _MACRO.sub(sub, pattern)


def _compile(pattern: str, lexicon: dict[str, str], where: str) -> re.Pattern[str]:
    expanded = expand_macros(pattern, lexicon, where)
    try:
        return re.compile(expanded, _FLAGS)
    except re.error as exc:
        raise InvalidKnowledge(f"{where}: invalid pattern ({exc}).") from exc


def _compile_patterns(
    specs: list[PatternSpec], lex: dict[str, str], name: str
) -> tuple[CompiledPattern, ...]:
    ids = [p.id for p in specs]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise InvalidKnowledge(f"{name}: duplicate pattern ids {sorted(dupes)}.")
    compiled = []
    for p in specs:
        regex = _compile(p.pattern, lex, f"{name}: pattern '{p.id}'")
        compiled.append(CompiledPattern(p.id, regex, p.confidence, required_literals(regex.pattern)))
    return tuple(compiled)


def _compile_guards(
    specs: list[GuardSpec], lex: dict[str, str], name: str, kind: str
) -> tuple[CompiledGuard, ...]:
    return tuple(
        CompiledGuard(g.id, _compile(g.pattern, lex, f"{name}: {kind} '{g.id}'"), g.scope) for g in specs
    )


def load_knowledge(root: Traversable | Path | None = None) -> Knowledge:
    """Load, validate and compile the knowledge files.

    root: a folder laid out like the package's knowledge folder (lexicon.yaml, cues.yaml,
          indicators/, legal/); None (the default) loads the knowledge shipped in the package,
          once: later calls return the same object.
    """
    if root is None:
        return _load_packaged()
    return _load(root)


@functools.lru_cache(maxsize=1)
def _load_packaged() -> Knowledge:
    return _load(_root())


def _load(root: Traversable | Path) -> Knowledge:
    digest = hashlib.sha256()

    lex_raw, raw = _read_yaml(root / "lexicon.yaml", "lexicon.yaml")
    digest.update(raw)
    if not isinstance(lex_raw, dict) or not isinstance(lex_raw.get("entries"), dict):
        raise InvalidKnowledge("lexicon.yaml: expected a mapping with an 'entries' mapping.")
    lexicon: dict[str, str] = {}
    for name, value in lex_raw["entries"].items():
        if not _MACRO.fullmatch("{" + str(name) + "}"):
            raise InvalidKnowledge(f"lexicon.yaml: entry name {name!r} must be UPPER_SNAKE_CASE.")
        lexicon[name] = "|".join(value) if isinstance(value, list) else str(value)

    cues_raw, raw = _read_yaml(root / "cues.yaml", "cues.yaml")
    digest.update(raw)
    try:
        cues = CueFile.model_validate(cues_raw)
    except ValidationError as exc:
        raise InvalidKnowledge(_validation_message("cues.yaml", exc)) from exc

    indicators: list[Indicator] = []
    ind_dir = root / "indicators"
    for key in INDICATOR_KEYS:
        name = f"indicators/{key}.yaml"
        data, raw = _read_yaml(ind_dir / f"{key}.yaml", name)
        digest.update(raw)
        try:
            spec = IndicatorSpec.model_validate(data)
        except ValidationError as exc:
            raise InvalidKnowledge(_validation_message(name, exc)) from exc
        if spec.key != key:
            raise InvalidKnowledge(f"{name}: key {spec.key!r} must equal the file name {key!r}.")
        indicators.append(
            Indicator(
                spec=spec,
                patterns=_compile_patterns(spec.patterns, lexicon, name),
                traps=_compile_guards(spec.traps, lexicon, name, "trap"),
                negations=_compile_guards(spec.negations, lexicon, name, "negation"),
                contexts=_compile_guards(spec.contexts, lexicon, name, "context"),
                anchors=tuple(a.lower() for a in spec.anchors),
            )
        )
    extra = sorted(
        n.name for n in ind_dir.iterdir() if n.name.endswith(".yaml") and n.name[:-5] not in INDICATOR_KEYS
    )
    if extra:
        raise InvalidKnowledge(
            f"indicators/: unknown indicator files {extra}; the keys are the eleven ILO keys."
        )

    legal_raw, raw = _read_yaml(root / "legal" / "instruments.yaml", "legal/instruments.yaml")
    digest.update(raw)
    try:
        legal = LegalFile.model_validate(legal_raw)
    except ValidationError as exc:
        raise InvalidKnowledge(_validation_message("legal/instruments.yaml", exc)) from exc
    for inst in legal.instruments:
        for key in inst.when.indicators_any or []:
            if key not in INDICATOR_KEYS:
                raise InvalidKnowledge(
                    f"legal/instruments.yaml: '{inst.id}' names unknown indicator {key!r}."
                )

    return Knowledge(
        indicators=tuple(indicators),
        legal=legal,
        cues=cues,
        lexicon=lexicon,
        version=digest.hexdigest()[:12],
    )
