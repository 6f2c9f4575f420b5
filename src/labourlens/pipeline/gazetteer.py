"""Gazetteers of places, nationalities, organisations, sectors and roles, loaded once from package data.

The data files live in `labourlens/knowledge/gazetteers/` (see the README there). Names are matched
token by token against phrase tables: a key is the lower-cased tokens joined by their normalised
separators ("north korea", "ulan-ude", "people's republic of china"), and each alias keeps the
shape of its capitals so that "UN" matches "UN" but not "un", and "Russia" needs a capital R.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from labourlens.errors import InvalidKnowledge

TOKEN_RE = re.compile(r"\w+")
SIMPLE_PHRASE_RE = re.compile(r"\w+(?: \w+)*")
ISO2_RE = re.compile(r"^[A-Z]{2}$")

# Where the package's gazetteer files live, relative to the `labourlens` package.
DATA_PARTS = ("knowledge", "gazetteers")

# Lower number wins when two gazetteers know the same name ("Kursk region" is a curated place,
# "Georgia" is the country, not a US state).
PRIORITY = {"places": 0, "countries": 1, "nationalities": 2, "organizations": 3, "cities": 4}

ENTITY_TYPES = ("person", "organization", "place", "nationality", "sector", "role")

_HYPHENS = frozenset("-‐‑–")
_APOSTROPHES = frozenset("'’‘")

try:  # the C loader is much faster; fall back where libyaml is absent
    _YamlLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _YamlLoader = yaml.SafeLoader


def normalise_gap(gap: str) -> str | None:
    """The canonical form of the characters between two tokens of one name; None where no name spans them.

    gap: the text between two word tokens (never empty).
    """
    if gap == " ":
        return " "
    if gap.isspace():
        return " " if len(gap) <= 3 and gap.count("\n") <= 1 else None
    if len(gap) == 1:
        if gap in _HYPHENS:
            return "-"
        if gap in _APOSTROPHES:
            return "'"
        if gap == "." or gap == "&":
            return gap
        return None
    stripped = gap.strip(" \u00a0")
    if stripped in _APOSTROPHES and gap[0] in _APOSTROPHES:
        return "' "
    if stripped == "&":
        return "&"
    if stripped == "." and gap[0] == ".":
        return ". "
    return None


def shape_of(token: str) -> str:
    """How a text token must be written to match this alias token.

    "A": exactly (acronyms and words with inner capitals: "UN", "YouTube"); "U": with a capital
    first letter ("Russia"); "l": in any case ("of", "construction").
    """
    rest = token[1:]
    if rest != rest.lower():
        return "A"
    if token[:1].isupper():
        return "U"
    return "l"


def make_key(phrase: str) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
    """Split a phrase into its key, tokens, token shapes and key prefixes; None if no text could match it.

    phrase: a name or trigger as written in a data file. The prefixes are the keys of the phrase's
    first 1..n-1 tokens, which let a scan stop as soon as no longer key can follow.
    """
    if SIMPLE_PHRASE_RE.fullmatch(phrase):  # the common case: words and single spaces
        low = phrase.lower()
        if " " not in phrase:
            return low, (phrase,), (shape_of(phrase),), ()
        parts = phrase.split(" ")
        lows = [part.lower() for part in parts]
        prefixes_fast = tuple(" ".join(lows[:k]) for k in range(1, len(lows)))
        return " ".join(lows), tuple(parts), tuple(shape_of(part) for part in parts), prefixes_fast
    matches = list(TOKEN_RE.finditer(phrase))
    if not matches:
        return None
    tokens = tuple(m.group() for m in matches)
    key = tokens[0].lower()
    prefixes: list[str] = []
    for prev, cur in itertools.pairwise(matches):
        gap = normalise_gap(phrase[prev.end() : cur.start()])
        if gap is None:
            return None
        prefixes.append(key)
        key = key + gap + cur.group().lower()
    return key, tokens, tuple(shape_of(t) for t in tokens), tuple(prefixes)


def _shape_ok(words: Sequence[str], i: int, tokens: tuple[str, ...], shapes: tuple[str, ...]) -> bool:
    """Whether the text tokens from i on are written as the alias requires."""
    for k, shape in enumerate(shapes):
        if shape == "l":
            continue
        word = words[i + k]
        if shape == "A":
            if word != tokens[k]:
                return False
        elif not word[:1].isupper():
            return False
    return True


@dataclass(frozen=True, slots=True)
class DocTokens:
    """The word tokens of one text: offsets, surface forms, lower-cased forms and normalised gaps.

    gaps[i] is the normalised separator between token i and token i + 1 (None: no name spans it).
    """

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    lows: list[str]
    gaps: list[str | None]

    @classmethod
    def of(cls, text: str) -> DocTokens:
        """Tokenise a text once for every phrase table."""
        words = TOKEN_RE.findall(text)
        pieces = TOKEN_RE.split(text)  # [before the first token, gap, gap, ..., after the last]
        starts: list[int] = []
        ends: list[int] = []
        pos = len(pieces[0])
        for word, after in zip(words, pieces[1:], strict=False):
            starts.append(pos)
            pos += len(word)
            ends.append(pos)
            pos += len(after)
        lowered = text.lower()
        lows = TOKEN_RE.findall(lowered) if len(lowered) == len(text) else []
        if len(lows) != len(words):  # lower() changed some lengths (rare scripts): go word by word
            lows = [w.lower() for w in words]
        memo = _GAP_MEMO
        gaps: list[str | None] = []
        for gap in pieces[1:-1]:
            if gap in memo:
                gaps.append(memo[gap])
                continue
            norm = normalise_gap(gap)
            if len(memo) < 4096:
                memo[gap] = norm
            gaps.append(norm)
        return cls(text, starts, ends, words, lows, gaps)


_GAP_MEMO: dict[str, str | None] = {}


@dataclass(slots=True)
class PhraseTable:
    """Aliases keyed by their token key, matched longest first along a token stream.

    values: per key, (alias tokens, shapes, priority, value, dotted) sorted by priority; dotted:
    the alias ends with a full stop ("U.N."), which the match takes when the text has it.
    prefixes: every proper token prefix of a key, so a scan stops as soon as no key can follow.
    """

    values: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], int, int, bool]]] = field(
        default_factory=dict
    )
    prefixes: set[str] = field(default_factory=set)
    firsts: set[str] = field(default_factory=set)

    def add(self, phrase: str, value: int, *, priority: int = 0, where: str = "") -> None:
        """Register one alias; raises InvalidKnowledge when the alias cannot be matched.

        phrase: the alias as written; value: what a match returns; priority: lower wins on a tie;
        where: the file and entry, for the error message.
        """
        made = make_key(phrase)
        if made is None:
            raise InvalidKnowledge(
                f"{where}: alias {phrase!r} cannot be matched.",
                hint="Use letters, digits, spaces, hyphens, apostrophes, full stops or '&' only.",
            )
        key, tokens, shapes, prefixes = made
        bucket = self.values.setdefault(key, [])
        dotted = phrase.rstrip().endswith(".")
        if any(t == tokens and s == shapes and v == value and d == dotted for t, s, _, v, d in bucket):
            return
        bucket.append((tokens, shapes, priority, value, dotted))
        bucket.sort(key=lambda item: item[2])
        self.firsts.add(tokens[0].lower())
        self.prefixes.update(prefixes)

    def lookup(self, phrase: str) -> list[int]:
        """Values of every alias with this phrase's key, in priority order, whatever their case."""
        made = make_key(phrase)
        if made is None:
            return []
        return [v for _, _, _, v, _ in self.values.get(made[0], [])]

    def scan(self, doc: DocTokens) -> list[tuple[int, int, int, int]]:
        """Longest, left-to-right, non-overlapping matches: (first token, last token, value, end offset)."""
        out: list[tuple[int, int, int, int]] = []
        text, ends = doc.text, doc.ends
        lows, words, gaps, values, prefixes = doc.lows, doc.words, doc.gaps, self.values, self.prefixes
        n = len(lows)
        firsts = self.firsts
        free = 0  # the first token not yet inside a match
        for i in [k for k, low in enumerate(lows) if low in firsts]:
            if i < free:
                continue
            key = lows[i]
            j = i
            best: tuple[int, int, int] | None = None
            while True:
                bucket = values.get(key)
                if bucket is not None:
                    for tokens, shapes, _, value, dotted in bucket:
                        if _shape_ok(words, i, tokens, shapes):
                            end = ends[j] + 1 if dotted and text[ends[j] : ends[j] + 1] == "." else ends[j]
                            best = (j, value, end)
                            break
                if j + 1 >= n:
                    break
                gap = gaps[j]
                if gap is None:
                    break
                nxt = key + gap + lows[j + 1]
                if nxt not in prefixes and nxt not in values:
                    break
                key = nxt
                j += 1
            if best is not None:
                out.append((i, best[0], best[1], best[2]))
                free = best[0] + 1
        return out


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One known name: its type, canonical name, country and extra facts.

    kind: country, region, city, area, territory (places); igo, ngo, media... (organisations);
    source: the data file it came from.
    """

    type: str
    name: str
    country: str | None
    kind: str | None
    extra: Mapping[str, Any]
    source: str


@dataclass(frozen=True, slots=True)
class PersonCues:
    """Word lists that find named persons and their roles (persons.yaml)."""

    speech_verbs: frozenset[str]
    person_verbs: frozenset[str]
    speech_adverbs: frozenset[str]
    naming_cues: tuple[str, ...]
    titles: Mapping[str, str | None]
    role_nouns: Mapping[str, str]
    work_words: frozenset[str]
    non_names: frozenset[str]
    common_noun_endings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrgPatterns:
    """Word lists that find organisations outside the gazetteer (org_patterns.yaml)."""

    suffixes: frozenset[str]
    dotted: frozenset[str]
    legal_forms: frozenset[str]
    prefixes: frozenset[str]
    joiners: frozenset[str]
    heads: frozenset[str]
    acronym_stoplist: frozenset[str]
    leading_stop: frozenset[str]


class Gazetteer:
    """Every name list the entities stage needs, indexed for token-by-token matching.

    entries: all place, nationality and organisation entries; named: their aliases;
    sectors / roles: canonical names and their trigger tables; persons, orgs: cue word lists.
    """

    def __init__(
        self,
        entries: list[GazEntry],
        named: PhraseTable,
        sector_names: list[str],
        sectors: PhraseTable,
        role_names: list[str],
        roles: PhraseTable,
        persons: PersonCues,
        orgs: OrgPatterns,
        city_stoplist: frozenset[str],
    ) -> None:
        self.entries = entries
        self.named = named
        self.sector_names = sector_names
        self.sectors = sectors
        self.role_names = role_names
        self.roles = roles
        self.persons = persons
        self.orgs = orgs
        self.city_stoplist = city_stoplist
        self.iso2 = frozenset(e.country for e in entries if e.kind == "country" and e.country)

    @classmethod
    def load(cls, directory: Path | str | None = None) -> Gazetteer:
        """Load the gazetteer files; the package's own files are read once and shared.

        directory: a folder with the same files, for tests and local edits; None for the package data.
        Raises InvalidKnowledge, naming the file, when an entry is malformed.
        """
        if directory is None:
            return _load_default()
        return _build(Path(directory))

    def country_of(self, name: str) -> str | None:
        """The ISO 3166-1 alpha-2 code of a place or nationality name ("DPRK" -> "KP"); None if unknown."""
        for value in self.named.lookup(name):
            entry = self.entries[value]
            if entry.type in ("place", "nationality") and entry.country:
                return entry.country
        stripped = name.strip()
        if ISO2_RE.match(stripped) and stripped in self.iso2:
            return stripped
        return None

    def canonical(self, name: str, type: str) -> str | None:
        """The canonical name of a known name of this entity type ("DPRK", "place" -> "North Korea").

        type: place, nationality, organization, sector or role; persons are not in the gazetteer.
        """
        if type == "sector":
            found = self.sectors.lookup(name)
            return self.sector_names[found[0]] if found else None
        if type == "role":
            found = self.roles.lookup(name)
            return self.role_names[found[0]] if found else None
        for value in self.named.lookup(name):
            entry = self.entries[value]
            if entry.type == type:
                return entry.name
        return None

    def entry(self, value: int) -> GazEntry:
        """The entry a named-table match points to."""
        return self.entries[value]


@lru_cache(maxsize=1)
def _load_default() -> Gazetteer:
    """The package's gazetteer, loaded on first use."""
    root: Traversable = resources.files("labourlens")
    for part in DATA_PARTS:
        root = root / part
    return _build(root)


