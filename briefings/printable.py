"""What the printed formats (Word and PDF) share: a briefing laid out as a flat sequence of
blocks (headings, bullets, paragraphs, tables, source entries) in plain text that any document
can hold, so that both formats say the same thing in the same order and differ only in layout.

Text from crawled pages is cleaned here (control characters removed, whitespace made single
spaces) and only http(s) addresses are offered as links."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from briefings.records import STAGES, Briefing, Citation, Development, StageCell

NOTHING = "Nothing in this window."
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# C0 and C1 controls (tab, newline and carriage return included: they become spaces), DEL,
# surrogates and the two non-characters XML 1.0 cannot hold.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Heading:
    """Level 0 is the document's title, 1 a numbered section, 2 a part of a section."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullet:
    """One entry of a list, followed by its citations ("[3][5]") and, when there is one, a
    plain-text detail (a development's summary) on its own line below."""

    text: str
    citations: tuple[int, ...]
    detail: str = ""


@dataclass(frozen=True)
class Grid:
    """A table: a header row, then rows of the same width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SourceEntry:
    """A numbered source: `url` and `tracker` are http(s) addresses, or None when there is no
    such address to link to."""

    number: int
    title: str
    details: str  # publisher and date
    url: str | None
    tracker: str | None


Block = Heading | Paragraph | Bullet | Grid | SourceEntry


def clean(text: str) -> str:
    """`text` with every control character removed and runs of whitespace made one space:
    what is left can go into XML and onto a page."""
    return _SPACES.sub(" ", _UNPRINTABLE.sub(lambda match: " " if match.group().isspace() else "", text)).strip()


def web_address(url: str) -> str | None:
    """`url` when it is an http(s) address with a host (and nothing a link must not hold),
    else None: javascript:, data:, file: and relative addresses never become links."""
    if not url or url != url.strip() or _UNPRINTABLE.search(url) or " " in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def cite(numbers: Iterable[int]) -> str:
    """Citation numbers as they are printed: "[3][5]"."""
    return "".join(f"[{number}]" for number in numbers)


def format_date(date: dt.date | None) -> str:
    """ "3 Oct 2025" (the same in every locale), or "" when there is no date."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}" if date else ""


def section_titles(briefing: Briefing) -> tuple[str, ...]:
    """The numbered section headings, in order; the stakeholder's section only when one was
    asked for, and the sections after it numbered on without a gap."""
    titles = ["Summary", "Key developments by harm area", "Timeline", "Open consultations and upcoming dates"]
    if briefing.stakeholder_section is not None:
        titles.append(f"Stakeholder: {clean(briefing.stakeholder_section.name)}")
    titles += ["Neighbouring jurisdictions", "Sources"]
    return tuple(f"{number}. {title}" for number, title in enumerate(titles, start=1))


