"""Cross-language expansion: a policy term in a query also finds its equivalents in other languages.

The equivalents are data (`nlp/data/equivalents.jsonl`, one policy concept a line). A query word,
a run of consecutive words joined by the default AND, or a "phrase" that matches a concept term
(compared case-, accent- and spacing-insensitively) is OR-ed with the concept's other terms, which
weigh less than what the person typed so their own words rank first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.records import SearchQuery
from index.search.query import And, Node, Not, Or, Term, parse_query, validate_search
from nlp.resources import DEFAULT_DATA_DIR, LANGUAGES, DataError, read_jsonl

EXPANSION_WEIGHT = 0.6

# Scripts written without spaces between words: each character is a token, as in the index.
CHARACTER_SCRIPTS = (
    (0x0E00, 0x0E7F),  # Thai
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana extension
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)
_FOLDED = str.maketrans({"đ": "d", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "ı": "i", "þ": "th"})


def default_equivalents_file() -> Path:
    """The equivalents shipped with the tagger's data."""
    return DEFAULT_DATA_DIR / "equivalents.jsonl"


def is_character_token(char: str) -> bool:
    """Whether `char` is in a script indexed a character at a time (CJK, Hangul, Thai)."""
    code = ord(char)
    return any(low <= code <= high for low, high in CHARACTER_SCRIPTS)


def match_key(text: str) -> tuple[str, ...]:
    """Tokens of `text` as matching compares them: lower case, Latin accents removed, each
    CJK, Hangul and Thai character a token, any other run of letters, marks and digits a token."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLDED))
    # Drop the combining accents of Latin letters (Vietnamese too), then recompose the rest
    # (NFKD also splits Hangul syllables into jamo).
    folded = unicodedata.normalize("NFC", "".join(char for char in decomposed if not 0x0300 <= ord(char) <= 0x036F))
    tokens: list[str] = []
    word: list[str] = []
    for char in folded:
        if is_character_token(char):
            if word:
                tokens.append("".join(word))
                word = []
            tokens.append(char)
        elif unicodedata.category(char)[0] in "LMN":
            word.append(char)
        elif word:
            tokens.append("".join(word))
            word = []
    if word:
        tokens.append("".join(word))
    return tuple(tokens)


@dataclass(frozen=True)
class Concept:
    name: str
    terms: dict[str, tuple[str, ...]]  # language -> surface forms


class Equivalents:
    """Policy concepts and their terms in every language, looked up by a query's words."""

    def __init__(self, concepts: Sequence[Concept]) -> None:
        self.concepts = tuple(concepts)
        # Each concept's terms with their keys, in file order.
        self._keyed = [
            [(term, match_key(term)) for terms in concept.terms.values() for term in terms] for concept in self.concepts
        ]
        self._by_key: dict[tuple[str, ...], list[int]] = {}
        for number, keyed in enumerate(self._keyed):
            for _term, key in keyed:
                if key and number not in self._by_key.setdefault(key, []):
                    self._by_key[key].append(number)
        self._longest = max((len(key) for key in self._by_key), default=0)

    @classmethod
    def from_file(cls, path: Path) -> Equivalents:
        """Read a JSON Lines file of {"concept": ..., "terms": {lang: [term, ...]}}."""
        concepts: list[Concept] = []
        for number, entry in read_jsonl(path):
            terms = entry.get("terms")
            if not isinstance(entry.get("concept"), str) or not isinstance(terms, dict):
                raise DataError(f'{path}:{number}: expected {{"concept": "...", "terms": {{"<lang>": [...]}}}}')
            unknown = set(terms) - set(LANGUAGES)
            if unknown:
                raise DataError(f"{path}:{number}: unknown language(s) {sorted(unknown)}; known: {LANGUAGES}")
            if any(concept.name == entry["concept"] for concept in concepts):
                raise DataError(f"{path}:{number}: concept {entry['concept']!r} is already defined above")
            concepts.append(Concept(entry["concept"], {lang: tuple(forms) for lang, forms in terms.items()}))
        return cls(concepts)

    def equivalents_of(self, text: str) -> tuple[str, ...]:
        """The other terms of every concept `text` is a term of, without repeats."""
        key = match_key(text)
        return self._others(key, self._by_key.get(key, []))

    def _others(self, key: tuple[str, ...], numbers: Iterable[int]) -> tuple[str, ...]:
        seen = {key}
        others = []
        for number in numbers:
            for term, term_key in self._keyed[number]:
                if term_key and term_key not in seen:
                    seen.add(term_key)
                    others.append(term)
        return tuple(others)

    def expand(self, node: Node) -> tuple[Node, dict[str, tuple[str, ...]]]:
        """The query tree with matching terms OR-ed with their equivalents, and what was added
        (query term as written -> added terms)."""
        added: dict[str, tuple[str, ...]] = {}
        return self._expand(node, added), added

    def _expand(self, node: Node, added: dict[str, tuple[str, ...]]) -> Node:
        if isinstance(node, Term):
            return self._expand_run([node], added) if _expandable(node) else node
        if isinstance(node, Not):
            return Not(self._expand(node.child, added))
        if isinstance(node, Or):
            return Or(tuple(self._expand(child, added) for child in node.children))
        children = self._expand_children(node.children, added)
        return children[0] if len(children) == 1 else And(children)

    def _expand_children(self, children: tuple[Node, ...], added: dict[str, tuple[str, ...]]) -> tuple[Node, ...]:
        """Within an AND, match the longest runs of plain words against concept terms."""
        result: list[Node] = []
        start = 0
        while start < len(children):
            child = children[start]
            if not (isinstance(child, Term) and _expandable(child)):
                result.append(self._expand(child, added))
                start += 1
                continue
            end = start + 1
            best = start + 1 if self._by_key.get(match_key(child.text)) else start
            tokens = len(match_key(child.text))
            while end < len(children) and not child.phrase:
                following = children[end]
                if not (isinstance(following, Term) and _expandable(following) and not following.phrase):
                    break
                tokens += len(match_key(following.text))
                if tokens > self._longest:
                    break
                end += 1
                run_text = " ".join(term.text for term in children[start:end] if isinstance(term, Term))
                if self._by_key.get(match_key(run_text)):
                    best = end
            if best == start:
                result.append(child)
                start += 1
                continue
            run = [term for term in children[start:best] if isinstance(term, Term)]
            result.append(self._expand_run(run, added))
            start = best
        return tuple(result)

    def _expand_run(self, run: list[Term], added: dict[str, tuple[str, ...]]) -> Node:
        written = " ".join(term.text for term in run)
        key = match_key(written)
        numbers = self._by_key.get(key, [])
        others = self._others(key, numbers)
        original: Node = run[0] if len(run) == 1 else And(tuple(run))
        if not others:
            return original
        added[written] = tuple(dict.fromkeys(added.get(written, ()) + others))
        alternatives = tuple(Term(other, phrase=" " in other, weight=EXPANSION_WEIGHT) for other in others)
        return Or((original, *alternatives), concepts=tuple(self.concepts[number].name for number in numbers))


def _expandable(term: Term) -> bool:
    return term.field is None and not term.prefix and term.weight == 1.0


def search_tree(query: SearchQuery, equivalents: Equivalents | None) -> tuple[Node | None, dict[str, tuple[str, ...]]]:
    """A search checked, its text parsed (None when empty), and expanded with `equivalents`
    unless the search asks not to be: the tree both engines compile, and the terms added."""
    validate_search(query)
    node = parse_query(query.text)
    if node is None or equivalents is None or not query.expand:
        return node, {}
    return equivalents.expand(node)
