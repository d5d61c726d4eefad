"""A story as a development of a briefing: its lead's title and date, where it is, what kind of
document it is, the start of its text in plain words, and every item of it cited."""

from __future__ import annotations

import re

from briefings.citations import Citations
from briefings.printable import clean
from briefings.records import Development
from briefings.window import Story

SUMMARY_CHARS = 280
_SENTENCE_END = re.compile(r"[.!?。！？](?=\s|$)")


def develop(story: Story, citations: Citations) -> Development:
    """The story as one development, citing each of its items (every outlet that ran it)."""
    return Development(
        story_id=story.story_id,
        title=clean(story.lead.title),
        date=story.date,
        jurisdictions=story.jurisdictions,
        doc_type=story.doc_type,
        summary=plain_summary(story.lead.text),
        citations=citations.cite_all(story.items),
    )


def plain_summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The start of `text` on one line, at most `limit` characters: whole sentences when they
    fill at least half of it, else cut at a word with an ellipsis. Plain text: every format
    escapes it as its own."""
    flat = clean(text)
    if len(flat) <= limit:
        return flat
    head = flat[: limit + 1]
    ends = [match.end() for match in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 2:
        return head[: ends[-1]].strip()
    cut = head[:limit].rsplit(" ", 1)[0] if " " in head[:limit] else head[: limit - 1]
    return cut.rstrip(" ,;:") + "…"
