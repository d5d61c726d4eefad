"""The query language, parsed into a small engine-neutral tree.

    age assurance                 both words (the default operator is AND)
    "age assurance"               the phrase
    deepfake OR "synthetic media" either
    scam -crypto, scam NOT crypto  the first without the second
    (scam OR fraud) AND country:SG  grouping; AND binds tighter than OR
    harm:child_safety lang:ko     field:value (fields in FIELDS)
    regulat*                      prefix (at least MIN_PREFIX characters before the *)

Operators are upper case; a lower-case "and", "or" or "not" is a word. Words made only of
punctuation are ignored. A query that cannot be run raises QueryError with a message that says
what is wrong and where (character positions count from 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.records import MAX_LIMIT, QueryError, SearchQuery
from nlp.items import EARLIEST_PUBLISHED, LATEST_PUBLISHED

MAX_QUERY_CHARS = 1000
MAX_TERMS = 50
MAX_DEPTH = 8
MIN_PREFIX = 2

# Query-language field name -> the indexed field it searches. Text fields are analysed; the
# others are keyword fields matched whole (case-insensitively).
FIELDS = {
    "title": "title",
    "text": "text",
    "country": "jurisdictions",
    "jurisdiction": "jurisdictions",
    "jurisdictions": "jurisdictions",
    "harm": "harm_areas",
    "harm_area": "harm_areas",
    "harm_areas": "harm_areas",
    "doc_type": "doc_type",
    "source": "source",
    "source_kind": "source_kind",
    "lang": "language",
    "language": "language",
    "stakeholder": "stakeholders",
    "stakeholders": "stakeholders",
}
TEXT_FIELDS = frozenset({"title", "text"})
_SHOWN_FIELDS = "title, text, country (or jurisdiction), harm, doc_type, source, source_kind, lang, stakeholder"


@dataclass(frozen=True)
class Term:
    """A word or phrase, in one field (None: title and text) or as a prefix."""

    text: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False
    weight: float = 1.0


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any of `children`. An expansion (`expansion.py`) names its `concepts`: the first child
    is what was typed, the others are the concepts' terms, and an engine that indexes concepts
    may search them instead of those terms."""

    children: tuple[Node, ...]
    concepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Not:
    child: Node


Node = Term | And | Or | Not


def normalize_keyword(field: str, value: str) -> str:
    """The form a keyword field indexes: jurisdiction codes upper case, everything else lower."""
    value = value.strip()
    return value.upper() if field == "jurisdictions" else value.lower()


# The dates a search can filter by: those an item can be published on.
EARLIEST_DAY = EARLIEST_PUBLISHED
LATEST_DAY = LATEST_PUBLISHED


def validate_search(query: SearchQuery) -> None:
    """Check the parts of a search other than its text; raise QueryError if one is unusable."""
    if not 1 <= query.limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}; got {query.limit}.")
    for name, day in (("since", query.since), ("until", query.until)):
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise QueryError(f"{name} must be between {EARLIEST_DAY} and {LATEST_DAY}; got {day}.")
    if query.since and query.until and query.since > query.until:
        raise QueryError(f"since ({query.since}) is after until ({query.until}): no date can match.")
    if query.sort not in ("relevance", "newest"):
        raise QueryError(f"sort must be 'relevance' or 'newest'; got {query.sort!r}.")
    for attribute in FILTER_FIELDS:
        for value in getattr(query, attribute):
            if (position := _not_text_at(value)) is not None:
                raise QueryError(f"The {attribute} value {value!r} is not text at character {position}.")


def parse_query(text: str) -> Node | None:
    """Parse query text; None for an empty query (list by filters). Raises QueryError."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}. "
            "Use a few words and the filters instead."
        )
    if (position := _not_text_at(text)) is not None:
        raise QueryError(f"The query is not text at character {position}: type it again, or paste it as text.")
    if not text.strip():
        return None
    parser = _Parser(_lex(text))
    node = parser.parse()
    if node is None:
        raise QueryError(f"Nothing to search for in {text.strip()!r}: use words with letters or digits.")
    count = sum(1 for _ in leaves(node))
    if count > MAX_TERMS:
        raise QueryError(
            f"The query has {count} terms; the limit is {MAX_TERMS}. Remove some words or use the filters."
        )
    return node


def _not_text_at(text: str) -> int | None:
    """The position (from 1) of a lone surrogate in `text`, or None. Undecodable bytes become one
    (a command-line argument that is not UTF-8; a JSON "\\ud800"), and no engine can search one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start + 1
    return None


