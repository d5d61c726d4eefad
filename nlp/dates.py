"""Key dates: day-precision date expressions, resolved to calendar dates and given a kind.

Everything language-specific lives in ``nlp/data/<lang>/dates.yaml``: month and weekday names,
relative words, the date formats (regex templates over that vocabulary) and the cue phrases that
decide a date's kind. ``DateExtractor.load`` reads the file and compiles, per language:

* one date regex: the formats joined in one alternation. It opens with a character class of the
  characters a date can start with, so the engine skips through the text in its fast loop;
* one cue regex, run only over the clause around each date found;
* small anchored regexes for cues glued to the date ("by", "from", "まで", "까지"...).

Kinds, most specific first: deadline, commencement, hearing, published, event. A date takes the
kind of a cue glued to it, else of the nearest cue in its clause (a cue on the language's less
usual side of the date counts double distance; a cue between two dates goes to the nearer one),
else ``event``. A ``drop`` cue ("said on Monday") marks the day a statement was made: not kept.

Format groups (named in the YAML formats, renamed per format when compiled):
``day``/``day2``/``conn`` the day, a second day of a list or range and the word between them;
``month`` (a month name) or ``mnum`` (a month number); ``year`` (4 digits, or 2 where the language
says how to read them), ``era``/``eyear`` (Japanese era), ``roc`` (Republic of China year);
``n1``/``n2`` numeric day and month in either order; ``wd``/``wdmod`` a weekday and its modifier;
``rel`` a word relative to the publication date; ``chain`` a word relative to the previous date in
the text; ``dmod`` and ``mrel`` a day with no month ("지난 1일", "今月1日"); ``bday`` a bare day
with no word at all ("総務省は16日、", the news style for a day of the current month: the latest
such day on or before publication, or the coming one when a future cue stands in its clause);
``yrel`` a year word ("来年", "내년").

Keys of ``dates.yaml``:

* vocabulary: ``months`` and ``weekdays`` ({number: [names]}, Monday = 0), ``relative`` and
  ``chain`` ({word: days from the publication date / from the previous date}), ``eras``
  ({era: year before its first}), ``day_modifiers`` ({word: past|future}), ``month_modifiers``
  ({word: months from publication, or prev}), ``year_modifiers`` ({word: years}),
  ``weekday_modifiers`` and ``weekday_lead`` ({word: past|last|future|none}: a word the formats
  match with the weekday / the word right before a lone weekday), ``range_connectors`` and
  ``list_connectors`` ("25–30", "3 and 8");
* ``formats``: regex templates using the groups above and the placeholders {MONTH}, {WEEKDAY},
  {REL}, {CHAIN}, {ERA}, {DMOD}, {MREL}, {YREL}, {WDMOD}, {CONN}, {TIME} (``time``: a regex);
* ``gate_vocab`` (placeholders a format can open with) and ``gate_extra`` (literal words that can);
* cues: ``cues`` ({kind: [phrases]} anywhere in the clause; ``ignore`` phrases only block shorter
  ones, ``drop`` are speech verbs), ``prefix_cues`` and ``suffix_cues`` (glued to the date, with
  only ``fillers`` between), ``future_cues`` (turn a lone weekday forward), ``clause_breaks``;
* settings: ``word_boundary`` (false for Thai and CJK, where cues sit inside words), ``cue_side``
  (before|after), ``window`` (characters), ``sentence_end`` (regex), ``weekday_needs_lead``,
  ``relative_needs_cue`` ("today" needs a cue in its clause), ``two_digit_year`` (buddhist).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

KINDS = ("deadline", "commencement", "hearing", "published", "event")
_RANK = {kind: i for i, kind in enumerate(KINDS)}
_DROP = "drop"  # a cue kind: the date is metadata (the day a spokesperson spoke)
_PLACEHOLDERS = ("MONTH", "WEEKDAY", "REL", "CHAIN", "ERA", "DMOD", "MREL", "YREL", "WDMOD", "CONN", "TIME")
_GATE_VOCAB = ("MONTH", "WEEKDAY", "REL", "CHAIN", "ERA", "DMOD", "MREL", "YREL", "WDMOD")
_GROUPS = (
    *("day", "day2", "conn", "month", "mnum", "year", "era", "eyear", "roc", "n1", "n2"),
    *("wd", "wdmod", "rel", "chain", "dmod", "mrel", "yrel", "bday"),
)
_GROUP_DEF = re.compile(r"\(\?P<([a-z0-9]+)>")
_SQUEEZE = re.compile(r"[\s.]+")
_SENTENCE_END = r"[.!?;。！？；\n](?:(?<=[。！？；\n])|(?=\s))"
_GATE_LEN = 5  # letters of each vocabulary word checked by the scan's gate
_PREFIX_REACH = 60  # characters before a date searched for a glued cue
_SUFFIX_REACH = 40
_MIN_YEAR, _MAX_YEAR = 1900, 2199


@dataclass(frozen=True)
class DateMention:
    date: dt.date
    kind: str  # deadline | commencement | hearing | published | event
    text: str  # the surface expression, e.g. "5pm AEST Friday 12 December 2025"
    start: int  # character offsets of `text` in the input
    end: int
    cue: str | None  # the cue phrase that decided the kind, if any
    relative: bool  # True when resolved against `published` (no year, weekday, "yesterday"...)


def _loader() -> type[yaml.SafeLoader]:
    """A safe YAML loader that keeps on/off/yes/no as strings (they are words here, not booleans)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        ch: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return Loader


