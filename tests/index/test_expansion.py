"""Cross-language expansion: the equivalents data, matching, and how a query tree grows."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.search.expansion import EXPANSION_WEIGHT, Concept, Equivalents, default_equivalents_file, match_key
from index.search.query import And, Not, Or, Term, leaves, parse_query
from nlp.resources import LANGUAGES, DataError, read_jsonl


@pytest.fixture(scope="module")
def shipped() -> Equivalents:
    return Equivalents.from_file(default_equivalents_file())


def test_match_key_folds_case_accents_and_spacing() -> None:
    assert match_key("Deep-Fake") == ("deep", "fake")
    assert match_key("lừa đảo") == match_key("LUA DAO") == ("lua", "dao")
    assert match_key("투자 사기") == match_key("투자사기") == ("투", "자", "사", "기")
    assert match_key("AI生成コンテンツ")[:3] == ("ai", "生", "成")
    assert match_key("ऑनलाइन जुआ") == ("ऑनलाइन", "जुआ")  # Devanagari vowel signs stay inside the word
    assert match_key("ดีปเฟค") == tuple("ดีปเฟค")


def test_shipped_equivalents_are_well_formed(shipped: Equivalents) -> None:
    assert 50 <= len(shipped.concepts) <= 80
    names = [concept.name for concept in shipped.concepts]
    assert len(names) == len(set(names))
    owners: dict[tuple[str, ...], str] = {}
    for concept in shipped.concepts:
        assert "en" in concept.terms, concept.name
        assert set(concept.terms) <= set(LANGUAGES), concept.name
        for terms in concept.terms.values():
            assert terms and all(term.strip() == term and term for term in terms), concept.name
            for term in terms:
                key = match_key(term)
                assert key, term
                # A term naming two concepts would expand one into the other.
                assert owners.setdefault(key, concept.name) == concept.name, (term, owners[key], concept.name)


def test_most_concepts_cover_the_asian_languages(shipped: Equivalents) -> None:
    for lang in ("ja", "ko", "zh", "th", "vi", "id", "ms", "hi", "tl"):
        covered = sum(1 for concept in shipped.concepts if lang in concept.terms)
        assert covered >= len(shipped.concepts) * 0.7, lang


def test_lines_parse(shipped: Equivalents) -> None:
    assert sum(1 for _ in read_jsonl(default_equivalents_file())) == len(shipped.concepts)


def test_bad_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "equivalents.jsonl"
    path.write_text('{"concept": "x", "terms": {"xx": ["y"]}}\n', encoding="utf-8")
    with pytest.raises(DataError, match="unknown language"):
        Equivalents.from_file(path)
    path.write_text('{"concept": "x", "terms": {"en": ["y"]}}\n' * 2, encoding="utf-8")
    with pytest.raises(DataError, match=":2: concept 'x' is already defined"):
        Equivalents.from_file(path)
    path.write_text('{"name": "x"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=":1: expected"):
        Equivalents.from_file(path)


SMALL = Equivalents(
    [
        Concept("deepfake", {"en": ("deepfake", "deep fake"), "ko": ("딥페이크",), "ja": ("ディープフェイク",)}),
        Concept("age assurance", {"en": ("age assurance", "age verification"), "ja": ("年齢確認",)}),
    ]
)


def added(node: Or) -> list[str]:
    return [leaf.text for leaf in node.children[1:] if isinstance(leaf, Term)]


def test_a_word_is_or_ed_with_its_equivalents() -> None:
    node, expanded = SMALL.expand(Term("Deepfake"))
    assert isinstance(node, Or) and node.children[0] == Term("Deepfake")
    assert added(node) == ["deep fake", "딥페이크", "ディープフェイク"]
    assert all(leaf.weight == EXPANSION_WEIGHT for leaf in node.children[1:] if isinstance(leaf, Term))
    assert expanded == {"Deepfake": ("deep fake", "딥페이크", "ディープフェイク")}
    assert node.concepts == ("deepfake",)  # what an engine that indexes concepts searches instead


def test_equivalents_work_from_any_language() -> None:
    _, expanded = SMALL.expand(Term("딥페이크"))
    assert expanded == {"딥페이크": ("deepfake", "deep fake", "ディープフェイク")}


def test_a_run_of_words_matches_a_multiword_term() -> None:
    query = parse_query("age verification Australia")
    assert query is not None
    node, expanded = SMALL.expand(query)
    assert expanded == {"age verification": ("age assurance", "年齢確認")}
    assert isinstance(node, And)
    run, country = node.children
    assert country == Term("Australia")
    assert isinstance(run, Or) and run.children[0] == And((Term("age"), Term("verification")))


def test_a_phrase_matches() -> None:
    query = parse_query('"deep fake" rules')
    assert query is not None
    _, expanded = SMALL.expand(query)
    assert list(expanded) == ["deep fake"]


def test_negated_terms_exclude_the_equivalents_too() -> None:
    query = parse_query("rules -deepfake")
    assert query is not None
    node, _ = SMALL.expand(query)
    assert isinstance(node, And) and isinstance(node.children[1], Not)
    assert {leaf.text for leaf in leaves(node.children[1])} == {"deepfake", "deep fake", "딥페이크", "ディープフェイク"}


@pytest.mark.parametrize("text", ["title:deepfake", "deepf*", "harm:deepfake", "deepfakes", "age"])
def test_fields_prefixes_and_other_words_are_left_alone(text: str) -> None:
    query = parse_query(text)
    assert query is not None
    assert SMALL.expand(query) == (query, {})


def test_shipped_data_expands_policy_terms(shipped: Equivalents) -> None:
    assert "딥페이크" in shipped.equivalents_of("deepfake")
    assert "深度伪造" in shipped.equivalents_of("deep fakes")
    assert "judi online" in shipped.equivalents_of("online gambling")
    assert "age assurance" in shipped.equivalents_of("年齢確認")
    assert "CSAM" in shipped.equivalents_of("child sexual abuse material")
    assert shipped.equivalents_of("weather") == ()
