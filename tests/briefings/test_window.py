"""Reading a window's items as stories: the newest first, at most the cap (saying how many there
were), each story with the copies other outlets ran in the window, and the lead's text summed up."""

from __future__ import annotations

import datetime as dt

from briefings.developments import plain_summary
from briefings.window import ItemReader, find_stories
from index.protocols import SearchEngine, Store
from index.records import SearchQuery
from tests.briefings.conftest import TODAY


def test_the_cap_keeps_the_newest_and_says_there_were_more(opened: tuple[Store, SearchEngine]) -> None:
    store, engine = opened
    window = SearchQuery(jurisdictions=("SG",), since=TODAY - dt.timedelta(days=89), until=TODAY)
    everything = find_stories(engine, ItemReader(store), window, cap=1000)
    capped = find_stories(engine, ItemReader(store), window, cap=3)
    assert not everything.truncated and everything.total == everything.read
    assert capped.truncated and (capped.total, capped.read) == (everything.total, 3)
    assert [story.story_id for story in capped.stories] == [story.story_id for story in everything.stories][:3]
    dates = [story.date for story in everything.stories]
    assert dates == sorted(dates, reverse=True)


def test_a_story_brings_its_copies_from_the_window_only(opened: tuple[Store, SearchEngine]) -> None:
    store, engine = opened
    # The search finds the eSafety release alone (the copies are news); the store adds them.
    found = find_stories(
        engine,
        ItemReader(store),
        SearchQuery(doc_types=("guidance",), jurisdictions=("AU",), since=TODAY - dt.timedelta(days=30), until=TODAY),
        cap=10,
    )
    (story,) = found.stories
    assert [item.id for item in story.items] == ["item-a", "item-b", "item-c"]  # oldest first: the lead
    assert story.doc_type == "guidance" and story.lead.id == "item-a"
    # A window that ends before the copies ran has the release alone.
    earlier = find_stories(
        engine,
        ItemReader(store),
        SearchQuery(
            doc_types=("guidance",),
            jurisdictions=("AU",),
            since=TODAY - dt.timedelta(days=30),
            until=TODAY - dt.timedelta(days=6),
        ),
        cap=10,
    )
    assert [item.id for item in earlier.stories[0].items] == ["item-a"]


def test_a_summary_is_whole_sentences_or_cut_at_a_word() -> None:
    sentences = "First sentence here. " * 10 + "Last."
    assert plain_summary(sentences, 100) == ("First sentence here. " * 4).strip()  # a fifth would pass 100
    one_long = "word " * 100
    summary = plain_summary(one_long, 50)
    assert summary.endswith("…") and len(summary) <= 51 and "  " not in summary
    assert plain_summary("Short\n\n text\tas is.") == "Short text as is."
