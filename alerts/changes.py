"""Whether a story changed enough since it was alerted to alert again, and what changed.

Material: a harm area, jurisdiction or document type added or removed, a new key date (a
deadline, a commencement, a hearing), or a text rewritten by at least REWRITTEN (one minus the
Jaccard similarity of the two versions' three-word shingles, estimated from bottom-k sketches).
A typo fix, a new banner or a re-crawl of the same text alert nobody. An alert keeps the tags
it was made on (a small snapshot); the text it was made on is the item's stored version."""

from __future__ import annotations

import re
import zlib
from typing import Any

from index.records import StoredItem

REWRITTEN = 0.2
SKETCH_SIZE = 128  # smallest shingle hashes kept: an estimate within a few points either way
_WORD = re.compile(r"\w+", re.UNICODE)


def snapshot(item: StoredItem) -> dict[str, Any]:
    """The tags an alert remembers, to compare the item's next version with."""
    return {
        "harm_areas": sorted(item.harm_areas),
        "jurisdictions": sorted(item.jurisdictions),
        "doc_type": item.doc_type,
        "dates": sorted(f"{found['date']} {found['kind']}" for found in item.dates),
    }


def material_changes(before: dict[str, Any], before_text: str | None, item: StoredItem) -> tuple[str, ...]:
    """What changed materially since an alert made on tags `before` and text `before_text`
    (title and text; None when that version is no longer stored), in words; empty when nothing did."""
    after = snapshot(item)
    changes = []
    for field, label in (("harm_areas", "harm areas"), ("jurisdictions", "jurisdictions")):
        added = sorted(set(after[field]) - set(before.get(field, ())))
        removed = sorted(set(before.get(field, ())) - set(after[field]))
        if added or removed:
            parts = [f"+{value}" for value in added] + [f"-{value}" for value in removed]
            changes.append(f"{label}: {' '.join(parts)}")
    if before.get("doc_type") != after["doc_type"]:
        changes.append(f"document type: {before.get('doc_type')} -> {after['doc_type']}")
    new_dates = sorted(set(after["dates"]) - set(before.get("dates", ())))
    if new_dates:
        changes.append("new dates: " + ", ".join(new_dates))
    if before_text is not None:
        rewritten = 1.0 - _similarity(_sketch(before_text), _sketch(item.title + "\n" + item.text))
        if rewritten >= REWRITTEN:
            changes.append(f"text: about {round(rewritten * 100)}% rewritten")
    return tuple(changes)


def _sketch(text: str) -> list[int]:
    return sorted(_shingles(text))[:SKETCH_SIZE]


def _shingles(text: str) -> set[int]:
    """Stable 32-bit hashes (zlib's CRC, the same in every process) of three-word runs."""
    words = _WORD.findall(text.lower())
    runs = [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))] if words else []
    return {zlib.crc32(run.encode("utf-8")) for run in runs}


def _similarity(first: list[int], second: list[int]) -> float:
    """Jaccard similarity estimated from two bottom-k sketches: among the k smallest hashes of
    their union, the share found in both."""
    if not first and not second:
        return 1.0
    union = sorted(set(first) | set(second))[:SKETCH_SIZE]
    both = set(first) & set(second)
    return sum(1 for value in union if value in both) / len(union)