def _norm(text: str) -> str:
    """Lookup key for a vocabulary word or cue: case-folded, without spaces or dots."""
    return _SQUEEZE.sub("", text).casefold()


def _variants(word: str) -> set[str]:
    """The spellings a vocabulary word is matched in: as written, capitalised, upper case."""
    return {word, word[:1].upper() + word[1:], word.upper()}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def _alternation(words: list[str] | set[str], fold: bool = False) -> str:
    """Regex alternation of literal phrases, factored into a trie so that the engine tests each
    first character once; a longer phrase wins over its prefix; a space matches ``\\s+``.
    With `fold` the phrases are lower-cased (for a case-insensitive regex)."""
    root: dict[str, Any] = {}
    for word in words:
        if not word:
            continue
        node = root
        for ch in word.casefold() if fold else word:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not root:
        return "(?!)"
    return "(?:" + _trie_node(root) + ")"


def _trie_node(node: dict[str, Any]) -> str:
    parts = []
    for ch in sorted(k for k in node if k):
        piece = r"\s+" if ch == " " else re.escape(ch)
        child = node[ch]
        if set(child) == {""}:
            parts.append(piece)
        else:
            sub = _trie_node({k: v for k, v in child.items() if k})
            parts.append(piece + "(?:" + sub + ")" + ("?" if "" in child else ""))
    return "|".join(parts)


def _prefix_trie(heads: set[str]) -> str:
    """Alternation of prefixes where a prefix that ends lets any continuation through (a gate)."""
    by_head: dict[str, set[str]] = {}
    for w in heads:
        by_head.setdefault(w[0], set()).add(w[1:])
    parts = []
    for head, rests in sorted(by_head.items()):
        if "" in rests:
            parts.append(re.escape(head))
        else:
            parts.append(re.escape(head) + "(?:" + _prefix_trie(rests) + ")")
    return "|".join(parts)


def _first_chars(phrases: list[str]) -> str:
    """A look-ahead for the first characters of some phrases, in any case: a one-step test that
    lets a case-insensitive trie alternation skip most positions."""
    chars = {c for p in phrases if p for c in (p[0], p[0].casefold(), p[0].upper())}
    if not chars:
        return ""
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])"


