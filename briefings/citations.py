"""Citing items: each item cited gets a number, and every section refers to items only by these
numbers; `renumber` then numbers them in the order a reader meets them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import quote

from briefings.printable import clean, web_address
from briefings.records import Briefing, Citation


class Citable(Protocol):
    """What a citation needs of an item: a StoredItem or a SearchHit."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def published_at(self) -> dt.datetime | None: ...


def item_link(public_url: str, item_id: str) -> str:
    """The item's page on the tracker ("" as public_url gives a link relative to the site)."""
    return f"{public_url.rstrip('/')}/items/{quote(item_id, safe='')}"


class Citations:
    """The items cited so far, numbered from 1 in the order first cited."""

    def __init__(self, public_url: str, source_names: Mapping[str, str]) -> None:
        self.public_url, self.source_names = public_url, source_names
        self._numbers: dict[str, int] = {}
        self._cited: list[Citation] = []

    def cite(self, item: Citable) -> int:
        """The item's number, given on its first citation."""
        number = self._numbers.get(item.id)
        if number is None:
            number = self._numbers[item.id] = len(self._cited) + 1
            source = self.source_names.get(item.source, item.source) if item.source else None
            self._cited.append(
                Citation(
                    number=number,
                    item_id=item.id,
                    title=clean(item.title),
                    source=clean(source) if source else None,
                    # Only an http(s) address is ever a link, in any format: a javascript: one is none.
                    url=web_address(item.url) or "",
                    link=item_link(self.public_url, item.id),
                    published_at=item.published_at.date() if item.published_at else None,
                )
            )
        return number

    def cite_all(self, items: Iterable[Citable]) -> tuple[int, ...]:
        return tuple(dict.fromkeys(self.cite(item) for item in items))

    def records(self) -> tuple[Citation, ...]:
        return tuple(self._cited)


def renumber(briefing: Briefing) -> Briefing:
    """The briefing with its sources numbered in the order a reader meets them (the sections in
    the order `Briefing` declares them: summary, developments, timeline, dates, stakeholder,
    neighbours), each list of citations in ascending order, and only cited items in `sources`."""
    order: dict[int, int] = {}

    def visit(value: Any) -> None:
        if dataclasses.is_dataclass(value) and not isinstance(value, Citation):
            for field in dataclasses.fields(value):
                found = getattr(value, field.name)
                if field.name in _NUMBERS:
                    for number in found if isinstance(found, tuple) else (found,):
                        order.setdefault(number, len(order) + 1)
                else:
                    visit(found)
        elif isinstance(value, tuple):
            for each in value:
                visit(each)

    def rebuilt(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, (type, Citation)):
            changes: dict[str, Any] = {}
            for field in dataclasses.fields(value):
                found = getattr(value, field.name)
                if field.name == "citations":
                    changes[field.name] = tuple(sorted({order[number] for number in found}))
                elif field.name == "citation":
                    changes[field.name] = order[found]
                elif isinstance(found, tuple) or dataclasses.is_dataclass(found):
                    changes[field.name] = rebuilt(found)
            return dataclasses.replace(value, **changes)
        if isinstance(value, tuple):
            return tuple(rebuilt(each) for each in value)
        return value

    for field in dataclasses.fields(briefing):
        if field.name != "sources":
            visit(getattr(briefing, field.name))
    by_old = {citation.number: citation for citation in briefing.sources}
    sources = sorted(
        (dataclasses.replace(by_old[old], number=new) for old, new in order.items()), key=lambda each: each.number
    )
    renumbered: Briefing = rebuilt(dataclasses.replace(briefing, sources=()))
    return dataclasses.replace(renumbered, sources=tuple(sources))


_NUMBERS = ("citations", "citation")  # the fields of the records that hold citation numbers


def citation_runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Numbers as runs (first, last), ascending: [1, 2, 3, 7] -> [(1, 3), (7, 7)]; a run of
    two is two runs, so it reads [1] [2] rather than [1]–[2]."""
    runs: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return [pair for first, last in runs for pair in ([(first, last)] if last - first >= 2 else _singles(first, last))]


def _singles(first: int, last: int) -> list[tuple[int, int]]:
    return [(number, number) for number in range(first, last + 1)]
