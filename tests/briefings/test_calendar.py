"""The deadlines calendar on a real store (SQLite, and PostgreSQL when RADAR_TEST_DATABASE_URL is
set), read back with icalendar as a calendar client would: one all-day event per story, date and
kind, stable UIDs, filters, links to the items, and titles that try to break the file.

No search index here: the calendar reads the key dates from the store (index/store/key_dates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest

from briefings.calendar import build_calendar, default_window
from index.records import StoredItem
from index.store.sql_store import SqlStore
from tests.index import conftest as store_fixtures
from tests.index.conftest import make_item

store_engine = store_fixtures.store_engine
store = store_fixtures.store

PUBLIC_URL = "https://radar.example.org"
JANUARY, DECEMBER = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
# One sentence repeated: a copy of it from another source joins the same story.
CONSULTATION_TEXT = "The ministry consults on measures against scam calls and fraudulent investment ads. " * 8


def dated(kind: str, day: str, text: str = "") -> dict[str, str]:
    return {"date": day, "kind": kind, "text": text or day}


def sg_consultation(id: str = "sg-consult", **fields: Any) -> StoredItem:
    values: dict[str, Any] = {
        "title": "IMDA consults on a code against scam calls",
        "text": CONSULTATION_TEXT,
        "url": f"https://www.imda.gov.sg/news/{id}",
        "jurisdictions": ("SG",),
        "harm_areas": ("scams_fraud",),
        "dates": (
            dated("deadline", "2026-01-30", "by 5pm on 30 January 2026"),
            dated("published", "2026-01-05"),
            dated("event", "2026-01-12"),
        ),
    }
    return make_item(id, **{**values, **fields})


def corpus() -> list[StoredItem]:
    return [
        sg_consultation(),
        make_item(
            "au-ban",
            title="Social media minimum age takes effect",
            jurisdictions=("AU",),
            harm_areas=("child_safety", "age_assurance"),
            dates=(dated("commencement", "2026-03-10", "10 March 2026"),),
        ),
        make_item(
            "my-hearing",
            title="Select committee hears platforms on online harms",
            jurisdictions=("MY",),
            harm_areas=("child_safety",),
            dates=(dated("hearing", "2026-02-02"), dated("deadline", "2025-06-01")),  # the deadline is out of the year
        ),
        make_item("no-dates", jurisdictions=("SG",), harm_areas=("scams_fraud",), dates=()),
    ]


def events(body: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def build(store: SqlStore, first: dt.date = JANUARY, last: dt.date = DECEMBER, **filters: Any) -> bytes:
    return build_calendar(store.engine, PUBLIC_URL, first, last, **filters)


def by_summary(body: bytes) -> dict[str, icalendar.Event]:
    return {str(event["SUMMARY"]): event for event in events(body)}


def test_deadlines_commencements_and_hearings_become_all_day_events_linking_to_their_items(store: SqlStore) -> None:
    store.upsert(corpus())

    found = by_summary(build(store))

    assert sorted(found) == [
        "Commencement: Social media minimum age takes effect (AU)",
        "Deadline: IMDA consults on a code against scam calls (SG)",
        "Hearing: Select committee hears platforms on online harms (MY)",
    ]  # not the published day nor a mere event, nor a deadline outside the window
    deadline = found["Deadline: IMDA consults on a code against scam calls (SG)"]
    assert deadline.decoded("DTSTART") == dt.date(2026, 1, 30)  # a date, not a date-time: all day
    assert not isinstance(deadline.decoded("DTSTART"), dt.datetime)
    assert deadline.decoded("DTEND") == dt.date(2026, 1, 31)
    assert str(deadline["URL"]) == f"{PUBLIC_URL}/items/sg-consult"
    description = str(deadline["DESCRIPTION"])
    assert "Deadline: by 5pm on 30 January 2026" in description
    assert f"On policy-radar: {PUBLIC_URL}/items/sg-consult" in description
    assert "Source: https://www.imda.gov.sg/news/sg-consult" in description
    assert [str(each) for each in deadline["CATEGORIES"].cats] == ["scams_fraud"]
    ban = found["Commencement: Social media minimum age takes effect (AU)"]
    assert [str(each) for each in ban["CATEGORIES"].cats] == ["child_safety", "age_assurance"]
    assert ban.decoded("DTSTAMP") == dt.datetime(2025, 3, 2, 12, 0, 0, tzinfo=dt.UTC)  # when it was last fetched
    # Soonest first.
    assert [event.decoded("DTSTART") for event in events(build(store))] == [
        dt.date(2026, 1, 30),
        dt.date(2026, 2, 2),
        dt.date(2026, 3, 10),
    ]


def test_uids_are_stable_across_builds_so_a_client_updates_rather_than_duplicates(store: SqlStore) -> None:
    store.upsert(corpus())
    first = build(store)
    assert build(store) == first  # an unchanged store gives the same bytes

    store.upsert([make_item("later", jurisdictions=("PH",), dates=(dated("deadline", "2026-01-15"),))])
    store.upsert([sg_consultation(title="IMDA consults on a code against scam calls (updated)")])
    before = {str(event["UID"]): event for event in events(first)}
    after = {str(event["UID"]): event for event in events(build(store))}

    assert set(before) < set(after) and len(after) == len(before) + 1
    assert len(set(after)) == len(events(build(store)))  # distinct
    changed = next(event for event in after.values() if "IMDA" in str(event["SUMMARY"]))
    assert str(changed["SUMMARY"]) == "Deadline: IMDA consults on a code against scam calls (updated) (SG)"
    assert all(uid.endswith("@policy-radar") for uid in after)


def test_a_syndicated_copy_makes_no_second_event_and_links_to_the_story_s_first_item(store: SqlStore) -> None:
    store.upsert([sg_consultation()])
    copy = sg_consultation(
        "sg-consult-copy",
        url="https://news.example.sg/scam-code",
        source="wire",
        dates=(dated("deadline", "2026-01-30"), dated("hearing", "2026-02-20")),
    )
    assert store.upsert([copy])[0].joined_story  # the store grouped it with the first

    found = events(build(store))

    assert [(event.decoded("DTSTART"), str(event["SUMMARY"]).split(":")[0]) for event in found] == [
        (dt.date(2026, 1, 30), "Deadline"),
        (dt.date(2026, 2, 20), "Hearing"),  # a date only the copy gives still makes its event
    ]
    assert str(found[0]["URL"]) == f"{PUBLIC_URL}/items/sg-consult"
    assert str(found[1]["URL"]) == f"{PUBLIC_URL}/items/sg-consult-copy"


def test_filters_by_country_harm_area_and_window(store: SqlStore) -> None:
    store.upsert(corpus())

    assert list(by_summary(build(store, jurisdictions=("SG", "AU")))) == [
        "Deadline: IMDA consults on a code against scam calls (SG)",
        "Commencement: Social media minimum age takes effect (AU)",
    ]
    assert [summary.split(":")[0] for summary in by_summary(build(store, harm_areas=("child_safety",)))] == [
        "Hearing",
        "Commencement",
    ]
    assert list(by_summary(build(store, jurisdictions=("MY",), harm_areas=("scams_fraud",)))) == []
    window = by_summary(build(store, dt.date(2026, 1, 30), dt.date(2026, 2, 2)))  # both ends included
    assert [summary.split(":")[0] for summary in window] == ["Deadline", "Hearing"]
    old = by_summary(build(store, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert list(old) == ["Deadline: Select committee hears platforms on online harms (MY)"]
    with pytest.raises(ValueError, match="before it starts"):
        build(store, DECEMBER, JANUARY)
    calendar = icalendar.Calendar.from_ical(build(store, jurisdictions=("SG",), harm_areas=("scams_fraud",)))
    assert str(calendar["X-WR-CALNAME"]) == "policy-radar deadlines · SG · scams_fraud"


def test_the_default_window_runs_from_a_month_ago_to_a_year_ahead() -> None:
    assert default_window(dt.date(2026, 11, 25)) == (dt.date(2026, 10, 26), dt.date(2027, 11, 25))


def test_hostile_titles_and_ids_cannot_break_the_file(store: SqlStore) -> None:
    hostile = "Scams, fraud; and \\ more\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\x00\x1b[31m " + "ยาวมาก" * 30
    store.upsert(
        [
            make_item(
                "odd id/with?query&spaces here",
                title=hostile,
                url="javascript:alert(1)",
                jurisdictions=("TH",),
                harm_areas=("scams_fraud",),
                dates=(dated("deadline", "2026-04-01", "1 เมษายน\n2026; by noon, local time"),),
            )
        ]
    )

    body = build(store)

    found = events(body)
    assert len(found) == 1
    (event,) = found
    summary = str(event["SUMMARY"])
    assert summary.startswith("Deadline: Scams, fraud; and \\ more END:VEVENT BEGIN:VEVENT SUMMARY:injected[31m ยาว")
    assert summary.endswith(" (TH)") and "\x00" not in summary and "\x1b" not in summary
    assert "Deadline: 1 เมษายน 2026; by noon, local time" in str(event["DESCRIPTION"])
    assert "javascript:" not in str(event["DESCRIPTION"])  # only an http(s) source is shown
    assert str(event["URL"]) == f"{PUBLIC_URL}/items/odd%20id%2Fwith%3Fquery%26spaces%20here"
    assert b"Scams\\, fraud\\; and \\\\ more" in body  # escaped by the library
    lines = body.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 1 and lines.count(b"END:VEVENT") == 1
    assert all(len(line) <= 75 for line in lines)  # folded, however long the title
    assert not any(byte in body for byte in (b"\x00", b"\x1b"))
    assert body.count(b"\n") == body.count(b"\r\n")  # no bare newline