def outline(briefing: Briefing) -> list[Block]:
    """The whole briefing as blocks, in reading order: title, window and filters, then the
    sections of `section_titles`. Every text is `clean`."""
    titles = iter(section_titles(briefing))
    blocks: list[Block] = [Heading(0, clean(briefing.title)), *_front_matter(briefing)]

    blocks.append(Heading(1, next(titles)))
    blocks += [Bullet(clean(statement.text), statement.citations) for statement in briefing.summary] or [
        Paragraph(NOTHING)
    ]

    blocks.append(Heading(1, next(titles)))
    for section in briefing.developments:
        blocks.append(Heading(2, clean(section.label)))
        blocks += _developments(section.developments)
    if not briefing.developments:
        blocks.append(Paragraph(NOTHING))

    blocks.append(Heading(1, next(titles)))
    blocks += [
        Bullet(f"{format_date(entry.date)}: {clean(entry.text)}", entry.citations) for entry in briefing.timeline
    ] or [Paragraph(NOTHING)]

    blocks.append(Heading(1, next(titles)))
    blocks += [
        Bullet(
            f"{format_date(key_date.date)}, {clean(key_date.kind).capitalize() or 'Date'}: {clean(key_date.text)}"
            + _parenthesis(clean(key_date.title), clean(", ".join(key_date.jurisdictions))),
            key_date.citations,
        )
        for key_date in briefing.upcoming
    ] or [Paragraph("No open consultation or upcoming date.")]

    stakeholder = briefing.stakeholder_section
    if stakeholder is not None:
        blocks.append(Heading(1, next(titles)))
        blocks.append(Heading(2, "Their statements and publications"))
        blocks += _developments(stakeholder.own)
        blocks.append(Heading(2, "Where others mention them"))
        blocks += _developments(stakeholder.mentioned)
        blocks.append(Heading(2, "Others active on the same issues"))
        blocks += [
            Bullet(f"{clean(actor.name)}: {actor.items} item{'s' if actor.items != 1 else ''}", actor.citations)
            for actor in stakeholder.others
        ] or [Paragraph(NOTHING)]

    blocks.append(Heading(1, next(titles)))
    for comparison in briefing.neighbours:
        blocks.append(Heading(2, clean(comparison.label)))
        blocks.append(
            Grid(
                header=("Jurisdiction", *(stage.capitalize() for stage in STAGES)),
                rows=tuple(
                    # one cell per stage, whatever the row holds, so every row is as wide as the header
                    (
                        clean(row.jurisdiction),
                        *(stage_cell(cell) for cell in (*row.cells, *[None] * len(STAGES))[: len(STAGES)]),
                    )
                    for row in comparison.rows
                ),
            )
        )
    if not briefing.neighbours:
        blocks.append(Paragraph(NOTHING))

    blocks.append(Heading(1, next(titles)))
    blocks += [source_entry(citation) for citation in briefing.sources] or [Paragraph("No sources.")]
    return blocks


def stage_cell(cell: StageCell | None) -> str:
    """A comparison cell: "title (date) [n]", or "-" where nothing is at that stage."""
    if cell is None:
        return "-"
    return f"{clean(cell.title)}{_parenthesis(format_date(cell.date))} {cite([cell.citation])}"


def source_entry(citation: Citation) -> SourceEntry:
    """A source as printed: its links only when they are http(s) addresses."""
    details = ", ".join(part for part in (clean(citation.source or ""), format_date(citation.published_at)) if part)
    return SourceEntry(
        number=citation.number,
        title=clean(citation.title),
        details=details,
        url=web_address(citation.url),
        tracker=web_address(citation.link),
    )


def texts(blocks: Iterable[Block]) -> Iterator[str]:
    """Every piece of text the blocks will print (a renderer checks them against its fonts)."""
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            yield block.text
        elif isinstance(block, Bullet):
            yield from (block.text, block.detail)
        elif isinstance(block, Grid):
            yield from block.header
            for row in block.rows:
                yield from row
        else:
            yield from (block.title, block.details, block.url or "", block.tracker or "")


def _front_matter(briefing: Briefing) -> list[Block]:
    labels = {section.harm_area: section.label for section in briefing.developments}
    labels |= {comparison.harm_area: comparison.label for comparison in briefing.neighbours}
    harm_areas = ", ".join(clean(labels.get(key, key.replace("_", " ").capitalize())) for key in briefing.harm_areas)
    generated = briefing.generated_at
    stamp = f"{format_date(generated.date())} {generated:%H:%M} {generated.tzname() or ''}".strip()
    filters = [
        f"Countries: {', '.join(briefing.countries) or 'all'}",
        f"Harm areas: {harm_areas or 'all'}",
    ]
    if briefing.stakeholder:
        filters.append(f"Stakeholder: {clean(briefing.stakeholder)}")
    return [
        Paragraph(f"Window: {format_date(briefing.since)} to {format_date(briefing.until)} (generated {stamp})"),
        Paragraph(clean(" · ".join(filters))),
    ]


def _developments(developments: tuple[Development, ...]) -> list[Block]:
    return [
        Bullet(
            clean(development.title)
            + _parenthesis(
                format_date(development.date), clean(", ".join(development.jurisdictions)), clean(development.doc_type)
            ),
            development.citations,
            detail=clean(development.summary),
        )
        for development in developments
    ] or [Paragraph(NOTHING)]


def _parenthesis(*parts: str) -> str:
    """ " (a; b)" from the parts that are not empty, or "" when all are."""
    present = [part for part in parts if part]
    return f" ({'; '.join(present)})" if present else ""
