"""Golden files: hand-labelled items per language, tagged end to end.

Each line of tests/nlp/golden/<lang>.jsonl is
    {"item": {...radar tag input...},
     "expect": {"language", "harm_areas", "jurisdictions", "doc_type",
                "dates": [{"date", "kind"}], "stakeholders_include": [names]},
     "why": "what the item checks"}
labelled by the rules of shared/eval/README.md. An expectation is never bent to fit the
tagger: a failing item points at data (cues, gazetteer, date rules) to fix. An item the
tagger is known to get wrong, for a reason data cannot fix, says why in "known_gap"; it is
then a strict expected failure, so fixing it makes the test say the note can go.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nlp.items import ItemIn
from nlp.resources import DEFAULT_DATA_DIR, Taxonomy

GOLDEN_DIR = Path(__file__).parent / "golden"
LANGS = ("en", "id", "ms", "th", "vi", "ja", "ko", "zh", "tl", "hi")
DATE_KINDS = {"deadline", "commencement", "hearing", "event", "published"}
REGION_CODES = {"ASEAN", "APAC", "EU", "GLOBAL"}
EXPECT_KEYS = {"language", "harm_areas", "jurisdictions", "doc_type", "dates", "stakeholders_include"}


def _load() -> list[tuple[str, int, dict]]:
    cases = []
    for path in sorted(GOLDEN_DIR.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                cases.append((path.name, number, json.loads(line)))
    return cases


CASES = _load()
TAXONOMY = Taxonomy.load(DEFAULT_DATA_DIR / "taxonomy.yaml")


def _case_id(case: tuple[str, int, dict]) -> str:
    filename, number, obj = case
    return f"{Path(filename).stem}:{obj.get('item', {}).get('id', f'line{number}')}"


def test_every_language_has_a_golden_file():
    present = {path.stem for path in GOLDEN_DIR.glob("*.jsonl")}
    assert present >= set(LANGS), f"missing golden files: {sorted(set(LANGS) - present)}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_golden_line_is_well_formed(case):
    filename, number, obj = case
    where = f"{filename}:{number}"
    assert {"item", "expect", "why"} <= set(obj) <= {"item", "expect", "why", "known_gap"}, where
    item, expect = obj["item"], obj["expect"]
    ItemIn.from_json(item)  # raises on a malformed item
    assert set(expect) == EXPECT_KEYS, where
    assert expect["language"] == Path(filename).stem, where
    assert set(expect["harm_areas"]) <= set(TAXONOMY.harm_areas), where
    assert len(expect["harm_areas"]) <= 3, where
    assert expect["doc_type"] in TAXONOMY.doc_types, where
    for code in expect["jurisdictions"]:
        assert re.fullmatch(r"[A-Z]{2}", code) or code in REGION_CODES, f"{where}: {code}"
    for date in expect["dates"]:
        assert set(date) == {"date", "kind"} and date["kind"] in DATE_KINDS, where
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date["date"]), where
    text = f"{item['title']}\n{item['text']}"
    for name in expect["stakeholders_include"]:
        assert name in text, f"{where}: stakeholder {name!r} is not in the title or text"


def _relevant(tags: dict) -> str:
    """The whole result, evidence included, for the failure message."""
    return json.dumps(tags, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_golden_item_is_tagged_as_labelled(tagger, case, request):
    filename, _, obj = case
    if "known_gap" in obj:
        request.applymarker(pytest.mark.xfail(reason=obj["known_gap"], strict=True))
    item, expect = obj["item"], obj["expect"]
    tags = tagger.tag(ItemIn.from_json(item)).to_json()

    problems = []
    if tags["language"] != expect["language"]:
        problems.append(f"language: got {tags['language']!r}, want {expect['language']!r}")
    for field in ("harm_areas", "jurisdictions"):
        got, want = set(tags[field]), set(expect[field])
        if got != want:
            problems.append(f"{field}: got {sorted(got)}, want {sorted(want)}")
    if tags["doc_type"] != expect["doc_type"]:
        problems.append(f"doc_type: got {tags['doc_type']!r}, want {expect['doc_type']!r}")
    got_dates = {(d["date"], d["kind"]) for d in tags["dates"]}
    want_dates = {(d["date"], d["kind"]) for d in expect["dates"]}
    if got_dates != want_dates:
        problems.append(f"dates: missing {sorted(want_dates - got_dates)}, unexpected {sorted(got_dates - want_dates)}")
    known = {s["name"] for s in tags["stakeholders"]} | {m for s in tags["stakeholders"] for m in s["mentions"]}
    missing = [name for name in expect["stakeholders_include"] if name not in known]
    if missing:
        problems.append(f"stakeholders: missing {missing}")

    assert not problems, (
        f"{filename} item {item['id']} ({obj['why']})\n  " + "\n  ".join(problems) + f"\nresult:\n{_relevant(tags)}"
    )
