"""How quantities are written: numbers in digits or words, qualifiers, clock times, and the
vocabulary files of `knowledge/facts/` that say so.

`parse_number` reads a number; `NumberGrammar` and `ClockGrammar` turn number_words.yaml and
the clock section of units.yaml into regex fragments (for the facts stage) and parse what those
fragments match. `load_validated` reads one file of `knowledge/facts/` and checks it against its
pydantic model (CurrencyFile, UnitsFile, CountFile here; the pattern file in facts.py); errors
name the file and the key.

    >>> parse_number("1.5 million").value
    1500000
    >>> value, qualifier = parse_number("tens of thousands")
    >>> (value, qualifier)
    (10000, 'more_than')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from labourlens.errors import InvalidKnowledge

FACTS_DIR = "knowledge/facts"

# Thousands separators: comma, or a plain, no-break, narrow no-break or thin space ("10 000").
_GROUP_SPACE = "[ \u00a0\u202f\u2009]"
_DIGITS = rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?!\d)|\d+(?:\.\d+)?"
_DIGIT_START = re.compile(r"\d")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")


class StrictModel(BaseModel):
    """A knowledge-file model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CurrencySpec(StrictModel):
    """A currency (code) or a name several currencies share (codes); see currencies.yaml."""

    code: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    codes: list[str] = Field(default_factory=list)
    before: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    min_amount: float | None = None
    guard: str | None = None


class CurrencyFile(StrictModel):
    format: Literal["labourlens.currencies/1"]
    currencies: list[CurrencySpec]
    ambiguous: list[CurrencySpec] = Field(default_factory=list)


class PeriodSpec(StrictModel):
    nouns: dict[str, str]
    per_words: list[str]
    adverbs: dict[str, str]
    adjectives: dict[str, str]


class ClockSpec(StrictModel):
    am: list[str]
    pm: list[str]
    oclock: list[str]
    parts_of_day: dict[str, Literal["am", "pm", "night", "next_am"]]
    named: dict[str, int]


class UnitsFile(StrictModel):
    format: Literal["labourlens.units/1"]
    periods: PeriodSpec
    units: dict[str, dict[str, str]]
    to_metres: dict[str, float]
    months: dict[str, int]
    clock: ClockSpec


class DemonymSpec(StrictModel):
    adjective: str
    plural: str
    invariant: bool = False


class CountFile(StrictModel):
    format: Literal["labourlens.count_nouns/1"]
    nouns: list[str]
    modifiers: list[str]
    demonyms: list[DemonymSpec]
    invariant_followers: list[str]
    family_nouns: list[str] = Field(default_factory=list)
    family_cue: str | None = None
    year_prepositions: list[str]


_M = TypeVar("_M", bound=BaseModel)


def load_validated(model: type[_M], name: str, fmt: str) -> _M:
    """Read and validate one file of knowledge/facts/; errors name the file and the key."""
    data = load_fact_file(name, fmt)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InvalidKnowledge(
            f"{FACTS_DIR}/{name}: {where}: {err['msg']}.",
            hint="Fix the entry; the file's header says what it takes.",
        ) from exc


@dataclass(frozen=True, slots=True)
class NumberValue:
    """A parsed number. value: the number (an int when whole); qualifier: more_than, about, ... or None.

    Unpacks as a pair: `value, qualifier = parse_number("over 5,000")`.
    """

    value: float
    qualifier: str | None = None

    def __iter__(self) -> Iterator[Any]:
        yield self.value
        yield self.qualifier


