"""Regular expressions built from lists of phrases in the data files."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(phrases: Iterable[str]) -> str:
    """A non-capturing group matching any of `phrases` literally, the longest first (so
    "ban on" wins over "ban"); a group that never matches when there are none."""
    escaped = [re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)]
    return f"(?:{'|'.join(escaped)})" if escaped else "(?!)"
