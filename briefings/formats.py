"""The formats a briefing comes in, for the command line and the API alike: Markdown and HTML
(here), Word and PDF (briefings/docx.py and briefings/pdf.py, loaded only when asked for), with
their media types and a file name that says what the briefing covers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.records import Briefing


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    description: str


FORMATS = {
    "md": Format("md", "text/markdown; charset=utf-8", "Markdown"),
    "html": Format("html", "text/html; charset=utf-8", "HTML"),
    "docx": Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "pdf": Format("pdf", "application/pdf", "PDF"),
}


class FormatUnavailable(RuntimeError):
    """A format whose renderer this installation does not have."""


def render(briefing: Briefing, format_name: str) -> bytes:
    """The briefing in `format_name` (a key of FORMATS) as bytes (text is UTF-8); raises
    FormatUnavailable when the Word or PDF renderer is not installed and KeyError for a name
    that is not a format."""
    chosen = FORMATS[format_name]
    if chosen.name == "md":
        from briefings.markdown import render_markdown

        return render_markdown(briefing).encode("utf-8")
    if chosen.name == "html":
        from briefings.html import render_html

        return render_html(briefing).encode("utf-8")
    try:
        if chosen.name == "docx":
            from briefings.docx import render_docx

            return render_docx(briefing)
        from briefings.pdf import render_pdf

        return render_pdf(briefing)
    except ModuleNotFoundError as missing:
        if missing.name not in ("briefings.docx", "briefings.pdf"):
            raise  # the renderer is there but something it needs is not: not ours to hide
        raise FormatUnavailable(f"{chosen.description} briefings are not available in this installation.") from None


def filename(briefing: Briefing, format_name: str) -> str:
    """briefing-AU-SG-child_safety-2026-11-26.md: the countries and harm areas asked for (or
    "all") and the last day of the window; only letters, digits, '-', '_' and '.'."""
    parts = ["briefing", *briefing.countries, *briefing.harm_areas]
    if len(parts) == 1:
        parts.append("all")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", "-".join([*parts, briefing.until.isoformat()]))
    return f"{stem[:120]}.{format_name}"


def harm_labels(briefing: Briefing) -> list[str]:
    """The names of the harm areas asked for, as the briefing's sections name them (else their ids)."""
    named = {section.harm_area: section.label for section in briefing.developments}
    named.update({comparison.harm_area: comparison.label for comparison in briefing.neighbours})
    return [named.get(harm, harm) for harm in briefing.harm_areas]
