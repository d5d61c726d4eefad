"""The shipped data files: valid, consistent, and in the shared vocabulary."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from nlp.resources import DEFAULT_DATA_DIR, LANGUAGES, Taxonomy, load_cues, load_gazetteer, read_jsonl

SHARED_TAXONOMY = Path(__file__).resolve().parents[3] / "shared" / "taxonomy.yaml"


def shared_ids(section: str) -> list[str]:
    # The shared file is not strict YAML (an unquoted ': ' in a description), so read its ids by line.
    ids, inside = [], False
    for text in SHARED_TAXONOMY.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\S", text):
            inside = text.startswith(f"{section}:")
        elif inside and (match := re.match(r"^  ([a-z_]+):", text)):
            ids.append(match.group(1))
    return ids


@pytest.mark.skipif(not SHARED_TAXONOMY.exists(), reason="shared/ is not beside this checkout")
def test_taxonomy_ids_are_the_shared_ones():
    taxonomy = Taxonomy.load(DEFAULT_DATA_DIR / "taxonomy.yaml")
    assert list(taxonomy.harm_areas) == shared_ids("harm_areas")
    assert list(taxonomy.doc_types) == shared_ids("doc_types")


def test_gazetteer_loads_and_covers_apac():
    entities = load_gazetteer(DEFAULT_DATA_DIR)
    covered = {e.jurisdiction for e in entities}
    for code in ["AU", "NZ", "SG", "MY", "ID", "PH", "TH", "VN", "JP", "KR", "CN", "HK", "TW", "IN", "PK", "BD",
                 "LK", "KH", "MM", "ASEAN", "GLOBAL"]:  # fmt: skip
        assert code in covered, f"no gazetteer entry for {code}"


def test_an_alias_means_one_jurisdiction_only():
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in load_gazetteer(DEFAULT_DATA_DIR):
        if entity.jurisdiction and not entity.context:
            for form in entity.surface_forms:
                owners[form if entity.is_exact_case(form) else form.casefold()].add(entity.jurisdiction)
    clashes = {form: codes for form, codes in owners.items() if len(codes) > 1}
    assert not clashes, f"aliases claimed by several jurisdictions (use ambiguous.jsonl or context): {clashes}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_harm_and_doc_type_cues(lang):
    taxonomy = Taxonomy.load(DEFAULT_DATA_DIR / "taxonomy.yaml")
    harms = load_cues(DEFAULT_DATA_DIR, lang, "harm_areas.jsonl", frozenset(taxonomy.harm_areas))
    doc_types = load_cues(DEFAULT_DATA_DIR, lang, "doc_types.jsonl", frozenset(taxonomy.doc_types))
    assert {c.label for c in harms} == set(taxonomy.harm_areas), f"{lang}: a harm area has no cue"
    assert len({c.label for c in doc_types}) >= 6


def test_every_jsonl_file_parses():
    for path in DEFAULT_DATA_DIR.rglob("*.jsonl"):
        assert list(read_jsonl(path)), f"{path} is empty"
