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

from nlp.components.terms import ITEM, MATCHES, TITLE_END, TermMatch, doc_text
from nlp.phrases import alternation
from nlp.resources import load_context_cues, load_yaml

JURISDICTIONS = "radar.jurisdictions"

KIND_WEIGHTS = {
    "regulator": 3.0, "ministry": 3.0, "legislature": 3.0, "court": 3.0, "police": 3.0,
    "agency": 3.0, "law": 3.0, "party": 2.0, "person": 2.0, "intergovernmental": 2.0,
    "country": 2.0, "region": 2.0, "city": 2.0, "ngo": 1.0, "company": 1.0, "media": 1.0,
}  # fmt: skip
ACTING_BODY_WEIGHT = 3.0
TITLE_FACTOR = 2.0
OPENING_CHARS = 300
OPENING_FACTOR = 1.3
PASSING_FACTOR = 0.25
HEADLINE_COMPANION_RATIO = 0.6
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
    def __init__(
        self,
        passing_before: list[str],
        passing_after: list[str],
        companion_ratio: float,
        lang: str = "",
        home_jurisdiction: str | None = None,
    ):
        self.lang = lang
        self.home_jurisdiction = home_jurisdiction
        self.passing_before = re.compile(alternation(passing_before))
        self.passing_after = re.compile(alternation(passing_after))
        self.companion_ratio = companion_ratio

    def __call__(self, doc: Doc) -> Doc:
        item = doc.user_data.get(ITEM)
        doc.user_data[JURISDICTIONS] = self.resolve(
            doc_text(doc),
            doc.user_data.get(MATCHES, []),
            doc.user_data.get(TITLE_END, 0),
            getattr(item, "source_kind", None),
        )
        return doc

    def resolve(
        self, text: str, matches: list[TermMatch], title_end: int, source_kind: str | None
    ) -> JurisdictionResult:
        folded = text.lower()
        by_span: dict[tuple[int, int], list[TermMatch]] = defaultdict(list)
        for match in matches:
            if match.term.field == "entity" and match.term.entity is not None:
                by_span[(match.start, match.end)].append(match)
        tally = _Tally()
        headline: set[str] = set()  # named in the title, not in passing
        ambiguous: list[tuple[tuple[int, int], list[str], TermMatch]] = []
        for span, span_matches in by_span.items():
            codes = _candidates(span_matches)
            if len(codes) == 1:
                tally.add(codes[0], self._weight(span_matches[0], folded, title_end), span_matches[0].text)
                if span_matches[0].in_title and not self._is_passing(folded, span_matches[0]):
                    headline.add(codes[0])
            elif codes:
                ambiguous.append((span, codes, span_matches[0]))
        chosen: dict[tuple[int, int], str] = {}
        for span, codes, match in ambiguous:
            # Punjab with Lahore is PK, an "Information Commissioner" in an Australian item is
            # Australia's: the candidate the rest of the item supports wins.
            chosen[span] = max(codes, key=lambda code: (tally.scores.get(code, 0.0), -codes.index(code)))
            tally.add(chosen[span], self._weight(match, folded, title_end), match.text)
        scores = tally.scores
        ranked = sorted(scores, key=lambda code: -scores[code])
        # A second jurisdiction in the headline ("US moves to cut Cambodia's Huione off") is a
        # subject too when the body backs it; otherwise a companion must come close to the top.
        about = [
            code
            for code in ranked
            if scores[code] >= self.companion_ratio * scores[ranked[0]]
            or (code in headline and scores[code] >= HEADLINE_COMPANION_RATIO * scores[ranked[0]])
        ]
        entities = [m.term.entity for span_matches in by_span.values() for m in span_matches if m.term.entity]
        if (
            source_kind == "industry"
            and any(e.kind == "platform" for e in entities)
            and not any(e.jurisdiction and KIND_WEIGHTS.get(e.kind, 0) >= ACTING_BODY_WEIGHT for e in entities)
        ):
            about = ["GLOBAL"]  # a platform's own policy applies wherever it operates
        if not about and self.home_jurisdiction:
            # Nothing named a place: a Thai or Korean item with no place in it is, by and large, local news.
            about = [self.home_jurisdiction]
            tally.evidence[self.home_jurisdiction].append(f"written in {self.lang}")
        return JurisdictionResult(
            about=about,
            mentioned=[code for code in ranked if code not in about],
            scores={code: round(scores[code], 2) for code in ranked},
            evidence=dict(tally.evidence),
            chosen=chosen,
        )

    def _weight(self, match: TermMatch, folded: str, title_end: int) -> float:
        """One mention's vote: by what it names, where it stands, and how it is framed."""
        assert match.term.entity is not None
        weight = KIND_WEIGHTS.get(match.term.entity.kind, 1.0)
        if match.in_title:
            weight *= TITLE_FACTOR
        elif match.start - title_end < OPENING_CHARS:
            weight *= OPENING_FACTOR
        if self._is_passing(folded, match):
            weight *= PASSING_FACTOR
        return weight

    def _is_passing(self, folded: str, match: TermMatch) -> bool:
        before = folded[max(0, match.start - WINDOW) : match.start]
        after = folded[match.end : match.end + 16]
        return bool(self.passing_before.search(before) or self.passing_after.match(after))


@dataclass
class _Tally:
    """Votes per jurisdiction: the first mention counts in full, later ones less and less."""

    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    evidence: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    mentions: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, code: str, weight: float, surface: str) -> None:
        self.scores[code] += weight / (1 + self.mentions[code])
        self.mentions[code] += 1
        if surface not in self.evidence[code]:
            self.evidence[code].append(surface)


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


@Language.factory("radar_jurisdictions", default_config={"data_dir": None, "companion_ratio": 0.9})
def make_jurisdiction_resolver(nlp: Language, name: str, data_dir: str, companion_ratio: float) -> JurisdictionResolver:
    lang = str(nlp.lang)
    cues = load_context_cues(Path(data_dir), lang)
    homes = load_yaml(Path(data_dir) / "languages.yaml").get("home_jurisdictions", {})
    return JurisdictionResolver(
        cues.get("passing_before", []), cues.get("passing_after", []), companion_ratio, lang, homes.get(lang)
    )
