"""The `radar_jurisdictions` component: which jurisdictions an item is about, and which it
only mentions.

Every gazetteer match that belongs to a jurisdiction votes for it. Acting bodies and laws
(eSafety, IMDA, the Online Criminal Harms Act) vote more than place names, the title more than
the body, the opening more than the end; a place named as a comparison, venue or nationality
("like Australia", "US-based", "a Taiwanese national") votes little, and so does each place of an
enumeration of three or more; one actor named twice in a row ("the UN special rapporteur, Irene
Khan") votes once. "Worldwide" or "in 61 countries" votes for GLOBAL. The best-supported
jurisdiction is the subject, with any other that comes close, or, when it is named in the headline
or leads the first sentence ("Thailand cut power to Myanmar border towns"), comes fairly close;
the rest are mentioned. A firm's own policy (its release, or a headline opening with the firm
acting, no state acting) is GLOBAL; a worldwide body's report on the Asia-Pacific is APAC.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.harm_areas import HARM_AREAS
from nlp.components.terms import ITEM, MATCHES, TITLE_END, TermMatch, doc_folded, doc_text
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
PLACE_KINDS = frozenset({"country", "region", "city"})
# "Worldwide", "in 61 countries": the scope is the world, and GLOBAL gets a place's vote.
WORLDWIDE = "GLOBAL"
WORLDWIDE_WEIGHT = 2.0
# A firm's own policy is GLOBAL: firms are platforms and companies that imply no jurisdiction.
FIRM_KINDS = frozenset({"platform", "company"})
# Stories whose headline opens with a firm acting (NGO reports on a firm study it somewhere).
FIRM_STORY_SOURCES = frozenset({"news", "industry"})
FIRM_VERB_WINDOW = 40
# A worldwide body's report on the region (UNODC on Southeast Asia) is about the region.
REGION = "APAC"
REGION_SHARE = 0.5
AUTHOR_KINDS = frozenset({"intergovernmental", "person", "ngo"})
# Places in one enumeration of three or more are examples or settings: each votes less.
ENUMERATION_MIN = 3
ENUMERATED_FACTOR = 0.5
_PLACE_LIST_GAP = re.compile(r"^\s*(?:,|、|，)?\s*(?:(?:and|or|as well as)\s+)?(?:the\s+)?$", re.IGNORECASE)
# What may stand between the title and the subject of the first sentence ("The Ministry ...").
_LEAD = re.compile(r"\s*(?:the\s+)?$", re.IGNORECASE)
# Between two names of one actor: "the UN special rapporteur, Irene Khan", "Australia's eSafety".
_APPOSITION = re.compile(r"(?:\s*,?\s*|\s*['’]s\s+)$")


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
        worldwide: list[str] | tuple[str, ...] = (),
        worldwide_patterns: list[str] | tuple[str, ...] = (),
        firm_acted_on: list[str] | tuple[str, ...] = (),
        speaker_after: list[str] | tuple[str, ...] = (),
    ):
        self.speaker_after = re.compile(rf"{alternation(speaker_after)}(?![a-z])")
        self.firm_acted_on = re.compile(rf"(?<![a-z]){alternation(firm_acted_on)}(?![a-z])")
        self.lang = lang
        self.worldwide = tuple(dict.fromkeys(w.lower() for w in worldwide))
        self.worldwide_patterns = tuple(re.compile(p) for p in worldwide_patterns)
        self.home_jurisdiction = home_jurisdiction
        self.passing_before = re.compile(alternation(passing_before))
        self.passing_after = re.compile(alternation(passing_after))
        self.companion_ratio = companion_ratio

    def __call__(self, doc: Doc) -> Doc:
        item = doc.user_data.get(ITEM)
        harms = doc.user_data.get(HARM_AREAS)
        doc.user_data[JURISDICTIONS] = self.resolve(
            doc_text(doc),
            doc_folded(doc),
            doc.user_data.get(MATCHES, []),
            doc.user_data.get(TITLE_END, 0),
            getattr(item, "source_kind", None),
            bool(harms and harms.labels),
        )
        return doc

    def resolve(
        self,
        text: str,
        folded: str,
        matches: list[TermMatch],
        title_end: int,
        source_kind: str | None,
        on_topic: bool = True,
    ) -> JurisdictionResult:
        """`folded` is `text` lower-cased."""
        by_span: dict[tuple[int, int], list[TermMatch]] = defaultdict(list)
        for match in matches:
            if match.term.field == "entity" and match.term.entity is not None:
                by_span[(match.start, match.end)].append(match)
        tally = _Tally()
        listed = _enumerated(text, by_span)
        headline: set[str] = set()  # named in the title or leading the body, not in passing
        ambiguous: list[tuple[tuple[int, int], list[str], TermMatch]] = []
        previous: tuple[int, str, float] = (-1, "", 0.0)  # end, code and weight of the last vote
        for span, span_matches in by_span.items():
            codes = _candidates(span_matches)
            first = span_matches[0]
            assert first.term.entity is not None
            if len(codes) == 1:
                code = codes[0]
                passing = self._is_passing(folded, first)
                weight = self._weight(first, folded, title_end, passing)
                if span in listed:
                    weight *= ENUMERATED_FACTOR
                end, last_code, last = previous
                previous = (span[1], code, max(weight, last) if code == last_code else weight)
                if (
                    code == last_code
                    and weight <= last
                    and first.term.entity.kind not in PLACE_KINDS
                    and _APPOSITION.match(text, end, span[0])
                ):
                    # One actor named twice in a row votes once.
                    tally.evidence[code].append(first.text)
                else:
                    tally.add(code, weight, first.text, first.term.entity.kind)
                if (first.in_title or self._leads(text, folded, title_end, span)) and not passing:
                    # Named in the headline, or the subject of the first sentence: a subject when
                    # the rest of the item backs it.
                    headline.add(code)
            elif codes:
                ambiguous.append((span, codes, span_matches[0]))
        for start, surface in self._worldwide(folded) if on_topic else ():
            tally.add(WORLDWIDE, WORLDWIDE_WEIGHT * self._position_factor(start, title_end), surface, "worldwide")
        chosen: dict[tuple[int, int], str] = {}
        for span, codes, match in ambiguous:
            # Punjab with Lahore is PK, an "Information Commissioner" in an Australian item is
            # Australia's: the candidate the rest of the item supports wins.
            chosen[span] = max(codes, key=lambda code: (tally.scores.get(code, 0.0), -codes.index(code)))
            kind = match.term.entity.kind if match.term.entity else ""
            tally.add(chosen[span], self._weight(match, folded, title_end), match.text, kind)
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
        if (
            WORLDWIDE in about
            and scores.get(REGION, 0.0) >= REGION_SHARE * scores[WORLDWIDE]
            and tally.kinds[WORLDWIDE] <= AUTHOR_KINDS
        ):
            # A UN office's report on scam compounds in Southeast Asia is about the region: the
            # worldwide body is its author, the region its scope.
            about = list(dict.fromkeys(REGION if code == WORLDWIDE else code for code in about))
            ranked.remove(WORLDWIDE)  # nor is it mentioned: it is where the report comes from
        entities = [m.term.entity for span_matches in by_span.values() for m in span_matches if m.term.entity]
        if not headline and not any(
            e.jurisdiction and KIND_WEIGHTS.get(e.kind, 0) >= ACTING_BODY_WEIGHT for e in entities
        ):
            # A firm's own policy applies wherever it operates: a firm's release, or a story whose
            # headline opens with the firm acting on a harm, with no state acting and no place in the
            # headline. (A firm that implies no jurisdiction: its country shows in the gazetteer.)
            firms = [m for m in matches if m.term.entity is not None and _is_global_firm(m)]
            if (source_kind == "industry" and firms) or (
                source_kind in FIRM_STORY_SOURCES and on_topic and self._firm_acts_in_headline(folded, firms, title_end)
            ):
                about = [WORLDWIDE]
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

    def _weight(self, match: TermMatch, folded: str, title_end: int, passing: bool | None = None) -> float:
        """One mention's vote: by what it names, where it stands, and how it is framed."""
        assert match.term.entity is not None
        weight = KIND_WEIGHTS.get(match.term.entity.kind, 1.0) * self._position_factor(match.start, title_end)
        if self._is_passing(folded, match) if passing is None else passing:
            weight *= PASSING_FACTOR
        return weight

    def _worldwide(self, folded: str) -> list[tuple[int, str]]:
        """Where the item says its scope is the world: whole-word phrases, then patterns."""
        hits = []
        for phrase in self.worldwide:
            start = folded.find(phrase)
            while start >= 0:
                end = start + len(phrase)
                if not (start and folded[start - 1].isalnum()) and not (end < len(folded) and folded[end].isalnum()):
                    hits.append((start, phrase))
                start = folded.find(phrase, end)
        for pattern in self.worldwide_patterns:
            hits.extend((hit.start(), hit.group()) for hit in pattern.finditer(folded))
        return sorted(hits)

    def _leads(self, text: str, folded: str, title_end: int, span: tuple[int, int]) -> bool:
        """The subject of the body's first sentence, acting ("Thailand cut power to ...") rather
        than speaking ("The FBI says North Korea ...")."""
        return bool(_LEAD.match(text, title_end, span[0])) and not self.speaker_after.match(folded, span[1])

    def _firm_acts_in_headline(self, folded: str, firms: list[TermMatch], title_end: int) -> bool:
        """The headline opens with a firm doing something, not with a firm being blocked, fined or sued."""
        if not firms or firms[0].start != 0 or not firms[0].in_title:
            return False
        return not self.firm_acted_on.search(folded[firms[0].end : min(title_end, firms[0].end + FIRM_VERB_WINDOW)])

    @staticmethod
    def _position_factor(start: int, title_end: int) -> float:
        if start < title_end:
            return TITLE_FACTOR
        if start - title_end < OPENING_CHARS:
            return OPENING_FACTOR
        return 1.0

    def _is_passing(self, folded: str, match: TermMatch) -> bool:
        """Framed as a comparison, venue or nationality by the words just before or after it, in
        its own sentence: the headline's last words do not frame the body's first."""
        before = folded[max(0, match.start - WINDOW) : match.start]
        before = before[_sentence_start(before) :]
        after = folded[match.end : match.end + 16]
        return bool(self.passing_before.search(before) or self.passing_after.match(after))


