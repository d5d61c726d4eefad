"""The `radar_stakeholders` component: organisations and officials acting in an item.

Gazetteer matches give known bodies and people under one canonical name with every surface
form seen. Rules from `<lang>/stakeholders.yaml` add those the gazetteer does not know: a name
after an office ("Commissioner Julie Inman Grant"), beside a speech verb ("said Anika Wells"),
or before a role ("Brent Carey, Netsafe's chief executive"), and runs of capitalised words
holding an organisation word ("Gambling Regulatory Authority", "Ministry of Law").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.jurisdictions import JURISDICTIONS
from nlp.components.terms import MATCHES, TITLE_END, TermMatch, doc_text
from nlp.items import Stakeholder
from nlp.phrases import alternation
from nlp.resources import load_yaml

STAKEHOLDERS = "radar.stakeholders"
_NAME_RUN = re.compile(
    r"[A-Z][\w'’-]*(?:\s+(?:(?:van|de|der|bin|binti|al|da|dos|la|von)\s+)?[A-Z][\w'’-]*)*(?:\s+Jr\.)?"
)
# A capitalised word; a dot only inside it ("U.S"), so a run stops at the end of a sentence.
_CAPWORD = r"[A-Z][\w'’&-]*(?:\.[A-Za-z][\w'’&-]*)*"
ENGLISH_CONNECTORS = ("of", "for", "and", "on", "the", "from", "against", "in", "to", "&")
ENGLISH_CONJUNCTIONS = ("and", "&")
_POSSESSIVE = re.compile(r"['’]s\b")
_POSSESSOR = re.compile(r"^\S+(?:\s\S+)?['’]s\s+(?=\S)")


@dataclass(frozen=True)
class StakeholderRules:
    org_run: re.Pattern[str]
    connector: re.Pattern[str]
    conjunction: re.Pattern[str]
    title_before: re.Pattern[str]
    speech_before: re.Pattern[str]
    speech_after: re.Pattern[str]
    role_after: re.Pattern[str]
    titles: frozenset[str]
    offices: frozenset[str]
    portfolios: frozenset[str]
    org_heads: frozenset[str]
    not_actor_endings: frozenset[str]
    not_names: frozenset[str]

    @classmethod
    def load(cls, path: Path) -> StakeholderRules | None:
        if not path.exists():
            return None
        raw = load_yaml(path)
        titles = alternation(raw["titles"])
        speech = alternation(raw["speech"])
        roles = alternation(raw["roles_after"])
        # Lower-case words that may stand inside a body's name: "Ministry of Law", "Kementerian
        # Komunikasi dan Digital".
        connector = alternation(raw.get("connectors", ENGLISH_CONNECTORS))
        return cls(
            org_run=re.compile(rf"{_CAPWORD}(?:\s+(?:{connector}\s+)*{_CAPWORD})*"),
            connector=re.compile(connector),
            conjunction=re.compile(rf"\s+{alternation(raw.get('conjunctions', ENGLISH_CONJUNCTIONS))}\s+"),
            title_before=re.compile(rf"\b(?:{titles})\s+$"),
            speech_before=re.compile(rf"\b(?:{speech})\s+$"),
            speech_after=re.compile(rf"\s+(?:{speech})\b"),
            role_after=re.compile(rf",\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){{0,4}}?(?:{roles})\b"),
            titles=frozenset(w for t in raw["titles"] for w in t.split()),
            offices=frozenset(raw.get("offices", ())),
            portfolios=frozenset(raw.get("portfolios", ())),
            org_heads=frozenset(raw["org_heads"]),
            not_actor_endings=frozenset(raw["not_actor_endings"]),
            not_names=frozenset(raw["not_names"]),
        )

    def people(self, text: str, offset: int) -> list[tuple[int, int, str]]:
        """Names of two to four capitalised words after an office, or beside a speech verb
        or a role: one scan for capitalised runs, then a look at each run's surroundings."""
        found = []
        for run in _NAME_RUN.finditer(text, offset):
            words = run.group().split()
            # "Communications Minister Anika Wells": the name is what follows the office.
            cut = max((i + 1 for i, w in enumerate(words) if w in self.titles), default=0)
            titled = cut > 0
            while cut < len(words) and (words[cut] in self.not_names or words[cut] in self.portfolios):
                cut += 1
            kept = words[cut:]
            if not 2 <= len(kept) <= 4 or any(w in self.not_names or w in self.org_heads for w in kept):
                continue
            name = " ".join(kept)
            begin = run.start() + run.group().index(kept[0])
            end = begin + len(name)
            before = text[max(0, begin - 30) : begin]
            if not (
                titled
                or self.title_before.search(before)
                or self.speech_before.search(before)
                or self.speech_after.match(text, end)
                or self.role_after.match(text, end)
            ):
                continue
            found.append((begin, end, name))
        return found

    def organisations(self, text: str, offset: int) -> list[tuple[int, int, str]]:
        found = []
        for match in self.org_run.finditer(text, offset):
            for part, start in _split_possessive(match.group(), match.start()):
                for piece, piece_start in self._split_conjunctions(part, start):
                    name_at = self._organisation(piece, piece_start)
                    if name_at:
                        found.append(name_at)
        return found

    def _split_conjunctions(self, run: str, start: int) -> list[tuple[str, int]]:
        # "the Authority and the Ministry of Law" is two bodies; "Ministry of Culture and
        # Tourism" is one: a piece with no organisation word joins its neighbour.
        pieces: list[tuple[str, int]] = []
        position = 0
        for conjunction in self.conjunction.finditer(run):
            pieces.append((run[position : conjunction.start()], start + position))
            position = conjunction.end()
        pieces.append((run[position:], start + position))
        merged: list[tuple[str, int]] = []
        for piece, piece_start in pieces:
            if merged and not (self._has_head(piece) and self._has_head(merged[-1][0])):
                _previous, previous_start = merged[-1]
                merged[-1] = (run[previous_start - start : piece_start - start + len(piece)], previous_start)
            else:
                merged.append((piece, piece_start))
        return merged

    def _has_head(self, piece: str) -> bool:
        return any(word in self.org_heads or word in self.offices for word in piece.split())

    def _is_office(self, words: list[str]) -> bool:
        """ "Returning Officer", "Privacy Commissioner", "Minister for Communications"."""
        if words[-1] in self.offices:
            return True
        return any(w in self.offices and nxt in ("for", "of") for w, nxt in itertools.pairwise(words))

    def _organisation(self, piece: str, start: int) -> tuple[int, int, str] | None:
        words = piece.split()
        while words and (
            (words[0] in self.not_names and words[0] not in self.org_heads) or self.connector.fullmatch(words[0])
        ):
            start += len(words[0]) + 1
            words = words[1:]
        while words and self.connector.fullmatch(words[-1]):
            words = words[:-1]
        if not 2 <= len(words) <= 9:
            return None
        if not any(w in self.org_heads for w in words) and not self._is_office(words):
            return None
        # "Protection from Harassment Act" is a law; "Ministry of Law" is a body.
        headed = any(w in self.org_heads and nxt in ("of", "for", "on") for w, nxt in itertools.pairwise(words))
        if words[-1].rstrip(".,") in self.not_actor_endings and not headed:
            return None
        name = " ".join(words)
        return start, start + len(name), name


