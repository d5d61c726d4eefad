"""The `radar_harm_areas` component: score each harm area from its lexicon cues."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.terms import MATCHES, TITLE_END, Term, TermMatch, doc_folded, doc_text
from nlp.phrases import alternation
from nlp.resources import load_context_cues

HARM_AREAS = "radar.harm_areas"
# A topic is treated in substance: named in the title or the opening, or in two ways.
OPENING_CHARS = 500
LIST_FACTOR = 0.35
LIST_BONUS_LABEL = "platform_regulation"
LIST_BONUS = 1.5
BLOCK_WINDOW = 24
BLOCK_WEIGHT = 3.0
# Platform regulation is the area every other one leans on: as a companion it needs a larger share.
PLATFORM_SHARE = 0.6
# An area whose cues all stand in one sentence of the body is a passing mention unless it comes
# close to the top (the title counts as a sentence of its own).
ONE_SENTENCE_SHARE = 0.6
# Areas whose everyday words are industry words ("AI", "artificial intelligence", "chatbot"): one of
# these is tagged only with a cue of this weight or more (a deepfake, generative AI, an AI law).
STRONG_WEIGHT = 2.0
# A headline about a corporate deal (a funding round, an investment, an acquisition) or an appointment:
# the harm words describe what the company sells or what the office oversees, so every cue counts this much.
DEAL_FACTOR = 0.3
_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？]|\n\n")
# What may stand between two items of an enumeration: "scams, cyberbullying and CSAM".
_LIST_GAP = re.compile(
    r"^[\s,;:/()\-]*(?:(?:and|or|as well as|including|such as|like|dan|atau|serta|at|o|và|hoặc|और|या)"
    r"(?:\s+(?:the|other|of|to|on|for|\w+ing))?)?[\s,;:/()\-]*$|^\s*[、，,・및와과]\s*$|^\s*(?:및|และ|หรือ|や|と)\s*$",
    re.IGNORECASE,
)
# Longer joins between two items of an enumeration: "pornography or content promoting self-harm",
# "hate speech, and posts inciting violence". Separators, then at most a few of these words.
_LIST_WORDS = frozenset(
    {
        *("and", "or", "as", "well", "including", "such", "like", "plus", "along", "with"),
        *("the", "other", "any", "all", "of", "to", "on", "for", "that", "which"),
        *("content", "material", "materials", "posts", "images", "videos", "messages"),
        *("acts", "activities", "offences", "offenses", "crimes"),
    }
)
_LIST_SEPARATOR = re.compile(r"[,;、，]|\b(?:and|or)\b", re.IGNORECASE)
LIST_JOIN_WORDS = 4


@dataclass(frozen=True)
class HarmAreaResult:
    labels: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[str]]


class HarmAreaScorer:
    """A harm area is tagged when its cues add up to `threshold`.

    A cue counts in full the first time, half the second, then no more, so one word repeated
    does not make a topic; cues in the title count `title_factor` times. Harms that appear
    only as a list ("scams, cyberbullying and child sexual abuse material", the scope of a
    regime) count little each, and the list speaks for platform regulation. Besides the top
    area, an area must be treated in substance: named in the title, in two sentences or more,
    or scoring close to the top. At most `max_labels` areas are kept, the best-scored first.
    """

    def __init__(
        self,
        threshold: float,
        relative_threshold: float,
        title_factor: float,
        max_labels: int,
        block_before: Sequence[str] = (),
        block_after: Sequence[str] = (),
        block_patterns: Sequence[str] = (),
        deal_patterns: Sequence[str] = (),
        appointment_patterns: Sequence[str] = (),
        strong_cue_areas: Sequence[str] = (),
    ):
        # Whole Latin words: "TikTok ban" is a service banned, "TikTok bans accounts" the service
        # acting. (Korean or Japanese endings may follow a cue, so only Latin letters stop it.)
        self.block_before = re.compile(f"(?<![A-Za-z]){alternation(block_before)}$")
        self.block_after = re.compile(f"{alternation(block_after)}(?![A-Za-z])")
        # "Blocked 59 mobile apps", "the blocking of 25 streaming sites": whole services with no name.
        # Matched on the lower-cased text, from the start of a word.
        self.block_patterns = tuple(re.compile(p) for p in block_patterns)
        self.deal_patterns = (
            *(re.compile(p, re.IGNORECASE) for p in deal_patterns),
            *(re.compile(p) for p in appointment_patterns),
        )
        self.strong_cue_areas = frozenset(strong_cue_areas)
        self.threshold = threshold
        self.relative_threshold = relative_threshold
        self.platform_share = PLATFORM_SHARE
        self.title_factor = title_factor
        self.max_labels = max_labels

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[HARM_AREAS] = self.score(
            doc_text(doc), doc_folded(doc), doc.user_data.get(MATCHES, []), doc.user_data.get(TITLE_END, 0)
        )
        return doc

    def _blocked_services(self, text: str, folded: str, matches: list[TermMatch], title_end: int) -> list[TermMatch]:
        """ "Blocked TikTok", "틱톡 차단": a whole service cut off is platform regulation."""
        cues = []
        for match in matches:
            entity = match.term.entity
            if entity is None or entity.kind != "platform":
                continue
            before = text[max(0, match.start - BLOCK_WINDOW) : match.start].lower()
            after = text[match.end : match.end + BLOCK_WINDOW].lower()
            hit = self.block_before.search(before) or self.block_after.match(after)
            if hit:
                before_name = hit.re is self.block_before
                phrase = f"{hit.group().strip()} {match.text}" if before_name else f"{match.text}{hit.group()}"
                term = Term("harm", LIST_BONUS_LABEL, BLOCK_WEIGHT)
                cues.append(TermMatch(match.start, match.end, phrase, term, match.in_title))
        # (A few characters change length when lower-cased; the offsets must stay those of the text.)
        for pattern in self.block_patterns if len(folded) == len(text) else ():
            for hit in pattern.finditer(folded):
                if hit.start() and folded[hit.start() - 1].isalpha():
                    continue
                term = Term("harm", LIST_BONUS_LABEL, BLOCK_WEIGHT)
                phrase = text[hit.start() : hit.end()]
                cues.append(TermMatch(hit.start(), hit.end(), phrase, term, hit.start() < title_end))
        return cues

    def _is_deal(self, title: str) -> bool:
        return any(pattern.search(title) for pattern in self.deal_patterns)

    def score(self, text: str, folded: str, matches: list[TermMatch], title_end: int = 0) -> HarmAreaResult:
        """`folded` is `text` lower-cased."""
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[str]] = defaultdict(list)
        seen: Counter[tuple[str, str]] = Counter()
        prominent: set[str] = set()
        titled: set[str] = set()
        spread: dict[str, tuple[int, int]] = {}  # first and last start of a label's cues in the body
        strong: set[str] = set()
        harm_matches = [m for m in matches if m.term.field == "harm"]
        blocked = self._blocked_services(text, folded, matches, title_end)
        deal = DEAL_FACTOR if self._is_deal(text[:title_end]) else 1.0
        harm_matches += blocked
        listed = _listed(text, harm_matches)
        if listed:
            scores[LIST_BONUS_LABEL] += LIST_BONUS
            evidence[LIST_BONUS_LABEL].append("a list of harms")
        for match in harm_matches:
            label, phrase = match.term.label, match.text.lower()
            repeats = seen[(label, phrase)]
            seen[(label, phrase)] += 1
            if repeats >= 2:
                continue
            factor = 0.5 if repeats else 1.0
            if match.in_title:
                factor *= self.title_factor
            if id(match) in listed:
                factor *= LIST_FACTOR
            if match.term.weight > 0:
                factor *= deal
            if match.term.weight >= STRONG_WEIGHT:
                strong.add(label)
            scores[label] += match.term.weight * factor
            if match.term.weight > 0 and match.text not in evidence[label]:
                evidence[label].append(match.text)
                if match.start < title_end + OPENING_CHARS:
                    prominent.add(label)
            if match.term.weight > 0:
                if match.in_title:
                    titled.add(label)
                else:
                    first, last = spread.get(label, (match.start, match.start))
                    spread[label] = (min(first, match.start), max(last, match.start))
        top = max(scores.values(), default=0.0)
        top_label = max(scores, key=lambda label: (scores[label], label), default="")
        # A second or third area must carry a fair share of the item, not one passing phrase.
        floor = max(self.threshold, self.relative_threshold * top)
        ranked = sorted(
            (s, label)
            for label, s in scores.items()
            if s >= floor
            and (label in strong or label not in self.strong_cue_areas)
            # A whole service blocked is platform regulation whatever else the item is about.
            and (label != LIST_BONUS_LABEL or s >= self.platform_share * top or bool(blocked))
            and (label in prominent or len({e.lower() for e in evidence[label]}) >= 2)
            # Treated in substance: named in the title or in two sentences at least, or close to the top.
            and (
                label == top_label
                or label in titled
                or _in_two_sentences(text, spread.get(label))
                or s >= ONE_SENTENCE_SHARE * top
            )
        )
        labels = [label for _, label in reversed(ranked)][: self.max_labels]
        return HarmAreaResult(
            labels=labels,
            scores={label: round(s, 2) for label, s in scores.items()},
            evidence={label: evidence[label] for label in labels},
        )


def _in_two_sentences(text: str, spread: tuple[int, int] | None) -> bool:
    return spread is not None and _SENTENCE_END.search(text, spread[0], spread[1]) is not None


def _listed(text: str, matches: list[TermMatch]) -> set[int]:
    """The ids of matches that stand in an enumeration of three or more harms, of two areas or more."""
    positive = sorted((m for m in matches if m.term.weight > 0), key=lambda m: m.start)
    listed: set[int] = set()
    run: list[TermMatch] = []
    items = 0  # cues side by side ("AI-generated child sexual images") are one item of the list
    for match in [*positive, None]:
        if match is not None and run and match.start >= run[-1].end:
            gap = text[run[-1].end : match.start]
            if not gap.strip() or _is_list_gap(gap):
                items += bool(gap.strip())
                run.append(match)
                continue
        if items >= 2 and len({m.term.label for m in run}) >= 2:
            listed.update(id(m) for m in run)
        run = [match] if match is not None else []
        items = 0
    return listed


def _is_list_gap(gap: str) -> bool:
    if len(gap) <= 30 and _LIST_GAP.match(gap):
        return True
    if len(gap) > 50 or not _LIST_SEPARATOR.search(gap):
        return False
    words = re.findall(r"[^\s,;:/()\-、，]+", gap.lower())
    return len(words) <= LIST_JOIN_WORDS and all(w in _LIST_WORDS or w.endswith("ing") for w in words)


@Language.factory(
    "radar_harm_areas",
    default_config={
        "data_dir": None,
        "threshold": 3.0,
        "relative_threshold": 0.3,
        "title_factor": 1.5,
        "max_labels": 3,
        "strong_cue_areas": ["ai_synthetic_media"],
    },
)
def make_harm_area_scorer(
    nlp: Language,
    name: str,
    data_dir: str,
    threshold: float,
    relative_threshold: float,
    title_factor: float,
    max_labels: int,
    strong_cue_areas: list[str],
) -> HarmAreaScorer:
    cues = load_context_cues(Path(data_dir), str(nlp.lang))
    return HarmAreaScorer(
        threshold,
        relative_threshold,
        title_factor,
        max_labels,
        cues.get("service_block_before", []),
        cues.get("service_block_after", []),
        cues.get("service_block_patterns", []),
        cues.get("corporate_deal_patterns", []),
        cues.get("appointment_patterns", []),
        strong_cue_areas,
    )
