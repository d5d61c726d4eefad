"""What the Word and PDF formats share: cleaning crawled text, which addresses may be links."""

from __future__ import annotations

import datetime as dt

from briefings.printable import clean, format_date, stage_cell, web_address
from briefings.records import StageCell


def test_clean_drops_what_xml_cannot_hold_and_keeps_every_script() -> None:
    assert clean("a\x00b\x07c\x0bd\x1b[0m\x7fe\x85f\ud800g\ufffeh") == "abc d[0me fgh"
    assert clean("  line\none\r\n\ttwo  ") == "line one two"
    assert clean("ประกาศ 意見募集 Nghị định") == "ประกาศ 意見募集 Nghị định"


def test_only_http_addresses_are_links() -> None:
    assert web_address("https://www.esafety.gov.au/a?b=1&c=2") == "https://www.esafety.gov.au/a?b=1&c=2"
    assert web_address("HTTP://example.org/") == "HTTP://example.org/"
    for address in (
        "",
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "/items/item-1",
        "//example.org/a",
        "https://",
        "https://example.org/a\nb",
        "https://example.org/a b",
        "https://[::1",
    ):
        assert web_address(address) is None, address


def test_dates_and_cells_read_the_same_in_every_locale() -> None:
    assert format_date(dt.date(2025, 3, 7)) == "7 Mar 2025"
    assert format_date(None) == ""
    assert stage_cell(StageCell("guidance", "A\x00 title", None, 4)) == "A title [4]"
    assert stage_cell(StageCell("guidance", "A title", dt.date(2025, 12, 1), 4)) == "A title (1 Dec 2025) [4]"
    assert stage_cell(None) == "-"
