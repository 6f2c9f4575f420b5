"""The facts stage: normalised hard facts (hours, rest days, wages, counts, dates...) with their quotes.

What to find is data: `knowledge/facts/patterns.yaml` holds the patterns (regexes with
{MACRO} references), the other files in `knowledge/facts/` the vocabulary (number words,
currencies, units, count nouns). This module builds the macros, compiles the patterns once,
and turns each match into a `Fact` through a small handler per shape of fact.

    fx = FactExtractor()
    facts, dropped = fx(text, sentences)

Every quote equals text[start:end] and lies within one sentence. Values recognised but not
normalisable (a fall "from the third floor", an amount in "pesos") go to `dropped` with a
reason. Output is sorted by (start, kind, end) and is the same for the same input.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from pydantic import Field

from labourlens.errors import InvalidKnowledge
from labourlens.model import Fact, Sentence
from labourlens.pipeline.numbers import (
    FACTS_DIR,
    ClockGrammar,
    CountFile,
    CurrencyFile,
    NumberGrammar,
    NumberValue,
    StrictModel,
    UnitsFile,
    default_grammar,
    first_chars,
    load_validated,
    word_alternation,
)

_FLAGS = re.IGNORECASE
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_ALPHA = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_FOR = re.compile(r"\s+for\s+(?:the\s+|their\s+|his\s+|her\s+|a\s+)?([^\W\d_][\w-]*)", re.IGNORECASE)
_WORD_OR_SIGN = re.compile(r"[^\W\d_]+|[^\w\s]")
_PATTERNS_FILE = f"{FACTS_DIR}/patterns.yaml"

# ---------------------------------------------------------------------------------------------
# Knowledge files, validated


class PatternSpec(StrictModel):
    """One fact pattern of patterns.yaml (the file's header documents every key)."""

    id: str
    regex: str
    kind: str | None = None
    kind_by_per: dict[str, str] = Field(default_factory=dict)
    handler: Literal["number", "count", "money", "clock_span", "date", "year", "pay_ratio", "age"] = "number"
    trigger: list[str | list[str]] = Field(default_factory=list)
    needs: Literal["number", "digit", "nothing"] = "number"
    requires: list[str] = Field(default_factory=list)
    value: float | None = None
    per: str | None = None
    unit: str | None = None
    qualifier: str | None = None
    max: float | dict[str, float] | None = None
    over_max: Literal["drop", "skip"] = "drop"
    complement: float | None = None
    convert_to: str | None = None
    drop: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)
    examples: list[str] = Field(default_factory=list)
    note: str | None = None


class MoneyContext(StrictModel):
    kind: str
    strong: bool = False
    before: str | None = None
    after: str | None = None


class PatternFile(StrictModel):
    format: Literal["labourlens.fact_patterns/1"]
    words: dict[str, list[str]] = Field(default_factory=dict)
    cues: dict[str, str] = Field(default_factory=dict)
    money_window: int = Field(default=48, ge=8, le=400)
    money_contexts: list[MoneyContext]
    money_costs: str | None = None
    promise_cue: str | None = None
    patterns: list[PatternSpec]


