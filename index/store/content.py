"""Text as the store keeps it, and the hash that says whether an item's content changed."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """`value` without NUL characters (PostgreSQL cannot store them) and with lone surrogates
    (not encodable as UTF-8) replaced by U+FFFD."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", value)
    return value


def content_hash(title: str, text: str) -> str:
    """SHA-256 (hex) of the title and text, NFC-normalised with whitespace collapsed, so a page
    re-fetched with only its spacing changed counts as unchanged."""
    canonical = "\n".join(" ".join(unicodedata.normalize("NFC", clean_text(part)).split()) for part in (title, text))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
