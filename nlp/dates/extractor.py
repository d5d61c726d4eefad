"""The date extractor: scans a text with a language's date regex, drops the ends of ranges,
resolves each match, gives it a kind from the cues around it, and keeps one mention per date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.dates.resolution import RawMatch, resolve
from nlp.dates.rules import DateRules, lookup_key, read_rules

KINDS = ("deadline", "commencement", "hearing", "published", "event")
_RANK = {kind: i for i, kind in enumerate(KINDS)}
_DROP = "drop"  # a cue kind: the date is metadata (the day a spokesperson spoke)
_PREFIX_REACH = 60  # characters before a date searched for a glued cue
_SUFFIX_REACH = 40


@dataclass(frozen=True)
class DateMention:
    date: dt.date
    kind: str  # deadline | commencement | hearing | published | event
    text: str  # the surface expression, e.g. "5pm AEST Friday 12 December 2025"
    start: int  # character offsets of `text` in the input
    end: int
    cue: str | None  # the cue phrase that decided the kind, if any
    relative: bool  # True when resolved against `published` (no year, weekday, "yesterday"...)


class DateExtractor:
    """Finds day-precision dates in one language. Build with :meth:`load`."""

    def __init__(self, lang: str, cfg: dict[str, Any]) -> None:
        self.lang = lang
        self.rules = DateRules(cfg)

    @classmethod
    def load(cls, lang: str, data_dir: Path) -> DateExtractor:
        """Reads ``<data_dir>/<lang>/dates.yaml`` and compiles its regexes."""
        return cls(lang, read_rules(lang, data_dir))

    def extract(self, text: str, published: dt.date | None = None) -> list[DateMention]:
        """Dates expressed in `text`, at most one per distinct date, in order of first occurrence."""
        if not text:
            return []
        if isinstance(published, dt.datetime):
            published = published.date()
        raws = self._scan(text)
        if not raws:
            return []
        in_range = self._ranges(text, raws)
        mentions: list[DateMention] = []
        prev_date: dt.date | None = None
        for i, raw in enumerate(raws):
            if i in in_range:
                continue
            clause = self._clause(text, raws, i)
            dates, relative, needs_cue = resolve(self.rules, text, raws, i, clause, published, prev_date)
            if not dates:
                continue
            prev_date = dates[-1]
            kind, cue = self._kind(text, raws, i, clause, relative or "wd" in raw.groups)
            if kind == _DROP:
                continue
            if kind is None:
                if needs_cue:
                    continue
                kind = "event"
            surface = text[raw.start : raw.end]
            for d in dates:
                mentions.append(DateMention(d, kind, surface, raw.start, raw.end, cue, relative))
        return _dedupe(mentions)

    def _scan(self, text: str) -> list[RawMatch]:
        raws: list[RawMatch] = []
        formats = self.rules.formats
        search = self.rules.date_re.search
        pos = 0
        while True:
            m = search(text, pos)
            if m is None:
                return raws
            end, found = -1, formats[0][1]
            for wrapper, names in formats:
                end = m.end(wrapper)
                if end >= 0:
                    found = names
                    break
            groups = {}
            for name, idx in found:
                val = m.group(idx)
                if val is not None:
                    groups[name] = val
            raws.append(RawMatch(m.start(), end, groups))
            pos = max(end, m.end())

    def _ranges(self, text: str, raws: list[RawMatch]) -> set[int]:
        """Indices of matches that are the two ends of a range ("1 July – 30 September 2025")."""
        out: set[int] = set()
        for i in range(len(raws) - 1):
            a, b = raws[i], raws[i + 1]
            if b.start - a.end > 12 or "rel" in a.groups or "rel" in b.groups:
                continue
            if self.rules.range_gap_re.fullmatch(text, a.end, b.start):
                out.update((i, i + 1))
        return out

    def _clause(self, text: str, raws: list[RawMatch], i: int) -> tuple[int, int]:
        """The span around match i where its cues are looked for: its sentence, cut at the
        neighbouring dates and at `window` characters each side."""
        rules = self.rules
        raw = raws[i]
        lo = max(0, raw.start - rules.window)
        if i > 0:
            lo = max(lo, raws[i - 1].end)
        hi = min(len(text), raw.end + rules.window)
        if i + 1 < len(raws):
            hi = min(hi, raws[i + 1].start)
        for stop in rules.sentence_re.finditer(text, lo, raw.start):
            lo = stop.end()
        after = rules.sentence_re.search(text, raw.end, hi)
        if after is not None:
            hi = after.start()
        return lo, hi

    def _kind(
        self, text: str, raws: list[RawMatch], i: int, clause: tuple[int, int], soft: bool
    ) -> tuple[str | None, str | None]:
        """(kind, cue) for match i; kind None when no cue was found. A ``drop`` cue in the clause
        (a speech verb: "said", "kata", "밝혔다") counts only for a `soft` date (relative, or
        with a weekday: "said on Monday", "ujarnya, Senin (1/7)"), the usual way to give the day
        a statement was made; glued to the date ("said on") it counts for any date."""
        rules = self.rules
        raw = raws[i]
        m = rules.prefix_re.search(text, max(0, raw.start - _PREFIX_REACH), raw.start)
        if m is not None:
            return rules.prefix_kind.get(lookup_key(m.group("cue"))), m.group("cue")
        m = rules.suffix_re.match(text, raw.end, min(len(text), raw.end + _SUFFIX_REACH))
        if m is not None:
            return rules.suffix_kind.get(lookup_key(m.group("cue"))), m.group("cue")
        lo, hi = clause
        # A cue between two dates of one clause belongs to the nearer one, unless a clause
        # break ("and", "dan", a comma) stands between it and one of them: then to the other.
        prev_end = raws[i - 1].end if i > 0 and raws[i - 1].end == lo else None
        next_start = raws[i + 1].start if i + 1 < len(raws) and raws[i + 1].start == hi else None
        before_w, after_w = (2.0, 1.0) if rules.prefer_after else (1.0, 2.0)
        best: tuple[float, str, str] | None = None
        for c in rules.cue_re.finditer(text, lo, hi):
            if raw.start <= c.start() < raw.end:
                continue
            kind = rules.cue_kind.get(lookup_key(c.group()))
            if kind is None or (kind == _DROP and not soft):
                continue
            if c.end() <= raw.start:
                dist = (raw.start - c.end()) * before_w
                if (
                    prev_end is not None
                    and (c.start() - prev_end) * after_w < dist
                    and not rules.break_re.search(text, prev_end, c.start())
                ):
                    continue
            else:
                dist = (c.start() - raw.end) * after_w
                if next_start is not None and (
                    (next_start - c.end()) * before_w < dist or rules.break_re.search(text, raw.end, c.start())
                ):
                    continue
            if best is None or dist < best[0]:
                best = (dist, kind, c.group())
        if best is None:
            return None, None
        return best[1], best[2]


def _dedupe(mentions: list[DateMention]) -> list[DateMention]:
    """One mention per date, the one of its most specific kind, in order of each date's first occurrence."""
    best: dict[dt.date, DateMention] = {}
    first: dict[dt.date, int] = {}
    for m in mentions:
        first.setdefault(m.date, m.start)
        cur = best.get(m.date)
        if cur is None or _RANK[m.kind] < _RANK[cur.kind]:
            best[m.date] = m
    return sorted(best.values(), key=lambda m: first[m.date])
