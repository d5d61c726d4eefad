"""The PDF format: render_pdf's bytes read again with pypdf.

Whether the CJK and Thai titles must be in the text is decided by find_fonts(), the function
render_pdf uses: with a font for them they must be there, without one the PDF's note must be
(scripts/ci-fonts.sh installs the fonts, so CI checks the titles)."""

from __future__ import annotations

import dataclasses
import io
import logging
from pathlib import Path
from typing import Any

import pypdf
import pytest

from briefings.pdf import MISSING_GLYPHS_NOTE, FontFile, FontRole, find_fonts, render_pdf
from briefings.records import Briefing
from tests.briefings.briefing_factory import (
    BAHASA_TITLE,
    CHINESE_TITLE,
    HEADINGS,
    HOSTILE_URL,
    JAPANESE_TITLE,
    KOREAN_TITLE,
    THAI_TITLE,
    VIETNAMESE_TITLE,
    make_briefing,
)

LATIN_TITLES = [
    "APAC online safety briefing: October to November 2025",
    "eSafety registers the rules for age-restricted social media platforms",
    "Online Safety (Relief and Accountability) Bill passed in Parliament",
    BAHASA_TITLE,
]


def squeezed(text: str) -> str:
    """`text` without whitespace: lines break wherever the page ends them."""
    return "".join(text.split())


def read(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def text_of(reader: pypdf.PdfReader) -> str:
    # pypdf reads a font whose /Encoding is an embedded CMap (fpdf2's for the CFF-based Noto CJK) one
    # byte at a time, so each CJK character comes out after a NUL; poppler's pdftotext reads it right.
    return "\n".join(page.extract_text() for page in reader.pages).replace("\x00", "")


def link_targets(reader: pypdf.PdfReader) -> list[Any]:
    """The URI of every link annotation that has one (internal links go to a page instead)."""
    actions = [annotation.get_object().get("/A") for page in reader.pages for annotation in page.get("/Annots") or []]
    return [action["/URI"] for action in actions if action is not None and "/URI" in action]


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return make_briefing()


@pytest.fixture(scope="module")
def rendered(briefing: Briefing) -> bytes:
    return render_pdf(briefing)


def test_sections_and_latin_titles_are_in_the_text(rendered: bytes) -> None:
    reader = read(rendered)
    text = squeezed(text_of(reader))

    assert len(reader.pages) >= 1
    for expected in [*HEADINGS, *LATIN_TITLES, "Jurisdiction", "Legislation", "Enforcement"]:
        assert squeezed(expected) in text, expected
    assert squeezed("<script>alert('x')</script> surge ahead of 11.11 sales") in text
    # The outline (bookmarks) lists the sections in order, each harm area under its section.
    top_level = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert top_level == HEADINGS


def test_cjk_and_thai_titles_are_shown_when_a_font_for_them_is_installed(rendered: bytes) -> None:
    fonts = find_fonts()
    text = squeezed(text_of(read(rendered)))

    if "text" in fonts:
        assert squeezed(VIETNAMESE_TITLE) in text
    else:  # the CJK font, when there is one, may or may not hold Vietnamese letters
        assert squeezed(VIETNAMESE_TITLE) in text or squeezed(MISSING_GLYPHS_NOTE) in text
    for role, titles in (("cjk", (JAPANESE_TITLE, CHINESE_TITLE, KOREAN_TITLE)), ("thai", (THAI_TITLE,))):
        if role in fonts:
            for title in titles:
                assert squeezed(title) in text, title
        else:
            assert squeezed(MISSING_GLYPHS_NOTE) in text
            assert not any(squeezed(title) in text for title in titles)
    if "cjk" in fonts and "thai" in fonts:
        assert squeezed(MISSING_GLYPHS_NOTE) not in text


def test_links_are_http_only(briefing: Briefing, rendered: bytes) -> None:
    reader = read(rendered)
    targets = link_targets(reader)

    assert targets and all(str(target).startswith(("http://", "https://")) for target in targets)
    expected = {c.url for c in briefing.sources if c.url.startswith("https://")} | {c.link for c in briefing.sources}
    assert set(map(str, targets)) == expected
    assert "javascript:" not in text_of(reader).lower()
    assert HOSTILE_URL.encode() not in rendered
    # Citations link inside the document, one per "[n]" printed after a bullet or a statement.
    internal = [a for page in reader.pages for a in page.get("/Annots") or [] if "/Dest" in a.get_object()]
    assert len(internal) >= sum(len(statement.citations) for statement in briefing.summary)


def test_with_no_unicode_font_a_core_font_stands_in_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="briefings.pdf"):
        data = render_pdf(make_briefing(), fonts={})
    reader = read(data)
    text = text_of(reader)

    assert len(reader.pages) >= 1
    assert squeezed(text).count(squeezed(MISSING_GLYPHS_NOTE)) == 1
    assert "fonts-dejavu-core" in text and "fonts-noto-cjk" in text
    for expected in [*HEADINGS, *LATIN_TITLES]:
        assert squeezed(expected) in squeezed(text), expected
    assert JAPANESE_TITLE[:4] not in text and THAI_TITLE[:4] not in text
    assert "Nghi ?inh quy ?inh" in text  # accents dropped where the core font lacks the letter
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "fonts-dejavu-core" in warnings[0] and "fonts-noto-cjk" in warnings[0]


def test_a_briefing_in_latin_script_needs_no_note() -> None:
    latin = make_briefing()
    latin = dataclasses.replace(
        latin,
        developments=(),
        upcoming=(),
        stakeholder_section=None,
        neighbours=(),
        sources=tuple(c for c in latin.sources if c.title.isascii() and (c.source or "").isascii()),
    )
    text = text_of(read(render_pdf(latin, fonts={})))

    assert squeezed(MISSING_GLYPHS_NOTE) not in squeezed(text)


def test_find_fonts_takes_the_first_installed_candidate_of_each_role(tmp_path: Path) -> None:
    (tmp_path / "second.ttf").write_bytes(b"")
    (tmp_path / "third.ttf").write_bytes(b"")
    (tmp_path / "third-bold.ttf").write_bytes(b"")
    roles = (
        FontRole(
            "text",
            "fonts-one",
            (
                FontFile(str(tmp_path / "first.ttf")),
                FontFile(str(tmp_path / "second.ttf"), str(tmp_path / "second-bold.ttf")),
                FontFile(str(tmp_path / "third.ttf"), str(tmp_path / "third-bold.ttf")),
            ),
        ),
        FontRole("cjk", "fonts-two", (FontFile(str(tmp_path / "missing.ttc"), index=2),)),
    )

    assert find_fonts(roles) == {"text": FontFile(str(tmp_path / "second.ttf"), None)}
