"""Which expansion concepts an item mentions, found when it is indexed.

A query term with equivalents in other languages (`expansion.py`) would otherwise search every
one of them: "misinformation" is some forty phrases, each a posting list to walk, and on a large
index that costs more than the rest of the search. Instead the index keeps, per item, the
concepts whose terms its title or text contains (the `concepts` field), and an expanded term
searches the one concept beside the words typed. What is found is the same: an item is tagged
with a concept exactly when one of the concept's terms is in it, token for token as the index
analyses text, which is when the term's phrase query would have matched.

The concepts are data: an index built with other equivalents is out of date (`digest`).
"""

from __future__ import annotations

import hashlib

from index.search.expansion import Equivalents
from index.search.tantivy_schema import plain_tokens, spaced, words_analyzer

_NONE: frozenset[str] = frozenset()


class ConceptFinder:
    """The concepts of `equivalents` whose terms a text contains."""

    def __init__(self, equivalents: Equivalents) -> None:
        analyzer = words_analyzer()
        # A one-token term is looked up among a text's tokens; a longer one, a run of tokens, is
        # looked for in the space-joined tokens only when its first two tokens are both there.
        self._words: dict[str, set[str]] = {}
        self._runs: dict[str, dict[tuple[str, str], set[str]]] = {}  # first -> (second, run) -> names
        for concept in equivalents.concepts:
            for terms in concept.terms.values():
                for term in terms:
                    tokens = analyzer.analyze(spaced(term))
                    if len(tokens) == 1:
                        self._words.setdefault(tokens[0], set()).add(concept.name)
                    elif tokens:
                        runs = self._runs.setdefault(tokens[0], {})
                        runs.setdefault((tokens[1], f" {' '.join(tokens)} "), set()).add(concept.name)
        seconds = (second for by_second in self._runs.values() for second, _run in by_second)
        self._vocabulary = frozenset([*self._words, *self._runs, *seconds])
        keys = [*self._words.items()]
        keys += [(run, names) for by_second in self._runs.values() for (_second, run), names in by_second.items()]
        described = sorted((key, sorted(names)) for key, names in keys)
        self.digest = hashlib.sha256(repr(described).encode()).hexdigest()[:16]

    def find(self, *texts: str) -> list[str]:
        """The concepts mentioned in any of `texts` (`spaced`, as the index holds them), in
        name order."""
        found: set[str] = set()
        for text in texts:
            tokens = plain_tokens(text)
            present = self._vocabulary.intersection(tokens)  # the one pass over every token
            joined = ""
            for token in present:
                found |= self._words.get(token, _NONE)
                for (second, run), names in self._runs.get(token, {}).items():
                    if second in present:
                        joined = joined or f" {' '.join(tokens)} "
                        if run in joined:
                            found |= names
        return sorted(found)