# ---------------------------------------------------------------------------------------------
# Reading and checking the files


def _read_text(root: Traversable | Path, name: str) -> str:
    """A data file's text; InvalidKnowledge when it is missing."""
    path = root / name
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise InvalidKnowledge(
            f"gazetteers/{name}: cannot read the file ({exc.__class__.__name__}).",
            hint="Reinstall labourlens, or restore the file from the repository.",
        ) from exc


def _read_jsonl(root: Traversable | Path, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each record of a JSONL file, with 'gazetteers/<file>:<line>' for messages."""
    lines = _read_text(root, name).splitlines()
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    try:  # one parse for the whole file; line by line only to locate an error
        records = json.loads("[" + ",".join(line for _, line in numbered) + "]")
    except json.JSONDecodeError:
        records = None
    if records is None or len(records) != len(numbered):
        records = []
        for number, line in numbered:
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InvalidKnowledge(
                    f"gazetteers/{name}:{number}: not valid JSON ({exc.msg}).", hint="Fix that line."
                ) from exc
    for (number, _), record in zip(numbered, records, strict=True):
        where = f"gazetteers/{name}:{number}"
        if not isinstance(record, dict):
            raise InvalidKnowledge(f"{where}: each line must be a JSON object.", hint="Fix that line.")
        yield where, record


def _read_yaml(root: Traversable | Path, name: str, fmt: str) -> dict[str, Any]:
    """A YAML data file as a mapping, checked for its format tag."""
    where = f"gazetteers/{name}"
    try:
        data = yaml.load(_read_text(root, name), Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        raise InvalidKnowledge(f"{where}: not valid YAML ({exc}).", hint="Fix the file.") from exc
    if not isinstance(data, dict):
        raise InvalidKnowledge(f"{where}: the file must hold a mapping.", hint="Fix the file.")
    if data.get("format") != fmt:
        raise InvalidKnowledge(
            f"{where}: format is {data.get('format')!r}, expected {fmt!r}.",
            hint="Set the format key, or update the file to this version's layout.",
        )
    return data


def _str(record: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    """A string field; InvalidKnowledge when it is missing (if required) or not a non-empty string."""
    value = record.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidKnowledge(f"{where}: '{key}' must be a non-empty string.", hint="Fix that entry.")
    return value


def _strings(record: Mapping[str, Any], key: str, where: str) -> list[str]:
    """A list-of-strings field (missing: empty)."""
    value = record.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidKnowledge(
            f"{where}: '{key}' must be a list of non-empty strings.", hint="Fix that entry."
        )
    return value


def _country(record: Mapping[str, Any], key: str, where: str, *, required: bool) -> str | None:
    """An ISO 3166-1 alpha-2 field."""
    value = record.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not ISO2_RE.match(value):
        raise InvalidKnowledge(
            f"{where}: '{key}' must be an ISO 3166-1 alpha-2 code such as 'KP', not {value!r}.",
            hint="Fix that entry.",
        )
    return value


def _extra(record: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The optional 'extra' mapping of an entry."""
    value = record.get("extra", {})
    if not isinstance(value, dict):
        raise InvalidKnowledge(f"{where}: 'extra' must be a mapping.", hint="Fix that entry.")
    occupier = value.get("occupied_by")
    if occupier is not None and not (isinstance(occupier, str) and ISO2_RE.match(occupier)):
        raise InvalidKnowledge(f"{where}: 'occupied_by' must be an ISO2 code.", hint="Fix that entry.")
    return value


def _word_list(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    """A list of words from a YAML mapping."""
    value = data.get(key)
    if not isinstance(value, list):
        raise InvalidKnowledge(f"{where}: '{key}' must be a list of words.", hint="Fix the file.")
    for item in value:
        if not isinstance(item, str) or not item:
            raise InvalidKnowledge(
                f"{where}: '{key}' holds {item!r}, which is not a word.",
                hint="Quote it in the YAML (YAML reads bare yes/no/on/off as true/false).",
            )
    return value


def _trigger_table(data: Mapping[str, Any], key: str, name: str) -> tuple[list[str], PhraseTable]:
    """Canonical names and a trigger table from sectors.yaml or roles.yaml."""
    where = f"gazetteers/{name}"
    groups = data.get(key)
    if not isinstance(groups, list) or not groups:
        raise InvalidKnowledge(f"{where}: '{key}' must be a non-empty list.", hint="Fix the file.")
    names: list[str] = []
    table = PhraseTable()
    for index, group in enumerate(groups):
        here = f"{where}: {key}[{index}]"
        if not isinstance(group, dict):
            raise InvalidKnowledge(f"{here} must be a mapping with name and triggers.", hint="Fix the file.")
        canon = _str(group, "name", here)
        assert canon is not None
        triggers = _strings(group, "triggers", f"{here} ({canon})")
        if not triggers:
            raise InvalidKnowledge(f"{here} ({canon}): no triggers.", hint="Add at least one trigger.")
        names.append(canon)
        for trigger in triggers:
            table.add(trigger, len(names) - 1, where=f"{here} ({canon})")
    return names, table


def _build(root: Traversable | Path) -> Gazetteer:
    """Read, check and index every gazetteer file under root."""
    entries: list[GazEntry] = []
    named = PhraseTable()

    def register(entry: GazEntry, aliases: Iterable[str], priority: int, where: str) -> None:
        entries.append(entry)
        value = len(entries) - 1
        named.add(entry.name, value, priority=priority, where=where)
        for alias in aliases:
            named.add(alias, value, priority=priority, where=where)

    stop_data = _read_yaml(root, "city_stoplist.yaml", "labourlens.gazetteer.stoplist/1")
    city_stoplist = frozenset(_word_list(stop_data, "words", "gazetteers/city_stoplist.yaml"))

    for where, rec in _read_jsonl(root, "countries.jsonl"):
        name = _str(rec, "name", where)
        assert name is not None
        iso = _country(rec, "iso2", where, required=True)
        entry = GazEntry("place", name, iso, "country", {}, "countries")
        register(entry, _strings(rec, "aliases", where), PRIORITY["countries"], where)

    for where, rec in _read_jsonl(root, "places.jsonl"):
        name = _str(rec, "name", where)
        assert name is not None
        kind = _str(rec, "kind", where)
        entry = GazEntry(
            "place", name, _country(rec, "country", where, required=False), kind, _extra(rec, where), "places"
        )
        register(entry, _strings(rec, "aliases", where), PRIORITY["places"], where)

    for where, rec in _read_jsonl(root, "cities.jsonl"):
        name = _str(rec, "name", where)
        assert name is not None
        if name in city_stoplist:
            continue
        aliases = [a for a in _strings(rec, "aliases", where) if a not in city_stoplist]
        entry = GazEntry("place", name, _country(rec, "country", where, required=True), "city", {}, "cities")
        register(entry, aliases, PRIORITY["cities"], where)

    for where, rec in _read_jsonl(root, "nationalities.jsonl"):
        name = _str(rec, "name", where)
        assert name is not None
        entry = GazEntry(
            "nationality",
            name,
            _country(rec, "country", where, required=False),
            None,
            _extra(rec, where),
            "nationalities",
        )
        register(entry, _strings(rec, "aliases", where), PRIORITY["nationalities"], where)

    for where, rec in _read_jsonl(root, "organizations.jsonl"):
        name = _str(rec, "name", where)
        assert name is not None
        entry = GazEntry(
            "organization",
            name,
            _country(rec, "country", where, required=False),
            _str(rec, "kind", where, required=False),
            {},
            "organizations",
        )
        register(entry, _strings(rec, "aliases", where), PRIORITY["organizations"], where)

    sec_data = _read_yaml(root, "sectors.yaml", "labourlens.gazetteer.sectors/1")
    sector_names, sectors = _trigger_table(sec_data, "sectors", "sectors.yaml")
    role_data = _read_yaml(root, "roles.yaml", "labourlens.gazetteer.roles/1")
    role_names, roles = _trigger_table(role_data, "roles", "roles.yaml")

    persons = _person_cues(_read_yaml(root, "persons.yaml", "labourlens.gazetteer.persons/1"))
    orgs = _org_patterns(_read_yaml(root, "org_patterns.yaml", "labourlens.gazetteer.org_patterns/1"))
    return Gazetteer(entries, named, sector_names, sectors, role_names, roles, persons, orgs, city_stoplist)


def _person_cues(data: Mapping[str, Any]) -> PersonCues:
    """Check and freeze persons.yaml."""
    where = "gazetteers/persons.yaml"
    titles = data.get("titles")
    if not isinstance(titles, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in titles.items()
    ):
        raise InvalidKnowledge(f"{where}: 'titles' must map titles to a role or null.", hint="Fix the file.")
    nouns = data.get("role_nouns")
    if not isinstance(nouns, dict):
        raise InvalidKnowledge(f"{where}: 'role_nouns' must map roles to word lists.", hint="Fix the file.")
    role_nouns: dict[str, str] = {}
    for role in nouns:
        for word in _word_list(nouns, role, f"{where}: role_nouns"):
            role_nouns.setdefault(word.lower(), str(role))

    def lower_set(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in _word_list(data, key, where))

    return PersonCues(
        speech_verbs=lower_set("speech_verbs"),
        person_verbs=lower_set("person_verbs"),
        speech_adverbs=lower_set("speech_adverbs"),
        naming_cues=tuple(w.lower() for w in _word_list(data, "naming_cues", where)),
        titles=dict(titles),
        role_nouns=role_nouns,
        work_words=lower_set("work_words"),
        non_names=frozenset(_word_list(data, "non_names", where)),
        common_noun_endings=tuple(w.lower() for w in _word_list(data, "common_noun_endings", where)),
    )


def _org_patterns(data: Mapping[str, Any]) -> OrgPatterns:
    """Check and freeze org_patterns.yaml."""
    where = "gazetteers/org_patterns.yaml"

    def words(key: str) -> frozenset[str]:
        return frozenset(_word_list(data, key, where))

    return OrgPatterns(
        suffixes=words("suffixes"),
        dotted=words("dotted"),
        legal_forms=words("legal_forms"),
        prefixes=words("prefixes"),
        joiners=words("joiners"),
        heads=words("heads"),
        acronym_stoplist=words("acronym_stoplist"),
        leading_stop=words("leading_stop"),
    )
