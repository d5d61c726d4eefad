"""One language's ``dates.yaml``, read and compiled: its vocabularies as lookup tables and its
formats, cues and settings as regexes (see the package docstring for the keys)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from nlp.resources import load_yaml

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


def read_rules(lang: str, data_dir: Path) -> dict[str, Any]:
    """The mapping in ``<data_dir>/<lang>/dates.yaml`` (empty when the file is empty)."""
    return load_yaml(Path(data_dir) / lang / "dates.yaml")


def lookup_key(text: str) -> str:
    """Lookup key for a vocabulary word or cue: case-folded, without spaces or dots."""
    return _SQUEEZE.sub("", text).casefold()


class DateRules:
    """The compiled rules of one language: vocabulary tables ({lookup key: value}), the date
    regex with its formats' groups, the cue regexes with their kinds, and the settings."""

    def __init__(self, cfg: dict[str, Any]) -> None:
        bound = bool(cfg.get("word_boundary", True))
        lb, rb = (r"(?<!\w)", r"(?!\w)") if bound else ("", "")
        self.window = int(cfg.get("window", 100))
        self.prefer_after = cfg.get("cue_side", "before") == "after"
        self.weekday_needs_lead = bool(cfg.get("weekday_needs_lead", True))
        self.two_digit_year = cfg.get("two_digit_year")  # None | "buddhist"
        self.relative_needs_cue = bool(cfg.get("relative_needs_cue", True))

        # vocabulary: normalised spelling -> value; spellings per placeholder
        spell: dict[str, set[str]] = {name: set() for name in _PLACEHOLDERS}
        self.months = _numbered(cfg.get("months"), spell["MONTH"])
        self.weekdays = _numbered(cfg.get("weekdays"), spell["WEEKDAY"])
        self.relative = _vocab(cfg.get("relative"), spell["REL"], int)
        self.chain = _vocab(cfg.get("chain"), spell["CHAIN"], int)
        self.eras = _vocab(cfg.get("eras"), spell["ERA"], int)
        self.day_modifiers = _vocab(cfg.get("day_modifiers"), spell["DMOD"], str)
        self.month_modifiers = _vocab(cfg.get("month_modifiers"), spell["MREL"], str)  # a shift, or "prev"
        self.year_modifiers = _vocab(cfg.get("year_modifiers"), spell["YREL"], int)
        self.weekday_modifiers = _vocab(cfg.get("weekday_modifiers"), spell["WDMOD"], str)
        ranges = _as_list(cfg.get("range_connectors"))
        self.range_connectors = {lookup_key(w) for w in ranges}
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
        # `formats`: per format, its wrapper group's index and its (group name, index) pairs.
        self.formats: list[tuple[int, list[tuple[str, int]]]] = []
        parts = []
        for i, fmt in enumerate(_as_list(cfg.get("formats"))):
            for name in _PLACEHOLDERS:
                fmt = fmt.replace("{" + name + "}", subst[name])
            fmt = _GROUP_DEF.sub(rf"(?P<\1_{i}>", fmt)
            parts.append(f"(?P<f_{i}>{fmt})")
        first, heads = _gate(cfg, spell)
        self.date_re = re.compile("[" + first + "](?<=(?=" + heads + "(?:" + "|".join(parts) + ")).)")
        index = self.date_re.groupindex
        for i in range(len(parts)):
            names = [(g, index[f"{g}_{i}"]) for g in _GROUPS if f"{g}_{i}" in index]
            self.formats.append((index[f"f_{i}"], names))

        # cues anywhere in the clause
        self.cue_kind, phrases = _kind_table(cfg.get("cues"))
        self.cue_re = _phrase_re(phrases, bound)
        # cues glued to the date, with only fillers between
        fillers = _alternation(_as_list(cfg.get("fillers")), fold=True)
        self.prefix_kind, phrases = _kind_table(cfg.get("prefix_cues"))
        self.prefix_re = re.compile(
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
        self.suffix_kind, phrases = _kind_table(cfg.get("suffix_cues"))
        self.suffix_re = re.compile(
            r"[\s,]*(?:" + fillers + rb + r"\s*)*(?P<cue>" + _alternation(phrases, fold=True) + ")" + rb,
            re.IGNORECASE,
        )
        self.future_re = _phrase_re(_as_list(cfg.get("future_cues")), bound)
        leads = {str(w): str(d) for w, d in (cfg.get("weekday_lead") or {}).items()}
        self.weekday_lead = {lookup_key(w): d for w, d in leads.items()}
        self.weekday_lead_re = re.compile(
            lb + "(?P<lead>" + _alternation(list(leads), fold=True) + r")\s*$", re.IGNORECASE
        )
        self.sentence_re = re.compile(str(cfg.get("sentence_end") or _SENTENCE_END))
        self.break_re = _phrase_re(_as_list(cfg.get("clause_breaks")), bound)
        # Two whole dates joined by a dash or tilde are a range. Words ("to", "until") are not
        # taken as ranges there, so "from 1 May to 31 May" keeps its closing date.
        gap = _alternation([w for w in ranges if not any(ch.isalpha() for ch in w)])
        self.range_gap_re = re.compile(r"\s*" + gap + r"\s*")
        joins = ranges + _as_list(cfg.get("list_connectors"))
        self.joined_re = re.compile(r"[\s,]*" + _alternation(joins, fold=True) + r"\s*", re.IGNORECASE)


def _as_list(value: Any) -> list[str]:
    """A YAML value as a list of strings: none, one, or each item of a list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def _variants(word: str) -> set[str]:
    """The spellings a vocabulary word is matched in: as written, capitalised, upper case."""
    return {word, word[:1].upper() + word[1:], word.upper()}


def _numbered(table: Any, spellings: set[str]) -> dict[str, int]:
    """{normalised name: number} from ``{number: [names]}``."""
    out: dict[str, int] = {}
    for num, names in (table or {}).items():
        for name in _as_list(names):
            out[lookup_key(name)] = int(num)
            spellings |= _variants(name)
    return out


def _vocab(table: Any, spellings: set[str], cast: Any) -> dict[str, Any]:
    """{normalised word: value} from ``{word: value}``."""
    out: dict[str, Any] = {}
    for word, value in (table or {}).items():
        out[lookup_key(str(word))] = cast(value)
        spellings |= _variants(str(word))
    return out


def _kind_table(table: Any) -> tuple[dict[str, str | None], list[str]]:
    """{normalised phrase: kind} and the phrases, from a ``{kind: [phrases]}`` mapping."""
    kinds: dict[str, str | None] = {}
    phrases: list[str] = []
    for kind, items in (table or {}).items():
        for phrase in _as_list(items):
            kinds[lookup_key(phrase)] = None if kind == "ignore" else str(kind)
            phrases.append(phrase)
    return kinds, phrases


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


def _phrase_re(phrases: list[str], bound: bool) -> re.Pattern[str]:
    alt = _alternation(phrases, fold=True)
    if bound:
        alt = r"(?<!\w)" + alt + r"(?!\w)"
    return re.compile(_first_chars(phrases) + alt, re.IGNORECASE)


def _first_chars(phrases: list[str]) -> str:
    """A look-ahead for the first characters of some phrases, in any case: a one-step test that
    lets a case-insensitive trie alternation skip most positions."""
    chars = {c for p in phrases if p for c in (p[0], p[0].casefold(), p[0].upper())}
    if not chars:
        return ""
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])"


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
