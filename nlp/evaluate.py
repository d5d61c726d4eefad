"""Score the tagger against labelled items (the format of shared/eval/dev.jsonl)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nlp.items import Stakeholder, TaggedItem

FIELDS = ("harm_areas", "jurisdictions", "mentioned_jurisdictions", "doc_type", "stakeholders", "dates")


@dataclass
class Counts:
    true_positive: float = 0
    predicted: float = 0
    gold: float = 0

    def add(self, tp: float, predicted: float, gold: float) -> None:
        self.true_positive += tp
        self.predicted += predicted
        self.gold += gold

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """Counts per field, for English items and for the others."""

    counts: dict[tuple[str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))
    off_topic: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[dict[str, Any]] = field(default_factory=list)

    def group(self, lang: str) -> str:
        return "en" if lang == "en" else "other"

    def table(self) -> list[dict[str, Any]]:
        rows = []
        for name in FIELDS:
            row: dict[str, Any] = {"field": name}
            for group in ("en", "other", "all"):
                counts = self._merged(name, group)
                row[group] = {
                    "precision": round(counts.precision, 3),
                    "recall": round(counts.recall, 3),
                    "f1": round(counts.f1, 3),
                    "n": counts.gold,
                }
            rows.append(row)
        off_topic: dict[str, Any] = {"field": "off_topic_kept_empty"}
        for group in ("en", "other", "all"):
            groups = ("en", "other") if group == "all" else (group,)
            right = sum(self.off_topic[g][0] for g in groups)
            total = sum(self.off_topic[g][1] for g in groups)
            off_topic[group] = {"accuracy": round(right / total, 3) if total else None, "n": total}
        rows.append(off_topic)
        return rows

    def _merged(self, name: str, group: str) -> Counts:
        if group != "all":
            return self.counts[(name, group)]
        merged = Counts()
        for g in ("en", "other"):
            c = self.counts[(name, g)]
            merged.add(c.true_positive, c.predicted, c.gold)
        return merged


def score(pairs: Iterable[tuple[dict[str, Any], TaggedItem]]) -> Scores:
    """Compare each labelled item with the tagger's result."""
    scores = Scores()
    for labelled, tagged in pairs:
        gold = labelled["labels"]
        group = scores.group(labelled.get("lang") or tagged.language)
        mistakes: dict[str, Any] = {}
        for name in ("harm_areas", "jurisdictions", "mentioned_jurisdictions"):
            expected, got = set(gold.get(name, [])), set(getattr(tagged, name))
            scores.counts[(name, group)].add(len(expected & got), len(got), len(expected))
            if expected != got:
                mistakes[name] = {"expected": sorted(expected), "got": sorted(got)}
        right_type = gold["doc_type"] == tagged.doc_type
        scores.counts[("doc_type", group)].add(int(right_type), 1, 1)
        if not right_type:
            mistakes["doc_type"] = {"expected": gold["doc_type"], "got": tagged.doc_type}
        tp, predicted, clusters, missed, extra = _stakeholder_counts(gold.get("stakeholders", []), tagged.stakeholders)
        scores.counts[("stakeholders", group)].add(tp, predicted, clusters)
        if missed or extra:
            mistakes["stakeholders"] = {"missed": missed, "extra": extra}
        expected_dates = {(d["date"], d["kind"]) for d in gold.get("dates", [])}
        got_dates = {(d.date.isoformat(), d.kind) for d in tagged.dates}
        scores.counts[("dates", group)].add(len(expected_dates & got_dates), len(got_dates), len(expected_dates))
        if expected_dates != got_dates:
            mistakes["dates"] = {"expected": sorted(expected_dates), "got": sorted(got_dates)}
        if not gold.get("harm_areas"):
            scores.off_topic[group][0] += int(not tagged.harm_areas)
            scores.off_topic[group][1] += 1
        if mistakes:
            scores.errors.append({"id": labelled.get("id"), "lang": labelled.get("lang"), **mistakes})
    return scores


def _normal(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name.casefold()).removeprefix("the ").strip()


def _stakeholder_counts(gold: list[str], predicted: list[Stakeholder]):
    """Alias-tolerant counts: a predicted stakeholder is right when any of its names (canonical,
    as mentioned, or a known alias) is a gold string; gold strings that name the same predicted
    stakeholder count once."""
    forms = [{_normal(s.name), *(_normal(m) for m in (*s.mentions, *s.aliases))} for s in predicted]
    matched_predictions: set[int] = set()
    unmatched_gold = []
    for string in gold:
        hits = [i for i, names in enumerate(forms) if _normal(string) in names]
        if hits:
            matched_predictions.add(hits[0])
        else:
            unmatched_gold.append(string)
    clusters = len(matched_predictions) + len(unmatched_gold)
    extra = [predicted[i].name for i in range(len(predicted)) if i not in matched_predictions]
    return len(matched_predictions), len(predicted), clusters, unmatched_gold, extra
