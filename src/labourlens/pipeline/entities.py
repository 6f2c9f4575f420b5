"""The entities stage: places, nationalities, organisations, persons, sectors and roles, with every mention.

    gz = Gazetteer.load()
    ex = EntityExtractor(gz)
    entities = ex(text, sentences)     # list[Entity], one per (type, canonical name)

Order of work, so that longer and surer readings win: the gazetteers (longest match first:
"North Korean" is a demonym, never the place "North Korea" plus junk); organisations found by
pattern (company suffixes, "Ministry of ...", acronyms in parentheses); named persons, only on
words no other entity holds; then sectors and generic roles, which may not sit inside a name.
Every mention is (start, end) with text[start:end] the words as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from labourlens.model import Entity, Sentence
from labourlens.pipeline.gazetteer import DocTokens, Gazetteer
from labourlens.pipeline.persons import PersonFinder, is_headline

__all__ = ["EntityExtractor", "Gazetteer"]

TYPE_ORDER = {"place": 0, "nationality": 1, "organization": 2, "person": 3, "sector": 4, "role": 5}
MAX_ORG_WORDS = 10

_ACRONYM_RE = re.compile(r"\(\s*([A-Z][A-Z&]{1,5})\s*\)")
_SUFFIX_CHAIN_GAPS = frozenset({" ", ", ", ". ", ".", "., "})
_NAME_GAPS = frozenset({" ", "&", " & ", "-"})


@dataclass(slots=True)
class _Hit:
    """A named-entity mention over tokens first..last; end may pass the last token ("Co.").

    soft: a one-word city from the generated list, which a strong person cue may take over.
    """

    first: int
    last: int
    start: int
    end: int
    type: str
    name: str
    country: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    soft: bool = False
    rank: int = 0


class EntityExtractor:
    """Find the entities of one text; build once per gazetteer and call per document.

    gazetteer: the loaded `Gazetteer` (its word lists are compiled here, once).
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gz = gazetteer
        self.persons = PersonFinder(gazetteer)
        self.orgs = gazetteer.orgs

    def __call__(self, text: str, sentences: Sequence[Sentence]) -> list[Entity]:
        """The entities of text, one per (type, canonical name), ordered by first mention.

        text: the normalised text every offset points into; sentences: its sentence spans
        (a single sentence covering the whole text also works).
        """
        if not text:
            return []
        doc = DocTokens.of(text)
        n = len(doc.words)
        if n == 0:
            return []
        lower_words = {low for word, low in zip(doc.words, doc.lows, strict=True) if word[0].islower()}
        hits = self._named(doc)
        hits = _resolve(hits + self._pattern_orgs(doc, hits, lower_words))
        acronym_mentions = self._acronyms(doc, hits)

        owner = [-1] * n
        for index, hit in enumerate(hits):
            for t in range(hit.first, hit.last + 1):
                owner[t] = index
        for t, index in acronym_mentions:
            owner[t] = index
        hard = [1 if o >= 0 else 0 for o in owner]
        soft = [1 if o >= 0 and hits[o].soft else 0 for o in owner]
        nationality_ends = {h.last for h in hits if h.type == "nationality"}
        people, taken = self.persons.find(doc, hard, soft, nationality_ends, sentences, lower_words)

        entities: dict[tuple[str, str], Entity] = {}
        blocked = [False] * n
        for hit in hits:
            if hit.soft and hit.first in taken:
                continue
            for t in range(hit.first, hit.last + 1):
                blocked[t] = True
            _add(entities, hit.type, hit.name, (hit.start, hit.end), hit.country, hit.extra)
        for t, index in acronym_mentions:
            blocked[t] = True
            hit = hits[index]
            _add(entities, hit.type, hit.name, (doc.starts[t], doc.ends[t]), hit.country, hit.extra)
        for person in people:
            entity = _add(entities, "person", person.name, person.mentions[0], None, {})
            entity.mentions.extend(person.mentions[1:])
            entity.role = person.role
            for start, end in person.mentions:
                for t in _tokens_in(doc, start, end):
                    blocked[t] = True
        for kind, table, names in (
            ("sector", self.gz.sectors, self.gz.sector_names),
            ("role", self.gz.roles, self.gz.role_names),
        ):
            for first, last, value, end in table.scan(doc):
                if any(blocked[t] for t in range(first, last + 1)):
                    continue
                _add(entities, kind, names[value], (doc.starts[first], end), None, {})

        out = list(entities.values())
        for entity in out:
            entity.mentions = sorted(set(entity.mentions))
        out.sort(key=lambda e: (e.mentions[0], TYPE_ORDER.get(e.type, 9), e.name))
        return out

    # -----------------------------------------------------------------------------------------
    # gazetteer names

    def _named(self, doc: DocTokens) -> list[_Hit]:
        """Places, nationalities and organisations the gazetteers know, longest match first."""
        hits: list[_Hit] = []
        for first, last, value, end in self.gz.named.scan(doc):
            entry = self.gz.entry(value)
            extra: dict[str, Any] = dict(entry.extra)
            if entry.type == "place" and entry.kind:
                extra["place_type"] = entry.kind
            elif entry.type == "organization" and entry.kind:
                extra["org_type"] = entry.kind
            soft = entry.source == "cities" and first == last
            hits.append(
                _Hit(
                    first,
                    last,
                    doc.starts[first],
                    end,
                    entry.type,
                    entry.name,
                    entry.country,
                    extra,
                    soft,
                )
            )
        return hits

    # -----------------------------------------------------------------------------------------
    # organisations by pattern

    def _pattern_orgs(self, doc: DocTokens, hits: list[_Hit], lower_words: set[str]) -> list[_Hit]:
        """Organisations named by a company suffix ("... Trading Co. Ltd") or a keyword with "of"
        ("Ministry of Labour"); not in title-case headlines, where every word is capitalised."""
        o = self.orgs
        words, text, starts, ends = doc.words, doc.text, doc.starts, doc.ends
        n = len(words)
        owner = _owner_map(n, hits)
        found: list[_Hit] = []
        headlines: dict[int, bool] = {}
        i = 0
        while i < n:
            word = words[i]
            if (word in o.suffixes or word in o.prefixes) and is_headline(text, starts[i], headlines):
                i += 1
                continue
            if word in o.suffixes and owner[i] < 0:
                if word == "Co" and text[ends[i] : ends[i] + 1] != ".":
                    i += 1
                    continue
                j = i
                while (
                    j + 1 < n
                    and words[j + 1] in o.suffixes
                    and text[ends[j] : starts[j + 1]] in _SUFFIX_CHAIN_GAPS
                ):
                    j += 1
                start = self._walk_back(doc, i, owner, hits, lower_words)
                if start is not None:
                    end = ends[j] + (1 if words[j] in o.dotted and text[ends[j] : ends[j] + 1] == "." else 0)
                    name = _clean_name(text[starts[start] : end])
                    found.append(_Hit(start, j, starts[start], end, "organization", name, rank=1))
                i = j + 1
                continue
            if (
                word in o.prefixes
                and i + 2 < n
                and doc.lows[i + 1] == "of"
                and text[ends[i] : starts[i + 1]] == " "
            ):
                last = self._walk_forward(doc, i + 2, owner, hits)
                if last is not None:
                    name = _clean_name(text[starts[i] : ends[last]])
                    found.append(_Hit(i, last, starts[i], ends[last], "organization", name, rank=1))
                    i = last + 1
                    continue
            i += 1
        return found

    def _walk_back(
        self, doc: DocTokens, suffix: int, owner: list[int], hits: list[_Hit], lower_words: set[str]
    ) -> int | None:
        """The first token of the capitalised name before a company suffix; None if there is none."""
        o = self.orgs
        words, text, starts, ends = doc.words, doc.text, doc.starts, doc.ends
        start: int | None = None
        k = suffix - 1
        while k >= 0 and suffix - k <= MAX_ORG_WORDS:
            if text[ends[k] : starts[k + 1]] not in _NAME_GAPS:
                break
            own = owner[k]
            if own >= 0:
                hit = hits[own]
                if hit.type != "place":
                    break
                start = hit.first
                k = hit.first - 1
                continue
            word = words[k]
            if word in o.joiners and start is not None:
                # "Bank of China Ltd", "Bank for Trade and Development Ltd"; not "Graduates of ...
                # University" nor "Sinbo and Acme Trading"
                if k == 0 or words[k - 1] not in o.prefixes:
                    break
                k -= 1
                continue
            if word[:1].isupper() and word not in o.leading_stop and word not in o.legal_forms:
                start = k
                k -= 1
                continue
            break
        if start is None:
            return None
        while start < suffix and (
            words[start] in o.joiners
            or words[start] in o.leading_stop
            or (doc.lows[start] in lower_words and _opens_sentence(text, starts[start]))
        ):
            start += 1
        return start if start < suffix else None

    def _walk_forward(self, doc: DocTokens, k: int, owner: list[int], hits: list[_Hit]) -> int | None:
        """The last token of the capitalised name after "<Keyword> of"; None if there is none."""
        o = self.orgs
        words, text, starts, ends = doc.words, doc.text, doc.starts, doc.ends
        n = len(words)
        begin = k
        last: int | None = None
        while k < n and k - begin < MAX_ORG_WORDS:
            if text[ends[k - 1] : starts[k]] not in _NAME_GAPS:
                break
            own = owner[k]
            if own >= 0:
                hit = hits[own]
                if hit.type not in ("place", "nationality"):
                    break
                last = hit.last
                k = hit.last + 1
                continue
            word = words[k]
            if word[:1].isupper() and word not in o.leading_stop:
                last = k
                k += 1
                continue
            if (word in o.joiners and last is not None) or (word == "the" and k == begin):
                k += 1
                continue
            break
        return last

    # -----------------------------------------------------------------------------------------
    # acronyms in parentheses

    def _acronyms(self, doc: DocTokens, hits: list[_Hit]) -> list[tuple[int, int]]:
        """Acronyms defined in parentheses after an organisation's name, and their later uses.

        A new organisation is made where the capitalised words before "(ACR)" hold an
        organisation head ("Corporation", "Agency"...) and their initials spell the acronym; it
        replaces the places or demonyms inside its name. Returns (token, hit index) for every
        use of such an acronym; hits is updated in place.
        """
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        o = self.orgs
        defined: dict[str, _Hit] = {}
        holder: list[_Hit | None] = [None] * len(words)
        for hit in hits:
            for t in range(hit.first, hit.last + 1):
                holder[t] = hit
        dropped: set[int] = set()
        added: list[_Hit] = []
        for m in _ACRONYM_RE.finditer(text):
            acronym = m.group(1)
            if acronym in o.acronym_stoplist or acronym in defined or self.gz.named.lookup(acronym):
                continue
            k = _token_at(doc, m.start(1))
            if k is None or k == 0 or not text[ends[k - 1] : m.start()].isspace():
                continue
            held = holder[k - 1]
            if held is not None:
                if held.type == "organization":
                    defined[acronym] = held
                    held.extra.setdefault("acronym", acronym)
                continue
            start = self._acronym_name(doc, k - 1, acronym, holder)
            if start is None:
                continue
            name = _clean_name(text[starts[start] : ends[k - 1]])
            hit = _Hit(
                start, k - 1, starts[start], ends[k - 1], "organization", name, extra={"acronym": acronym}
            )
            for t in range(start, k):
                inner = holder[t]
                if inner is not None:
                    dropped.add(id(inner))
                holder[t] = hit
            added.append(hit)
            defined[acronym] = hit
        if not defined:
            return []
        if added:
            hits[:] = sorted([h for h in hits if id(h) not in dropped] + added, key=lambda h: h.first)
        index_of = {id(h): index for index, h in enumerate(hits)}
        uses: list[tuple[int, int]] = []
        for t, word in enumerate(words):
            target = defined.get(word)
            if target is not None and holder[t] is None:
                uses.append((t, index_of[id(target)]))
        return uses

    def _acronym_name(self, doc: DocTokens, last: int, acronym: str, holder: list[_Hit | None]) -> int | None:
        """The first token of the name that an acronym abbreviates, ending at token last."""
        o = self.orgs
        words, text, starts, ends = doc.words, doc.text, doc.starts, doc.ends
        caps: list[int] = []  # capitalised tokens, right to left
        k = last
        while k >= 0 and last - k < MAX_ORG_WORDS:
            if k < last and text[ends[k] : starts[k + 1]] not in _NAME_GAPS:
                break
            held = holder[k]
            if held is not None and held.type == "organization":
                break
            word = words[k]
            if word[:1].isupper() and word not in o.leading_stop:
                caps.append(k)
            elif word not in o.joiners:
                break
            k -= 1
        best: int | None = None
        for size in range(len(caps), 1, -1):
            chosen = caps[:size][::-1]
            initials = "".join(words[t][0] for t in chosen)
            exact = initials == acronym
            loose = (
                initials[0] == acronym[0]
                and len(initials) <= len(acronym) + 2
                and _subsequence(acronym, initials)
            )
            if exact or loose:
                best = chosen[0]
                if exact:
                    break
        if best is None:
            return None
        if not any(words[t] in o.heads for t in range(best, last + 1)):
            return None
        return best


