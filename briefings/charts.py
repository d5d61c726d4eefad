"""Charts as SVG, made on the server: no script, small enough to inline in a page or a report.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>` (what a
screen reader reads: the figures in words), with its numbers written beside the marks, so it
reads without colour and without the picture. Every text and attribute value is escaped here,
whatever it holds: labels are ids and codes today, but a chart must not trust its caller.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from html import escape

from briefings.figures import iso_week

INK = "#1b1f24"
MUTED = "#57606a"
BAR = "#0b5cad"
GRID = "#d0d7de"
FONT = "system-ui, sans-serif"
_UNSAFE_ID = re.compile(r"[^a-z0-9_-]+")


def weekly_chart(
    chart_id: str, title: str, weeks: Sequence[dt.date], counts: Sequence[int], top: int | None = None
) -> str:
    """A bar per ISO week (`weeks`: each week's Monday, oldest first; `counts`: stories that week),
    on a scale up to `top` (default: the highest count; pass the same `top` to small multiples so
    their bars compare). The first, middle and last weeks are labelled, the highest bar carries
    its count, and every bar has a tooltip with its week and count."""
    if len(weeks) != len(counts):
        raise ValueError("weeks and counts must be as long as each other")
    width, height, left, bottom, top_pad = 320, 170, 28, 22, 36
    scale = max(top or 0, *counts, 1)
    plot_w, plot_h = width - left - 4, height - bottom - top_pad
    step = plot_w / max(len(weeks), 1)
    ident = _identifier(chart_id)
    parts = [_open(ident, width, height, title, _weekly_description(weeks, counts))]
    # The title shows too: <title> is only read out, and small multiples need telling apart.
    parts.append(_text(4, 16, _shorten(title, 44), anchor="start", size=13, bold=True))
    parts.append(_text(4, top_pad + 4, str(scale), anchor="start", size=10, fill=MUTED))
    parts.append(_text(4, top_pad + plot_h, "0", anchor="start", size=10, fill=MUTED))
    parts.append(_line(left, top_pad + plot_h, width - 4, top_pad + plot_h))
    peak = max(range(len(counts)), key=lambda n: (counts[n], n)) if counts else None
    for n, (monday, count) in enumerate(zip(weeks, counts, strict=True)):
        bar_h = plot_h * count / scale
        x, y = left + n * step + step * 0.1, top_pad + plot_h - bar_h
        tip = f"{iso_week(monday)} (from {monday.isoformat()}): {_stories(count)}"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.8:.1f}" height="{bar_h:.1f}" fill="{BAR}">'
            f"<title>{escape(tip)}</title></rect>"
        )
        if n == peak and count:
            parts.append(_text(x + step * 0.4, y - 3, str(count), size=10))
    for n in sorted({0, len(weeks) // 2, len(weeks) - 1}) if weeks else ():
        anchor = "start" if n == 0 else "end" if n == len(weeks) - 1 else "middle"
        x = left + n * step + (0 if anchor == "start" else step if anchor == "end" else step / 2)
        parts.append(_text(x, height - 6, iso_week(weeks[n]), anchor=anchor, size=10, fill=MUTED))
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(chart_id: str, title: str, bars: Sequence[tuple[str, int]], unit: str = "stories") -> str:
    """Horizontal bars, one per (label, count), in the order given, each labelled on the left
    and with its count on the right."""
    row, left, right, width = 22, 150, 40, 420
    height = row * max(len(bars), 1) + 8
    scale = max((count for _, count in bars), default=0) or 1
    ident = _identifier(chart_id)
    listed = "; ".join(f"{label}: {count}" for label, count in bars) or "none"
    parts = [_open(ident, width, height, title, f"{title}, {unit}: {listed}.")]
    for n, (label, count) in enumerate(bars):
        y = 4 + n * row
        bar_w = (width - left - right) * count / scale
        parts.append(_text(left - 6, y + 15, _shorten(label, 22), anchor="end", size=12))
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{bar_w:.1f}" height="{row - 6}" fill="{BAR}">'
            f"<title>{escape(f'{label}: {count} {unit}')}</title></rect>"
        )
        parts.append(_text(left + bar_w + 4, y + 15, str(count), anchor="start", size=12))
    if not bars:
        parts.append(_text(left, 20, "none", anchor="start", size=12, fill=MUTED))
    parts.append("</svg>")
    return "".join(parts)


def harm_multiples(
    weeks: Sequence[dt.date], by_harm: Mapping[str, Sequence[int]], labels: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """One weekly chart per harm area, on one scale so that their bars compare: (harm area, SVG),
    in the order of `by_harm`; `labels` names the harm areas (default: their ids)."""
    top = max((max(counts, default=0) for counts in by_harm.values()), default=0)
    names = labels or {}
    return [
        (harm, weekly_chart(f"weekly-{harm}", names.get(harm, harm), weeks, counts, top=top))
        for harm, counts in by_harm.items()
    ]


def _open(ident: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}" class="chart">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
    )


def _weekly_description(weeks: Sequence[dt.date], counts: Sequence[int]) -> str:
    if not weeks:
        return "No weeks."
    total = sum(counts)
    span = f"{iso_week(weeks[0])} to {iso_week(weeks[-1])}"
    if not total:
        return f"No stories from {span}."
    peak = max(range(len(counts)), key=lambda n: (counts[n], n))
    return (
        f"{_stories(total).capitalize()} from {span}; the most, {counts[peak]}, in {iso_week(weeks[peak])}; "
        f"{counts[-1]} in the latest week. By week: {', '.join(str(count) for count in counts)}."
    )


def _text(
    x: float, y: float, text: str, anchor: str = "middle", size: int = 11, fill: str = INK, bold: bool = False
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{escape(anchor)}" font-size="{size}" '
        f'fill="{escape(fill)}"{weight}>{escape(text)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{GRID}" />'


def _identifier(chart_id: str) -> str:
    """An id safe in an attribute and unique per chart as long as `chart_id` is."""
    return "chart-" + (_UNSAFE_ID.sub("-", chart_id.lower()).strip("-") or "x")


def _shorten(label: str, most: int) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"


def _stories(count: int) -> str:
    return f"{count} {'story' if count == 1 else 'stories'}"
