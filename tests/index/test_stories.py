"""Near-duplicate sketches: shingles, MinHash signatures and LSH bands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.store import stories
from index.store.stories import Sketch, StoryCandidate, oldest_near_duplicate, similarity, sketch
from tests.index.conftest import article, reworded

REPO = Path(__file__).resolve().parents[2]


def test_tokens_are_words_or_characters_of_unspaced_scripts() -> None:
    assert stories.tokens("Online-Safety Act, 2021!") == (["online", "safety", "act", "2021"], 0)
    words, characters = stories.tokens("ＦＵＬＬ width 딥페이크 ทดสอบ 深度伪造")
    assert words == ["full", "width", "딥페이크", "ท", "ด", "ส", "อ", "บ", "深", "度", "伪", "造"]
    assert characters == 9


def test_a_bare_headline_is_too_short_to_sketch() -> None:
    assert sketch("Media release", "") is None
    assert sketch("One two three four five six seven eight nine", "") is None
    assert sketch("One two three four five six seven eight nine ten", "") is not None


def test_identical_text_has_identical_sketches() -> None:
    text = article(1)
    first, second = sketch("Title", text), sketch("Title", text)
    assert first is not None and second is not None
    assert similarity(first, second) == 1.0
    assert first.bands == second.bands
    assert len(first.bands) == stories.BANDS


def test_spacing_case_and_punctuation_do_not_matter() -> None:
    text = article(2)
    a = sketch("Title", text)
    b = sketch("TITLE", "  " + text.upper().replace(" ", "\n  ").replace(".", " !"))
    assert a is not None and b is not None
    assert similarity(a, b) == 1.0


@pytest.mark.parametrize(("every", "at_least"), [(50, 0.75), (25, 0.6), (15, 0.5)])
def test_a_reworded_copy_is_similar(every: int, at_least: float) -> None:
    text = article(3)
    original, copy = sketch("Headline", text), sketch("Another headline", reworded(text, seed=1, every=every))
    assert original is not None and copy is not None
    assert similarity(original, copy) >= at_least
    assert set(original.bands) & set(copy.bands)


def test_different_articles_on_the_same_topic_are_not() -> None:
    sketches = [sketch("Regulator announces code", article(seed)) for seed in range(20)]
    scores = [similarity(a, b) for i, a in enumerate(sketches) for b in sketches[i + 1 :]]  # type: ignore[arg-type]
    assert max(scores) < 0.15


def test_chinese_and_thai_copies_are_found_by_character_shingles() -> None:
    chinese = "国家互联网信息办公室发布关于未成年人网络保护的新规定，要求平台加强年龄验证。" * 3
    thai = "คณะกรรมการกิจการกระจายเสียงออกประกาศใหม่เกี่ยวกับการคุ้มครองเด็กบนแพลตฟอร์มออนไลน์" * 3
    for text, edited in ((chinese, chinese.replace("新规定", "新办法", 1)), (thai, thai.replace("ใหม่", "ฉบับ", 1))):
        a, b = sketch("", text), sketch("", edited)
        assert a is not None and b is not None
        assert similarity(a, b) >= stories.THRESHOLD
    zh, th = sketch("", chinese), sketch("", thai)
    assert zh is not None and th is not None
    assert similarity(zh, th) == 0.0


def test_a_sketch_survives_storage() -> None:
    original = sketch("Title", article(4))
    assert original is not None
    restored = Sketch.from_bytes(original.to_bytes())
    assert np.array_equal(restored.signature, original.signature)
    assert restored.bands == original.bands
    assert len(original.to_bytes()) == 4 * stories.NUM_PERM


def test_sketches_are_the_same_in_every_process() -> None:
    # Stored signatures are compared with ones computed later, elsewhere: nothing may depend on
    # the process (such as Python's per-process string hashing).
    code = (
        "from index.store.stories import sketch; from tests.index.conftest import article; "
        "print(sketch('T', article(5)).to_bytes().hex())"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }  # fmt: skip
    here = sketch("T", article(5))
    assert here is not None
    assert runs == {here.to_bytes().hex()}


def test_the_oldest_near_duplicate_wins() -> None:
    text = article(6)
    mine = sketch("Title", text)
    close = sketch("Title", reworded(text, seed=1))
    far = sketch("Title", article(7))
    assert mine is not None and close is not None and far is not None
    candidates = [
        StoryCandidate("late", "story-late", ("2025-03-02T00:00:00.000000", "late"), close),
        StoryCandidate("early", "story-early", ("2025-03-01T00:00:00.000000", "early"), close),
        StoryCandidate("earliest-but-different", "story-x", ("2024-01-01T00:00:00.000000", "x"), far),
    ]
    match = oldest_near_duplicate(mine, candidates)
    assert match is not None and match.story_id == "story-early"
    assert oldest_near_duplicate(mine, candidates[2:]) is None
    assert oldest_near_duplicate(mine, []) is None
