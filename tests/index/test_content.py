"""Cleaning text for storage, and the content hash that decides new versions."""

from __future__ import annotations

from index.store.content import clean_text, content_hash
from index.store.diffs import diff_lines, version_diff


def test_clean_text_drops_nul_and_replaces_lone_surrogates() -> None:
    assert clean_text("a\x00b") == "ab"
    assert clean_text("x\ud800y\udfffz") == "x\ufffdy\ufffdz"
    assert clean_text("深度伪造 🛡 ok") == "深度伪造 🛡 ok"
    assert clean_text("") == ""


def test_the_hash_ignores_spacing_and_unicode_composition_only() -> None:
    base = content_hash("Age checks", "Platforms must verify ages.\n\nFrom December.")
    assert content_hash("  Age   checks ", "Platforms must verify ages. From\tDecember.") == base
    assert content_hash("Age checks", "Platforms must verify ages. From January.") != base
    assert content_hash("Age check", "Platforms must verify ages. From December.") != base
    assert content_hash("Café", "") == content_hash("Cafe\u0301", "")
    assert content_hash("a", "b") != content_hash("a b", "")
    assert len(base) == 64


def test_diff_lines_put_each_sentence_on_its_own_line() -> None:
    assert diff_lines("T", "One. Two! Three?\nFour。五。") == ["title: T", "One.", "Two!", "Three?", "Four。", "五。"]


def test_no_change_means_an_empty_diff() -> None:
    assert version_diff("T", "Same text.", "T", "Same text.", 1, 2) == ""
