"""Turning one match of the date regex into calendar dates: a full date as written, a partial
one (no year, a day alone, a weekday, "yesterday", an era or ROC year) against the publication
date or the previous date in the text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nlp.dates.rules import DateRules, lookup_key

_MIN_YEAR, _MAX_YEAR = 1900, 2199


@dataclass
class RawMatch:
    """One match of the date regex, before resolution."""

    start: int
    end: int
    groups: dict[str, str]  # the format's groups that matched, by their YAML name


def resolve(
    rules: DateRules,
    text: str,
    raws: list[RawMatch],
    i: int,
    clause: tuple[int, int],
    published: dt.date | None,
    prev_date: dt.date | None,
) -> tuple[list[dt.date], bool, bool]:
    """(dates, relative, needs_cue) for match i; no dates when it is not a valid date."""
    if published is not None and not _MIN_YEAR <= published.year <= _MAX_YEAR:
        published = None  # no item is published then, and "tomorrow" from 9999-12-31 overflows
    g = raws[i].groups
    if "rel" in g:
        if published is None:
            return [], True, False
        days = rules.relative[lookup_key(g["rel"])]
        return [published + dt.timedelta(days=days)], True, rules.relative_needs_cue
    if "chain" in g:
        if prev_date is None:
            return [], True, False
        return [prev_date + dt.timedelta(days=rules.chain[lookup_key(g["chain"])])], True, False
    if "bday" in g:  # 総務省は16日、: a day of this month, or of the last one
        if published is None:
            return [], True, False
        ahead = rules.future_re.search(text, clause[0], clause[1]) is not None
        return _bare_day(int(g["bday"]), published, ahead), True, False
    if "day" not in g and "n1" not in g:
        if "wd" in g:
            return _weekday(rules, text, raws[i], clause, published), True, False
        return [], False, False
    if "n1" in g:  # numeric day and month: day first unless only the other order is valid
        a, b = int(g["n1"]), int(g["n2"])
        day, month = (b, a) if b > 12 >= a else (a, b)
    else:
        day = int(g["day"])
        month = 0
        if "month" in g:
            month = rules.months.get(lookup_key(g["month"]), 0)
        elif "mnum" in g:
            month = int(g["mnum"])
    days = [day]
    if "day2" in g:
        if lookup_key(g.get("conn", "")) in rules.range_connectors:
            return [], False, False  # "25–30 August": a background range
        days.append(int(g["day2"]))
    year = _year(rules, g)
    if year is not None and not _MIN_YEAR <= year <= _MAX_YEAR:
        return [], False, False
    if month == 0:  # a day alone, placed by its modifier
        if published is None or ("dmod" not in g and "mrel" not in g):
            return [], True, False
        return _day_only(rules, days, g, published, prev_date), True, False
    out = []
    if year is not None:
        return _valid_dates(year, month, days), False, False
    if published is None:
        return [], True, False
    if "yrel" in g:  # 来年4月1日, 내년 1월 1일
        year = published.year + rules.year_modifiers[lookup_key(g["yrel"])]
        return _valid_dates(year, month, days), True, False
    nxt = raws[i + 1] if i + 1 < len(raws) else None
    if nxt is not None and "year" in nxt.groups and rules.joined_re.fullmatch(text, raws[i].end, nxt.start):
        year = _year(rules, nxt.groups)  # "1 July and 30 September 2024": the year is shared
        if year is not None and _MIN_YEAR <= year <= _MAX_YEAR:
            return _valid_dates(year, month, days), False, False
    for d in days:
        found = _nearest(d, month, published)
        if found is not None:
            out.append(found)
    return out, True, False


def _valid_dates(year: int, month: int, days: list[int]) -> list[dt.date]:
    """The dates of `days` in this month and year that exist (no 31 February)."""
    out = []
    for day in days:
        try:
            out.append(dt.date(year, month, day))
        except ValueError:
            continue
    return out


def _year(rules: DateRules, g: dict[str, str]) -> int | None:
    if "era" in g:
        ey = g.get("eyear", "1")
        return rules.eras[lookup_key(g["era"])] + (int(ey) if ey.isdigit() else 1)  # 元年 = 1
    if "roc" in g:
        return int(g["roc"]) + 1911
    if "year" not in g:
        return None
    y = int(g["year"])
    if rules.two_digit_year == "buddhist":
        if len(g["year"]) <= 2:
            return 2500 + y - 543
        if y >= 2400:
            return y - 543
    return y


def _nearest(day: int, month: int, published: dt.date) -> dt.date | None:
    """The date with this day and month nearest to the publication date."""
    best: tuple[int, dt.date] | None = None
    for year in (published.year, published.year - 1, published.year + 1):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        gap = abs((cand - published).days)
        if best is None or gap < best[0]:
            best = (gap, cand)
    return best[1] if best else None


def _day_only(
    rules: DateRules, days: list[int], g: dict[str, str], published: dt.date, prev_date: dt.date | None
) -> list[dt.date]:
    """A day with no month: in the month a modifier names ("prev": the month of the previous
    date in the text, as 同月 says), else the latest (지난) or next (오는) such day."""
    out = []
    for day in days:
        base = published
        if "mrel" in g:
            rel = rules.month_modifiers[lookup_key(g["mrel"])]
            if rel == "prev":
                base, shift = prev_date or published, 0
            else:
                shift = int(rel)
        elif rules.day_modifiers.get(lookup_key(g["dmod"]), "past") == "future":
            shift = 0 if day >= published.day else 1
        else:
            shift = 0 if day <= published.day else -1
        months = base.year * 12 + base.month - 1 + shift
        try:
            out.append(dt.date(months // 12, months % 12 + 1, day))
        except ValueError:
            continue
    return out


def _bare_day(day: int, published: dt.date, ahead: bool) -> list[dt.date]:
    """A bare day of the month: in the month of publication when it is not past the
    publication day, or when a future cue says it is still to come; else the month before."""
    shift = 0 if day <= published.day or ahead else -1
    months = published.year * 12 + published.month - 1 + shift
    try:
        return [dt.date(months // 12, months % 12 + 1, day)]
    except ValueError:
        return []


WEEKDAY_CUE_REACH = 40


def _weekday(
    rules: DateRules, text: str, raw: RawMatch, clause: tuple[int, int], published: dt.date | None
) -> list[dt.date]:
    """A lone weekday: the latest such day on or before publication, or the next one after
    it when a lead word, a modifier or a future cue just before it points forward."""
    g = raw.groups
    wd = rules.weekdays.get(lookup_key(g["wd"]))
    if wd is None or published is None:
        return []
    direction = rules.weekday_modifiers.get(lookup_key(g["wdmod"]), "none") if "wdmod" in g else None
    lead = rules.weekday_lead_re.search(text, max(0, raw.start - 30), raw.start)
    if lead is not None:
        if direction in (None, "none"):
            direction = rules.weekday_lead.get(lookup_key(lead.group("lead")), "none")
    elif rules.weekday_needs_lead:  # "Minggu ini" is "this week", "Sunday Times" a paper
        return []
    if direction in (None, "none"):
        # Only a future cue just before the weekday turns it forward ("will meet on Tuesday",
        # "from Monday"): one elsewhere in the sentence is as often about something else.
        window = max(clause[0], raw.start - WEEKDAY_CUE_REACH)
        direction = "future" if rules.future_re.search(text, window, raw.start) else "past"
    if direction == "future":
        return [published + dt.timedelta(days=(wd - published.weekday()) % 7 or 7)]
    back = (published.weekday() - wd) % 7
    if direction == "last" and back == 0:
        back = 7
    return [published - dt.timedelta(days=back)]