def leaves(node: Node) -> list[Term]:
    """Every Term in the tree, left to right."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return leaves(node.child)
    return [leaf for child in node.children for leaf in leaves(child)]


# --- lexer -------------------------------------------------------------------------------

_OPERATORS = {"AND", "OR", "NOT"}
_FIELD_PREFIX = re.compile(r"([A-Za-z_]+):")
_HAS_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "(", ")", "AND", "OR", "NOT"
    position: int  # 1-based
    text: str = ""
    field: str | None = None
    prefix: bool = False
    negated: bool = False  # written with a leading "-"


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        start = i
        negated = False
        if char in "-+" and i + 1 < n and not text[i + 1].isspace():
            negated = char == "-"
            i += 1
            char = text[i]
        field = None
        match = _FIELD_PREFIX.match(text, i)
        if match:
            name = match.group(1)
            if name.lower() not in FIELDS:
                written = text[i:].split()[0]
                raise QueryError(
                    f"Unknown field {name!r} at character {i + 1}. Known fields: {_SHOWN_FIELDS}. "
                    f'To search for the text itself, put it in quotes: "{written}".'
                )
            field = FIELDS[name.lower()]
            i = match.end()
            if i >= n or text[i].isspace() or text[i] == ")":
                raise QueryError(f"The field {name}: at character {start + 1} has no value after the colon.")
            char = text[i]
        if char == "(":
            tokens.append(_Token("(", i + 1, field=field, negated=negated))
            i += 1
        elif char == ")":
            tokens.append(_Token(")", i + 1))
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError(
                    f'Unbalanced quote: the " at character {i + 1} opens a phrase that is never closed. '
                    'Add the closing " or remove it.'
                )
            phrase = " ".join(text[i + 1 : end].split())
            if _HAS_WORD_CHAR.search(phrase):
                tokens.append(_Token("phrase", start + 1, phrase, field, negated=negated))
            i = end + 1
        else:
            end = i
            while end < n and not text[end].isspace() and text[end] not in '()"':
                end += 1
            word = text[i:end]
            i = end
            if word in _OPERATORS and field is None and not negated:
                tokens.append(_Token(word, start + 1))
                continue
            prefix = word.endswith("*")
            stem = word.rstrip("*")
            if prefix and len(stem.strip("-_.,;:!?'")) < MIN_PREFIX:
                what = "an empty prefix" if not stem else f"the prefix {stem!r} is too short"
                raise QueryError(
                    f"{word!r} at character {start + 1} is {what}: give at least {MIN_PREFIX} letters before the *."
                )
            if _HAS_WORD_CHAR.search(stem):
                tokens.append(_Token("word", start + 1, stem, field, prefix, negated))
    return tokens


# --- parser ------------------------------------------------------------------------------


# SearchQuery filter attribute -> indexed keyword field, for every engine.
FILTER_FIELDS = {
    "jurisdictions": "jurisdictions",
    "harm_areas": "harm_areas",
    "doc_types": "doc_type",
    "sources": "source",
    "source_kinds": "source_kind",
    "languages": "language",
    "stakeholders": "stakeholders",
}
# Keyword fields whose query-language name differs from the indexed one.
KEYWORD_INDEX_FIELDS = {"source": "source_key"}


class _Parser:
    """Recursive descent: or := and ("OR" and)*; and := unary (["AND"] unary)*;
    unary := "NOT" unary | primary; primary := "(" or ")" | word | phrase."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.parse_or()
        token = self.peek()
        if token is not None:  # only a ")" can stop parse_or early
            raise QueryError(f"Unbalanced parenthesis: the ) at character {token.position} has no matching (.")
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.index += 1
            self.expect_operand(token)
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_unary()]
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.index += 1
                self.expect_operand(token)
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self) -> Node:
        token = self.peek()
        if token is not None and token.kind == "NOT":
            self.index += 1
            self.expect_operand(token)
            return Not(self.parse_unary())
        return self.parse_primary()

    def expect_operand(self, operator: _Token) -> None:
        token = self.peek()
        if token is None or token.kind in ("AND", "OR", ")"):
            raise QueryError(f"{operator.kind} at character {operator.position} needs a term after it.")

    def parse_primary(self) -> Node:
        token = self.peek()
        if token is None:
            raise QueryError("The query ends where a term was expected.")
        if token.kind in ("AND", "OR"):
            raise QueryError(f"{token.kind} at character {token.position} needs a term before it.")
        if token.kind == ")":
            raise QueryError(f"Unbalanced parenthesis: the ) at character {token.position} has no matching (.")
        self.index += 1
        node: Node
        if token.kind == "(":
            node = self.parse_group(token)
        else:
            node = Term(token.text, token.field, phrase=token.kind == "phrase", prefix=token.prefix)
        return Not(node) if token.negated else node

    def parse_group(self, opening: _Token) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"Parentheses are nested more than {MAX_DEPTH} deep at character {opening.position}.")
        closing = self.peek()
        if closing is not None and closing.kind == ")":
            raise QueryError(f"Empty parentheses at character {opening.position}.")
        if closing is None:
            raise QueryError(f"Unbalanced parenthesis: the ( at character {opening.position} is never closed.")
        node = self.parse_or()
        closing = self.peek()
        if closing is None:
            raise QueryError(f"Unbalanced parenthesis: the ( at character {opening.position} is never closed.")
        self.index += 1
        self.depth -= 1
        return _with_field(node, opening.field, opening.position) if opening.field else node


def _with_field(node: Node, field: str, position: int) -> Node:
    """Apply `field:( ... )` to every term inside the parentheses."""
    if isinstance(node, Term):
        if node.field not in (None, field):
            raise QueryError(f"A field inside field:( ... ) at character {position} contradicts it.")
        return replace(node, field=field)
    if isinstance(node, Not):
        return Not(_with_field(node.child, field, position))
    children = tuple(_with_field(child, field, position) for child in node.children)
    return And(children) if isinstance(node, And) else Or(children)
