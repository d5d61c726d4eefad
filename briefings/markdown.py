"""A briefing as Markdown (CommonMark with GitHub's tables): the seven sections, each citation a
number [n] that is a link to the item on the tracker, and the numbered sources at the end.
Crawled text is escaped, so a title cannot make a link, an image or a heading; only http(s)
addresses become links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from briefings.citations import citation_runs
from briefings.formats import harm_labels
from briefings.printable import clean, section_titles, web_address
from briefings.records import STAGES, Briefing, Citation, Comparison, Development, StakeholderSection

# Inline markup: emphasis, code, links and images, HTML and entities, table cells, strikethrough.
_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~#]|&(?=#?\w+;))")
# What makes a line a heading, quote, list item or rule when text starts one.
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=>])")


def render_markdown(briefing: Briefing) -> str:
    """The briefing as a Markdown document (UTF-8 text, ending with a newline)."""
    by_number = {citation.number: citation for citation in briefing.sources}
    lines = [f"# {text(briefing.title)}", "", *_preamble(briefing), ""]
    titles = iter(section_titles(briefing))  # the same headings in every format
    lines += [f"## {next(titles)}", ""]
    lines += [f"- {text(each.text)} {cites(each.citations)}" for each in briefing.summary] or [
        "Nothing was published in this window."
    ]
    lines += ["", f"## {next(titles)}", ""]
    for section in briefing.developments:
        lines += [f"### {text(section.label)}", ""]
        for development in section.developments:
            lines += _development(development, by_number)
        lines.append("")
    if not briefing.developments:
        lines += ["No stories in this window.", ""]
    lines += [f"## {next(titles)}", ""]
    lines += [f"- {each.date.isoformat()}: {text(each.text)} {cites(each.citations)}" for each in briefing.timeline]
    lines += [""] if briefing.timeline else ["Nothing in this window.", ""]
    lines += [f"## {next(titles)}", ""]
    for key in briefing.upcoming:
        where = f" ({', '.join(key.jurisdictions)})" if key.jurisdictions else ""
        said = f": “{text(key.text)}”" if key.text else ""
        lines.append(f"- **{key.date.isoformat()}**, {key.kind}{where}: {text(key.title)}{said} {cites(key.citations)}")
    lines += [""] if briefing.upcoming else ["No deadlines, commencements or hearings ahead.", ""]
    if briefing.stakeholder_section:
        lines += _stakeholder(briefing.stakeholder_section, next(titles), by_number)
    lines += [f"## {next(titles)}", ""]
    for comparison in briefing.neighbours:
        lines += _comparison(comparison)
    if not briefing.neighbours:
        lines += ["No harm area to compare.", ""]
    lines += [f"## {next(titles)}", ""]
    lines += [_source(citation) for citation in briefing.sources] or ["No items cited."]
    lines += ["", *(f"[{c.number}]: {url(c.link)}" for c in briefing.sources)]
    return "\n".join(lines).rstrip("\n") + "\n"


def text(value: str) -> str:
    """Crawled or typed text on one line, with every character Markdown reads as markup escaped."""
    return _SPECIAL.sub(r"\\\1", clean(value))


def line_start(value: str) -> str:
    """`text(value)` safe at the start of a line too ("1. " or "- " would start a list)."""
    return _BLOCK_START.sub(lambda match: f"{match[1]}\\{match[2]}" if match[1] else f"\\{match[3]}", text(value))


def url(address: str) -> str:
    """An address as a Markdown link destination: spaces, brackets and parentheses encoded."""
    return quote(address, safe="/:?#&=%+@!$,;~.-_*'")


def cites(numbers: Iterable[int]) -> str:
    """[1]–[4] [7]: each a reference to its source (whitespace between, or [1][2] is one link)."""
    return " ".join(f"[{first}]" if first == last else f"[{first}]–[{last}]" for first, last in citation_runs(numbers))


def _preamble(briefing: Briefing) -> list[str]:
    days = (briefing.until - briefing.since).days + 1
    scope = [
        f"Window: {briefing.since.isoformat()} to {briefing.until.isoformat()} (the last {days} days)",
        f"Countries: {', '.join(briefing.countries) or 'all'}",
        f"Harm areas: {', '.join(text(label) for label in harm_labels(briefing)) or 'all'}",
    ]
    if briefing.stakeholder:
        scope.append(f"Stakeholder: {text(briefing.stakeholder)}")
    generated = briefing.generated_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    return [f"{line}  " for line in scope] + [f"Generated {generated} by policy-radar; [n] cites source n."]


def _development(development: Development, by_number: dict[int, Citation]) -> list[str]:
    day = development.date.isoformat() if development.date else "undated"
    where = ", ".join(development.jurisdictions) or "no country"
    sources = "; ".join(_outlet(by_number[number]) for number in development.citations)
    lines = [
        f"- **{day}**, {where}, {development.doc_type}: **{text(development.title)}** {cites(development.citations)}"
    ]
    if development.summary:
        lines.append(f"  {line_start(development.summary)}")
    lines.append(f"  Sources: {sources}")
    return lines


def _outlet(citation: Citation) -> str:
    name = text(citation.source or "unknown source")
    named = f"[{name}]({url(citation.url)})" if web_address(citation.url) else name
    day = f", {citation.published_at.isoformat()}" if citation.published_at else ""
    return f"{named}{day} [{citation.number}]"


def _stakeholder(section: StakeholderSection, title: str, by_number: dict[int, Citation]) -> list[str]:
    lines = [f"## {title}", "", "### Its own statements and publications", ""]
    for development in section.own:
        lines += _development(development, by_number)
    if not section.own:
        lines.append("Nothing of its own in this window.")
    lines += ["", "### Items that name it", ""]
    for development in section.mentioned:
        lines += _development(development, by_number)
    if not section.mentioned:
        lines.append("No other item names it in this window.")
    lines += ["", "### Others active on the same harm areas", ""]
    for actor in section.others:
        shown = f" (the newest {len(actor.citations)} cited)" if actor.items > len(actor.citations) else ""
        noun = "item" if actor.items == 1 else "items"
        lines.append(f"- {text(actor.name)}: {actor.items:,} {noun}{shown} {cites(actor.citations)}")
    if not section.others:
        lines.append("No one else named on these harm areas in this window.")
    return [*lines, ""]


def _comparison(comparison: Comparison) -> list[str]:
    lines = [f"### {text(comparison.label)}", ""]
    if not comparison.rows:
        return [*lines, "No item at any stage in any jurisdiction.", ""]
    lines.append("| Jurisdiction | " + " | ".join(stage.capitalize() for stage in STAGES) + " |")
    lines.append("| --- " * (len(STAGES) + 1) + "|")
    for row in comparison.rows:
        cells = [
            f"{text(cell.title)}, {cell.date.isoformat() if cell.date else 'undated'} [{cell.citation}]"
            if cell
            else "–"
            for cell in row.cells
        ]
        lines.append(f"| {row.jurisdiction} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _source(citation: Citation) -> str:
    title = text(citation.title)
    linked = f"[{title}]({url(citation.url)})" if web_address(citation.url) else title
    details = [text(citation.source)] if citation.source else []
    if citation.published_at:
        details.append(citation.published_at.isoformat())
    said = "".join(f", {detail}" for detail in details)
    return f"{citation.number}. {linked}{said}. On the tracker: <{url(citation.link)}>"
