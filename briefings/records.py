"""A briefing pack as data: what briefings/pack.py assembles from the store and the index, and
every format (Markdown, HTML, DOCX, PDF) renders. Nothing here is said without items behind
it: each statement, development, date and cell cites items by their number in `sources`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

STAGES = ("legislation", "regulation", "consultation", "guidance", "enforcement")


@dataclass(frozen=True)
class Citation:
    """One item cited, numbered [n] in order of first citation."""

    number: int
    item_id: str
    title: str
    source: str | None
    url: str  # where it was published ("" when unknown)
    link: str  # its page on the tracker
    published_at: dt.date | None


@dataclass(frozen=True)
class Statement:
    """A sentence of the summary, with the items that support it."""

    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Development:
    """One story (not one copy): its first item's title and date, the harm areas and countries
    it is about, a short plain-text summary, and every item of the story cited."""

    story_id: str
    title: str
    date: dt.date | None
    jurisdictions: tuple[str, ...]
    doc_type: str
    summary: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class HarmSection:
    harm_area: str
    label: str  # the harm area's name for people
    developments: tuple[Development, ...]  # newest first


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class KeyDate:
    """An open consultation's deadline, a commencement or a hearing still to come."""

    date: dt.date
    kind: str  # the tagger's date kind: deadline, effective, hearing, ...
    text: str  # what the item says, e.g. "Submissions close on 30 January 2026"
    title: str  # the item's title
    jurisdictions: tuple[str, ...]
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Actor:
    """A stakeholder active on the same issues in the window."""

    name: str
    items: int
    citations: tuple[int, ...]


@dataclass(frozen=True)
class StakeholderSection:
    name: str
    own: tuple[Development, ...]  # their own statements and publications, newest first
    mentioned: tuple[Development, ...]  # items that name them, newest first
    others: tuple[Actor, ...]  # NGOs, press and others active on the same harm areas


@dataclass(frozen=True)
class StageCell:
    stage: str
    title: str
    date: dt.date | None
    citation: int


@dataclass(frozen=True)
class ComparisonRow:
    jurisdiction: str
    cells: tuple[StageCell | None, ...]  # one per STAGES entry


@dataclass(frozen=True)
class Comparison:
    """For one harm area: where each jurisdiction stands, the latest item at each stage."""

    harm_area: str
    label: str
    rows: tuple[ComparisonRow, ...]


@dataclass(frozen=True)
class Briefing:
    title: str
    generated_at: dt.datetime
    since: dt.date
    until: dt.date
    countries: tuple[str, ...]
    harm_areas: tuple[str, ...]
    stakeholder: str | None
    summary: tuple[Statement, ...]  # 1. what changed in the window
    developments: tuple[HarmSection, ...]  # 2. by harm area, one per story
    timeline: tuple[TimelineEntry, ...]  # 3. oldest first
    upcoming: tuple[KeyDate, ...]  # 4. soonest first
    stakeholder_section: StakeholderSection | None  # 5. when a stakeholder was asked for
    neighbours: tuple[Comparison, ...]  # 6. one per harm area covered
    sources: tuple[Citation, ...]  # 7. every item cited, by number