def _add(
    entities: dict[tuple[str, str], Entity],
    type_: str,
    name: str,
    span: tuple[int, int],
    country: str | None,
    extra: dict[str, Any],
) -> Entity:
    """Add a mention to the entity (type, name), making the entity on its first mention."""
    entity = entities.get((type_, name))
    if entity is None:
        entity = Entity(type=type_, name=name, mentions=[span], country=country, extra=dict(extra))
        entities[(type_, name)] = entity
    else:
        entity.mentions.append(span)
        if entity.country is None and country:
            entity.country = country
    return entity


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Keep non-overlapping hits, longer first; gazetteer hits win ties over pattern hits."""
    taken: set[int] = set()
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.first - h.last, h.rank, h.first)):
        span = range(hit.first, hit.last + 1)
        if any(t in taken for t in span):
            continue
        taken.update(span)
        kept.append(hit)
    kept.sort(key=lambda h: h.first)
    return kept


def _owner_map(n: int, hits: list[_Hit]) -> list[int]:
    """Per token, the index of the hit that holds it, or -1."""
    owner = [-1] * n
    for index, hit in enumerate(hits):
        for t in range(hit.first, hit.last + 1):
            owner[t] = index
    return owner


def _token_at(doc: DocTokens, pos: int) -> int | None:
    """The index of the token that starts at pos."""
    from bisect import bisect_left

    k = bisect_left(doc.starts, pos)
    return k if k < len(doc.starts) and doc.starts[k] == pos else None


def _tokens_in(doc: DocTokens, start: int, end: int) -> range:
    """The indices of the tokens inside [start, end)."""
    from bisect import bisect_left

    return range(bisect_left(doc.starts, start), bisect_left(doc.starts, end))


def _subsequence(short: str, long: str) -> bool:
    """Whether the letters of short appear in long, in order."""
    it = iter(long)
    return all(ch in it for ch in short)


def _clean_name(name: str) -> str:
    """A canonical name: whitespace collapsed to single spaces."""
    return " ".join(name.split())


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether the word at pos opens a sentence, a line or the text."""
    j = pos - 1
    while j >= 0 and text[j] in " \t\u00a0\"“‘'([":
        j -= 1
    return j < 0 or text[j] in ".!?:;\n…"