def _split_possessive(run: str, start: int):
    position = 0
    for possessive in _POSSESSIVE.finditer(run):
        yield run[position : possessive.start()], start + position
        position = possessive.end() + 1
    yield run[position:], start + position


class StakeholderFinder:
    def __init__(self, rules: StakeholderRules | None):
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        places = doc.user_data.get(JURISDICTIONS)
        doc.user_data[STAKEHOLDERS] = self.find(
            doc_text(doc),
            doc.user_data.get(MATCHES, []),
            doc.user_data.get(TITLE_END, 0),
            places.chosen if places else {},
        )
        return doc

    def find(
        self,
        text: str,
        matches: list[TermMatch],
        title_end: int,
        chosen: dict[tuple[int, int], str] | None = None,
    ) -> list[Stakeholder]:
        """Stakeholders under their canonical names. `chosen` says, for a name several
        jurisdictions share, whose body it is here (from the jurisdictions component)."""
        chosen = chosen or {}
        by_name: dict[str, Stakeholder] = {}
        taken: list[tuple[int, int]] = []
        for match in matches:
            entity = match.term.entity
            if match.term.field != "entity" or entity is None:
                continue
            taken.append((match.start, match.end))
            if not entity.is_stakeholder:
                continue
            if chosen.get((match.start, match.end), entity.jurisdiction) != entity.jurisdiction:
                continue
            known = by_name.get(entity.name)
            mentions = known.mentions if known else ()
            # "India's Supreme Court" names the court as "Supreme Court"; the country is a place.
            surface = _POSSESSOR.sub("", match.text)
            if surface not in mentions:
                mentions = (*mentions, surface)
            by_name[entity.name] = Stakeholder(entity.name, entity.kind, entity.jurisdiction, mentions, entity.aliases)
        if self.rules is not None:
            # Titles are often in Title Case, where every word looks like a name: read the body only.
            # People first: an office followed by a name ("Minister for Communications Michelle
            # Rowland") is a title there, so the person claims the words first.
            people = sorted(self.rules.people(text, title_end))
            bodies = sorted(self.rules.organisations(text, title_end))
            found = [(s, e, n, "person") for s, e, n in people] + [(s, e, n, "organisation") for s, e, n in bodies]
            for start, end, name, kind in found:
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                taken.append((start, end))
                if any(name in s.name or name in s.mentions for s in by_name.values()):
                    continue
                by_name[name] = Stakeholder(name, kind, None, (name,))
        return list(by_name.values())


@Language.factory("radar_stakeholders", default_config={"data_dir": None})
def make_stakeholder_finder(nlp: Language, name: str, data_dir: str) -> StakeholderFinder:
    return StakeholderFinder(StakeholderRules.load(Path(data_dir) / str(nlp.lang) / "stakeholders.yaml"))
