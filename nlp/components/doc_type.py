"""The `radar_doc_type` component: what kind of document an item is.

A news source's item is `news` unless it is an opinion piece (`statement`). Otherwise the
doc-type cues vote, title cues counting double, on top of what the kind of source usually
publishes (`doc_type_priors.yaml`); with no cue, an official item is a `statement`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.terms import ITEM, MATCHES, TermMatch, doc_text
from nlp.resources import load_context_cues, load_yaml

DOC_TYPE = "radar.doc_type"
OPENING_CHARS = 200


@dataclass(frozen=True)
class DocTypeResult:
    label: str
    scores: dict[str, float]
    evidence: list[str]


class DocTypeClassifier:
    def __init__(
        self,
        opinion_cues: list[str],
        title_factor: float,
        default: str,
        priors: dict[str, dict[str, float]] | None = None,
    ):
        self.opinion_cues = tuple(opinion_cues)
        self.priors = priors or {}
        self.title_factor = title_factor
        self.default = default

    def __call__(self, doc: Doc) -> Doc:
        item = doc.user_data.get(ITEM)
        source_kind = getattr(item, "source_kind", None)
        doc.user_data[DOC_TYPE] = self.classify(doc_text(doc), doc.user_data.get(MATCHES, []), source_kind)
        return doc

    def classify(self, text: str, matches: list[TermMatch], source_kind: str | None) -> DocTypeResult:
        if source_kind == "news":
            opening = text[:OPENING_CHARS].lower()
            cues = [cue for cue in self.opinion_cues if cue in opening]
            if cues:
                return DocTypeResult("statement", {}, cues)
            return DocTypeResult("news", {}, ["source kind: news"])
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[str]] = defaultdict(list)
        strongest: dict[str, float] = defaultdict(float)
        seen: set[tuple[str, str]] = set()
        for label, prior in self.priors.get(source_kind or "", {}).items():
            scores[label] += prior
            evidence[label].append(f"source kind: {source_kind}")
        for match in matches:
            if match.term.field != "doc_type":
                continue
            key = (match.term.label, match.text.lower())
            if key in seen:
                continue
            seen.add(key)
            # A title's strong cue ("fined", "consultation") says what the item is; a weak one
            # ("must") says no more there than anywhere.
            factor = self.title_factor if match.in_title and match.term.weight >= 2 else 1.0
            scores[match.term.label] += match.term.weight * factor
            strongest[match.term.label] = max(strongest[match.term.label], match.term.weight)
            evidence[match.term.label].append(match.text)
        best = max(scores, key=lambda label: (scores[label], strongest[label]), default=None)
        if best is None or scores[best] <= 0:
            return DocTypeResult(self.default, dict(scores), [])
        return DocTypeResult(best, {k: round(v, 2) for k, v in scores.items()}, evidence[best])


@Language.factory("radar_doc_type", default_config={"data_dir": None, "title_factor": 2.0, "default": "statement"})
def make_doc_type_classifier(
    nlp: Language, name: str, data_dir: str, title_factor: float, default: str
) -> DocTypeClassifier:
    cues = load_context_cues(Path(data_dir), str(nlp.lang))
    priors = load_yaml(Path(data_dir) / "doc_type_priors.yaml")
    return DocTypeClassifier(cues.get("opinion", []), title_factor, default, priors)
