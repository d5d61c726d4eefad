"""The stakeholder directory: the regulators, ministries, legislatures, courts, NGOs, platforms and
officials the tracker knows, under the canonical names items carry.

It is seeded from the tagger's gazetteers (`nlp.resources.load_gazetteer`: kind, country, aliases
in several scripts) and grown from what the tagger extracts: a name in stored items'
`stakeholders` that the gazetteer does not hold (under any name or alias of any entity, in any
case) is listed too, with kind "unknown" and its items' jurisdictions as its country (one
jurisdiction: that one; several: none, with those as candidates, most items first).

A body's own sources are matched by `own_sources` (its docstring states the rule); profiles of a
stakeholder are in briefings/stakeholder_profile.py.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select

from crawlers.registry import REGIONS, Source
from index.store.models import items
from nlp.resources import ACTOR_KINDS, Entity

UNKNOWN = "unknown"  # the kind of a name the tagger found that the gazetteer does not hold
KINDS = ACTOR_KINDS | {UNKNOWN}
_PAGE = 2000  # rows fetched at a time when reading every item's stakeholders
_SPACED_DASH = re.compile(r"\s[–—-]\s")
_PARENTHESISED = re.compile(r"\(([^)]*)\)")
_SHORT_NAME_SEPARATORS = re.compile(r"[;,/]")


@dataclass(frozen=True)
class DirectoryEntry:
    """A stakeholder under the canonical name items carry."""

    name: str
    kind: str  # an actor kind of the gazetteer (regulator, court, person...), or "unknown"
    jurisdiction: str | None  # None for a name several jurisdictions share (see candidates) or none
    candidates: tuple[str, ...]  # the jurisdictions a shared name may belong to
    aliases: tuple[str, ...]  # every other name it goes by, in every script

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def places(self) -> frozenset[str]:
        """Its jurisdiction and candidates."""
        return frozenset({*self.candidates, *([self.jurisdiction] if self.jurisdiction else [])})


@dataclass(frozen=True)
class NamedInItems:
    """A stakeholder name as stored items carry it: how many items, in which jurisdictions."""

    name: str
    items: int
    jurisdictions: Counter[str]  # jurisdiction -> items naming it that are about it


class StakeholderDirectory:
    """The gazetteer's stakeholders, one entry per body: lines that repeat a name for the same
    body (to add aliases) are merged; bodies of different jurisdictions that share a name are
    not, though items carry only the name. Then the names in `named_in_items` the gazetteer does
    not hold, as kind "unknown" (see the module's docstring)."""

    def __init__(self, entities: Iterable[Entity], named_in_items: Iterable[NamedInItems] = ()) -> None:
        merged: dict[tuple[str, str, str | None, tuple[str, ...]], DirectoryEntry] = {}
        known_forms: set[str] = set()
        for entity in entities:
            known_forms.update(form.casefold() for form in entity.surface_forms)
            if not entity.is_stakeholder:
                continue
            key = (entity.name, entity.kind, entity.jurisdiction, entity.candidates)
            known = merged.get(key)
            aliases = tuple(dict.fromkeys((*known.aliases, *entity.aliases) if known else entity.aliases))
            merged[key] = DirectoryEntry(entity.name, entity.kind, entity.jurisdiction, entity.candidates, aliases)
        found = list(merged.values()) + [
            entry for entry in _unknown_entries(named_in_items) if entry.name.casefold() not in known_forms
        ]
        self.entries = sorted(found, key=lambda entry: (entry.name.casefold(), entry.jurisdiction or ""))
        self._by_name: dict[str, list[DirectoryEntry]] = defaultdict(list)
        self._names_by_alias: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            self._by_name[entry.name.casefold()].append(entry)
            for alias in entry.aliases:
                self._names_by_alias[alias.casefold()].add(entry.name.casefold())

    def find(self, text: str = "", countries: Iterable[str] = (), kinds: Iterable[str] = ()) -> list[DirectoryEntry]:
        """Entries whose name or an alias holds `text` (any case), in any of `countries` (their
        jurisdiction or a candidate) and of any of `kinds`; an empty filter keeps all."""
        needle, codes, wanted = text.strip().casefold(), {code.upper() for code in countries}, set(kinds)
        return [
            entry
            for entry in self.entries
            if (not needle or any(needle in form.casefold() for form in entry.surface_forms))
            and (not codes or bool(codes & entry.places))
            and (not wanted or entry.kind in wanted)
        ]

    def named(self, name: str) -> list[DirectoryEntry]:
        """The entries under a canonical name (any case), or under the one name an alias stands
        for; [] when unknown or when the alias belongs to several names."""
        key = name.strip().casefold()
        if key in self._by_name:
            return self._by_name[key]
        names = self._names_by_alias.get(key, set())
        return self._by_name[next(iter(names))] if len(names) == 1 else []


def read_named_in_items(engine: Engine) -> list[NamedInItems]:
    """Every stakeholder name stored items carry, with how many items carry it and the
    jurisdictions those items are about; names differing only in case are one, under the
    spelling most items use. Reads every item's stakeholders and jurisdictions."""
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    places: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for names, jurisdictions in _stakeholder_rows(engine):
        for name in dict.fromkeys(names):
            key = name.casefold()
            spellings[key][name] += 1
            places[key].update(set(jurisdictions))
    return [
        NamedInItems(spelled.most_common(1)[0][0], spelled.total(), places[key])
        for key, spelled in sorted(spellings.items())
    ]


def own_sources(entry: DirectoryEntry, sources: Sequence[Source]) -> tuple[Source, ...]:
    """The registry's sources that are `entry`'s own: where it publishes.

    The rule: a source's registry name is read up to its first spaced dash ("eSafety Commissioner
    (Australia) – media releases" -> "eSafety Commissioner (Australia)"). Its *full names* are
    that text before any parenthesis, that text without its parenthesised parts, and either one
    without a last word that is the source's jurisdiction code ("Office of the Privacy
    Commissioner NZ"); its *short names* are the parenthesised parts, split at ";", "," and "/"
    ("(MIC / Soumu)" -> MIC, Soumu). A source is the entry's own when one of its names equals the
    entry's name or an alias (any case, runs of spaces as one) and their jurisdictions agree: the
    source's jurisdiction is the entry's or one of its candidates; or the source is registered
    under a region (GLOBAL, APAC, ASEAN, EU) and either the match is on a full name or the entry
    has no country of its own (a region, or none). So a regional source's acronym never claims a
    national body ("Tech Transparency Project (TTP)" is not Pakistan's TTP). A `search_feed` (a
    keyword search of news sites) is nobody's own."""
    forms = {_plain(form) for form in entry.surface_forms}
    regional = (entry.jurisdiction is None or entry.jurisdiction in REGIONS) and not entry.candidates
    found = []
    for source in sources:
        if source.family == "search_feed":  # a keyword search of news sites is nobody's own voice
            continue
        full, short = source_names(source)
        if source.jurisdiction in entry.places:
            matched = bool(forms & (full | short))
        elif source.jurisdiction in REGIONS:
            matched = bool(forms & full) or (regional and bool(forms & short))
        else:
            matched = False
        if matched:
            found.append(source)
    return tuple(found)


def source_names(source: Source) -> tuple[frozenset[str], frozenset[str]]:
    """A source's full names and short names as `own_sources` reads them, each in any case
    (casefolded) with runs of spaces as one."""
    head = _SPACED_DASH.split(source.name, maxsplit=1)[0]
    full = {_plain(head.split("(", 1)[0]), _plain(_PARENTHESISED.sub(" ", head))}
    suffix = " " + source.jurisdiction.casefold()
    full |= {name.removesuffix(suffix) for name in full if name.endswith(suffix)}
    short = {_plain(part) for inside in _PARENTHESISED.findall(head) for part in _SHORT_NAME_SEPARATORS.split(inside)}
    return frozenset(full - {""}), frozenset(short - {""})


def _unknown_entries(named_in_items: Iterable[NamedInItems]) -> Iterator[DirectoryEntry]:
    for named in named_in_items:
        places = [place for place, _ in sorted(named.jurisdictions.items(), key=lambda pair: (-pair[1], pair[0]))]
        if len(places) == 1:
            yield DirectoryEntry(named.name, UNKNOWN, places[0], (), ())
        else:
            yield DirectoryEntry(named.name, UNKNOWN, None, tuple(places), ())


def _stakeholder_rows(engine: Engine) -> Iterator[tuple[list[str], list[str]]]:
    query = select(items.c.stakeholders, items.c.jurisdictions)
    with engine.connect() as conn:
        for names, jurisdictions in conn.execution_options(yield_per=_PAGE).execute(query):
            if names:
                yield names, jurisdictions


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()
