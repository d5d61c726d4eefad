"""Charts as SVG (briefings/charts.py): well-formed XML, named and described for a screen reader,
figures in text beside the marks, and nothing given to them able to become markup."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ElementTree

import pytest

from briefings.charts import bar_chart, harm_multiples, weekly_chart

SVG = "{http://www.w3.org/2000/svg}"
WEEKS = tuple(dt.date(2025, 6, 9) + dt.timedelta(weeks=n) for n in range(4))  # 2025-W24 to W27
HOSTILE = "<script>alert('x')</script> & \"quoted\" ]]>"


def parsed(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ElementTree.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def named_and_described(root: ElementTree.Element) -> tuple[str, str]:
    """The chart's accessible name and description, found as a screen reader finds them."""
    assert root.get("role") == "img"
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    assert by_id[title_id].tag == f"{SVG}title" and by_id[desc_id].tag == f"{SVG}desc"
    assert list(root)[:2] == [by_id[title_id], by_id[desc_id]]  # first children, as SVG wants
    return by_id[title_id].text or "", by_id[desc_id].text or ""


def test_a_weekly_chart_is_named_described_and_labelled_in_text() -> None:
    root = parsed(weekly_chart("weekly-child_safety", "Child safety", WEEKS, [1, 0, 5, 2]))

    title, description = named_and_described(root)
    assert title == "Child safety"
    assert description == (
        "8 stories from 2025-W24 to 2025-W27; the most, 5, in 2025-W26; 2 in the latest week. By week: 1, 0, 5, 2."
    )
    bars = list(root.iter(f"{SVG}rect"))
    assert len(bars) == 4
    assert [bar.find(f"{SVG}title").text for bar in bars] == [  # type: ignore[union-attr]
        "2025-W24 (from 2025-06-09): 1 story",
        "2025-W25 (from 2025-06-16): 0 stories",
        "2025-W26 (from 2025-06-23): 5 stories",
        "2025-W27 (from 2025-06-30): 2 stories",
    ]
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[1] == 0 and heights[2] == max(heights) and heights[0] < heights[3] < heights[2]
    # Its title, the scale's top and bottom, the peak's count and the first, middle and last weeks, as text.
    assert texts(root) == ["Child safety", "5", "0", "5", "2025-W24", "2025-W26", "2025-W27"]


def test_a_shared_scale_makes_small_multiples_comparable() -> None:
    by_harm = {"scams_fraud": [0, 2, 1, 0], "child_safety": [4, 0, 0, 1]}
    charts = harm_multiples(WEEKS, by_harm, {"scams_fraud": "Scams"})

    assert [harm for harm, _ in charts] == ["scams_fraud", "child_safety"]
    scams, child = (parsed(svg) for _, svg in charts)
    assert named_and_described(scams)[0] == "Scams" and named_and_described(child)[0] == "child_safety"
    assert texts(scams)[:2] == ["Scams", "4"] and texts(child)[:2] == ["child_safety", "4"]  # one scale: the highest
    scams_heights = [float(bar.get("height", "0")) for bar in scams.iter(f"{SVG}rect")]
    child_heights = [float(bar.get("height", "0")) for bar in child.iter(f"{SVG}rect")]
    assert child_heights[0] == pytest.approx(2 * scams_heights[1])  # 4 stories are twice as tall as 2
    assert scams.get("aria-labelledby") != child.get("aria-labelledby")  # ids unique on one page


def test_an_empty_window_says_so() -> None:
    root = parsed(weekly_chart("empty", "Gambling", WEEKS, [0, 0, 0, 0]))
    assert named_and_described(root)[1] == "No stories from 2025-W24 to 2025-W27."
    with pytest.raises(ValueError, match="as long as"):
        weekly_chart("bad", "Bad", WEEKS, [1, 2])


def test_a_bar_chart_labels_every_bar_with_its_name_and_count() -> None:
    bars = [("Australia", 6), ("Korea, Republic of", 5), ("Japan", 1)]
    root = parsed(bar_chart("places", "Stories per country", bars))

    title, description = named_and_described(root)
    assert title == "Stories per country"
    assert description == "Stories per country, stories: Australia: 6; Korea, Republic of: 5; Japan: 1."
    assert texts(root) == ["Australia", "6", "Korea, Republic of", "5", "Japan", "1"]
    widths = [float(bar.get("width", "0")) for bar in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > widths[2] > 0
    assert texts(parsed(bar_chart("none", "Nothing", []))) == ["none"]


def test_whatever_a_chart_is_given_stays_text() -> None:
    hostile_id = '"><script>x</script>'
    charts = [
        weekly_chart(hostile_id, HOSTILE, WEEKS, [1, 2, 3, 4]),
        bar_chart(hostile_id, HOSTILE, [(HOSTILE, 3)]),
        *(svg for _, svg in harm_multiples(WEEKS, {HOSTILE: [1, 0, 0, 0]})),
    ]
    for svg in charts:
        root = parsed(svg)  # still well-formed
        assert "<script" not in svg and not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
        title, _ = named_and_described(root)
        assert title == HOSTILE  # the text comes back exactly as given
        ids = {element.get("id") for element in root.iter() if element.get("id")}
        assert all(ident and set(ident) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_") for ident in ids)
    bars = parsed(charts[1])
    assert named_and_described(bars)[1] == f"{HOSTILE}, stories: {HOSTILE}: 3."
    assert texts(bars)[0] == HOSTILE[:21] + "…"  # long labels are shortened, still as text
