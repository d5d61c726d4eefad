"""The `radar_jurisdictions` component: which jurisdictions an item is about, and which it
only mentions.

Every gazetteer match that belongs to a jurisdiction votes for it. Acting bodies and laws
(eSafety, IMDA, the Online Criminal Harms Act) vote more than place names, the title more than
the body, the opening more than the end; a place named as a comparison, venue or nationality
("like Australia", "US-based") votes little. The best-supported jurisdiction is the subject,
with any other that comes close; the rest are mentioned.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.terms import ITEM, MATCHES, TermMatch, doc_text
from nlp.resources import load_context_cues

JURISDICTIONS = "radar.jurisdictions"

KIND_WEIGHTS = {
    "regulator": 3.0, "ministry": 3.0, "legislature": 3.0, "court": 3.0, "police": 3.0,
    "agency": 3.0, "law": 3.0, "party": 2.0, "person": 2.0, "intergovernmental": 2.0,
    "country": 2.0, "region": 2.0, "city": 2.0, "ngo": 1.0, "company": 1.0, "media": 1.0,
}  # fmt: skip
PASSING_FACTOR = 0.25
WINDOW = 40


@dataclass(frozen=True)
class JurisdictionResult:
    about: list[str]
    mentioned: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[str]]
    # For a name several jurisdictions share, the one chosen, by the span of the name.
    chosen: dict[tuple[int, int], str] = field(default_factory=dict)


class JurisdictionResolver:
    def __init__(self, passing_before: list[str], passing_after: list[str], companion_ratio: float):
        self.passing_before = _any_of(passing_before)
        self.passing_after = _any_of(passing_after)
        self.companion_ratio = companion_ratio

    def __call__(self, doc: Doc) -> Doc:
        item = doc.user_data.get(ITEM)
        doc.user_data[JURISDICTIONS] = self.resolve(
            doc_text(doc), doc.user_data.get(MATCHES, []), getattr(item, "source_kind", None)
        )
        return doc

    def resolve(self, text: str, matches: list[TermMatch], source_kind: str | None) -> JurisdictionResult:
        located = [m for m in matches if m.term.field == "entity" and m.term.entity is not None]
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[str]] = defaultdict(list)
        mentions: dict[str, int] = defaultdict(int)
        folded = text.lower()
        body_start = next((m.start for m in located if not m.in_title), 0)
        by_span: dict[tuple[int, int], list[TermMatch]] = defaultdict(list)
        for match in located:
            by_span[(match.start, match.end)].append(match)
        ambiguous: list[tuple[tuple[int, int], list[str], list[TermMatch]]] = []
        for span, span_matches in by_span.items():
            codes = _candidates(span_matches)
            if len(codes) == 1:
                self._vote(span_matches[0], codes[0], folded, body_start, scores, evidence, mentions)
            elif codes:
                ambiguous.append((span, codes, span_matches))
        chosen: dict[tuple[int, int], str] = {}
        for span, codes, span_matches in ambiguous:
            # Punjab with Lahore is PK, an "Information Commissioner" in an Australian item is
            # Australia's: the candidate the rest of the item supports wins.
            chosen[span] = max(codes, key=lambda code: (scores.get(code, 0.0), -codes.index(code)))
            self._vote(span_matches[0], chosen[span], folded, body_start, scores, evidence, mentions)
        ranked = sorted(scores, key=lambda code: -scores[code])
        about: list[str] = []
        if ranked and scores[ranked[0]] > 0:
            top = scores[ranked[0]]
            about = [code for code in ranked if scores[code] >= self.companion_ratio * top]
        if source_kind == "industry" and not any(
            KIND_WEIGHTS.get(m.term.entity.kind, 0) >= 3
            for m in located
            if m.term.entity and m.term.entity.jurisdiction
        ):
            about = ["GLOBAL"]  # a company's own policy applies wherever it operates
        mentioned = [code for code in ranked if code not in about]
        return JurisdictionResult(
            about=about,
            mentioned=mentioned,
            scores={code: round(scores[code], 2) for code in ranked},
            evidence=dict(evidence),
            chosen=chosen,
        )

    def _vote(self, match, code, folded, body_start, scores, evidence, mentions) -> None:
        entity = match.term.entity
        weight = KIND_WEIGHTS.get(entity.kind, 1.0)
        if match.in_title:
            weight *= 2.0
        elif match.start - body_start < 300:
            weight *= 1.3
        if self._is_passing(folded, match):
            weight *= PASSING_FACTOR
        # The first mention counts in full, later ones less and less.
        weight /= 1 + mentions[code]
        mentions[code] += 1
        scores[code] += weight
        if match.text not in evidence[code]:
            evidence[code].append(match.text)

    def _is_passing(self, folded: str, match: TermMatch) -> bool:
        before = folded[max(0, match.start - WINDOW) : match.start]
        after = folded[match.end : match.end + 16]
        return bool(self.passing_before.search(before) or self.passing_after.match(after))


def _candidates(span_matches: list[TermMatch]) -> list[str]:
    """The jurisdictions the entities matched on one span stand for, in data order."""
    codes: list[str] = []
    for match in span_matches:
        entity = match.term.entity
        assert entity is not None
        for code in entity.candidates or ((entity.jurisdiction,) if entity.jurisdiction else ()):
            if code not in codes:
                codes.append(code)
    return codes


def _any_of(phrases: list[str]) -> re.Pattern[str]:
    if not phrases:
        return re.compile(r"(?!)")
    return re.compile("|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)))


@Language.factory("radar_jurisdictions", default_config={"data_dir": None, "companion_ratio": 0.9})
def make_jurisdiction_resolver(nlp: Language, name: str, data_dir: str, companion_ratio: float) -> JurisdictionResolver:
    cues = load_context_cues(Path(data_dir), str(nlp.lang))
    return JurisdictionResolver(cues.get("passing_before", []), cues.get("passing_after", []), companion_ratio)
