"""English inflections of a query word, so "regulations" finds "regulation" and "banned" finds "ban".

The embedded index keeps words as written: a second, stemmed copy of every text made indexing
more than twice as slow. A one-word query searches instead the word's regular inflected forms
and the bases they may come from, what a light English stemmer conflates: plural and third
person -s, -es, -ies; past -ed, -ied; -ing; with a final e dropped or a final consonant doubled.
Forms that are not words cost nothing (nothing is indexed under them). Irregular forms are not
generated, nor derivations (regulate / regulation), which the equivalents can list.
"""

from __future__ import annotations

MIN_LENGTH = 3
# Forms that are other words, not inflections: never reached from a neighbour.
_NOT_INFLECTIONS = frozenset({"news", "means", "series", "species", "thing", "things", "during", "using"})
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
_VOWELS = frozenset("aeiou")


def inflections(word: str) -> tuple[str, ...]:
    """`word` and its regular inflections and bases, `word` first; just `word` for anything but
    a lower-case ASCII word of at least MIN_LENGTH letters."""
    if len(word) < MIN_LENGTH or not (word.isascii() and word.isalpha() and word.islower()):
        return (word,)
    if word in _NOT_INFLECTIONS:
        return (word,)
    forms: set[str] = set()
    for base in _bases(word) or {word}:  # an inflected word: its bases' forms, not its own
        forms.add(base)
        forms.update(_forms(base))
    forms -= _NOT_INFLECTIONS | {word}
    return (word, *sorted(form for form in forms if len(form) >= MIN_LENGTH))


def _bases(word: str) -> set[str]:
    """What `word` may be an inflection of."""
    bases: set[str] = set()
    if word.endswith("ies") and len(word) > 4:
        bases.add(word[:-3] + "y")
    elif word.endswith("es") and word[:-2].endswith(_SIBILANT_ENDINGS):
        bases.add(word[:-2])
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        bases.add(word[:-1])
    for ending in ("ed", "ing"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= MIN_LENGTH:
            if ending == "ed" and stem.endswith("i"):
                bases.add(stem[:-1] + "y")
            bases.update({stem, stem + "e"})
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS | {"l", "s", "z", "f"}:
                bases.add(stem[:-1])  # banned -> ban
    return bases


def _forms(base: str) -> set[str]:
    """The regular inflections of `base`."""
    if base.endswith("y") and base[-2] not in _VOWELS:
        return {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    forms = {base + "es" if base.endswith(_SIBILANT_ENDINGS) else base + "s"}
    if base.endswith("e"):
        return forms | {base + "d", base[:-1] + "ing"}
    forms |= {base + "ed", base + "ing"}
    if _short_closed_syllable(base):
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}  # ban -> banned, banning
    return forms


def _short_closed_syllable(base: str) -> bool:
    """Consonant, vowel, consonant at the end of a one-syllable word: its consonant doubles."""
    if len(base) > 4 or base[-1] in _VOWELS | {"w", "x", "y"}:
        return False
    return base[-2] in _VOWELS and base[-3] not in _VOWELS and sum(char in _VOWELS for char in base) == 1
