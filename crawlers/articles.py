"""An article page's text, title, date and author, extracted with trafilatura (or a PDF's text
with pypdf)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass

import trafilatura
from pypdf import PdfReader

MAX_PDF_PAGES = 200
logging.getLogger("trafilatura").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    published: dt.date | None
    author: str | None


def extract_article(body: bytes, url: str, content_type: str = "") -> Article | None:
    """The article in an HTML page or a PDF; None when nothing readable is in it."""
    if "pdf" in content_type.lower() or body[:5] == b"%PDF-":
        return _pdf(body)
    try:
        # Dates from the page's metadata and markup only: a search of the text takes a
        # deadline ("submissions close on 30 June 2025") for the day it was published.
        document = trafilatura.bare_extraction(
            body, url=url, with_metadata=True, date_extraction_params={"extensive_search": False, "original_date": True}
        )
    except Exception:  # trafilatura's parsers raise many kinds on hostile HTML; none may stop a pass
        return None
    if document is None:
        return None
    found = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = str(found.get("text") or "").strip()
    if not text:
        return None
    return Article(
        title=str(found.get("title") or "").strip(),
        text=text,
        published=_date(found.get("date")),
        author=str(found["author"]).strip() if found.get("author") else None,
    )


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _pdf(body: bytes) -> Article | None:
    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
        title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
    except Exception:  # pypdf raises many kinds on damaged PDFs (AttributeError, RecursionError): none may stop a pass
        return None
    text = "\n".join(page.strip() for page in pages if page.strip())
    return Article(title=title, text=text, published=None, author=None) if text else None
