"""Read JSON Lines, reporting each bad line by number and going on with the rest."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from nlp.items import ItemError, ItemIn

OnError = Callable[[int, str], None]


def read_json_lines(lines: Iterable[bytes], on_error: OnError) -> Iterator[tuple[int, Any]]:
    """Yield (line number, decoded JSON value) for each line; call `on_error(number, message)`
    for a line that is not UTF-8 text or not JSON. Blank lines are skipped; a bad line never
    stops the lines after it."""
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            on_error(number, f"not UTF-8 text (byte {exc.start})")
            continue
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            on_error(number, f"not valid JSON: {exc.msg} at column {exc.colno}")


def read_items(lines: Iterable[bytes], on_error: OnError) -> Iterator[ItemIn]:
    """Yield the valid items of `lines`; call `on_error(line_number, message)` for the others."""
    for number, obj in read_json_lines(lines, on_error):
        try:
            yield ItemIn.from_json(obj)
        except ItemError as exc:
            on_error(number, str(exc))
