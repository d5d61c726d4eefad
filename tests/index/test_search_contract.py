"""The SearchEngine contract, run against every engine available (tantivy always;
Elasticsearch when RADAR_ELASTICSEARCH_URL points at a live cluster)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.protocols import SearchEngine
from index.records import FACET_FIELDS, MAX_LIMIT, QueryError, SearchQuery, SearchResult, StoredItem
from tests.index.search_fixtures import (
    CORPUS,
    ENGINES,
    HOSTILE_TEXT,
    HOSTILE_TITLE,
    day,
    engine_opener,
    make_item,
    searched_at_once,
)

Opener = Callable[[], SearchEngine]


@pytest.fixture(params=ENGINES)
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    yield from engine_opener(request.param, tmp_path)


@pytest.fixture
def engine(opener: Opener) -> SearchEngine:
    """An engine holding the corpus, committed."""
    engine = opener()
    engine.add(CORPUS)
    engine.commit()
    return engine


def ids(result: SearchResult) -> set[str]:
    return {hit.id for hit in result.hits}


def search(engine: SearchEngine, text: str = "", **fields) -> SearchResult:
    return engine.search(SearchQuery(text=text, **fields))


# --- the query language --------------------------------------------------------------------


def test_words_are_and_ed(engine: SearchEngine) -> None:
    assert ids(search(engine, "age assurance", expand=False)) == {"au-age"}
    assert ids(search(engine, "assurance Parliament", expand=False)) == set()
    assert ids(search(engine, "ESAFETY Registers", expand=False)) == {"au-age"}


def test_phrases(engine: SearchEngine) -> None:
    assert ids(search(engine, '"age assurance"', expand=False)) == {"au-age"}
    assert ids(search(engine, '"assurance age"', expand=False)) == set()


def test_boolean_operators(engine: SearchEngine) -> None:
    assert ids(search(engine, "Parliament OR IMDA", expand=False)) == {"au-scam", "sg-age"}
    assert ids(search(engine, "ages -IMDA", expand=False)) == {"au-age"}
    assert ids(search(engine, "ages NOT eSafety", expand=False)) == {"sg-age"}
    assert ids(search(engine, "(Parliament OR IMDA) AND stores", expand=False)) == {"sg-age"}
    everything_but_scams = ids(search(engine, "NOT scams", limit=50, expand=False))
    assert "au-scam" not in everything_but_scams and "au-age" in everything_but_scams


def test_field_values(engine: SearchEngine) -> None:
    assert ids(search(engine, "country:sg")) == {"sg-age"}
    assert ids(search(engine, "jurisdiction:AU")) == {"au-age", "au-scam"}
    assert ids(search(engine, "harm:child_safety")) == {"au-age", "sg-age"}
    assert ids(search(engine, "lang:ko")) == {"kr-deepfake"}
    assert ids(search(engine, "doc_type:legislation")) == {"au-scam"}
    assert ids(search(engine, "source:imda")) == {"sg-age"}
    assert ids(search(engine, "source_kind:ministry")) == {"th-gambling", "undated"}
    assert ids(search(engine, 'stakeholder:"esafety commissioner"')) == {"au-age"}
    assert ids(search(engine, "title:framework", expand=False)) == {"au-scam"}
    assert ids(search(engine, "title:intelligence", expand=False)) == set()
    assert ids(search(engine, "text:intelligence", expand=False)) == {"au-scam"}
    assert ids(search(engine, "country:au -harm:scams_fraud")) == {"au-age"}


def test_prefix(engine: SearchEngine) -> None:
    result = search(engine, "assur*")
    assert ids(result) == {"au-age"}
    assert "<b>assurance</b>" in result.hits[0].snippet
    assert ids(search(engine, "harm:child*")) == {"au-age", "sg-age"}


def test_english_stemming(engine: SearchEngine) -> None:
    assert ids(search(engine, "registering", expand=False)) == {"au-age"}
    assert ids(search(engine, "code", expand=False)) == {"au-age"}


def test_accents_fold(engine: SearchEngine) -> None:
    assert ids(search(engine, "lừa đảo", expand=False)) == {"vn-scam"}
    assert ids(search(engine, "lua dao", expand=False)) == {"vn-scam"}


# --- filters, facets, histogram ------------------------------------------------------------


def test_filters_of_each_kind(engine: SearchEngine) -> None:
    assert ids(search(engine, jurisdictions=("AU", "sg"))) == {"au-age", "sg-age", "au-scam"}
    assert ids(search(engine, jurisdictions=("AU", "SG"), harm_areas=("child_safety",))) == {"au-age", "sg-age"}
    assert ids(search(engine, doc_types=("regulation",))) == {"au-age", "cn-deepfake", "undated"}
    assert ids(search(engine, sources=("eSafety Commissioner", "KCSC"))) == {"au-age", "kr-deepfake"}
    assert ids(search(engine, source_kinds=("ministry",))) == {"th-gambling", "undated"}
    assert ids(search(engine, languages=("ja", "zh"))) == {"jp-deepfake", "cn-deepfake", "cn-noise"}
    assert ids(search(engine, stakeholders=("Parliament of Australia",))) == {"au-scam"}
    assert ids(search(engine, "scams", languages=("vi",), expand=True)) == {"vn-scam"}


def test_date_range_is_inclusive(engine: SearchEngine) -> None:
    first_quarter = search(engine, since=dt.date(2025, 1, 15), until=dt.date(2025, 3, 10))
    assert ids(first_quarter) == {"th-gambling", "au-scam", "au-age"}
    assert ids(search(engine, since=dt.date(2025, 4, 1))) == {"sg-age", "vn-scam"}
    assert ids(search(engine, until=dt.date(2022, 12, 31))) == {"cn-deepfake"}


def test_facets_count_the_filtered_results(engine: SearchEngine) -> None:
    result = search(engine, jurisdictions=("AU",))
    assert set(result.facets) == set(FACET_FIELDS)
    assert result.facets["jurisdictions"] == {"AU": 2}
    assert result.facets["harm_areas"] == {"child_safety": 1, "scams_fraud": 1}
    assert result.facets["doc_type"] == {"regulation": 1, "legislation": 1}
    assert result.facets["source_kind"] == {"regulator": 1, "media": 1}
    assert result.facets["language"] == {"en": 2}
    everything = search(engine)
    assert everything.total == len(CORPUS)
    assert everything.facets["language"] == {"en": 5, "zh": 2, "ko": 1, "ja": 1, "th": 1, "vi": 1}
    assert everything.facets["harm_areas"]["ai_synthetic_media"] == 3
    assert next(iter(everything.facets["language"])) == "en"  # most frequent first


def test_facets_count_each_value_of_many_valued_tags_once(opener: Opener) -> None:
    engine = opener()
    codes, harms = ("AU", "SG", "MY", "ID", "PH"), ("child_safety", "scams_fraud", "privacy_data", "gambling")
    engine.add(
        [
            make_item("many", jurisdictions=codes, harm_areas=harms, source_kind=None, doc_type="report"),
            make_item("same", jurisdictions=tuple(reversed(codes)), harm_areas=harms, doc_type="report"),
            make_item("one", jurisdictions=("SG",), harm_areas=(), published_at=None),
        ]
    )
    engine.commit()
    result = search(engine)
    assert result.total == 3
    assert result.facets["jurisdictions"] == {"SG": 3, "AU": 2, "ID": 2, "MY": 2, "PH": 2}
    assert result.facets["harm_areas"] == dict.fromkeys(sorted(harms), 2)
    assert result.facets["doc_type"] == {"report": 2, "news": 1}
    assert result.facets["source_kind"] == {"media": 2}
    assert result.facets["language"] == {"en": 3}
    assert result.histogram == (("2025-01", 2),)
    assert search(engine, harm_areas=("gambling",), jurisdictions=("PH",)).facets["jurisdictions"]["SG"] == 2


def test_monthly_histogram(engine: SearchEngine) -> None:
    expected: dict[str, int] = {}
    for item in sorted(CORPUS, key=lambda item: item.published_at or dt.datetime.max.replace(tzinfo=dt.UTC)):
        if item.published_at:
            month = item.published_at.strftime("%Y-%m")
            expected[month] = expected.get(month, 0) + 1
    assert search(engine).histogram == tuple(expected.items())
    assert search(engine, jurisdictions=("AU",)).histogram == (("2025-02", 1), ("2025-03", 1))


# --- hits and snippets ----------------------------------------------------------------------


def test_hits_carry_the_item(engine: SearchEngine) -> None:
    (hit,) = search(engine, "country:AU harm:child_safety").hits
    item = next(item for item in CORPUS if item.id == "au-age")
    assert (hit.title, hit.url, hit.language, hit.doc_type, hit.story_id) == (
        item.title,
        item.url,
        "en",
        "regulation",
        "story-au-age",
    )
    assert hit.published_at == item.published_at
    assert hit.jurisdictions == ("AU",) and hit.harm_areas == ("child_safety",)
    assert (hit.source, hit.source_kind) == ("eSafety Commissioner", "regulator")
    (undated,) = search(engine, "country:IN").hits
    assert undated.published_at is None


def test_snippets_are_escaped_and_highlighted(engine: SearchEngine) -> None:
    (hit,) = search(engine, "troll", expand=False).hits
    assert hit.title == HOSTILE_TITLE  # data as stored: whoever renders it escapes it
    assert "<b>troll</b>" in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "<script>" not in hit.snippet
    assert "&lt;b&gt;Bold&lt;/b&gt;" in hit.snippet
    plain = hit.snippet.replace("<b>", "").replace("</b>", "")
    assert "<" not in plain and ">" not in plain
    assert html.unescape(plain).rstrip(" …") in HOSTILE_TEXT


def test_cjk_snippet_highlights_the_phrase(engine: SearchEngine) -> None:
    (hit,) = search(engine, "딥페이크", expand=False).hits
    assert "<b>딥페이크</b>" in hit.snippet
    (hit,) = search(engine, "深度伪造", expand=False).hits
    assert "<b>深度伪造</b>" in hit.snippet
    assert "<b>深</b>" not in hit.snippet
    # Whatever an engine does to index these scripts, titles and snippets come back as written.
    assert not any(0xE000 <= ord(char) <= 0xF8FF for char in hit.title + hit.snippet)
    assert any(0x4E00 <= ord(char) <= 0x9FFF for char in hit.title)


def test_filter_only_listing_has_plain_snippets(engine: SearchEngine) -> None:
    (hit,) = search(engine, jurisdictions=("PH",)).hits
    assert "<b>" not in hit.snippet and hit.snippet.startswith("&lt;b&gt;Bold")


# --- sorting and paging ---------------------------------------------------------------------


def test_empty_query_lists_newest_first(engine: SearchEngine) -> None:
    result = search(engine, limit=MAX_LIMIT)
    dated = sorted((item.published_at, item.id) for item in CORPUS if item.published_at)
    assert [hit.id for hit in result.hits] == [item_id for _, item_id in reversed(dated)] + ["undated"]
    assert [hit.id for hit in search(engine, sort="relevance").hits][:2] == ["vn-scam", "sg-age"]


def test_sort_newest_with_words(engine: SearchEngine) -> None:
    result = search(engine, "deepfake", sort="newest")
    assert [hit.id for hit in result.hits] == ["jp-deepfake", "kr-deepfake", "cn-deepfake"]


def page_through(engine: SearchEngine, **fields) -> tuple[list[str], int]:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        result = engine.search(SearchQuery(cursor=cursor, **fields))
        seen += [hit.id for hit in result.hits]
        pages += 1
        cursor = result.next_cursor
        if cursor is None:
            return seen, pages
        assert pages < 100


def many_items(count: int) -> list[StoredItem]:
    """Items sharing few publication times (ties to break) and some with none."""
    return [
        make_item(
            f"bulk-{number:03d}",
            title=f"Online safety notice {number}",
            text="A notice about online safety " + "rules " * (number % 7),
            jurisdictions=("NZ",),
            published_at=None if number % 11 == 0 else day(2024, 1 + number % 3, 1),
        )
        for number in range(count)
    ]


@pytest.mark.parametrize("sort", ["newest", "relevance"])
def test_cursor_pages_without_duplicates_or_gaps(opener: Opener, sort: str) -> None:
    engine = opener()
    items = many_items(45)
    engine.add(items)
    engine.commit()
    seen, pages = page_through(engine, text="notice", sort=sort, limit=7)
    assert len(seen) == len(set(seen)) == 45 and pages == 7
    assert set(seen) == {item.id for item in items}
    if sort == "newest":
        expected = sorted(
            items, key=lambda item: (item.published_at.timestamp() if item.published_at else 0, item.id), reverse=True
        )
        dated = [item.id for item in expected if item.published_at]
        assert seen[: len(dated)] == dated


def test_newest_cursor_is_stable_while_items_arrive(opener: Opener) -> None:
    engine = opener()
    items = many_items(30)
    engine.add(items)
    engine.commit()
    first = engine.search(SearchQuery(jurisdictions=("NZ",), limit=10))
    engine.add([make_item("late", jurisdictions=("NZ",), published_at=day(2026, 1, 1))])
    engine.commit()
    seen = [hit.id for hit in first.hits]
    cursor = first.next_cursor
    while cursor:
        result = engine.search(SearchQuery(jurisdictions=("NZ",), limit=10, cursor=cursor))
        seen += [hit.id for hit in result.hits]
        cursor = result.next_cursor
    assert sorted(seen) == sorted(item.id for item in items)


def test_cursor_from_another_search_is_refused(engine: SearchEngine) -> None:
    cursor = search(engine, limit=2).next_cursor
    assert cursor is not None
    with pytest.raises(QueryError, match="cursor is not valid"):
        search(engine, "deepfake", limit=2, cursor=cursor)
    with pytest.raises(QueryError, match="cursor is not valid"):
        search(engine, limit=2, cursor="not-a-cursor")


def test_limit(engine: SearchEngine) -> None:
    assert len(search(engine, limit=3).hits) == 3
    assert search(engine, limit=MAX_LIMIT).next_cursor is None
    for limit in (0, MAX_LIMIT + 1):
        with pytest.raises(QueryError, match="limit must be between"):
            search(engine, limit=limit)


# --- Asian scripts and cross-language expansion ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("딥페이크", {"kr-deepfake"}),
        ("허위영상물", {"kr-deepfake"}),
        ("ディープフェイク", {"jp-deepfake"}),
        ("生成AI", {"jp-deepfake"}),
        ("深度合成", {"cn-deepfake"}),
        ("个人信息", {"cn-noise"}),
        ("พนันออนไลน์", {"th-gambling"}),
        ("ปิดกั้น", {"th-gambling"}),
    ],
)
def test_asian_script_queries(engine: SearchEngine, text: str, expected: set[str]) -> None:
    assert ids(search(engine, text, expand=False)) == expected


def test_cjk_characters_must_be_adjacent(engine: SearchEngine) -> None:
    # cn-noise has 深, 度, 伪 and 造, but not together.
    assert ids(search(engine, "深度伪造", expand=False)) == {"cn-deepfake"}


def test_english_queries_ignore_cjk_text(engine: SearchEngine) -> None:
    for text in ("age assurance", "scams", "online"):
        languages = {hit.language for hit in search(engine, text, expand=False).hits}
        assert languages <= {"en", "vi"}, text


def test_expansion_finds_other_languages_and_says_so(engine: SearchEngine) -> None:
    result = search(engine, "deepfake")
    assert ids(result) == {"kr-deepfake", "jp-deepfake", "cn-deepfake"}
    assert "딥페이크" in result.expanded_terms["deepfake"]
    assert "ディープフェイク" in result.expanded_terms["deepfake"]
    assert ids(search(engine, "deepfake", expand=False)) == set()
    assert search(engine, "deepfake", expand=False).expanded_terms == {}
    korean = search(engine, "딥페이크")
    assert "deepfake" in korean.expanded_terms["딥페이크"]
    assert ids(korean) == {"kr-deepfake", "jp-deepfake", "cn-deepfake"}


def test_expansion_of_a_run_of_words(engine: SearchEngine) -> None:
    result = search(engine, "age verification")
    assert ids(result) == {"sg-age", "au-age"}
    assert "age assurance" in result.expanded_terms["age verification"]
    gambling = search(engine, "online gambling")
    assert ids(gambling) == {"th-gambling"}
    assert "พนันออนไลน์" in gambling.expanded_terms["online gambling"]


def test_a_match_in_the_title_ranks_above_one_in_the_text(opener: Opener) -> None:
    engine = opener()
    engine.add(
        [
            make_item("text", title="Weekly digest", text="Sextortion guidance: sextortion rises, guidance follows."),
            make_item("title", title="Guidance on sextortion", text="The regulator published its advice today."),
            make_item("neither", title="Weekly digest", text="The regulator published guidance on loans."),
        ]
    )
    engine.commit()
    # Without the title's weight, the text saying both words twice would rank first.
    assert [hit.id for hit in search(engine, "sextortion guidance", expand=False).hits] == ["title", "text"]
    assert ids(search(engine, "digest sextortion", expand=False)) == {"text"}  # title and text together


def test_own_words_rank_above_equivalents(engine: SearchEngine) -> None:
    hits = search(engine, "age assurance").hits
    assert [hit.id for hit in hits] == ["au-age", "sg-age"]


# --- bad queries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"age assurance', 'Unbalanced quote: the " at character 1'),
        ("(age OR scam", "the ( at character 1 is never closed"),
        ("age)", "the ) at character 4 has no matching ("),
        ("colour:red", "Unknown field 'colour' at character 1. Known fields: title, text, country"),
        ("*", "empty prefix"),
        ("a*", "too short"),
        ("x" * 1001, "the limit is 1,000"),
        (" ".join(f"word{number}" for number in range(51)), "51 terms; the limit is 50"),
        ("age AND", "AND at character 5 needs a term after it"),
        ("OR age", "OR at character 1 needs a term before it"),
        ("title: age", "has no value"),
        ("()", "Empty parentheses"),
        ("!!! ...", "Nothing to search for"),
    ],
)
def test_bad_queries_say_what_is_wrong(engine: SearchEngine, text: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        search(engine, text)
    assert message in str(raised.value)
    assert "Traceback" not in str(raised.value)


def test_since_after_until_is_refused(engine: SearchEngine) -> None:
    with pytest.raises(QueryError, match="since"):
        search(engine, since=dt.date(2025, 2, 1), until=dt.date(2025, 1, 1))


@pytest.mark.parametrize(("field", "day"), [("since", dt.date(1600, 1, 1)), ("until", dt.date(2263, 1, 1))])
def test_dates_beyond_what_engines_keep_are_refused(engine: SearchEngine, field: str, day: dt.date) -> None:
    with pytest.raises(QueryError, match=f"{field} must be between 1900-01-01 and 2199-12-31"):
        search(engine, **{field: day})


# --- changes, rebuild, fingerprints -----------------------------------------------------------


def test_add_replaces_and_delete_removes(engine: SearchEngine) -> None:
    changed = make_item("au-age", title="Age assurance codes revised", jurisdictions=("AU",))
    engine.add([changed])
    engine.commit()
    assert [hit.title for hit in search(engine, "country:AU revised").hits] == ["Age assurance codes revised"]
    assert ids(search(engine, "country:AU")) == {"au-age", "au-scam"}
    engine.delete(["au-age", "no-such-id"])
    engine.commit()
    assert ids(search(engine, "country:AU")) == {"au-scam"}
    assert "au-age" not in dict(engine.fingerprints())


def test_fingerprints(engine: SearchEngine) -> None:
    assert list(engine.fingerprints()) == sorted((item.id, item.content_hash) for item in CORPUS)


def test_fingerprints_of_many_items(opener: Opener) -> None:
    engine = opener()
    items = [make_item(f"id-{number:05d}") for number in range(12_345)]
    engine.add(items)
    engine.commit()
    assert list(engine.fingerprints()) == [(item.id, item.content_hash) for item in items]


def test_rebuild_swaps_while_serving(opener: Opener) -> None:
    engine = opener()
    engine.add(CORPUS)
    engine.commit()
    other_process = opener()  # a second handle on the same index, as the API would hold
    assert ids(other_process.search(SearchQuery("country:AU"))) == {"au-age", "au-scam"}
    newcomer = make_item("nz-new", title="Harmful Digital Communications review", jurisdictions=("NZ",))
    replacement = [*CORPUS[1:], newcomer]

    def items_while_searching() -> Iterator[StoredItem]:
        for number, item in enumerate(replacement):
            if number == 3:  # mid-rebuild, both handles still serve the old index
                assert ids(engine.search(SearchQuery("country:AU"))) == {"au-age", "au-scam"}
                assert ids(other_process.search(SearchQuery("country:AU"))) == {"au-age", "au-scam"}
            yield item

    assert engine.rebuild(items_while_searching()) == len(replacement)
    assert ids(engine.search(SearchQuery("country:AU"))) == {"au-scam"}
    assert ids(other_process.search(SearchQuery("country:AU"))) == {"au-scam"}
    assert ids(engine.search(SearchQuery("country:NZ"))) == {"nz-new"}
    assert sorted(dict(engine.fingerprints())) == sorted(item.id for item in replacement)
    engine.add([make_item("after", jurisdictions=("AU",))])
    engine.commit()
    assert ids(engine.search(SearchQuery("country:AU"))) == {"au-scam", "after"}


def test_processes_opening_a_fresh_index_at_once_share_one(opener: Opener) -> None:
    # As the api and the scheduler starting together on a fresh deployment: each handle's first use
    # creates the index when there is none, all at the same moment.
    handles = [opener() for _ in range(4)]
    assert searched_at_once(handles) == [0] * len(handles)
    first, second = handles[0], handles[-1]
    first.add(CORPUS)
    first.commit()
    first.close()  # writers take turns (tantivy's lock; the ingest's turn across processes)
    second.add([make_item("late", jurisdictions=("NZ",))])
    second.commit()
    # Both wrote to the one index, which every handle searches.
    for other in (*handles[1:], opener()):
        assert search(other).total == len(CORPUS) + 1
        assert ids(other.search(SearchQuery("country:NZ"))) == {"late"}


def test_a_commit_is_found_at_once_by_every_handle(opener: Opener) -> None:
    writer, reader = opener(), opener()  # as the scheduler and the API hold them
    assert search(reader).total == 0
    for round_ in range(3):
        writer.add([make_item(f"new-{round_}", jurisdictions=("SG",))])
        writer.commit()
        assert search(reader, jurisdictions=("SG",)).total == round_ + 1


def test_rebuild_of_nothing_empties_the_index(engine: SearchEngine) -> None:
    assert engine.rebuild([]) == 0
    assert search(engine).total == 0
    assert list(engine.fingerprints()) == []


def test_scores_order_relevance(engine: SearchEngine) -> None:
    hits = search(engine, "scams", expand=False).hits
    assert hits[0].id == "au-scam"
    assert all(re.match(r"^-?\d", str(hit.score)) for hit in hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
