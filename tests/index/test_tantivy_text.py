"""How the embedded engine sets CJK and Thai characters apart before tantivy tokenizes text."""

from __future__ import annotations

from index.search.tantivy_schema import SEPARATOR, spaced, unspaced, without_separators, words_analyzer


def test_each_cjk_hangul_or_thai_character_is_a_token_and_words_stay_whole() -> None:
    analyzer = words_analyzer()
    assert analyzer.analyze(spaced("Komdigi: 深度伪造 Việt 딥페이크 ไทย")) == [
        "komdigi", "深", "度", "伪", "造", "viet", "딥", "페", "이", "크", "ไ", "ท", "ย",
    ]  # fmt: skip
    assert analyzer.analyze(spaced("ディープフェイク対策")) == list("ディープフェイク対策")


def test_spacing_is_undone_exactly() -> None:
    for text in ("", "plain English", "総務省は2025年12月12日まで", f"a{SEPARATOR}b 深度"):
        assert unspaced(spaced(text)) == text.replace(SEPARATOR, "")
    assert spaced("plain English") == "plain English"  # nothing to do for spaced scripts


def test_highlight_ranges_follow_the_text_when_separators_go() -> None:
    fragment = spaced("关于深度伪造的规定")
    start = fragment.index("深")
    end = fragment.index("造") + 1
    text, ranges = without_separators(fragment, [(start, end)])
    assert text == "关于深度伪造的规定"
    assert [text[a:b] for a, b in ranges] == ["深度伪造"]
    assert without_separators("no separators", [(0, 2)]) == ("no separators", [(0, 2)])


def test_words_inflections_and_late_matches_are_found_and_highlighted(tmp_path) -> None:
    import datetime as dt

    from index.records import SearchQuery, StoredItem
    from index.search.tantivy_engine import TantivyEngine

    def item(item_id: str, text: str) -> StoredItem:
        return StoredItem(
            id=item_id, url=f"https://example.org/{item_id}", title="Notice", text=text, language="en",
            source=None, source_kind=None, published_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
            fetched_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC), content_hash=item_id, harm_areas=(),
            jurisdictions=("AU",), mentioned_jurisdictions=(), doc_type="news", stakeholders=(), dates=(),
            evidence={}, story_id=item_id,
        )  # fmt: skip

    engine = TantivyEngine(tmp_path / "index")
    late = "The committee met again. " * 200 + "Only here does it name deepfakes."
    engine.add([
        item("plural", "New regulations for platforms."), item("past", "The app was banned in March."),
        item("late", late),
    ])  # fmt: skip
    engine.commit()
    [hit] = engine.search(SearchQuery(text="deepfakes", expand=False)).hits
    assert "<b>deepfakes</b>" in hit.snippet  # a match far past the opening is still found
    [hit] = engine.search(SearchQuery(text="regulation")).hits
    assert hit.id == "plural" and "<b>regulations</b>" in hit.snippet
    [hit] = engine.search(SearchQuery(text="bans")).hits
    assert hit.id == "past" and "<b>banned</b>" in hit.snippet
    assert engine.search(SearchQuery(text='"new regulation"')).total == 0  # phrases match as written
    engine.close()
