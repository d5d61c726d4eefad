"""Tagging in a second process: same results, same order; a failed worker is a clear error."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from nlp.background import BackgroundTagger, TaggingError
from nlp.items import ItemIn
from nlp.tagger import Tagger

TEXTS = [
    ("IMDA warns of scam calls", "The Infocomm Media Development Authority warned of scam calls in Singapore."),
    ("eSafety fines platform", "Australia's eSafety Commissioner fined a platform over child sexual abuse material."),
    (
        "Komdigi blokir situs judi",
        "Kementerian Komunikasi dan Digital memblokir ribuan situs judi online pada 1 Mei 2025.",
    ),
    ("総務省、偽情報対策を公表", "総務省は2025年12月12日まで意見を募集する。偽情報への対策を求める。"),
    ("방통위, 딥페이크 대응", "방송통신위원회는 딥페이크 성범죄 영상에 대한 대응 방안을 발표했다."),
    ("Spectrum auction results", "The regulator announced the results of the 3.5 GHz spectrum auction."),
]


def items(count: int) -> list[ItemIn]:
    return [
        ItemIn(id=f"i{n}", title=TEXTS[n % len(TEXTS)][0], text=f"{TEXTS[n % len(TEXTS)][1]} ({n})")
        for n in range(count)
    ]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def test_results_match_the_tagger_in_order_across_many_batches(tagger):
    batch = items(17)
    expected = [result.to_json() for result in tagger.tag_many(batch, batch_size=3)]
    got = [result.to_json() for result in BackgroundTagger(tagger).tag_many(batch, batch_size=3)]
    assert got == expected
    assert [result["id"] for result in got] == [f"i{n}" for n in range(17)]


def test_one_batch_is_tagged_here_and_more_in_a_worker(tagger):
    one = BackgroundTagger(tagger).tag_many(items(3), batch_size=3)
    next(one)
    assert multiprocessing.active_children() == []
    list(one)
    many = BackgroundTagger(tagger).tag_many(items(9), batch_size=3)
    next(many)
    assert [child.name for child in multiprocessing.active_children()] == ["radar-tagger"]
    assert len(list(many)) == 8
    assert multiprocessing.active_children() == []  # the worker is gone once the input is done


def test_a_worker_that_dies_is_a_clear_error(tagger):
    results = BackgroundTagger(tagger).tag_many(items(30), batch_size=3)
    first = [next(results) for _ in range(3)]  # the first batch, tagged here
    assert [result.id for result in first] == ["i0", "i1", "i2"]
    [worker] = multiprocessing.active_children()
    worker.kill()
    with pytest.raises(TaggingError, match=r"stopped unexpectedly \(exit code -9\).*running the same command again"):
        list(results)
    assert multiprocessing.active_children() == []


def test_an_empty_input_yields_nothing(tagger):
    assert list(BackgroundTagger(tagger).tag_many([], batch_size=3)) == []


def test_batches_bigger_than_a_pipe_buffer_flow_both_ways(tagger):
    # Each batch (and each batch of results, with its evidence) is far over the 64 KB a pipe
    # buffers, so sending and receiving must not wait on each other.
    filler = "The regulator warned of online scams targeting older people. " * 800
    big = [ItemIn(id=f"b{n}", title="Scam warning", text=f"{filler} ({n})", lang="en") for n in range(24)]
    results: list[str] = []
    run = threading.Thread(
        target=lambda: results.extend(r.id for r in BackgroundTagger(tagger).tag_many(big, batch_size=4)), daemon=True
    )
    run.start()
    run.join(timeout=300)
    assert not run.is_alive(), "tagging in the worker stalled"
    assert results == [f"b{n}" for n in range(24)]
