"""Where each Asia-Pacific jurisdiction stands on one harm area: for each stage (the taxonomy's
document types legislation, regulation, consultation, guidance and enforcement), the latest
item about that jurisdiction, up to a day. Section 6 of a briefing, and the /compare page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from briefings.citations import Citations
from briefings.records import STAGES, Citation, Comparison, ComparisonRow, StageCell
from briefings.window import published_on
from index.protocols import SearchEngine
from index.records import SearchHit, SearchQuery

# Jurisdiction codes the tracker knows that are not in Asia-Pacific (nor the region itself).
NOT_APAC = frozenset({"CA", "EU", "GB", "GLOBAL", "US"})
# The newest items of a stage read at once: most jurisdictions' latest are among them; each one
# not yet seen that the facet counts say has an item is then asked for alone (one item).
FIRST_PAGE = 50


def compare_harm_area(
    engine: SearchEngine,
    harm_area: str,
    *,
    label: str,
    until: dt.date,
    cite: Callable[[SearchHit], int],
    focus: Sequence[str] = (),
) -> Comparison:
    """The comparison table of `harm_area` over items published up to `until`: a row per
    jurisdiction of Asia-Pacific that has an item at some stage (the `focus` jurisdictions
    first, with or without one, the others by code), and in each row, per stage, the latest
    item about that jurisdiction, cited through `cite`."""
    latest: dict[str, dict[str, SearchHit]] = {}
    for stage in STAGES:
        query = SearchQuery(harm_areas=(harm_area,), doc_types=(stage,), until=until, sort="newest", limit=FIRST_PAGE)
        result = engine.search(query)
        found = latest.setdefault(stage, {})
        for hit in result.hits:
            for code in hit.jurisdictions:
                found.setdefault(code, hit)
        for code, count in result.facets.get("jurisdictions", {}).items():
            if count and code not in found and code not in NOT_APAC:
                alone = engine.search(dataclasses.replace(query, jurisdictions=(code,), limit=1))
                if alone.hits:
                    found[code] = alone.hits[0]
    present = {code for found in latest.values() for code in found if code not in NOT_APAC}
    order = [*dict.fromkeys(focus), *sorted(present - set(focus))]
    rows = tuple(
        ComparisonRow(
            jurisdiction=code,
            cells=tuple(_cell(stage, latest[stage].get(code), cite) for stage in STAGES),
        )
        for code in order
    )
    return Comparison(harm_area=harm_area, label=label, rows=rows)


def comparison_table(
    engine: SearchEngine,
    harm_area: str,
    *,
    label: str,
    until: dt.date,
    public_url: str,
    source_names: Mapping[str, str],
    focus: Sequence[str] = (),
) -> tuple[Comparison, tuple[Citation, ...]]:
    """The comparison of `harm_area` on its own (the /compare page's), with the items its cells
    cite, numbered from 1 in the table's order."""
    citations = Citations(public_url, source_names)
    comparison = compare_harm_area(engine, harm_area, label=label, until=until, cite=citations.cite, focus=focus)
    return comparison, citations.records()


def _cell(stage: str, hit: SearchHit | None, cite: Callable[[SearchHit], int]) -> StageCell | None:
    if hit is None:
        return None
    return StageCell(stage=stage, title=" ".join(hit.title.split()), date=published_on(hit), citation=cite(hit))
