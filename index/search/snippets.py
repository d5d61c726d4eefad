"""Snippets: a fragment of an item's text, HTML-escaped, with <b>...</b> around what matched."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable

from index.search.expansion import is_character_token, match_key

SNIPPET_CHARS = 200


def highlighted_html(fragment: str, ranges: Iterable[tuple[int, int]], keep_lone_characters: bool) -> str:
    """Escape `fragment` and bold its character `ranges`. Adjacent ranges become one (CJK
    matches come a character at a time); a lone CJK or Thai character is only bolded when
    the query itself had one (`keep_lone_characters`), since otherwise it only shares a
    character with a phrase that matched elsewhere."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    position = 0
    for start, end in merged:
        matched = fragment[start:end]
        if not keep_lone_characters and len(matched) == 1 and is_character_token(matched):
            continue
        parts.append(html.escape(fragment[position:start]))
        parts.append(f"<b>{html.escape(matched)}</b>")
        position = end
    parts.append(html.escape(fragment[position:]))
    return "".join(parts).strip()


def byte_to_char_ranges(fragment: str, ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Convert UTF-8 byte offsets (what tantivy reports) to character offsets."""
    encoded = fragment.encode("utf-8")
    return [(len(encoded[:start].decode("utf-8")), len(encoded[:end].decode("utf-8"))) for start, end in ranges]


def prefix_snippet(text: str, prefixes: Iterable[str], max_chars: int = SNIPPET_CHARS) -> str | None:
    """A fragment around the first word of `text` that starts with one of `prefixes` (case- and
    accent-insensitively), those words bolded; None if no word does. Engines' highlighters skip
    prefix queries, which stand for many terms."""
    keys = [key[0] for key in map(match_key, prefixes) if key]
    if not keys:
        return None
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, keys)) + r")[^\W_]*")
    # Folded character for character, so positions in the folded text are positions in `text`.
    folded = text.lower() if text.isascii() else "".join(map(_fold_character, text))
    matches = [(found.start(), found.end()) for found in pattern.finditer(folded)]
    if not matches:
        return None
    start = text.rfind(" ", 0, max(0, matches[0][0] - max_chars // 4)) + 1
    end = start + max_chars
    cut = text.rfind(" ", start + max_chars // 2, end)
    end = cut if cut > 0 and len(text) > end else min(len(text), end)
    inside = [(first - start, last - start) for first, last in matches if first >= start and last <= end]
    return highlighted_html(text[start:end], inside, keep_lone_characters=True)


@functools.lru_cache(maxsize=8192)
def _fold_character(char: str) -> str:
    if char.isascii():
        return char.lower()
    folded = match_key(char)
    return folded[0][0] if folded and folded[0] else char


def plain_snippet(text: str, max_chars: int = SNIPPET_CHARS) -> str:
    """The start of `text`, escaped, cut at a space near `max_chars` (for items that matched only
    by filters, or only in their title)."""
    start, more = opening(text, max_chars)
    return html.escape(start) + more


def opening(text: str, max_chars: int = SNIPPET_CHARS) -> tuple[str, str]:
    """The start of `text` on one line, cut at a space near `max_chars`, and " …" when it was
    cut (else ""): plain text, not escaped."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text, ""
    cut = text.rfind(" ", max_chars // 2, max_chars)
    return text[: cut if cut > 0 else max_chars], " …"
