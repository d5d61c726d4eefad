"""The `radar_harm_areas` component: score each harm area from its lexicon cues."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.terms import MATCHES, TermMatch

HARM_AREAS = "radar.harm_areas"


@dataclass(frozen=True)
class HarmAreaResult:
    labels: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[str]]


class HarmAreaScorer:
    """A harm area is tagged when its cues add up to `threshold`.

    A cue counts in full the first time, half the second, then no more, so one word repeated
    does not make a topic; cues in the title count `title_factor` times. At most `max_labels`
    areas are kept, the best-scored first.
    """

    def __init__(self, threshold: float, title_factor: float, max_labels: int):
        self.threshold = threshold
        self.title_factor = title_factor
        self.max_labels = max_labels

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[HARM_AREAS] = self.score(doc.user_data.get(MATCHES, []))
        return doc

    def score(self, matches: list[TermMatch]) -> HarmAreaResult:
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[str]] = defaultdict(list)
        seen: Counter[tuple[str, str]] = Counter()
        for match in matches:
            if match.term.field != "harm":
                continue
            label, phrase = match.term.label, match.text.lower()
            repeats = seen[(label, phrase)]
            seen[(label, phrase)] += 1
            if repeats >= 2:
                continue
            factor = 0.5 if repeats else 1.0
            if match.in_title:
                factor *= self.title_factor
            scores[label] += match.term.weight * factor
            if match.term.weight > 0 and match.text not in evidence[label]:
                evidence[label].append(match.text)
        ranked = sorted((s, label) for label, s in scores.items() if s >= self.threshold)
        labels = [label for _, label in reversed(ranked)][: self.max_labels]
        return HarmAreaResult(
            labels=labels,
            scores={label: round(s, 2) for label, s in scores.items()},
            evidence={label: evidence[label] for label in labels},
        )


@Language.factory(
    "radar_harm_areas",
    default_config={"threshold": 3.0, "title_factor": 1.5, "max_labels": 3},
)
def make_harm_area_scorer(
    nlp: Language, name: str, threshold: float, title_factor: float, max_labels: int
) -> HarmAreaScorer:
    return HarmAreaScorer(threshold, title_factor, max_labels)
