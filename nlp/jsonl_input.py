"""Read items as JSON Lines, reporting each bad line by number and going on with the rest."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from nlp.items import ItemError, ItemIn


def read_items(lines: Iterable[bytes], on_error: Callable[[int, str], None]) -> Iterator[ItemIn]:
    """Yield the valid items of `lines`; call `on_error(line_number, message)` for the others.

    Blank lines are skipped. A line that is not UTF-8 text, not JSON, or not an item is an
    error; it never stops the lines after it.
    """
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            on_error(number, f"not UTF-8 text (byte {exc.start})")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            on_error(number, f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        try:
            yield ItemIn.from_json(obj)
        except ItemError as exc:
            on_error(number, str(exc))
