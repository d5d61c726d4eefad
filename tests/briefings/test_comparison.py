"""The comparison table of a harm area: in each cell, the latest item about that jurisdiction at
that stage (checked against every stored item), Asia-Pacific rows only, the asked-for countries
first; and on its own, as the /compare page uses it."""

from __future__ import annotations

import datetime as dt

from briefings.comparison import NOT_APAC, compare_harm_area, comparison_table
from briefings.records import STAGES, Briefing, Comparison
from briefings.request import References
from briefings.window import published_on
from index.protocols import SearchEngine, Store
from tests.briefings.conftest import TODAY


def latest_by_hand(store: Store, harm: str, stage: str, code: str, until: dt.date) -> set[str]:
    """The ids of the newest items (there may be a tie) about `code` at `stage` on `harm`."""
    found = [
        item
        for item in store.iter_items()
        if harm in item.harm_areas
        and item.doc_type == stage
        and code in item.jurisdictions
        and (day := published_on(item)) is not None
        and day <= until
    ]
    if not found:
        return set()
    newest = max(item.published_at for item in found if item.published_at)
    return {item.id for item in found if item.published_at == newest}


def check_cells(comparison: Comparison, briefing_sources: dict[int, str], store: Store) -> None:
    for row in comparison.rows:
        assert row.jurisdiction not in NOT_APAC
        assert len(row.cells) == len(STAGES)
        for stage, cell in zip(STAGES, row.cells, strict=True):
            expected = latest_by_hand(store, comparison.harm_area, stage, row.jurisdiction, TODAY)
            if cell is None:
                assert expected == set(), (row.jurisdiction, stage)
            else:
                assert cell.stage == stage
                assert briefing_sources[cell.citation] in expected, (row.jurisdiction, stage)


def test_each_cell_is_the_latest_item_at_its_stage(imda_briefing: Briefing, opened: tuple[Store, SearchEngine]) -> None:
    store, _engine = opened
    sources = {citation.number: citation.item_id for citation in imda_briefing.sources}
    assert [comparison.harm_area for comparison in imda_briefing.neighbours] == ["child_safety", "scams_fraud"]
    for comparison in imda_briefing.neighbours:
        check_cells(comparison, sources, store)
    child = imda_briefing.neighbours[0]
    assert [row.jurisdiction for row in child.rows] == ["AU", "SG", "ID", "JP", "MY"]  # asked for first
    singapore = dict(zip(STAGES, child.rows[1].cells, strict=True))
    legislation = singapore["legislation"]
    assert legislation is not None and sources[legislation.citation] == "item-t"  # the Act passed, not the Bill
    assert legislation.date == TODAY - dt.timedelta(days=50)


def test_the_table_on_its_own_numbers_its_cells_in_reading_order(
    opened: tuple[Store, SearchEngine], references: References
) -> None:
    store, engine = opened
    comparison, sources = comparison_table(
        engine,
        "child_safety",
        label="Child safety",
        until=TODAY,
        public_url="",
        source_names=references.source_names(),
        focus=("NZ", "SG"),
    )
    assert [row.jurisdiction for row in comparison.rows] == ["NZ", "SG", "AU", "ID", "JP", "MY"]
    assert comparison.rows[0].cells == (None,) * len(STAGES)  # asked for, with nothing: shown empty
    numbers = [cell.citation for row in comparison.rows for cell in row.cells if cell]
    assert numbers == list(dict.fromkeys(numbers)) and sorted(set(numbers)) == [c.number for c in sources]
    assert sources[0].link.startswith("/items/")  # within the site
    check_cells(comparison, {c.number: c.item_id for c in sources}, store)


def test_a_day_in_the_past_shows_the_table_as_it_stood(opened: tuple[Store, SearchEngine]) -> None:
    _store, engine = opened
    numbers: dict[str, int] = {}

    def cite(hit: object) -> int:
        return numbers.setdefault(hit.id, len(numbers) + 1)  # type: ignore[attr-defined]

    before = compare_harm_area(
        engine, "child_safety", label="Child safety", until=TODAY - dt.timedelta(days=100), cite=cite
    )
    singapore = next(row for row in before.rows if row.jurisdiction == "SG")
    legislation = singapore.cells[STAGES.index("legislation")]
    assert legislation is not None and legislation.date == TODAY - dt.timedelta(days=400)  # the Bill, then
    assert {row.jurisdiction for row in before.rows} == {"AU", "ID", "MY", "SG"}  # JP's guidance came later
