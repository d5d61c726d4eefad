"""What changed between two versions of an item, as a unified diff a person can read."""

from __future__ import annotations

import difflib
import re

# One sentence per line, so a changed sentence in a one-paragraph page shows as one changed line.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])|\n+")


def diff_lines(title: str, text: str) -> list[str]:
    """The lines a version is compared by: its title, then its text one sentence per line."""
    return [f"title: {title}", *(line.strip() for line in _SENTENCE_END.split(text) if line and line.strip())]


def version_diff(
    old_title: str, old_text: str, new_title: str, new_text: str, old_version: int, new_version: int
) -> str:
    """Unified diff of the title and text from the old version to the new ("" when equal)."""
    return "\n".join(
        difflib.unified_diff(
            diff_lines(old_title, old_text),
            diff_lines(new_title, new_text),
            fromfile=f"version {old_version}",
            tofile=f"version {new_version}",
            lineterm="",
        )
    )
