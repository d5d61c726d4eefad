"""Article pages from the open web: any bytes, damaged real pages and PDFs, deeply nested and huge
HTML, each read as an article or as nothing (the feed's words stand in), never an exception, and
in a bounded time (the crawler's responses are at most crawlers.fetching.MAX_RESPONSE_BYTES)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawlers.articles import Article, extract_article
from crawlers.fetching import MAX_RESPONSE_BYTES
from tests.crawlers.test_crawl import ARTICLE
from tests.crawlers.test_families import pdf
from tests.security.fuzzing import damage, fuzzed

URL = "https://regulator.example/news/1"
PARAGRAPH = b"<p>The Ministry warned platforms about online gambling advertisements targeting minors in Thailand.</p>"
TAGS = [
    tag.encode()
    for tag in (  # noqa: SIM905 (a line of names reads better than a column)
        "div p b i a table tr td ul li span article main svg math template noscript iframe select option "
        "textarea title script style"
    ).split()
]
SPLICES = [
    b"<", b">", b"</", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"&", b"&#0;", b"&#x110000;", b"&nbsp", b'"', b"'",
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"<meta charset=bogus>", b'<meta http-equiv="refresh" content="0;url=x">',
    b'<meta name="date" content="0001-01-01">', b'<meta property="article:published_time" content="9999-99-99">',
    b'<time datetime="+275760-09-13">', b"<base href=javascript:x>", b"<html>", b"</html>", b"<body>", b"%PDF-",
    b"endobj", b"/Count 99999999", b"/Kids [1 0 R]", b"obj", b"stream", b"endstream", b"xref", b"trailer",
]  # fmt: skip


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A real article page or PDF with a few cuts, splices, byte changes and repeats."""
    body = draw(st.sampled_from([ARTICLE, pdf("Consultation paper on online safety codes")]))
    return damage(draw, body, SPLICES, repeat_bytes=100, max_repeats=50)


@st.composite
def nested(draw: st.DrawFn) -> bytes:
    """HTML nested thousands deep, closed or not, with the article's words somewhere inside."""
    tags = draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=4))
    depth = draw(st.integers(1, 20_000))
    opening = b"".join(b"<" + tags[level % len(tags)] + b">" for level in range(depth))
    closing = b"".join(b"</" + tags[level % len(tags)] + b">" for level in reversed(range(depth)))
    inside = PARAGRAPH * draw(st.integers(0, 5))
    return b"<html><body>" + opening + inside + closing[: draw(st.integers(0, len(closing)))]


def read(body: bytes, content_type: str = "text/html") -> Article | None:
    found = extract_article(body, URL, content_type)
    if found is not None:
        assert found.text.strip()
        assert isinstance(found.title, str) and (found.author is None or isinstance(found.author, str))
        assert found.published is None or isinstance(found.published, dt.date)
    return found


@fuzzed(deadline_ms=2000)
@given(body=st.binary(max_size=3000), content_type=st.sampled_from(["text/html", "application/pdf", ""]))
def test_any_bytes_are_an_article_or_nothing(body: bytes, content_type: str) -> None:
    read(body, content_type)


@fuzzed(deadline_ms=2000)
@given(body=damaged())
def test_damaged_pages_and_pdfs_are_an_article_or_nothing(body: bytes) -> None:
    read(body)


@fuzzed(max_examples=50, deadline_ms=3000)
@given(body=nested())
def test_deeply_nested_html_is_an_article_or_nothing(body: bytes) -> None:
    read(body)


ROOM = MAX_RESPONSE_BYTES - 100  # the largest page the crawler hands over, give or take its wrapping


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<html><body>" + b"<div>" * 100_000 + PARAGRAPH, id="divs"),
        pytest.param(b"<html><body><p>" + b"<b>" * 200_000 + b"x", id="bold"),
        pytest.param(b"<html><body>" + PARAGRAPH * (ROOM // len(PARAGRAPH)), id="paragraphs"),
        pytest.param(b"<html><body><p>" + b"word " * (ROOM // 5) + b"</p>", id="one-paragraph"),
        pytest.param(b"<html><body><p " + b"a=b " * (ROOM // 4) + b">x</p>", id="attributes"),
        pytest.param(b"<!--" * (ROOM // 4), id="comments"),
        pytest.param(b"<p>" + b"&amp;" * (ROOM // 5), id="entities"),
        pytest.param(b"<script>" + b"x" * ROOM, id="script"),
        pytest.param(b'<a href="' * (ROOM // 9), id="quotes"),
        pytest.param(b"\x00" * ROOM, id="nul"),
        pytest.param(
            b"%PDF-1.4\n1 0 obj << /Type /Pages /Kids [1 0 R] /Count 1 >> endobj\ntrailer << /Root 1 0 R >>",
            id="pdf-loop",
        ),
    ],
)
def test_worst_pages_are_read_in_bounded_time(body: bytes) -> None:
    assert len(body) <= MAX_RESPONSE_BYTES
    started = dt.datetime.now(dt.UTC)
    read(body)
    assert dt.datetime.now(dt.UTC) - started < dt.timedelta(seconds=20)


def test_a_pdf_with_a_damaged_trailer_is_nothing() -> None:
    # Found by fuzzing: pypdf raised AttributeError ('NumberObject' object has no attribute 'items')
    # on cross-reference rows spliced in after "trailer", and the pass's article request failed.
    good = pdf("Consultation paper on online safety codes")
    trailer = good.index(b"trailer")
    rows = good[good.index(b"0000000009") + 10 : trailer]
    damaged = good[:trailer] + (b"trailer009 00000 n \n" + rows) * 2 + good[trailer:]
    assert read(good) is not None
    assert read(damaged) is None