def load_fact_file(name: str, fmt: str) -> dict[str, Any]:
    """Read one YAML file of `knowledge/facts/` shipped in the package and check its format line.

    name: the file name ("number_words.yaml"); fmt: the expected `format:` value.
    """
    path = f"{FACTS_DIR}/{name}"
    try:
        raw = resources.files("labourlens").joinpath(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidKnowledge(
            f"{path}: can't read the file ({exc}).", hint="Reinstall labourlens or restore the file."
        ) from exc
    try:
        data = yaml.load(raw, Loader=_YAML_LOADER)  # a safe loader (the C one where built)
    except yaml.YAMLError as exc:
        raise InvalidKnowledge(f"{path}: not valid YAML ({exc}).", hint="Fix the YAML syntax.") from exc
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise InvalidKnowledge(
            f"{path}: expected a mapping whose 'format' is {fmt!r}.",
            hint=f"Start the file with 'format: {fmt}'.",
        )
    return data


def first_chars(tokens: Iterable[str], *, exact: bool = False, boundary: bool = True) -> str:
    """A lookahead for the first characters of the tokens: lets the regex engine skip a long
    alternation in one step at positions where none of its words can start.

    exact: match the characters in their case only (for case-sensitive tokens such as "USD").
    boundary: start with a word boundary where every token starts with a letter or digit.
    """
    toks = [t for t in tokens if t]
    chars = sorted(
        {t[0] for t in toks} if exact else {t[0].lower() for t in toks} | {t[0].upper() for t in toks}
    )
    if not chars:
        return "(?!)"
    head = r"\b" if boundary and all(t[0].isalnum() for t in toks) else ""
    body = "[" + "".join(re.escape(c) for c in chars) + "]"
    return head + (f"(?=(?-i:{body}))" if exact else f"(?={body})")


def word_alternation(words: Iterable[str], *, boundary: bool = True) -> str:
    """A non-capturing regex alternation of words and phrases, as a trie, longer words first.

    Matching is meant for re.IGNORECASE (the trie is built on lower case). Spaces inside a
    phrase match any run of whitespace; a word edge that is a letter or digit gets a word
    boundary, so "day" does not match inside "daylight". The trie keeps the regex engine from
    trying every word at every position. boundary=False drops the boundary before the words,
    for units glued to a number ("6m", "12ft").
    """
    unique = sorted({" ".join(w.lower().split()) for w in words if w.strip()})
    if not unique:
        return "(?!)"
    trie: dict[str, Any] = {}
    for word in unique:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return first_chars(unique, boundary=boundary) + _trie_regex(trie, "")


def _trie_regex(node: dict[str, Any], last: str) -> str:
    """The regex of a trie node; `last` is the character that led to it (for the word boundary)."""
    branches = [
        (r"\s+" if ch == " " else re.escape(ch)) + _trie_regex(child, ch)
        for ch, child in sorted(node.items())
        if ch
    ]
    if "" in node:
        branches.append(r"\b" if last.isalnum() else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _mapping(data: Mapping[str, Any], key: str, source: str, *, nullable: bool = False) -> dict[str, Any]:
    """A mapping of lower-cased words to numbers (or qualifier strings), checked."""
    value = data.get(key)
    if not isinstance(value, dict) or not value:
        raise InvalidKnowledge(
            f"{source}: '{key}' must be a non-empty mapping.", hint="See the file's comments."
        )
    out: dict[str, Any] = {}
    for word, num in value.items():
        ok = isinstance(num, int | float | str) or (nullable and num is None)
        if not isinstance(word, str) or not ok or isinstance(num, bool):
            raise InvalidKnowledge(
                f"{source}: '{key}': bad entry {word!r}: {num!r}.", hint="Use 'word: value'."
            )
        out[" ".join(word.lower().split())] = num
    return out


def _whole(value: float) -> float:
    """An int when the number is whole (18, not 18.0), else the float."""
    return int(value) if float(value).is_integer() else float(value)


class NumberGrammar:
    """The number vocabulary, its regex fragments, and a parser for what those fragments match.

    data: the content of number_words.yaml. Fragments (all non-capturing, for re.IGNORECASE):
    `num` a number in digits or words, bounded on the left; `num_free` the same without the left
    bound (for "RM1,200"); `vague` "tens of thousands", "several hundred"; `qual` a qualifier
    phrase; `post_qual` a qualifier after the number; `range_sep` what joins a range;
    `multiplier`, `ordinal` their words.
    """

    def __init__(self, data: Mapping[str, Any], source: str = f"{FACTS_DIR}/number_words.yaml") -> None:
        self.units = _mapping(data, "units", source)
        self.tens = _mapping(data, "tens", source)
        self.scales = _mapping(data, "scales", source)
        self.groups = _mapping(data, "groups", source)
        self.articles = _mapping(data, "articles", source)
        self.suffixes = _mapping(data, "suffixes", source)
        self.vague = _mapping(data, "vague", source)
        self.vague_quantifiers = _mapping(data, "vague_quantifiers", source)
        self.multipliers = _mapping(data, "multipliers", source)
        self.ordinals = _mapping(data, "ordinals", source)
        self.qualifiers: dict[str, str | None] = _mapping(data, "qualifiers", source, nullable=True)
        self.post_qualifiers: dict[str, str | None] = _mapping(data, "post_qualifiers", source)
        self.vague_qualifier = str(data.get("vague_qualifier") or "more_than")
        self.vague_quantifier_qualifier = str(data.get("vague_quantifier_qualifier") or "at_least")
        seps = data.get("range_separators")
        if not isinstance(seps, list) or not all(isinstance(s, str) for s in seps):
            raise InvalidKnowledge(f"{source}: 'range_separators' must be a list of strings.")
        word_seps = [s for s in seps if s.isalpha()]
        sym_seps = [s for s in seps if not s.isalpha()]

        small = word_alternation([*self.units, *self.tens])
        scale = word_alternation(self.scales)
        group = word_alternation(self.groups)
        article = word_alternation(self.articles)
        token = rf"(?:{small}|{group}|{scale}(?:\s+and(?=\s+{small}))?)"
        words = rf"(?:{article}\s+(?:{scale}|{group})|{small})(?:[\s\-]+{token})*"
        digits = rf"(?:{_DIGITS})(?!\d|[.,]\d)(?:\s+(?:{scale}|{group}))*"
        self.num = rf"(?:(?=\d)(?<![\w.,])(?<![^\W\d_]-){digits}|{words})"
        self.num_free = rf"(?:(?=\d)(?<![\d.,]){digits}|{words})"
        vague = word_alternation(self.vague)
        self.vague_re = (
            rf"(?:{vague}(?:\s+of\s+{vague})*|{word_alternation(self.vague_quantifiers)}\s+(?:{scale}))"
        )
        self.qual = word_alternation(k for k in self.qualifiers)
        self.post_qual = word_alternation(self.post_qualifiers)
        sym = "|".join(re.escape(s) for s in sym_seps) or "(?!)"
        self.range_sep = rf"(?:\s*(?:{sym})\s*|\s+{word_alternation(word_seps)}\s+)"
        self.multiplier = word_alternation(self.multipliers)
        self.ordinal = word_alternation(self.ordinals)

        self._qual_rx = re.compile(self.qual, re.IGNORECASE)
        self._lead = re.compile(rf"^(?:({self.qual})\s+)?(?:({self.qual})\s+)?(.+)$", re.IGNORECASE)
        self._trail = re.compile(rf"^(.+?)\s*({self.post_qual})$", re.IGNORECASE)
        self._digits = re.compile(
            rf"^({_DIGITS})(?:\s*({suffix_alternation(self.suffixes)}))?((?:\s+(?:{scale}|{group}))*)$",
            re.IGNORECASE,
        )
        self._cache: dict[str, NumberValue | None] = {}

    def qualifier_of(self, phrase: str | None) -> str | None:
        """The qualifier a phrase before a number gives ("more than" -> "more_than"), else None."""
        if not phrase:
            return None
        return self.qualifiers.get(" ".join(phrase.lower().split()))

    def qualifier_in(self, phrase: str | None) -> str | None:
        """The qualifier of one or two qualifier phrases in a row ("a total of around" -> "about")."""
        qualifier = None
        for m in self._qual_rx.finditer(phrase or ""):
            qualifier = self.qualifier_of(m.group(0)) or qualifier
        return qualifier

    def post_qualifier_of(self, phrase: str | None) -> str | None:
        """The qualifier a phrase after a number gives ("or more" -> "at_least"), else None."""
        if not phrase:
            return None
        return self.post_qualifiers.get(" ".join(phrase.lower().split()))

    def parse(self, text: str) -> NumberValue | None:
        """Parse a number in digits or words, with an optional qualifier before or after it.

        text: e.g. "five", "5,000", "10 000", "1.5 million", "twenty-five", "a dozen",
        "tens of thousands", "more than 18", "five or more", "twice". None when it is not a number.
        """
        if text in self._cache:
            return self._cache[text]
        result = self._parse(text)
        if len(self._cache) < 50_000:
            self._cache[text] = result
        return result

    def _parse(self, text: str) -> NumberValue | None:
        key = " ".join(text.replace("\u2011", "-").split())
        m = self._lead.match(key)
        if not m:
            return None
        qualifier = None
        for phrase in (m.group(1), m.group(2)):
            qualifier = self.qualifier_of(phrase) or qualifier
        rest = m.group(3)
        trail = self._trail.match(rest)
        if trail:
            rest = trail.group(1)
            qualifier = self.post_qualifier_of(trail.group(2)) or qualifier
        parsed = self._bare(rest)
        if parsed is None:
            return None
        value, implied = parsed
        return NumberValue(_whole(value), qualifier or implied)

    def _bare(self, text: str) -> tuple[float, str | None] | None:
        """The value of a number without qualifiers, and the qualifier a vague phrase implies."""
        low = text.lower()
        for table in (self.multipliers, self.ordinals):
            if low in table:
                return float(table[low]), None
        if _DIGIT_START.match(low):
            return self._digits_value(low)
        words = low.split(" of ")
        if words and all(w in self.vague for w in words):
            value = 1.0
            for w in words:
                value *= float(self.vague[w])
            return value, self.vague_qualifier
        for quant, base in self.vague_quantifiers.items():
            scale = self.scales.get(low[len(quant) + 1 :]) if low.startswith(quant + " ") else None
            if scale is not None:
                return float(base) * float(scale), self.vague_quantifier_qualifier
        total = self._words_value(low)
        return None if total is None else (total, None)

    def _digits_value(self, low: str) -> tuple[float, str | None] | None:
        m = self._digits.match(low)
        if not m:
            return None
        raw = re.sub(r"[,\s]", "", m.group(1))
        try:
            value = Decimal(raw)
        except InvalidOperation:
            return None
        if m.group(2):
            value *= Decimal(self.suffixes[m.group(2)])
        for word in m.group(3).split():
            value *= Decimal(self.scales.get(word) or self.groups[word])
        return float(value), None

    def _words_value(self, low: str) -> float | None:
        """Add up number words: "two thousand five hundred and twelve" -> 2512; None when ill-formed."""
        tokens = [t for t in _SPLIT.split(low) if t]
        total = current = last_scale = 0.0
        last = ""
        for i, tok in enumerate(tokens):
            if tok in self.articles:
                if i != 0:
                    return None
                current, last = float(self.articles[tok]), "article"
            elif tok == "and" and last == "scale":
                continue
            elif tok in self.units:
                value = float(self.units[tok])
                if last in ("unit", "article") or (last == "tens" and value >= 10):
                    return None
                current += value
                last = "unit"
            elif tok in self.tens:
                if last in ("unit", "tens", "article"):
                    return None
                current += float(self.tens[tok])
                last = "tens"
            elif tok in self.groups:
                current = (current or 1.0) * float(self.groups[tok])
                last = "unit"
            elif tok in self.scales:
                scale = float(self.scales[tok])
                if current == 0 or (last == "scale" and (scale < 1000 or last_scale >= 1000)):
                    return None
                last_scale = scale
                if scale < 1000:
                    current *= scale
                else:
                    total += current * scale
                    current = 0.0
                last = "scale"
            else:
                return None
        if not tokens or (last == "article" and len(tokens) > 1):
            return None
        return total + current


def suffix_alternation(tokens: Iterable[str]) -> str:
    """An alternation of words glued to what precedes them ("7am", "7 a.m."): no left boundary."""
    unique = sorted(set(tokens), key=lambda t: (-len(t), t))
    parts = [
        re.escape(t).replace("'", "['’]").replace("’", "['’]") + (r"(?![^\W\d_])" if t[-1:].isalnum() else "")
        for t in unique
    ]
    return first_chars(unique, boundary=False) + "(?:" + "|".join(parts) + ")"


class ClockGrammar:
    """Clock times in digits or words: "7am", "19:30", "six in the morning", "midnight".

    clock: the `clock` section of units.yaml;
    hours: number words and their values (the words for 1-12 name hours).
    `time` is the regex fragment; `minutes()` reads what it matched.
    """

    def __init__(self, clock: ClockSpec, hours: Mapping[str, Any]) -> None:
        self.parts: dict[str, str] = {" ".join(k.lower().split()): v for k, v in clock.parts_of_day.items()}
        self.named: dict[str, int] = {k.lower(): v for k, v in clock.named.items()}
        self.hours = {w: int(v) for w, v in hours.items() if 1 <= v <= 12}
        ampm = suffix_alternation([*clock.am, *clock.pm])
        oclock = suffix_alternation(clock.oclock)
        parts = word_alternation(self.parts)
        hour = rf"(?:\d{{1,2}}(?![\d:.]\d)|{word_alternation(self.hours)})"
        self.time = (
            rf"(?:\d{{1,2}}[:.]\d{{2}}(?:\s*{ampm})?(?:\s+{parts})?|{hour}(?:\s*{ampm}|\s+{oclock})(?:\s+{parts})?"
            rf"|{hour}\s+{parts}|{word_alternation(self.named)}|{hour})"
        )
        self._am = re.compile(suffix_alternation(clock.am), re.IGNORECASE)
        self._pm = re.compile(suffix_alternation(clock.pm), re.IGNORECASE)
        self._parts = re.compile(parts, re.IGNORECASE)
        self._hour = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?|([a-z]+)")

    def minutes(self, raw: str) -> int | None:
        """Minutes after midnight, or None where the time is unsure ("7", "7:00": am or pm?).

        A 24-hour time ("19:30", "07:00") needs no am/pm. "at night" reads 6-11 as evening and
        12-5 as small hours; "the next morning" as the small hours of the next day.
        """
        low = " ".join(raw.lower().replace("’", "'").split())
        if low in self.named:
            return self.named[low] * 60
        hm = self._hour.match(low)
        if not hm:
            return None
        if hm.group(3):
            if hm.group(3) not in self.hours:
                return None
            hour, minute = self.hours[hm.group(3)], 0
        else:
            hour, minute = int(hm.group(1)), int(hm.group(2) or 0)
        if hour > 23 or minute > 59:
            return None
        rest = low[hm.end() :]
        part = self._parts.search(rest)
        mode = self.parts.get(" ".join(part.group(0).split())) if part else None
        if self._am.search(rest):
            mode = "am"
        elif self._pm.search(rest):
            mode = "pm"
        if mode is None:
            is_24h = hm.group(2) is not None and (hour > 12 or hm.group(1).startswith("0"))
            return hour * 60 + minute if is_24h else None
        if hour > 12:
            return None
        if mode == "pm":
            hour = hour % 12 + 12
        elif mode == "night":
            hour = hour + 12 if 6 <= hour <= 11 else hour % 12
        else:  # am, next_am
            hour %= 12
        return hour * 60 + minute


@lru_cache(maxsize=1)
def default_grammar() -> NumberGrammar:
    """The grammar built from the shipped number_words.yaml, loaded once."""
    return NumberGrammar(load_fact_file("number_words.yaml", "labourlens.number_words/1"))


def parse_number(text: str) -> NumberValue | None:
    """Parse a number in digits or words ("five" -> 5, "5,000" -> 5000, "1.5 million" -> 1500000).

    text: the number, optionally with a qualifier ("more than 18", "five or more"). Vague
    plurals give the smallest amount they can mean and a qualifier: "tens of thousands" ->
    (10000, "more_than"), "hundreds" -> (100, "more_than"), "several thousand" -> (3000,
    "at_least"). Returns a NumberValue (unpacks as (value, qualifier)), or None.
    """
    return default_grammar().parse(text)