def _compile(regex: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(regex, _FLAGS)
    except re.error as exc:
        raise InvalidKnowledge(f"{where}: bad regular expression ({exc}).", hint="Fix the regex.") from exc


def _lower_map(table: dict[str, Any]) -> dict[str, Any]:
    return {" ".join(k.lower().split()): v for k, v in table.items()}


def _key(token: str) -> str:
    return " ".join(token.lower().replace("’", "'").split())


# ---------------------------------------------------------------------------------------------
# Compiled rules


@dataclass(frozen=True, slots=True)
class _Rule:
    spec: PatternSpec
    priority: int
    regex: re.Pattern[str]
    trigger: tuple[frozenset[str], ...]
    needs: str | None


@dataclass(frozen=True, slots=True)
class _Currency:
    codes: tuple[str, ...]
    min_amount: float | None = None


@dataclass(slots=True)
class _Rules:
    """Everything compiled from the knowledge files, built once per process."""

    grammar: NumberGrammar
    rules: list[_Rule]
    cues: dict[str, re.Pattern[str]]
    periods: dict[str, str]
    units: dict[str, str]
    to_metres: dict[str, float]
    months: dict[str, int]
    clock: ClockGrammar
    currencies: dict[str, _Currency]
    money_before: re.Pattern[str] | None
    money_before_kinds: list[tuple[str, bool]]
    money_after: list[tuple[str, re.Pattern[str]]]
    money_window: int
    money_costs: re.Pattern[str] | None
    promise: re.Pattern[str] | None
    invariant: set[str]
    family: set[str]
    family_cue: re.Pattern[str] | None
    invariant_next: re.Pattern[str]
    year_prep: re.Pattern[str]
    number_words: frozenset[str]
    examples: list[tuple[str, str, str]] = field(default_factory=list)


def _word_lists(pf: PatternFile, cf: CurrencyFile, uf: UnitsFile, nf: CountFile) -> dict[str, list[str]]:
    """The word lists a trigger may name as '{MACRO}'."""
    lists: dict[str, list[str]] = dict(pf.words)
    lists["COUNT_NOUN"] = [*nf.nouns, *(d.plural for d in nf.demonyms)]
    lists["CURRENCY"] = [t for c in [*cf.currencies, *cf.ambiguous] for t in [*c.before, *c.after]]
    lists["MONTH"] = list(uf.months)
    for name, table in uf.units.items():
        lists[f"UNIT_{name.upper()}"] = list(table)
    return lists


def _feature(word: str) -> str:
    """What a trigger word stands for among a sentence's features: its last word, else its signs."""
    if word.startswith("#"):
        return word
    signs = [c for c in word if not c.isalnum() and not c.isspace() and c not in ".'’-"]
    if signs:
        return signs[-1]
    words = _ALPHA.findall(word.lower())
    return words[-1] if words else word.strip()[-1:]


def _trigger(spec: PatternSpec, lists: dict[str, list[str]], where: str) -> tuple[frozenset[str], ...]:
    """The pattern's trigger as feature sets: a sentence must hold one feature of each set."""
    nested = [item for item in spec.trigger if isinstance(item, list)]
    groups: list[list[str]] = nested if nested else [[item for item in spec.trigger if isinstance(item, str)]]
    out = []
    for group in groups:
        words: set[str] = set()
        for item in group:
            name = _MACRO.fullmatch(item)
            if name and name.group(1) not in lists:
                raise InvalidKnowledge(
                    f"{where}: trigger: unknown word list {item}.",
                    hint=f"Use one of: {', '.join(sorted(lists))}.",
                )
            words.update(_feature(w) for w in (lists[name.group(1)] if name else [item]))
        if words:
            out.append(frozenset(words))
    return tuple(out)


def _macros(
    grammar: NumberGrammar,
    clock: ClockGrammar,
    pf: PatternFile,
    cf: CurrencyFile,
    uf: UnitsFile,
    nf: CountFile,
) -> dict[str, str]:
    """The {MACRO} table for patterns.yaml, built from the vocabulary files."""
    g = grammar
    num, vague = g.num, g.vague_re
    m: dict[str, str] = {name: word_alternation(words) for name, words in pf.words.items()}
    m.update(
        NUM=num,
        NUM_FREE=g.num_free,
        VAGUE=vague,
        Q=g.qual,
        QUAL=rf"\b(?:(?P<qual>{g.qual}(?:\s+{g.qual})?)\s+)?",
        POSTQUAL=rf"(?:(?P<postqual>\+)|\s+(?P<postqual__2>{g.post_qual}))?",
        RS=g.range_sep,
        RANGE=rf"(?:(?:\bbetween\s+)?(?P<lo>{num})(?:{g.range_sep}(?P<hi>{num}))?)",
        MULTIPLIER=g.multiplier,
        ORDINAL=g.ordinal,
        PERIOD_NOUN=word_alternation(uf.periods.nouns),
        PERIOD_ADVERB=word_alternation(uf.periods.adverbs),
        PERIOD_ADJECTIVE=word_alternation(uf.periods.adjectives),
        MONTH=word_alternation(uf.months),
    )
    m["PER"] = (
        rf"(?:(?:\s*/\s*|\s+{word_alternation(uf.periods.per_words)}\s+)(?:(?P<per_n>{num})\s+)?"
        rf"(?P<per>{m['PERIOD_NOUN']})|\s+(?P<per__2>{m['PERIOD_ADVERB']}))"
    )
    for name, table in uf.units.items():
        m[f"UNIT_{name.upper()}"] = word_alternation(table, boundary=False)
    m["TIME"] = clock.time
    every = [*cf.currencies, *cf.ambiguous]
    before = [_exact(t) for c in every for t in c.before]
    after = [_after_token(t) + (c.guard or "") for c in every for t in c.after]
    before_alt = first_chars([t for c in every for t in c.before], exact=True) + _longest_first(before)
    after_alt = first_chars([t for c in every for t in c.after]) + _longest_first(after)
    m["CURRENCY"] = f"(?:{before_alt}|{after_alt})"
    signs = sorted({t[0] for c in every for t in c.before if not t[0].isalnum()})
    m["MONEY_START"] = r"(?:\b(?=\w)|(?=[" + "".join(re.escape(c) for c in signs) + "]))"
    sfx = r"(?:bn|mn|m|k)\b"
    m["MONEY"] = (
        rf"(?:(?:\bbetween\s+)?(?:(?P<pre1>{before_alt})\s?(?P<lo>{g.num_free})|(?P<lo__2>{num}|{vague}))"
        rf"(?P<sfx1>{sfx})?(?:\s+(?:of\s+)?(?P<post1>{after_alt}))?"
        rf"(?:{g.range_sep}(?:(?P<pre2>{before_alt})\s?(?P<hi>{g.num_free})|(?P<hi__2>{num}))"
        rf"(?P<sfx2>{sfx})?(?:\s+(?P<post2>{after_alt}))?)?)"
    )
    demonym_plurals = [d.plural for d in nf.demonyms]
    m["COUNT_NOUN"] = word_alternation([*nf.nouns, *demonym_plurals])
    m["COUNT_MODIFIER"] = word_alternation([*nf.modifiers, *(d.adjective for d in nf.demonyms)])
    return m


def _longest_first(parts: list[str]) -> str:
    return "(?:" + "|".join(sorted(set(parts), key=lambda p: (-len(p), p))) + ")"


def _exact(token: str) -> str:
    """A currency sign or code before an amount: letters match in this case only ("Rs", "USD")."""
    body = r"\s*".join(re.escape(p) for p in token.split())
    if any(c.isalpha() for c in token):
        body = rf"(?-i:{body})"
        if token[0].isalpha():
            body = r"(?<![^\W\d_])" + body
    return body + r"(?![^\W\d_])" if token[-1].isalpha() else body


def _after_token(token: str) -> str:
    """A currency name after an amount: codes ("USD") match in capitals only, names in any case."""
    if token.isupper():
        return rf"(?-i:\b{re.escape(token)}\b)"
    return word_alternation([token])


def _expand(regex: str, macros: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise InvalidKnowledge(
                f"{where}: unknown macro {{{name}}}.", hint=f"Use one of: {', '.join(sorted(macros))}."
            )
        return macros[name]

    return _MACRO.sub(sub, regex)


@lru_cache(maxsize=1)
def _load_rules() -> _Rules:
    """Load, validate and compile the knowledge files of the facts stage (once per process)."""
    grammar = default_grammar()
    pf = load_validated(PatternFile, "patterns.yaml", "labourlens.fact_patterns/1")
    cf = load_validated(CurrencyFile, "currencies.yaml", "labourlens.currencies/1")
    uf = load_validated(UnitsFile, "units.yaml", "labourlens.units/1")
    nf = load_validated(CountFile, "count_nouns.yaml", "labourlens.count_nouns/1")
    clock = ClockGrammar(uf.clock, grammar.units)
    macros = _macros(grammar, clock, pf, cf, uf, nf)
    lists = _word_lists(pf, cf, uf, nf)
    cues = {name: _compile(rx, f"{_PATTERNS_FILE}: cues.{name}") for name, rx in pf.cues.items()}
    rules: list[_Rule] = []
    examples: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for i, spec in enumerate(pf.patterns):
        where = f"{_PATTERNS_FILE}: pattern {spec.id!r}"
        if spec.id in seen:
            raise InvalidKnowledge(f"{where}: duplicate id.", hint="Give every pattern its own id.")
        seen.add(spec.id)
        if not spec.kind and not spec.kind_by_per:
            raise InvalidKnowledge(f"{where}: needs 'kind' or 'kind_by_per'.", hint="Name the fact kind.")
        for cue in spec.requires:
            if cue not in cues:
                raise InvalidKnowledge(f"{where}: unknown cue {cue!r}.", hint="Define it under 'cues'.")
        regex = _compile(_expand(spec.regex, macros, where), where)
        needs = {"number": "#number", "digit": "#digit"}.get(spec.needs)
        rules.append(_Rule(spec, i, regex, _trigger(spec, lists, where), needs))
        kind = spec.kind or next(iter(spec.kind_by_per.values()))
        examples += [(spec.id, kind, ex) for ex in spec.examples]
    currencies: dict[str, _Currency] = {}
    for cur in [*cf.currencies, *cf.ambiguous]:
        entry = _Currency((cur.code,) if cur.code else tuple(cur.codes), cur.min_amount)
        for tok in cur.before + cur.after:
            currencies.setdefault(_key(tok), entry)
            currencies[" ".join(tok.split())] = entry
    before_parts = [f"(?P<c{i}>{c.before})" for i, c in enumerate(pf.money_contexts) if c.before]
    units: dict[str, str] = {}
    for table in uf.units.values():
        units.update(_lower_map(table))
    periods = {
        **_lower_map(uf.periods.nouns),
        **_lower_map(uf.periods.adverbs),
        **_lower_map(uf.periods.adjectives),
    }
    invariant = {_key(d.plural) for d in nf.demonyms if d.invariant}
    return _Rules(
        grammar=grammar,
        rules=rules,
        cues=cues,
        periods=periods,
        units=units,
        to_metres=uf.to_metres,
        months=_lower_map(uf.months),
        clock=clock,
        currencies=currencies,
        money_before=_compile("|".join(before_parts), f"{_PATTERNS_FILE}: money_contexts")
        if before_parts
        else None,
        money_before_kinds=[(c.kind, c.strong) for c in pf.money_contexts],
        money_after=[
            (c.kind, _compile(c.after, f"{_PATTERNS_FILE}: money_contexts.{c.kind}"))
            for c in pf.money_contexts
            if c.after
        ],
        money_window=pf.money_window,
        money_costs=_compile(pf.money_costs, f"{_PATTERNS_FILE}: money_costs") if pf.money_costs else None,
        promise=_compile(pf.promise_cue, f"{_PATTERNS_FILE}: promise_cue") if pf.promise_cue else None,
        invariant=invariant,
        family={_key(w) for w in nf.family_nouns},
        family_cue=_compile(nf.family_cue, "count_nouns.yaml: family_cue") if nf.family_cue else None,
        invariant_next=_compile(
            rf"\s+(?:(?P<ok>{word_alternation(nf.invariant_followers)})|(?P<word>(?-i:[a-z])[\w’'-]*))",
            "count_nouns.yaml: invariant_followers",
        ),
        number_words=frozenset(
            w
            for table in (grammar.units, grammar.tens, grammar.scales, grammar.groups, grammar.vague)
            for w in table
        ),
        year_prep=_compile(
            rf"{word_alternation(nf.year_prepositions)}[\s-]*$", "count_nouns.yaml: year_prepositions"
        ),
        examples=examples,
    )


def pattern_examples() -> list[tuple[str, str, str]]:
    """(pattern id, kind, example sentence) for every example in patterns.yaml (for tests)."""
    return list(_load_rules().examples)


# ---------------------------------------------------------------------------------------------
# Extraction


def _groups(m: re.Match[str]) -> dict[str, str]:
    """Named groups that matched; `x__2` counts as a second spelling of `x`."""
    out: dict[str, str] = {}
    for name, val in m.groupdict().items():
        if val is not None:
            out.setdefault(name.split("__", 1)[0], val)
    return out


@dataclass(slots=True)
class _Doc:
    """One call's working state: the text, its sentences, and what was found."""

    text: str
    sentences: list[Sentence]
    facts: list[tuple[int, Fact]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    cue_cache: dict[tuple[str, int], bool] = field(default_factory=dict)
    amount_end: dict[int, int] = field(default_factory=dict)

    def drop(self, kind: str, start: int, end: int, reason: str) -> None:
        self.dropped.append(
            {"stage": "facts", "kind": kind, "quote": self.text[start:end], "start": start, "reason": reason}
        )


class FactExtractor:
    """Find normalised facts in a text, sentence by sentence.

    The knowledge files are loaded and compiled once per process (the first instance pays);
    an instance holds no per-document state and may be shared across threads.
    """

    def __init__(self) -> None:
        self._r = _load_rules()
        self._handlers: dict[str, Callable[[_Rule, re.Match[str], _Doc, int], None]] = {
            "number": self._h_number,
            "count": self._h_count,
            "money": self._h_money,
            "clock_span": self._h_clock,
            "date": self._h_date,
            "year": self._h_year,
            "pay_ratio": self._h_pay_ratio,
            "age": self._h_age,
        }

    def __call__(self, text: str, sentences: Sequence[Sentence]) -> tuple[list[Fact], list[dict[str, Any]]]:
        """Extract facts. text: the normalised text; sentences: its sentences (offsets into text).

        Returns (facts sorted by (start, kind, end), dropped values as dicts with stage, kind,
        quote, start and reason). With no sentences, the whole text counts as one sentence.
        """
        sents = sorted(sentences, key=lambda s: (s.start, s.end)) or [Sentence(0, len(text), 0, text)]
        doc = _Doc(text, sents)
        index: dict[str, list[int]] = {}
        for si, s in enumerate(sents):
            for feat in self._features(text, s):
                index.setdefault(feat, []).append(si)
        vocab = set(index)
        for rule in self._r.rules:
            chosen = self._sentences(rule, index, vocab)
            if not chosen:
                continue
            handler = self._handlers[rule.spec.handler]
            for si in chosen:
                if rule.spec.requires and not all(self._cue(doc, cue, si) for cue in rule.spec.requires):
                    continue
                s = sents[si]
                for m in rule.regex.finditer(text, s.start, s.end):
                    if m.end() == m.start():
                        continue
                    if rule.spec.drop:
                        start, end = _span(m, text)
                        doc.drop(rule.spec.kind or "", start, end, rule.spec.drop)
                    else:
                        handler(rule, m, doc, si)
        return _resolve(doc.facts), _unique(doc.dropped)

    # -- sentence selection ------------------------------------------------------------------

    def _features(self, text: str, s: Sentence) -> set[str]:
        """A sentence's words (lower case) and signs, plus #digit / #number where it has numbers."""
        low = text[s.start : s.end].lower()
        feats = set(_WORD_OR_SIGN.findall(low))
        if _DIGIT.search(low):
            feats.update(("#digit", "#number"))
        elif not feats.isdisjoint(self._r.number_words):
            feats.add("#number")
        return feats

    @staticmethod
    def _sentences(rule: _Rule, index: dict[str, list[int]], vocab: set[str]) -> list[int]:
        """Indices of the sentences that hold the rule's trigger words and numbers (sorted)."""
        chosen: set[int] | None = set(index.get(rule.needs, ())) if rule.needs else None
        if rule.needs and not chosen:
            return []
        for group in rule.trigger:
            found: set[int] = set()
            for word in group & vocab:
                found.update(index[word])
            chosen = found if chosen is None else chosen & found
            if not chosen:
                return []
        return sorted(chosen) if chosen is not None else sorted({i for ids in index.values() for i in ids})

    def _cue(self, doc: _Doc, cue: str, si: int) -> bool:
        key = (cue, si)
        if key not in doc.cue_cache:
            s = doc.sentences[si]
            doc.cue_cache[key] = self._r.cues[cue].search(doc.text, s.start, s.end) is not None
        return doc.cue_cache[key]

    # -- shared helpers ------------------------------------------------------------------------

    def _parse(self, raw: str | None) -> NumberValue | None:
        return self._r.grammar.parse(raw) if raw else None

    def _qualifier(self, m: re.Match[str], g: dict[str, str], parsed: NumberValue | None) -> str | None:
        gram = self._r.grammar
        qual = gram.qualifier_in(g.get("qual"))
        post = gram.post_qualifier_of(g.get("postqual"))
        return post or qual or (parsed.qualifier if parsed else None)

    def _period(self, g: dict[str, str]) -> str | None:
        raw = g.get("per") or g.get("per_adj")
        return self._r.periods.get(_key(raw)) if raw else None

    def _emit(self, doc: _Doc, rule: _Rule, start: int, end: int, **kw: Any) -> None:
        kw.setdefault("extra", {})
        fact = Fact(
            kind=kw.pop("kind", rule.spec.kind or ""), start=start, end=end, quote=doc.text[start:end], **kw
        )
        doc.facts.append((rule.priority, fact))

    def _limit(self, rule: _Rule, kind: str, doc: _Doc, start: int, end: int, top: float) -> bool:
        """True when the value is within the pattern's max; else drop it (or skip) and say False."""
        limit = rule.spec.max
        if isinstance(limit, dict):
            limit = limit.get(kind)
        if limit is None or top <= limit:
            return True
        if rule.spec.over_max == "drop":
            doc.drop(kind, start, end, f"{top:g} is over the {limit:g} that {kind} allows")
        return False

    # -- handlers ------------------------------------------------------------------------------

    def _h_number(self, rule: _Rule, m: re.Match[str], doc: _Doc, si: int, **extra: Any) -> None:
        """Value or range, qualifier, period, unit: the shape most facts take."""
        spec = rule.spec
        g = _groups(m)
        start, end = _span(m, doc.text)
        per = self._period(g)
        kind = spec.kind
        if spec.kind_by_per:
            kind = spec.kind_by_per.get(per or "")
            if kind is None:
                return
        assert kind is not None
        per = per or spec.per
        lo = self._parse(g.get("lo"))
        hi = self._parse(g.get("hi"))
        if (g.get("lo") and lo is None) or (g.get("hi") and hi is None):
            doc.drop(kind, start, end, "number not understood")
            return
        value = lo.value if lo else spec.value
        if value is None:
            return
        low = high = None
        if hi is not None:
            low, high, value = value, hi.value, None
            if high < low:
                doc.drop(kind, start, end, "range ends below its start")
                return
        out = dict(spec.extra, **extra)
        if spec.complement is not None and value is not None:
            if not 0 <= value <= spec.complement:
                return
            out["derived_from"] = f"{value:g} working days per {per}"
            value = spec.complement - value
        unit = spec.unit
        if g.get("unit"):
            unit = self._r.units.get(_key(g["unit"]), unit)
        if spec.convert_to and unit and unit != spec.convert_to and unit in self._r.to_metres:
            factor = self._r.to_metres[unit]
            out["stated"] = (
                f"{(value if value is not None else low):g}" + (f"-{high:g}" if high else "") + f" {unit}"
            )
            value, low, high = (None if v is None else round(v * factor, 2) for v in (value, low, high))
            unit = spec.convert_to
        top = high if high is not None else value
        if top is not None and not self._limit(rule, kind, doc, start, end, top):
            return
        if g.get("per_n"):
            every = self._parse(g["per_n"])
            if every and every.value != 1:
                out["per_count"] = every.value
        if g.get("what"):
            out["of"] = _key(g["what"])
        qualifier = spec.qualifier or self._qualifier(m, g, lo)
        self._emit(
            doc, rule, start, end, kind=kind, value=value, min=low, max=high, unit=unit, per=per,
            qualifier=qualifier, extra=out,
        )  # fmt: skip

    def _h_count(self, rule: _Rule, m: re.Match[str], doc: _Doc, si: int) -> None:
        """A number of people: not a year ("in 2000 workers"), not an adjective ("300 Chinese firms")."""
        g = _groups(m)
        lo = g.get("lo", "")
        if re.fullmatch(r"(?:19|20)\d\d", lo) and self._r.year_prep.search(
            doc.text, max(0, m.start("lo") - 12), m.start("lo")
        ):
            return
        noun = _key(g["noun"])
        cue = self._r.family_cue
        if noun in self._r.family and cue and cue.search(doc.text, max(0, m.start() - 12), m.start()):
            return
        if noun in self._r.invariant:
            nxt = self._r.invariant_next.match(doc.text, m.end(), doc.sentences[si].end)
            if nxt and nxt.group("word") and not nxt.group("ok"):
                return
        self._h_number(rule, m, doc, si, noun=noun)

    def _h_age(self, rule: _Rule, m: re.Match[str], doc: _Doc, si: int) -> None:
        """An age; extra.minor when it is (or a range starts) under 18."""
        g = _groups(m)
        lo = self._parse(g.get("lo"))
        if lo is None:
            return
        qual = self._qualifier(m, g, lo)
        minor = lo.value < 18 or (qual == "less_than" and lo.value <= 18)
        self._h_number(rule, m, doc, si, minor=minor)

    def _h_year(self, rule: _Rule, m: re.Match[str], doc: _Doc, si: int) -> None:
        """A year; one followed by a noun ("2000 workers") is a year only after "in", "since"..."""
        g = _groups(m)
        if g.get("follow") and not self._r.year_prep.search(doc.text, max(0, m.start() - 12), m.start()):
            return
        start, end = m.span("lo")
        self._emit(doc, rule, start, end, value=int(g["lo"]))

    def _h_date(self, rule: _Rule, m: re.Match[str], doc: _Doc, si: int) -> None:
        """A full date (extra.date "YYYY-MM-DD") or a month and year ("YYYY-MM")."""
        g = _groups(m)
        start, end = _span(m, doc.text)
        month = self._r.months.get(_key(g["mon"])) if g.get("mon") else int(g.get("m", "0"))
        year = int(g["y"])
        try:
            if g.get("d"):
                iso = date(year, month or 0, int(g["d"])).isoformat()
            else:
                iso = date(year, month or 0, 1).isoformat()[:7]
        except ValueError:
            doc.drop("date", start, end, "no such date")
            return
        self._emit(doc, rule, start, end, extra={"date": iso})

    def _h_pay_ratio(self, rule: _Rule, m: re.Match[str], doc: _Doc, si: int) -> None:
        """'paid five times more for three times less work': value 5, extra.work_ratio 3."""
        g = _groups(m)
        start, end = _span(m, doc.text)
        lo, hi = self._parse(g.get("lo")), self._parse(g.get("hi"))
        if lo is None:
            doc.drop("pay_ratio", start, end, "number not understood")
            return
        extra: dict[str, Any] = {"direction": _key(g["dir"]).replace(" ", "_")}
        if hi is not None:
            extra["work_ratio"] = hi.value
            extra["work_direction"] = _key(g.get("dir2", "")).replace(" ", "_")
        self._emit(doc, rule, start, end, value=lo.value, extra=extra)

    def _h_clock(self, rule: _Rule, m: re.Match[str], doc: _Doc, si: int) -> None:
        """Working hours derived from a clock span; spans crossing midnight add 24 hours."""
        start, end = _span(m, doc.text)
        t1, t2 = self._r.clock.minutes(m.group("t1")), self._r.clock.minutes(m.group("t2"))
        if t1 is None and t2 is None:
            return
        if t1 is None or t2 is None:
            doc.drop("hours_per_day", start, end, "clock time without am/pm or part of day")
            return
        minutes = (t2 - t1) % (24 * 60)
        if minutes == 0:
            doc.drop("hours_per_day", start, end, "span starts and ends at the same time")
            return
        span = f"{t1 // 60:02d}:{t1 % 60:02d}-{t2 // 60:02d}:{t2 % 60:02d}"
        hours = minutes / 60
        value = int(hours) if hours.is_integer() else round(hours, 2)
        self._emit(doc, rule, start, end, value=value, extra={"derived_from": span})

    def _h_money(self, rule: _Rule, m: re.Match[str], doc: _Doc, si: int) -> None:
        """An amount with a currency, classed as wage, wage_deduction, recruitment_fee, debt or money.

        The quote runs from the cue that gave the class ("deducted", "fee of") to the amount and
        what it was for ("$50 for the visa").
        """
        g = _groups(m)
        tokens = [g[k] for k in ("pre1", "post1", "pre2", "post2") if k in g]
        if not tokens:
            return
        kind, start, end = self._money_kind(m, g, doc, si)
        amount_end = _span(m, doc.text)[1]
        doc.amount_end[si] = amount_end
        found = [
            self._r.currencies.get(" ".join(t.split())) or self._r.currencies.get(_key(t)) for t in tokens
        ]
        curs = {c for c in found if c is not None}
        if len({c.codes for c in curs}) != 1:
            doc.drop(kind, start, end, "two currencies in one amount")
            return
        cur = next(iter(curs))
        if len(cur.codes) > 1:
            doc.drop(
                kind, start, end, f"ambiguous currency ({', '.join(cur.codes)}); the text names no country"
            )
            return
        lo = self._parse(g["lo"] + g.get("sfx1", ""))
        hi = self._parse(g["hi"] + g.get("sfx2", "")) if g.get("hi") else None
        if lo is None or (g.get("hi") and hi is None):
            doc.drop(kind, start, end, "amount not understood")
            return
        if cur.min_amount is not None and lo.value < cur.min_amount:
            return
        if kind == "wage" and lo.qualifier is not None:  # "millions of euros" is no wage
            kind = "money"
        costs = self._r.money_costs
        if kind == "wage" and costs and costs.search(doc.text[amount_end : doc.sentences[si].end]):
            kind = "money"  # "paid $10 a day for a bed"
        extra: dict[str, Any] = {"equivalent": True} if g.get("equiv") else {}
        if kind != "wage":
            what = _FOR.match(doc.text, amount_end, doc.sentences[si].end)
            if what:
                extra["for"] = what.group(1).lower()
                end = max(end, what.end())
        if kind == "wage" and self._r.promise:
            window = doc.text[max(doc.sentences[si].start, start - self._r.money_window) : amount_end]
            if self._r.promise.search(window):
                extra["promised"] = True
        value: float | None = lo.value
        low = high = None
        if hi is not None:
            value, low, high = None, lo.value, hi.value
            if high < low:
                doc.drop(kind, start, end, "range ends below its start")
                return
        self._emit(
            doc, rule, start, end, kind=kind, value=value, min=low, max=high, currency=cur.codes[0],
            per=self._period(g), qualifier=self._qualifier(m, g, lo), extra=extra,
        )  # fmt: skip

    def _money_kind(self, m: re.Match[str], g: dict[str, str], doc: _Doc, si: int) -> tuple[str, int, int]:
        """Class an amount by the words right after it, then the nearest cue before it, then its
        period; returns the kind and the quote's span, widened to the cue."""
        s = doc.sentences[si]
        start, end = _span(m, doc.text)
        after = doc.text[end : min(s.end, end + self._r.money_window)]
        for kind, rx in self._r.money_after:
            hit = rx.search(after)
            if hit:
                return kind, start, end + hit.end()
        if g.get("wage_noun"):
            return "wage", start, end
        rx_before = self._r.money_before
        if rx_before is not None:
            floor = max(s.start, start - self._r.money_window, doc.amount_end.get(si, s.start))
            best: tuple[bool, int, str] | None = None  # (strong, position, kind): the largest wins
            for hit in rx_before.finditer(doc.text, floor, start):
                kind, strong = self._r.money_before_kinds[int((hit.lastgroup or "c0")[1:])]
                best = max(best, (strong, hit.start(), kind)) if best else (strong, hit.start(), kind)
            if best is not None:
                return best[2], best[1], end
        return ("wage" if g.get("per") else "money"), start, end


def _span(m: re.Match[str], text: str) -> tuple[int, int]:
    """The quote's span: group `q` where the pattern has one, else the match; whitespace trimmed."""
    start, end = m.span("q") if "q" in m.re.groupindex and m.group("q") is not None else m.span()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _resolve(found: list[tuple[int, Fact]]) -> list[Fact]:
    """Keep one fact per stretch of text and kind (the longest; then the earlier pattern); a year
    inside another fact ("2017" of "22 December 2017") goes. Sorted by (start, kind, end)."""
    ranked = sorted(found, key=lambda pf: (-(pf[1].end - pf[1].start), pf[0], pf[1].start))
    kept_by_kind: dict[str, list[tuple[int, int]]] = {}
    kept: list[Fact] = []
    for _, fact in ranked:
        spans = kept_by_kind.setdefault(fact.kind, [])  # sorted, not overlapping
        i = bisect.bisect_left(spans, (fact.start, fact.end))
        if (i > 0 and spans[i - 1][1] > fact.start) or (i < len(spans) and spans[i][0] < fact.end):
            continue
        spans.insert(i, (fact.start, fact.end))
        kept.append(fact)
    others = sorted((f.start, f.end) for f in kept if f.kind != "year")
    longest = max((e - s for s, e in others), default=0)

    def inside_other(f: Fact) -> bool:
        i = bisect.bisect_left(others, (f.end, f.end))
        return any(
            s < f.end and f.start < e for s, e in others[bisect.bisect_left(others, (f.start - longest,)) : i]
        )

    kept = [f for f in kept if f.kind != "year" or not inside_other(f)]
    return sorted(kept, key=lambda f: (f.start, f.kind, f.end))


def _unique(dropped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for d in sorted(dropped, key=lambda d: (d["start"], d["kind"], d["reason"])):
        key = (d["start"], d["kind"], d["quote"], d["reason"])
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
