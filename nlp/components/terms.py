"""The `radar_terms` component: find every gazetteer name and lexicon cue in a Doc.

One pass of two PhraseMatchers (case-folded, and exact case for acronyms) over the Doc; the
components after it score what this one found, so the text is read once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp.resources import Cue, Entity, Taxonomy, is_acronym, load_cues, load_gazetteer

MATCHES = "radar.matches"
TITLE_END = "radar.title_end"
ITEM = "radar.item"
TEXT = "radar.text"
FOLDED = "radar.folded_text"


def doc_text(doc: Doc) -> str:
    """The Doc's text, kept once: `Doc.text` rebuilds the string from every token on each call."""
    if TEXT not in doc.user_data:
        doc.user_data[TEXT] = doc.text
    return doc.user_data[TEXT]


def doc_folded(doc: Doc) -> str:
    """The Doc's text lower-cased, kept once: several components read it."""
    if FOLDED not in doc.user_data:
        doc.user_data[FOLDED] = doc_text(doc).lower()
    return doc.user_data[FOLDED]


@dataclass(frozen=True)
class Term:
    """What a matched phrase stands for: an entity, or a cue for a harm area or doc type."""

    field: str  # "entity" | "harm" | "doc_type"
    label: str
    weight: float
    entity: Entity | None = None


@dataclass(frozen=True)
class TermMatch:
    start: int  # character offsets in doc.text
    end: int
    text: str
    term: Term
    in_title: bool


class TermMatcher:
    def __init__(self, nlp: Language, data_dir: Path, taxonomy: Taxonomy):
        self.terms: dict[int, list[Term]] = defaultdict(list)
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        folded: dict[str, list[str]] = defaultdict(list)
        exact: dict[str, list[str]] = defaultdict(list)
        for index, entity in enumerate(load_gazetteer(data_dir)):
            key = self._key(nlp, f"e{index}", Term("entity", entity.name, 1.0, entity))
            for form in entity.surface_forms:
                (exact if entity.is_exact_case(form) else folded)[key].append(form)
        cue_files = (
            ("harm", "harm_areas.jsonl", frozenset(taxonomy.harm_areas)),
            ("doc_type", "doc_types.jsonl", frozenset(taxonomy.doc_types)),
        )
        # English terms travel: deepfake, scam and POGO turn up in every language's press.
        languages = dict.fromkeys((nlp.lang, "en"))
        for field, filename, labels in cue_files:
            for lang in languages:
                for cue in load_cues(data_dir, lang, filename, labels):
                    key = self._cue_key(nlp, field, cue)
                    (exact if is_acronym(cue.pattern) else folded)[key].append(cue.pattern)
        for table, matcher in ((folded, self.folded), (exact, self.exact)):
            for key, forms in table.items():
                matcher.add(key, [nlp.make_doc(form) for form in dict.fromkeys(forms)])

    def _key(self, nlp: Language, name: str, term: Term) -> str:
        key = f"radar:{name}"
        terms = self.terms[nlp.vocab.strings.add(key)]
        if term not in terms:
            terms.append(term)
        return key

    def _cue_key(self, nlp: Language, field: str, cue: Cue) -> str:
        return self._key(nlp, f"{field}:{cue.label}:{cue.weight}", Term(field, cue.label, cue.weight))

    def __call__(self, doc: Doc) -> Doc:
        by_field: dict[str, dict[tuple[int, int], list[Term]]] = {
            "entity": defaultdict(list),
            "harm": defaultdict(list),
            "doc_type": defaultdict(list),
        }
        for matcher in (self.folded, self.exact):
            for key, start, end in matcher(doc):
                for term in self.terms[key]:
                    terms = by_field[term.field][(start, end)]
                    # An entity listed twice (a gated acronym line beside its full name) votes once.
                    if term not in terms and not _same_entity(term, terms):
                        terms.append(term)
        text = doc_text(doc)
        title_end = doc.user_data.get(TITLE_END, 0)
        in_context: dict[int, bool] = {}
        matches: list[TermMatch] = []
        for spans in by_field.values():
            for (start, end), terms in _longest_first(spans):
                # Offsets from the tokens: a Span would rebuild its text token by token.
                first, last = doc[start], doc[end - 1]
                start_char, end_char = first.idx, last.idx + len(last)
                surface = text[start_char:end_char]
                for term in terms:
                    entity = term.entity
                    if entity is not None and entity.context:
                        if id(entity) not in in_context:
                            in_context[id(entity)] = _has_context(doc, entity.context)
                        if not in_context[id(entity)]:
                            continue
                    matches.append(TermMatch(start_char, end_char, surface, term, start_char < title_end))
        matches.sort(key=lambda m: m.start)
        doc.user_data[MATCHES] = matches
        return doc


def _has_context(doc: Doc, words: tuple[str, ...]) -> bool:
    folded = doc_folded(doc)
    return any(word in folded for word in words)


def _same_entity(term: Term, terms: list[Term]) -> bool:
    entity = term.entity
    return entity is not None and any(
        t.entity is not None and (t.entity.name, t.entity.jurisdiction) == (entity.name, entity.jurisdiction)
        for t in terms
    )


def _longest_first(spans: dict[tuple[int, int], list[Term]]) -> list[tuple[tuple[int, int], list[Term]]]:
    """Keep the longest of overlapping spans ("North Korea" over "Korea"), in text order."""
    taken: set[int] = set()
    kept = []
    for (start, end), terms in sorted(spans.items(), key=lambda c: (c[0][0] - c[0][1], c[0][0])):
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        kept.append(((start, end), terms))
    kept.sort(key=lambda c: c[0][0])
    return kept


@Language.factory("radar_terms", default_config={"data_dir": None, "taxonomy": None})
def make_term_matcher(nlp: Language, name: str, data_dir: str, taxonomy: str) -> TermMatcher:
    return TermMatcher(nlp, Path(data_dir), Taxonomy.load(Path(taxonomy)))
