"""The briefing pack built from real items in a real store and index, at a fixed clock: golden
Markdown, every citation resolving to a stored item, one development per story, the window's
edges, key dates ahead only, the stakeholder's section and the request's checks.

The goldens are tests/briefings/golden/*.md. After a deliberate change to what a briefing says,
regenerate them with `RADAR_UPDATE_GOLDENS=1 .venv/bin/pytest tests/briefings/test_pack.py` and
read the diff before committing it."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefings.markdown import render_markdown
from briefings.records import Briefing, Development
from briefings.request import BriefingRequest, BriefingRequestError, References, check_request
from index.protocols import SearchEngine, Store
from tests.briefings.conftest import NOW, TODAY

GOLDEN = Path(__file__).parent / "golden"


def citing(briefing: Briefing) -> Iterator[tuple[str, tuple[int, ...]]]:
    """(what, its citations) for every statement, development, entry, date, actor and cell."""
    for statement in briefing.summary:
        yield f"statement {statement.text}", statement.citations
    for section in briefing.developments:
        for development in section.developments:
            yield f"development {development.title}", development.citations
    for entry in briefing.timeline:
        yield f"timeline {entry.text}", entry.citations
    for key in briefing.upcoming:
        yield f"key date {key.date} {key.title}", key.citations
    if briefing.stakeholder_section:
        people = briefing.stakeholder_section
        for development in (*people.own, *people.mentioned):
            yield f"stakeholder's {development.title}", development.citations
        for actor in people.others:
            yield f"actor {actor.name}", actor.citations
    for comparison in briefing.neighbours:
        for row in comparison.rows:
            for cell in row.cells:
                if cell:
                    yield f"cell {comparison.harm_area} {row.jurisdiction} {cell.stage}", (cell.citation,)


def developments(briefing: Briefing) -> list[Development]:
    return [development for section in briefing.developments for development in section.developments]


def item_ids(briefing: Briefing, numbers: tuple[int, ...]) -> set[str]:
    by_number = {citation.number: citation.item_id for citation in briefing.sources}
    return {by_number[number] for number in numbers}


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        (
            "imda-au-sg-90-days",
            {
                "countries": ("AU", "SG"),
                "harm_areas": ("child_safety", "scams_fraud"),
                "stakeholder": "IMDA",
                "days": 90,
            },
        ),
        ("everything-30-days", {"days": 30}),
    ],
)
def test_the_markdown_is_the_golden_one(brief: Callable[..., Briefing], name: str, wanted: dict) -> None:
    rendered = render_markdown(brief(**wanted))
    golden = GOLDEN / f"{name}.md"
    if os.environ.get("RADAR_UPDATE_GOLDENS"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_every_citation_is_a_stored_item_and_everything_cites_one(
    imda_briefing: Briefing, opened: tuple[Store, SearchEngine]
) -> None:
    store, _engine = opened
    numbers = [citation.number for citation in imda_briefing.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    for citation in imda_briefing.sources:
        item = store.get(citation.item_id)
        assert item is not None and item.title == citation.title
        assert citation.link == f"https://radar.example.org/items/{citation.item_id}"
    cited: set[int] = set()
    for what, citations in citing(imda_briefing):
        assert citations, f"{what} cites nothing"
        assert set(citations) <= set(numbers), what
        cited.update(citations)
    assert cited == set(numbers)  # and nothing is listed that nothing cites


def test_sources_are_numbered_in_the_order_the_reader_meets_them(imda_briefing: Briefing) -> None:
    order = list(dict.fromkeys(number for _what, citations in citing(imda_briefing) for number in citations))
    assert order == sorted(order)


def test_one_development_per_story_citing_every_copy(
    imda_briefing: Briefing, opened: tuple[Store, SearchEngine]
) -> None:
    store, _engine = opened
    for section in imda_briefing.developments:
        stories = [development.story_id for development in section.developments]
        assert len(stories) == len(set(stories)), section.harm_area
    age = [each for each in developments(imda_briefing) if each.title.startswith("eSafety sets out")]
    assert len(age) == 1  # three outlets, one story
    # Every copy is a source, the Guardian's too, though it was tagged with no harm area.
    assert item_ids(imda_briefing, age[0].citations) == {"item-a", "item-b", "item-c"}
    assert {item.id for item in store.story(age[0].story_id)} == {"item-a", "item-b", "item-c"}
    assert age[0].date == TODAY - dt.timedelta(days=6) and age[0].doc_type == "guidance"
    child_safety = next(section for section in imda_briefing.developments if section.harm_area == "child_safety")
    dates = [each.date for each in child_safety.developments]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_the_window_holds_its_first_day_and_today_but_nothing_before_or_after(imda_briefing: Briefing) -> None:
    assert (imda_briefing.since, imda_briefing.until) == (TODAY - dt.timedelta(days=89), TODAY)
    shown = set().union(*(item_ids(imda_briefing, each.citations) for each in developments(imda_briefing)))
    assert "item-l" in shown  # published on the first day
    assert "item-m" not in shown  # the day before
    assert "item-o" not in shown  # dated after today
    assert "item-u" not in shown  # another harm area
    timeline = [entry.date for entry in imda_briefing.timeline]
    assert timeline == sorted(timeline) and timeline[0] == imda_briefing.since


def test_key_dates_ahead_are_from_today_on_soonest_first(imda_briefing: Briefing) -> None:
    upcoming = imda_briefing.upcoming
    assert [key.date for key in upcoming] == sorted(key.date for key in upcoming)
    assert all(key.date >= TODAY for key in upcoming)
    assert [(key.date - TODAY).days for key in upcoming] == [5, 8, 10, 14, 35]
    assert [key.kind for key in upcoming] == ["deadline", "hearing", "deadline", "commencement", "commencement"]
    # The consultation published 150 days ago closes in 10: outside the window, still ahead.
    (messaging,) = [key for key in upcoming if (key.date - TODAY).days == 10]
    assert item_ids(imda_briefing, messaging.citations) == {"item-n"}
    # The inquiry's submissions closed two days ago: on the timeline, not ahead.
    closed = [entry for entry in imda_briefing.timeline if entry.text.startswith("Deadline:")]
    assert [entry.date for entry in closed] == [TODAY - dt.timedelta(days=2)]
    # A date carried by three copies of a story is one key date citing all three.
    (ban,) = [key for key in upcoming if key.kind == "commencement" and "AU" in key.jurisdictions]
    assert item_ids(imda_briefing, ban.citations) == {"item-a", "item-b", "item-c"}


def test_the_stakeholder_section(imda_briefing: Briefing) -> None:
    people = imda_briefing.stakeholder_section
    assert people is not None and people.name == "Infocomm Media Development Authority"
    assert imda_briefing.stakeholder == "Infocomm Media Development Authority"  # the alias asked for, resolved
    own = [item_ids(imda_briefing, each.citations) for each in people.own]
    assert own == [{"item-d", "item-e"}, {"item-g"}]  # IMDA's code (with the Straits Times' copy), its speech
    # Items naming it that are not its own: the ministry's consultation, not the copy of its own code.
    assert [item_ids(imda_briefing, each.citations) for each in people.mentioned] == [{"item-f"}]
    others = {actor.name: actor.items for actor in people.others}
    assert "Infocomm Media Development Authority" not in others
    assert others["eSafety Commissioner"] == 3 and others["Julie Inman Grant"] == 3
    assert others["The Straits Times"] == 2  # the press that ran the window's stories counts too
    assert others["Reset Tech Australia"] == 1  # and the NGOs the items name
    counts = [actor.items for actor in people.others]
    assert counts == sorted(counts, reverse=True)


def test_a_stakeholder_with_nothing_in_the_window_has_an_empty_section(brief: Callable[..., Briefing]) -> None:
    briefing = brief(countries=("MY",), stakeholder="Malaysian Communications and Multimedia Commission", days=7)
    people = briefing.stakeholder_section
    assert people is not None and (people.own, people.mentioned, people.others) == ((), (), ())
    assert "Nothing of its own in this window." in render_markdown(briefing)


def test_an_empty_window_is_a_briefing_that_says_so(brief: Callable[..., Briefing]) -> None:
    briefing = brief(harm_areas=("gambling",), days=7)
    assert (briefing.summary, briefing.developments, briefing.timeline, briefing.sources) == ((), (), (), ())
    text = render_markdown(briefing)
    assert "Nothing was published in this window." in text and "No items cited." in text


def test_the_summary_counts_what_it_cites(imda_briefing: Briefing) -> None:
    first, *by_harm = imda_briefing.summary
    stories = {each.story_id for each in developments(imda_briefing)}
    items = set().union(*(each.citations for each in developments(imda_briefing)))
    assert first.text.startswith(f"{len(stories)} stories ({len(items)} items) published from")
    assert set(first.citations) == items
    child = next(each for each in by_harm if "on child safety" in each.text)
    section = next(each for each in imda_briefing.developments if each.harm_area == "child_safety")
    assert child.text.startswith(f"{len(section.developments)} stories on child safety across ")
    assert set(child.citations) == set().union(*(each.citations for each in section.developments))


def test_a_later_clock_moves_the_window_and_the_dates_ahead(brief: Callable[..., Briefing]) -> None:
    later = brief(
        countries=("SG",), harm_areas=("child_safety", "scams_fraud"), days=90, now=NOW + dt.timedelta(days=6)
    )
    assert later.since == TODAY - dt.timedelta(days=83)
    assert [(key.date - TODAY).days for key in later.upcoming] == [10, 35]  # the deadline in 5 days has passed
    shown = set().union(*(item_ids(later, each.citations) for each in developments(later)))
    assert "item-l" not in shown and "item-g" in shown


def test_requests_are_checked_with_the_closest_names(references: References) -> None:
    checked = check_request(
        BriefingRequest(countries=("sg", "AU"), harm_areas=("Child safety", "scams-fraud"), stakeholder="imda"),
        references,
    )
    assert checked == BriefingRequest(
        countries=("SG", "AU"),
        harm_areas=("child_safety", "scams_fraud"),
        stakeholder="Infocomm Media Development Authority",
    )
    refusals = {
        "did you mean child_safety": BriefingRequest(harm_areas=("child_safty",)),
        "countries are codes; did you mean SG": BriefingRequest(countries=("Singapore",)),
        "did you mean SG (Singapore)": BriefingRequest(countries=("SGP",)),
        "did you mean eSafety Commissioner": BriefingRequest(stakeholder="eSafty Commisioner"),
        "'AGC' names several stakeholders: Attorney-General's Chambers (Singapore), Attorney-General's Chambers of "
        "Malaysia; give the full name.": BriefingRequest(stakeholder="AGC"),
        "days must be between 1 and 366, not 0": BriefingRequest(days=0),
        "not 367": BriefingRequest(days=367),
    }
    for expected, request in refusals.items():
        with pytest.raises(BriefingRequestError, match=re.escape(expected)):
            check_request(request, references)