@dataclass
class _Tally:
    """Votes per jurisdiction: the first mention counts in full, later ones less and less."""

    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    evidence: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    mentions: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    kinds: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, code: str, weight: float, surface: str, kind: str = "") -> None:
        self.kinds[code].add(kind)
        self.scores[code] += weight / (1 + self.mentions[code])
        self.mentions[code] += 1
        if surface not in self.evidence[code]:
            self.evidence[code].append(surface)


def _sentence_start(before: str) -> int:
    """Where the last sentence in `before` starts (0 when it starts earlier)."""
    found = max(before.rfind(". "), before.rfind("\n"), before.rfind("。"))
    return found + 1 if found >= 0 else 0


def _enumerated(text: str, by_span: dict[tuple[int, int], list[TermMatch]]) -> set[tuple[int, int]]:
    """Places named in one enumeration of three or more ("in Kenya, the Philippines and the United
    States"): examples or settings, each worth less than a place named alone."""
    places = [
        (span, codes[0])
        for span, span_matches in sorted(by_span.items())
        if span_matches[0].term.entity is not None
        and span_matches[0].term.entity.kind in PLACE_KINDS
        and len(codes := _candidates(span_matches)) == 1
    ]
    listed: set[tuple[int, int]] = set()
    run: list[tuple[tuple[int, int], str]] = []
    for place in [*places, None]:
        if place is not None and run and _PLACE_LIST_GAP.match(text[run[-1][0][1] : place[0][0]]):
            run.append(place)
            continue
        if len({code for _, code in run}) >= ENUMERATION_MIN:
            listed.update(span for span, _ in run)
        run = [place] if place is not None else []
    return listed


def _is_global_firm(match: TermMatch) -> bool:
    entity = match.term.entity
    return entity is not None and entity.kind in FIRM_KINDS and entity.jurisdiction is None and not entity.candidates


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
        cues.get("passing_before", []),
        cues.get("passing_after", []),
        companion_ratio,
        lang,
        homes.get(lang),
        cues.get("worldwide", []),
        cues.get("worldwide_patterns", []),
        cues.get("firm_acted_on", []),
        cues.get("speaker_after", []),
    )
