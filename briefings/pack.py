"""The briefing pack: what changed in a window of days on some harm areas in some countries, as
a `Briefing` (briefings/records.py) every format renders. Every statement, development, date and
cell cites the items behind it; nothing else is said.

The window is the last `days` days (today and the days before it), by publication day in UTC. The pack reads
at most MAX_ITEMS of its items, the newest (and says so when there are more). Key dates come
from the window's items and from the consultations, bills and regulations of the year before
it (a consultation opened four months ago may close next week)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefings.actors import stakeholder_section
from briefings.citations import Citations, renumber
from briefings.comparison import compare_harm_area
from briefings.developments import develop
from briefings.printable import clean
from briefings.records import (
    Briefing,
    Development,
    HarmSection,
    KeyDate,
    StakeholderSection,
    Statement,
    TimelineEntry,
)
from briefings.request import BriefingRequest, References, check_request
from briefings.window import Found, ItemReader, Story, find_stories
from index.protocols import SearchEngine, Store
from index.records import SearchQuery, StoredItem

MAX_ITEMS = 2000
LOOKBACK_DAYS = 365
LOOKBACK_DOC_TYPES = ("consultation", "legislation", "regulation")
LOOKBACK_ITEMS = 1000
# The tagger's date kinds (nlp/dates) a briefing lists: `published` and `event` say nothing ahead.
KEY_DATE_KINDS = ("deadline", "commencement", "hearing")
KIND_NAMES = {"deadline": "Deadline", "commencement": "Takes effect", "hearing": "Hearing"}
OTHER = ""  # the harm section of stories with no harm area (only when no harm area is asked for)
DOC_TYPE_NOUNS = {
    "legislation": ("bill or law", "bills or laws"),
    "regulation": ("regulation", "regulations"),
    "consultation": ("consultation", "consultations"),
    "guidance": ("piece of guidance", "pieces of guidance"),
    "enforcement": ("enforcement action", "enforcement actions"),
    "statement": ("statement", "statements"),
    "report": ("report", "reports"),
}


def build_briefing(
    store: Store,
    engine: SearchEngine,
    request: BriefingRequest,
    *,
    references: References,
    public_url: str,
    now: dt.datetime,
) -> Briefing:
    """The briefing for `request` as of `now` (an aware datetime), items linked on the tracker
    at `public_url` ("" for links relative to the site). Raises BriefingRequestError for a
    request that cannot be briefed (see briefings.request.check_request); a window with nothing
    in it gives a briefing with empty sections (the comparison tables may still hold items)."""
    request = check_request(request, references)
    today = now.astimezone(dt.UTC).date()
    since = today - dt.timedelta(days=request.days - 1)  # the last `days` days: today and the days before
    reader, citations = ItemReader(store), Citations(public_url, references.source_names())
    scope = SearchQuery(jurisdictions=request.countries, harm_areas=request.harm_areas, since=since, until=today)
    window = find_stories(engine, reader, scope, cap=MAX_ITEMS)
    lookback = find_stories(
        engine,
        reader,
        SearchQuery(
            jurisdictions=request.countries,
            harm_areas=request.harm_areas,
            doc_types=LOOKBACK_DOC_TYPES,
            since=since - dt.timedelta(days=LOOKBACK_DAYS),
            until=since - dt.timedelta(days=1),
        ),
        cap=LOOKBACK_ITEMS,
    )
    sections = _harm_sections(window.stories, request, references, citations)
    dated = _key_dates((*window.stories, *lookback.stories))
    upcoming = tuple(_key_date(each, citations) for each in dated if each.date >= today)
    timeline = _timeline(window.stories, [each for each in dated if since <= each.date < today], citations)
    people = (
        stakeholder_section(engine, reader, request, window, references, citations, since=since, until=today)
        if request.stakeholder
        else None
    )
    compared = request.harm_areas or tuple(section.harm_area for section in sections if section.harm_area != OTHER)
    neighbours = tuple(
        compare_harm_area(
            engine, harm, label=references.harm_label(harm), until=today, cite=citations.cite, focus=request.countries
        )
        for harm in compared
    )
    summary = _summary(window, sections, upcoming, people, request, references, since, today)
    briefing = Briefing(
        title=_title(request, references),
        generated_at=now,
        since=since,
        until=today,
        countries=request.countries,
        harm_areas=request.harm_areas,
        stakeholder=request.stakeholder,
        summary=summary,
        developments=sections,
        timeline=timeline,
        upcoming=upcoming,
        stakeholder_section=people,
        neighbours=neighbours,
        sources=citations.records(),
    )
    return renumber(briefing)


def _title(request: BriefingRequest, references: References) -> str:
    harms = _join([references.harm_label(harm) for harm in request.harm_areas]) or "All harm areas"
    places = _join([references.jurisdictions.get(code, code) for code in request.countries]) or "Asia-Pacific"
    return f"Briefing: {harms} in {places}" + (f", for {request.stakeholder}" if request.stakeholder else "")


def _harm_sections(
    stories: Sequence[Story], request: BriefingRequest, references: References, citations: Citations
) -> tuple[HarmSection, ...]:
    """Each story once per harm area it carries (of those asked for, if any), newest first;
    the harm areas with most stories first, then in the taxonomy's order, stories of no harm
    area last."""
    by_harm: dict[str, list[Development]] = {}
    for story in stories:
        development = develop(story, citations)
        harms = [harm for harm in story.harm_areas if not request.harm_areas or harm in request.harm_areas]
        for harm in harms or [OTHER]:
            by_harm.setdefault(harm, []).append(development)
    taxonomy = list(references.harm_labels)

    def rank(harm: str) -> tuple[bool, int, int]:
        return harm == OTHER, -len(by_harm[harm]), taxonomy.index(harm) if harm in taxonomy else len(taxonomy)

    return tuple(
        HarmSection(harm, references.harm_label(harm) if harm != OTHER else "No harm area", tuple(by_harm[harm]))
        for harm in sorted(by_harm, key=rank)
    )


@dataclass(frozen=True)
class _Dated:
    """A key date of a story, with the items that give it."""

    date: dt.date
    kind: str
    text: str
    story: Story
    items: tuple[StoredItem, ...]


def _key_dates(stories: Iterable[Story]) -> list[_Dated]:
    """The deadlines, commencements and hearings the stories' items give, once per story, date
    and kind (copies repeat them), by date, then kind, then title."""
    found: dict[tuple[str, dt.date, str], tuple[str, Story, list[StoredItem]]] = {}
    for story in stories:
        for item in story.items:
            for mention in item.dates:
                kind = mention.get("kind", "")
                try:
                    day = dt.date.fromisoformat(mention.get("date", ""))
                except ValueError:
                    continue  # a malformed date says nothing a reader can use
                if kind in KEY_DATE_KINDS:
                    key = (story.story_id, day, kind)
                    found.setdefault(key, (clean(mention.get("text", "")), story, []))[2].append(item)
    dated = [_Dated(day, kind, text, story, tuple(items)) for (_id, day, kind), (text, story, items) in found.items()]
    dated.sort(key=lambda each: (each.date, KEY_DATE_KINDS.index(each.kind), each.story.lead.title))
    return dated


def _key_date(dated: _Dated, citations: Citations) -> KeyDate:
    return KeyDate(
        date=dated.date,
        kind=dated.kind,
        text=dated.text,
        title=clean(dated.story.lead.title),
        jurisdictions=dated.story.jurisdictions,
        citations=citations.cite_all(dated.items),
    )


def _timeline(stories: Sequence[Story], passed: Sequence[_Dated], citations: Citations) -> tuple[TimelineEntry, ...]:
    """The window day by day, oldest first: each story on the day it was first published, and
    each deadline, commencement or hearing that fell in the window before today."""
    entries = [
        (
            story.date,
            0,
            f"{', '.join(story.jurisdictions) or 'No country'}: {clean(story.lead.title)} ({story.doc_type})",
            citations.cite_all(story.items),
        )
        for story in stories
        if story.date is not None
    ]
    entries += [
        (
            each.date,
            1,
            f"{KIND_NAMES[each.kind]}: {clean(each.story.lead.title)}" + (f" ({each.text})" if each.text else ""),
            citations.cite_all(each.items),
        )
        for each in passed
    ]
    entries.sort(key=lambda entry: (entry[0], entry[1], entry[2]))
    return tuple(TimelineEntry(day, text, cited) for day, _order, text, cited in entries)


def _summary(
    window: Found,
    sections: Sequence[HarmSection],
    upcoming: Sequence[KeyDate],
    people: StakeholderSection | None,
    request: BriefingRequest,
    references: References,
    since: dt.date,
    until: dt.date,
) -> tuple[Statement, ...]:
    """A few sentences with counts, each citing every item it counts."""
    statements: list[Statement] = []
    if window.stories:
        scope = ""
        if request.harm_areas:
            scope += " on " + _join([_in_sentence(references.harm_label(harm)) for harm in request.harm_areas])
        if request.countries:
            scope += " in " + _join(list(request.countries))
        text = (
            f"{_count(len(window.stories), 'story', 'stories')} ({_count(len(window.items), 'item', 'items')}) "
            f"published from {since.isoformat()} to {until.isoformat()}{scope}."
        )
        if window.truncated:
            text += (
                f" The window holds {window.total:,} items: this briefing reads the newest {window.read:,}; "
                "narrow it by country or harm area to read them all."
            )
        # In the order of the developments below, so that their sources are numbered in reading order.
        in_order = (number for section in sections for each in section.developments for number in each.citations)
        statements.append(Statement(text, tuple(dict.fromkeys(in_order))))
    for section in sections:
        statements.append(_section_statement(section, window, references))
    if upcoming:
        soonest = upcoming[0]
        statements.append(
            Statement(
                f"{_count(len(upcoming), 'key date', 'key dates')} ahead, the soonest on {soonest.date.isoformat()}: "
                f"the {soonest.kind} of “{soonest.title}”.",
                tuple(dict.fromkeys(number for each in upcoming for number in each.citations)),
            )
        )
    if people and (people.own or people.mentioned):
        statements.append(
            Statement(
                f"{people.name}: {_count(len(people.own), 'story', 'stories')} of its own "
                f"and {_count(len(people.mentioned), 'other story', 'other stories')} naming it in the window.",
                tuple(dict.fromkeys(n for each in (*people.own, *people.mentioned) for n in each.citations)),
            )
        )
    return tuple(statements)


def _section_statement(section: HarmSection, window: Found, references: References) -> Statement:
    """ "12 stories on child safety across AU and SG, including 3 consultations."""
    stories = {story.story_id: story for story in window.stories}
    places: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for development in section.developments:
        for code in stories[development.story_id].jurisdictions:
            places[code] = places.get(code, 0) + 1
        kinds[development.doc_type] = kinds.get(development.doc_type, 0) + 1
    topic = f" on {_in_sentence(section.label)}" if section.harm_area != OTHER else " with no harm area"
    where = sorted(places, key=lambda code: (-places[code], code))
    text = f"{_count(len(section.developments), 'story', 'stories')}{topic}"
    if where:
        text += " across " + _join(where[:6] + ([f"{len(where) - 6} more"] if len(where) > 6 else []))
    named = [_count(kinds[kind], *DOC_TYPE_NOUNS[kind]) for kind in DOC_TYPE_NOUNS if kinds.get(kind)]
    if named:
        text += ", including " + _join(named)
    cited = tuple(dict.fromkeys(number for development in section.developments for number in development.citations))
    return Statement(text + ".", cited)


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}" if words else ""


def _in_sentence(label: str) -> str:
    """A name as it reads inside a sentence: "Child safety" -> "child safety", "AI and ..." kept."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label
