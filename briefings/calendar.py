"""The deadlines calendar: the items' consultation deadlines, commencements and hearings as an
iCalendar feed (RFC 5545) that a calendar client subscribes to, served at /calendar.ics and
written by `radar calendar`.

Which key dates: of the kinds the tagger gives (nlp/dates: deadline, commencement, hearing,
published, event), the three that say something is due on a day: a deadline (submissions
close), a commencement (a law or code takes effect) and a hearing. `published` is the item's own
date and `event` any other day it mentions (often in the past), which would bury the few that
matter.

Each event is an all-day event on its date, one per story, date and kind: copies of a story from
other sources share its `story_id` and make no second event. Its UID hashes the story's id (the
id of its first item), the date and the kind, so a client updates the event it has when the
calendar is fetched again rather than adding a copy; its DTSTAMP is when the item was last
fetched (RFC 5545: when the information was last revised), so an unchanged store gives the same
bytes. The library escapes commas, semicolons, backslashes and newlines in text; control
characters, which RFC 5545 forbids in text, are removed here."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection, Iterable
from urllib.parse import quote, urlsplit

from icalendar import Calendar, Event
from sqlalchemy import Engine

from index.store.key_dates import KeyDate, key_dates

CALENDAR_KINDS = ("deadline", "commencement", "hearing")
LABELS = {"deadline": "Deadline", "commencement": "Commencement", "hearing": "Hearing"}
DAYS_BEFORE = 30  # the default window: from a month ago (a deadline just missed is still news)
DAYS_AHEAD = 365  # to a year ahead
PRODID = "-//policy-radar//deadlines calendar//EN"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def default_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """From DAYS_BEFORE days before `today` to DAYS_AHEAD days after it."""
    return today - dt.timedelta(days=DAYS_BEFORE), today + dt.timedelta(days=DAYS_AHEAD)


def build_calendar(
    engine: Engine,
    public_url: str,
    first_day: dt.date,
    last_day: dt.date,
    *,
    jurisdictions: Collection[str] = (),
    harm_areas: Collection[str] = (),
) -> bytes:
    """The calendar of the store's deadlines, commencements and hearings from `first_day` to
    `last_day` (both included) of items in one of `jurisdictions` and on one of `harm_areas`
    (empty: any), as iCalendar bytes; each event links to the item's page under `public_url`.
    ValueError when the window ends before it starts."""
    if first_day > last_day:
        raise ValueError(f"The window ends ({last_day}) before it starts ({first_day}).")
    found = key_dates(engine, CALENDAR_KINDS, first_day, last_day, jurisdictions=jurisdictions, harm_areas=harm_areas)
    return calendar_bytes(one_per_story(found), public_url, _name(jurisdictions, harm_areas))


def one_per_story(dates: Iterable[KeyDate]) -> list[KeyDate]:
    """One key date per story, date and kind: the story's first item's when it has it (the one
    the story is named after), else the item of smallest id; soonest first."""
    chosen: dict[tuple[str, dt.date, str], KeyDate] = {}
    for each in dates:
        key = (each.story_id, each.date, each.kind)
        held = chosen.get(key)
        if held is None or _preference(each) < _preference(held):
            chosen[key] = each
    return sorted(chosen.values(), key=lambda each: (each.date, CALENDAR_KINDS.index(each.kind), each.story_id))


def _preference(each: KeyDate) -> tuple[bool, str]:
    return (each.item_id != each.story_id, each.item_id)


def calendar_bytes(dates: Iterable[KeyDate], public_url: str, name: str) -> bytes:
    """An iCalendar of one all-day event per key date given, in their order."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for each in dates:
        calendar.add_component(event(each, public_url))
    return calendar.to_ical()


def event(each: KeyDate, public_url: str) -> Event:
    """The all-day event of one key date: "Deadline: <title> (SG)", linking to the item's page,
    with the date as the item writes it and the source's link in the description."""
    label, link = LABELS[each.kind], item_link(public_url, each.item_id)
    title, as_written = plain(each.title) or "(untitled)", plain(each.text)
    places = f" ({', '.join(each.jurisdictions)})" if each.jurisdictions else ""
    described = [f"{label}: {as_written}" if as_written else label, title, f"On policy-radar: {link}"]
    if urlsplit(each.url).scheme in ("http", "https"):  # never a javascript: or data: address
        described.append(f"Source: {each.url}")
    found = Event()
    found.add("uid", uid(each))
    found.add("dtstamp", each.revised_at)
    found.add("dtstart", each.date)
    found.add("dtend", each.date + dt.timedelta(days=1))
    found.add("summary", f"{label}: {title}{places}")
    found.add("description", "\n".join(described))
    found.add("url", link)
    found.add("transp", "TRANSPARENT")  # a deadline is not a meeting: it does not make anyone busy
    if each.harm_areas:
        found.add("categories", list(each.harm_areas))
    return found


def uid(each: KeyDate) -> str:
    """The event's UID: the same story, date and kind give the same UID in every build."""
    digest = hashlib.sha256(f"{each.story_id}\n{each.date.isoformat()}\n{each.kind}".encode()).hexdigest()
    return f"{digest[:32]}@policy-radar"


def item_link(public_url: str, item_id: str) -> str:
    return f"{public_url.rstrip('/')}/items/{quote(item_id, safe='')}"


def plain(text: str) -> str:
    """`text` on one line, without the control characters RFC 5545 forbids in text."""
    return _CONTROL.sub("", " ".join(text.split()))


def _name(jurisdictions: Collection[str], harm_areas: Collection[str]) -> str:
    narrowed = [", ".join(values) for values in (sorted(jurisdictions), sorted(harm_areas)) if values]
    return " · ".join(["policy-radar deadlines", *narrowed])
