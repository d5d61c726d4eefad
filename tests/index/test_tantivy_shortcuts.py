"""The embedded engine's two shortcuts, and that each finds what the long way finds: an
expansion searches one concept instead of its many terms (the `concepts` field), and a run of
CJK, Hangul or Thai characters searches their pairs (the `*_cjk` fields) instead of a phrase of
single characters."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.records import IndexOutdatedError, SearchQuery
from index.search.expansion import Concept, Equivalents, default_equivalents_file
from index.search.query import parse_query
from index.search.tantivy_concepts import ConceptFinder
from index.search.tantivy_engine import TantivyEngine
from index.search.tantivy_schema import character_runs, plain_tokens, spaced, words_analyzer
from tests.index.search_fixtures import make_item

LABELLED = Path(__file__).parents[1] / "nlp" / "data"
SMALL = Equivalents(
    [
        Concept("deepfake", {"en": ("deepfake", "deep fake"), "ko": ("딥페이크",), "ja": ("ディープフェイク",)}),
        Concept("age assurance", {"en": ("age assurance", "age verification"), "ja": ("年齢確認",)}),
    ]
)


def find(text: str) -> list[str]:
    return ConceptFinder(SMALL).find(spaced(text))


def test_a_concept_is_found_by_any_of_its_terms_token_for_token() -> None:
    assert find("Rules on Deep-Fake videos") == ["deepfake"]
    assert find("정부는 딥페이크 성범죄에 대응한다") == ["deepfake"]
    assert find("総務省は年齢確認の指針を公表した") == ["age assurance"]
    assert find("“Age verification” and deepfakes’ spread") == ["age assurance"]  # "deepfakes" is another word
    assert find("a deep dive into fake age claims") == []
    assert find("") == []


def test_title_and_text_are_both_read() -> None:
    finder = ConceptFinder(SMALL)
    found = finder.find(spaced("Deepfake rules"), spaced("Age assurance for app stores."))
    assert found == ["age assurance", "deepfake"]


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII, with punctuation: AI-generated (content) & 2025's rules.",
        "Typography — “quoted” ‘words’ … and non\u00a0breaking spaces",
        "Việt Nam và Malaysia: lừa đảo trực tuyến",
        "総務省は2025年12月12日まで意見を募集する。딥페이크 ไทย",
    ],
)
def test_the_fast_tokens_are_the_analyzer_tokens(text: str) -> None:
    assert plain_tokens(spaced(text)) == words_analyzer().analyze(spaced(text))


def test_a_token_too_long_for_the_index_stands_between_its_neighbours() -> None:
    assert plain_tokens(f"deep {'x' * 70} fake") == ["deep", "x" * 70, "fake"]
    assert find(f"deep {'x' * 70} fake") == []


def labelled_items() -> list[dict[str, str]]:
    items = []
    for path in sorted(LABELLED.glob("*.jsonl")):
        items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TantivyEngine, Equivalents, int]]:
    """The labelled items (nine languages) in an engine with the shipped equivalents."""
    equivalents = Equivalents.from_file(default_equivalents_file())
    engine = TantivyEngine(tmp_path_factory.mktemp("labelled") / "index", equivalents=equivalents)
    items = labelled_items()
    engine.add(
        make_item(f"item-{number}", title=item.get("title", ""), text=item["text"]) for number, item in enumerate(items)
    )
    engine.commit()
    yield engine, equivalents, len(items)
    engine.close()


def same_matches(engine: TantivyEngine, count: int, text: str, expand: Equivalents | None = None) -> set[int]:
    """The items both ways find for `text` (asserting they are the same)."""
    node = parse_query(text)
    assert node is not None
    if expand is not None:
        node, _added = expand.expand(node)
    short, long = engine.queries.compile(node), engine.highlighting.compile(node)
    assert short is not None and long is not None
    searcher = engine._live().searcher()
    found = [{address.doc for _score, address in searcher.search(query, count).hits} for query in (short, long)]
    assert found[0] == found[1], text
    return found[0]


def test_searching_concepts_finds_what_searching_their_terms_finds(labelled) -> None:
    """For every shipped concept: the items an expanded query finds through the concepts field
    are the items the expansion's terms find."""
    engine, equivalents, count = labelled
    found_somewhere = 0
    for concept in equivalents.concepts:
        typed = next(term for terms in concept.terms.values() for term in terms)
        found_somewhere += bool(same_matches(engine, count, f'"{typed}"', equivalents))
    assert found_somewhere >= 30  # the comparison covered concepts that occur, not only empty sets


def test_searching_character_pairs_finds_what_searching_characters_finds(labelled) -> None:
    """Every CJK, Hangul and Thai term of the equivalents, and runs of two to five characters
    from the labelled items' texts, as a word and as a phrase."""
    engine, equivalents, count = labelled
    terms = [
        term
        for concept in equivalents.concepts
        for lang in ("zh", "ja", "ko", "th")
        for term in concept.terms.get(lang, ())
    ]
    rng = random.Random(5)
    for item in labelled_items():
        for run in character_runs(item["text"])[:3]:
            start = rng.randrange(max(1, len(run) - 5))
            terms.append(run[start : start + rng.randint(2, 5)])
    found_somewhere = 0
    for term in terms:
        found_somewhere += bool(same_matches(engine, count, term))
        same_matches(engine, count, f'"{term}"')
    assert found_somewhere >= len(terms) // 2


def test_a_korean_word_is_found_across_the_spacing_and_not_across_other_words(tmp_path: Path) -> None:
    engine = TantivyEngine(tmp_path / "index")
    engine.add(
        [
            make_item("spaced", text="개인 정보 보호 강화", language="ko"),
            make_item("joined", text="개인정보보호위원회는 밝혔다", language="ko"),
            make_item("broken", text="개인 AI 정보", language="ko"),
        ]
    )
    engine.commit()
    assert {hit.id for hit in engine.search(SearchQuery("개인정보", expand=False)).hits} == {"spaced", "joined"}
    assert {hit.id for hit in engine.search(SearchQuery('"개인 정보"', expand=False)).hits} == {"spaced", "joined"}
    engine.close()


def test_an_english_query_finds_and_highlights_the_korean_term(tmp_path: Path) -> None:
    engine = TantivyEngine(tmp_path / "index", equivalents=SMALL)
    engine.add([make_item("ko", title="방송통신위원회 발표", text="정부는 딥페이크 성범죄에 대응한다.", language="ko")])
    engine.commit()
    result = engine.search(SearchQuery("deepfake"))
    assert [hit.id for hit in result.hits] == ["ko"]
    assert "<b>딥페이크</b>" in result.hits[0].snippet
    assert result.expanded_terms == {"deepfake": ("deep fake", "딥페이크", "ディープフェイク")}
    engine.close()


def test_an_index_built_with_other_equivalents_is_outdated(tmp_path: Path) -> None:
    engine = TantivyEngine(tmp_path / "index", equivalents=SMALL)
    engine.add([make_item("a", text="Deepfake rules.")])
    engine.commit()
    engine.close()
    changed = Equivalents([*SMALL.concepts, Concept("scam", {"en": ("scam",), "ko": ("사기",)})])
    with pytest.raises(IndexOutdatedError, match=r"other cross-language equivalents.*radar reindex"):
        TantivyEngine(tmp_path / "index", equivalents=changed).search(SearchQuery("rules"))
    rebuilt = TantivyEngine(tmp_path / "index", equivalents=changed)
    rebuilt.rebuild([make_item("a", text="Deepfake rules.")])
    assert rebuilt.search(SearchQuery("rules")).total == 1
    rebuilt.close()