def _kind_table(table: Any) -> tuple[dict[str, str | None], list[str]]:
    """{normalised phrase: kind} and the phrases, from a ``{kind: [phrases]}`` mapping."""
    kinds: dict[str, str | None] = {}
    phrases: list[str] = []
    for kind, items in (table or {}).items():
        for phrase in _as_list(items):
            kinds[_norm(phrase)] = None if kind == "ignore" else str(kind)
            phrases.append(phrase)
    return kinds, phrases


@dataclass
class _Raw:
    """One match of the date regex, before resolution."""

    start: int
    end: int
    groups: dict[str, str]


class DateExtractor:
    """Finds day-precision dates in one language. Build with :meth:`load`."""

    def __init__(self, lang: str, cfg: dict[str, Any]) -> None:
        self.lang = lang
        bound = bool(cfg.get("word_boundary", True))
        lb, rb = (r"(?<!\w)", r"(?!\w)") if bound else ("", "")
        self._window = int(cfg.get("window", 100))
        self._prefer_after = cfg.get("cue_side", "before") == "after"
        self._weekday_needs_lead = bool(cfg.get("weekday_needs_lead", True))
        self._two_digit_year = cfg.get("two_digit_year")  # None | "buddhist"
        self._rel_needs_cue = bool(cfg.get("relative_needs_cue", True))

        # vocabulary: normalised spelling -> value; spellings per placeholder
        spell: dict[str, set[str]] = {name: set() for name in _PLACEHOLDERS}
        self._months = self._numbered(cfg.get("months"), spell["MONTH"])
        self._weekdays = self._numbered(cfg.get("weekdays"), spell["WEEKDAY"])
        self._rel = self._vocab(cfg.get("relative"), spell["REL"], int)
        self._chain = self._vocab(cfg.get("chain"), spell["CHAIN"], int)
        self._era = self._vocab(cfg.get("eras"), spell["ERA"], int)
        self._dmod = self._vocab(cfg.get("day_modifiers"), spell["DMOD"], str)
        self._mrel = self._vocab(cfg.get("month_modifiers"), spell["MREL"], str)  # a shift, or "prev"
        self._yrel = self._vocab(cfg.get("year_modifiers"), spell["YREL"], int)
        self._wdmod = self._vocab(cfg.get("weekday_modifiers"), spell["WDMOD"], str)
        ranges = _as_list(cfg.get("range_connectors"))
        self._range_conn = {_norm(w) for w in ranges}
        spell["CONN"] = set(ranges) | set(_as_list(cfg.get("list_connectors")))

        subst = {name: _alternation(words) for name, words in spell.items()}
        if bound:
            for name in ("MONTH", "WEEKDAY", "REL", "CHAIN", "WDMOD", "DMOD", "MREL", "YREL"):
                subst[name] += r"(?![^\W\d_])"
        subst["TIME"] = "(?:" + str(cfg.get("time") or "(?!)") + ")"

        # The date regex: the formats joined, each wrapped in its own group. It starts with a
        # consumed character class, so the engine runs through the text in its fast loop and
        # stops only on a digit or a vocabulary word's first letter; a look-behind then steps
        # back over that character and a look-ahead matches the formats from there. The match
        # itself is one character long: the date's extent is its format group's span.
        self._formats: list[tuple[int, list[tuple[str, int]]]] = []
        parts = []
        for i, fmt in enumerate(_as_list(cfg.get("formats"))):
            for name in _PLACEHOLDERS:
                fmt = fmt.replace("{" + name + "}", subst[name])
            fmt = _GROUP_DEF.sub(rf"(?P<\1_{i}>", fmt)
            parts.append(f"(?P<f_{i}>{fmt})")
        first, heads = self._gate(cfg, spell)
        self._date_re = re.compile("[" + first + "](?<=(?=" + heads + "(?:" + "|".join(parts) + ")).)")
        index = self._date_re.groupindex
        for i in range(len(parts)):
            names = [(g, index[f"{g}_{i}"]) for g in _GROUPS if f"{g}_{i}" in index]
            self._formats.append((index[f"f_{i}"], names))

        # cues anywhere in the clause
        self._cue_kind, phrases = _kind_table(cfg.get("cues"))
        self._cue_re = self._phrase_re(phrases, bound)
        # cues glued to the date, with only fillers between
        fillers = _alternation(_as_list(cfg.get("fillers")), fold=True)
        self._prefix_kind, phrases = _kind_table(cfg.get("prefix_cues"))
        self._prefix_re = re.compile(
            _first_chars(phrases)
            + lb
            + "(?P<cue>"
            + _alternation(phrases, fold=True)
            + ")"
            + rb
            + r"(?:\s*"
            + fillers
            + rb
            + r")*[\s,]*$",
            re.IGNORECASE,
        )
        self._suffix_kind, phrases = _kind_table(cfg.get("suffix_cues"))
        self._suffix_re = re.compile(
            r"[\s,]*(?:" + fillers + rb + r"\s*)*(?P<cue>" + _alternation(phrases, fold=True) + ")" + rb,
            re.IGNORECASE,
        )
        self._future_re = self._phrase_re(_as_list(cfg.get("future_cues")), bound)
        leads = {str(w): str(d) for w, d in (cfg.get("weekday_lead") or {}).items()}
        self._wd_lead = {_norm(w): d for w, d in leads.items()}
        self._wd_lead_re = re.compile(lb + "(?P<lead>" + _alternation(list(leads), fold=True) + r")\s*$", re.IGNORECASE)
        self._sentence_re = re.compile(str(cfg.get("sentence_end") or _SENTENCE_END))
        self._break_re = self._phrase_re(_as_list(cfg.get("clause_breaks")), bound)
        # Two whole dates joined by a dash or tilde are a range. Words ("to", "until") are not
        # taken as ranges there, so "from 1 May to 31 May" keeps its closing date.
        gap = _alternation([w for w in ranges if not any(ch.isalpha() for ch in w)])
        self._range_gap_re = re.compile(r"\s*" + gap + r"\s*")
        joins = ranges + _as_list(cfg.get("list_connectors"))
        self._joined_re = re.compile(r"[\s,]*" + _alternation(joins, fold=True) + r"\s*", re.IGNORECASE)

    # ----------------------------------------------------------------- construction helpers
    @classmethod
    def load(cls, lang: str, data_dir: Path) -> DateExtractor:
        """Reads ``<data_dir>/<lang>/dates.yaml`` and compiles its regexes."""
        path = Path(data_dir) / lang / "dates.yaml"
        with path.open(encoding="utf-8") as fh:
            cfg = yaml.load(fh, Loader=_loader()) or {}  # a SafeLoader subclass
        return cls(lang, cfg)

    @staticmethod
    def _numbered(table: Any, spellings: set[str]) -> dict[str, int]:
        """{normalised name: number} from ``{number: [names]}``."""
        out: dict[str, int] = {}
        for num, names in (table or {}).items():
            for name in _as_list(names):
                out[_norm(name)] = int(num)
                spellings |= _variants(name)
        return out

    @staticmethod
    def _vocab(table: Any, spellings: set[str], cast: Any) -> dict[str, Any]:
        """{normalised word: value} from ``{word: value}``."""
        out: dict[str, Any] = {}
        for word, value in (table or {}).items():
            out[_norm(str(word))] = cast(value)
            spellings |= _variants(str(word))
        return out

    @staticmethod
    def _phrase_re(phrases: list[str], bound: bool) -> re.Pattern[str]:
        alt = _alternation(phrases, fold=True)
        if bound:
            alt = r"(?<!\w)" + alt + r"(?!\w)"
        return re.compile(_first_chars(phrases) + alt, re.IGNORECASE)

    @staticmethod
    def _gate(cfg: dict[str, Any], spell: dict[str, set[str]]) -> tuple[str, str]:
        """Where a date expression can start: (a character class body for its first character,
        a look-ahead for its first few letters). The vocabularies that can open a format are
        ``gate_vocab`` (all by default), plus the literal words of ``gate_extra``."""
        heads: set[str] = set()
        for name in _as_list(cfg.get("gate_vocab")) or _GATE_VOCAB:
            heads |= {w[:_GATE_LEN] for w in spell[name] if w}
        for word in _as_list(cfg.get("gate_extra")):
            heads |= {w[:_GATE_LEN] for w in _variants(word) if w}
        first = r"\d" + "".join(re.escape(c) for c in sorted({h[0] for h in heads}))
        alts = _prefix_trie(heads)
        return first, r"(?=(?<!\d)\d" + ("|" + alts if alts else "") + ")"

    # ----------------------------------------------------------------------------- extraction
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
            dates, relative, needs_cue = self._resolve(text, raws, i, clause, published, prev_date)
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
        return self._dedupe(mentions)

    def _scan(self, text: str) -> list[_Raw]:
        raws: list[_Raw] = []
        search = self._date_re.search
        pos = 0
        while True:
            m = search(text, pos)
            if m is None:
                return raws
            end, found = -1, self._formats[0][1]
            for wrapper, names in self._formats:
                end = m.end(wrapper)
                if end >= 0:
                    found = names
                    break
            groups = {}
            for name, idx in found:
                val = m.group(idx)
                if val is not None:
                    groups[name] = val
            raws.append(_Raw(m.start(), end, groups))
            pos = max(end, m.end())

    @staticmethod
    def _dedupe(mentions: list[DateMention]) -> list[DateMention]:
        best: dict[dt.date, DateMention] = {}
        first: dict[dt.date, int] = {}
        for m in mentions:
            first.setdefault(m.date, m.start)
            cur = best.get(m.date)
            if cur is None or _RANK[m.kind] < _RANK[cur.kind]:
                best[m.date] = m
        return sorted(best.values(), key=lambda m: first[m.date])

    def _ranges(self, text: str, raws: list[_Raw]) -> set[int]:
        """Indices of matches that are the two ends of a range ("1 July – 30 September 2025")."""
        out: set[int] = set()
        for i in range(len(raws) - 1):
            a, b = raws[i], raws[i + 1]
            if b.start - a.end > 12 or "rel" in a.groups or "rel" in b.groups:
                continue
            if self._range_gap_re.fullmatch(text, a.end, b.start):
                out.update((i, i + 1))
        return out

    # ------------------------------------------------------------------------------ resolution
    def _resolve(
        self,
        text: str,
        raws: list[_Raw],
        i: int,
        clause: tuple[int, int],
        published: dt.date | None,
        prev_date: dt.date | None,
    ) -> tuple[list[dt.date], bool, bool]:
        """(dates, relative, needs_cue) for one match; no dates when it is not a valid date."""
        g = raws[i].groups
        if "rel" in g:
            if published is None:
                return [], True, False
            return [published + dt.timedelta(days=self._rel[_norm(g["rel"])])], True, self._rel_needs_cue
        if "chain" in g:
            if prev_date is None:
                return [], True, False
            return [prev_date + dt.timedelta(days=self._chain[_norm(g["chain"])])], True, False
        if "bday" in g:  # 総務省は16日、: a day of this month, or of the last one
            if published is None:
                return [], True, False
            ahead = self._future_re.search(text, clause[0], clause[1]) is not None
            return self._bare_day(int(g["bday"]), published, ahead), True, False
        if "day" not in g and "n1" not in g:
            if "wd" in g:
                return self._weekday(text, raws[i], clause, published), True, False
            return [], False, False
        if "n1" in g:  # numeric day and month: day first unless only the other order is valid
            a, b = int(g["n1"]), int(g["n2"])
            day, month = (b, a) if b > 12 >= a else (a, b)
        else:
            day = int(g["day"])
            month = 0
            if "month" in g:
                month = self._months.get(_norm(g["month"]), 0)
            elif "mnum" in g:
                month = int(g["mnum"])
        days = [day]
        if "day2" in g:
            if _norm(g.get("conn", "")) in self._range_conn:
                return [], False, False  # "25–30 August": a background range
            days.append(int(g["day2"]))
        year = self._year(g)
        if year is not None and not _MIN_YEAR <= year <= _MAX_YEAR:
            return [], False, False
        if month == 0:  # a day alone, placed by its modifier
            if published is None or ("dmod" not in g and "mrel" not in g):
                return [], True, False
            return self._day_only(days, g, published, prev_date), True, False
        out = []
        if year is not None:
            for d in days:
                try:
                    out.append(dt.date(year, month, d))
                except ValueError:
                    continue
            return out, False, False
        if published is None:
            return [], True, False
        if "yrel" in g:  # 来年4月1日, 내년 1월 1일
            year = published.year + self._yrel[_norm(g["yrel"])]
            for d in days:
                try:
                    out.append(dt.date(year, month, d))
                except ValueError:
                    continue
            return out, True, False
        nxt = raws[i + 1] if i + 1 < len(raws) else None
        if nxt is not None and "year" in nxt.groups and self._joined_re.fullmatch(text, raws[i].end, nxt.start):
            year = self._year(nxt.groups)  # "1 July and 30 September 2024": the year is shared
            if year is not None and _MIN_YEAR <= year <= _MAX_YEAR:
                for d in days:
                    try:
                        out.append(dt.date(year, month, d))
                    except ValueError:
                        continue
                return out, False, False
        for d in days:
            found = self._nearest(d, month, published)
            if found is not None:
                out.append(found)
        return out, True, False

    def _year(self, g: dict[str, str]) -> int | None:
        if "era" in g:
            ey = g.get("eyear", "1")
            return self._era[_norm(g["era"])] + (int(ey) if ey.isdigit() else 1)  # 元年 = 1
        if "roc" in g:
            return int(g["roc"]) + 1911
        if "year" not in g:
            return None
        y = int(g["year"])
        if self._two_digit_year == "buddhist":
            if len(g["year"]) <= 2:
                return 2500 + y - 543
            if y >= 2400:
                return y - 543
        return y

    @staticmethod
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
        self, days: list[int], g: dict[str, str], published: dt.date, prev_date: dt.date | None
    ) -> list[dt.date]:
        """A day with no month: in the month a modifier names ("prev": the month of the previous
        date in the text, as 同月 says), else the latest (지난) or next (오는) such day."""
        out = []
        for day in days:
            base = published
            if "mrel" in g:
                rel = self._mrel[_norm(g["mrel"])]
                if rel == "prev":
                    base, shift = prev_date or published, 0
                else:
                    shift = int(rel)
            elif self._dmod.get(_norm(g["dmod"]), "past") == "future":
                shift = 0 if day >= published.day else 1
            else:
                shift = 0 if day <= published.day else -1
            months = base.year * 12 + base.month - 1 + shift
            try:
                out.append(dt.date(months // 12, months % 12 + 1, day))
            except ValueError:
                continue
        return out

    @staticmethod
    def _bare_day(day: int, published: dt.date, ahead: bool) -> list[dt.date]:
        """A bare day of the month: in the month of publication when it is not past the
        publication day, or when a future cue says it is still to come; else the month before."""
        shift = 0 if day <= published.day or ahead else -1
        months = published.year * 12 + published.month - 1 + shift
        try:
            return [dt.date(months // 12, months % 12 + 1, day)]
        except ValueError:
            return []

    def _weekday(self, text: str, raw: _Raw, clause: tuple[int, int], published: dt.date | None) -> list[dt.date]:
        """A lone weekday: the latest such day on or before publication, or the next one after
        it when a lead word, a modifier or a future cue in the clause points forward."""
        g = raw.groups
        wd = self._weekdays.get(_norm(g["wd"]))
        if wd is None or published is None:
            return []
        direction = self._wdmod.get(_norm(g["wdmod"]), "none") if "wdmod" in g else None
        lead = self._wd_lead_re.search(text, max(0, raw.start - 30), raw.start)
        if lead is not None:
            if direction in (None, "none"):
                direction = self._wd_lead.get(_norm(lead.group("lead")), "none")
        elif self._weekday_needs_lead:  # "Minggu ini" is "this week", "Sunday Times" a paper
            return []
        if direction in (None, "none"):
            direction = "future" if self._future_re.search(text, clause[0], clause[1]) else "past"
        if direction == "future":
            return [published + dt.timedelta(days=(wd - published.weekday()) % 7 or 7)]
        back = (published.weekday() - wd) % 7
        if direction == "last" and back == 0:
            back = 7
        return [published - dt.timedelta(days=back)]

    # ------------------------------------------------------------------------------------ kind
    def _clause(self, text: str, raws: list[_Raw], i: int) -> tuple[int, int]:
        """The span around match i where its cues are looked for: its sentence, cut at the
        neighbouring dates and at `window` characters each side."""
        raw = raws[i]
        lo = max(0, raw.start - self._window)
        if i > 0:
            lo = max(lo, raws[i - 1].end)
        hi = min(len(text), raw.end + self._window)
        if i + 1 < len(raws):
            hi = min(hi, raws[i + 1].start)
        for stop in self._sentence_re.finditer(text, lo, raw.start):
            lo = stop.end()
        after = self._sentence_re.search(text, raw.end, hi)
        if after is not None:
            hi = after.start()
        return lo, hi

    def _kind(
        self, text: str, raws: list[_Raw], i: int, clause: tuple[int, int], soft: bool
    ) -> tuple[str | None, str | None]:
        """(kind, cue) for match i; kind None when no cue was found. A ``drop`` cue in the clause
        (a speech verb: "said", "kata", "밝혔다") counts only for a `soft` date (relative, or
        with a weekday: "said on Monday", "ujarnya, Senin (1/7)"), the usual way to give the day
        a statement was made; glued to the date ("said on") it counts for any date."""
        raw = raws[i]
        m = self._prefix_re.search(text, max(0, raw.start - _PREFIX_REACH), raw.start)
        if m is not None:
            return self._prefix_kind.get(_norm(m.group("cue"))), m.group("cue")
        m = self._suffix_re.match(text, raw.end, min(len(text), raw.end + _SUFFIX_REACH))
        if m is not None:
            return self._suffix_kind.get(_norm(m.group("cue"))), m.group("cue")
        lo, hi = clause
        # A cue between two dates of one clause belongs to the nearer one, unless a clause
        # break ("and", "dan", a comma) stands between it and one of them: then to the other.
        prev_end = raws[i - 1].end if i > 0 and raws[i - 1].end == lo else None
        next_start = raws[i + 1].start if i + 1 < len(raws) and raws[i + 1].start == hi else None
        before_w, after_w = (2.0, 1.0) if self._prefer_after else (1.0, 2.0)
        best: tuple[float, str, str] | None = None
        for c in self._cue_re.finditer(text, lo, hi):
            if raw.start <= c.start() < raw.end:
                continue
            kind = self._cue_kind.get(_norm(c.group()))
            if kind is None or (kind == _DROP and not soft):
                continue
            if c.end() <= raw.start:
                dist = (raw.start - c.end()) * before_w
                if (
                    prev_end is not None
                    and (c.start() - prev_end) * after_w < dist
                    and not self._break_re.search(text, prev_end, c.start())
                ):
                    continue
            else:
                dist = (c.start() - raw.end) * after_w
                if next_start is not None and (
                    (next_start - c.end()) * before_w < dist or self._break_re.search(text, raw.end, c.start())
                ):
                    continue
            if best is None or dist < best[0]:
                best = (dist, kind, c.group())
        if best is None:
            return None, None
        return best[1], best[2]
