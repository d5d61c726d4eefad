"""Load the tagger's data files (gazetteers, lexicons) into typed records.

The formats are described in `nlp/data/README.md`. Loading is explicit: nothing is read
until a caller asks, and a bad line raises DataError naming its file and line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DEFAULT_DATA_DIR = Path(__file__).parent / "data"
LANGUAGES = ("en", "id", "ms", "th", "vi", "ja", "ko", "zh", "tl", "hi")

PLACE_KINDS = frozenset({"country", "region", "city"})
ACTOR_KINDS = frozenset(
    {
        "regulator",
        "ministry",
        "legislature",
        "court",
        "police",
        "agency",
        "party",
        "ngo",
        "platform",
        "company",
        "media",
        "intergovernmental",
        "person",
    }
)
ENTITY_KINDS = PLACE_KINDS | ACTOR_KINDS | {"law"}
# Acronyms like IMDA or PTA are read with their exact case, so "pta" in a URL or "Pta" never match.
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{0,6}$")


def is_acronym(form: str) -> bool:
    """Acronyms (IMDA, PTA, BOSE) are matched with their exact case."""
    return bool(_ACRONYM.match(form))


class DataError(ValueError):
    """A data file that cannot be read, with its path and line."""


@dataclass(frozen=True)
class Entity:
    """A named place, organisation, law or person from the gazetteer."""

    name: str
    kind: str
    jurisdiction: str | None
    candidates: tuple[str, ...]
    aliases: tuple[str, ...]
    case_sensitive: frozenset[str]
    context: tuple[str, ...]
    role: str | None = None

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def is_exact_case(self, form: str) -> bool:
        return form in self.case_sensitive or is_acronym(form)

    @property
    def is_stakeholder(self) -> bool:
        return self.kind in ACTOR_KINDS


@dataclass(frozen=True)
class Cue:
    """A lexicon pattern that speaks for (or, with a negative weight, against) a label."""

    label: str
    pattern: str
    weight: float


def read_jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield (line number, object) for each data line; comments start with //."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("//"):
                continue
            try:
                obj = json.loads(stripped)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise DataError(f"{path}:{number}: expected a JSON object")
            yield number, obj


def _entity(path: Path, number: int, obj: dict) -> Entity:
    where = f"{path}:{number}"
    name, kind = obj.get("name"), obj.get("kind")
    if not isinstance(name, str) or not name.strip():
        raise DataError(f"{where}: 'name' must be a non-empty string")
    if kind not in ENTITY_KINDS:
        raise DataError(f"{where}: 'kind' {kind!r} is not one of {sorted(ENTITY_KINDS)}")
    aliases = obj.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise DataError(f"{where}: 'aliases' must be a list of non-empty strings")
    candidates = tuple(obj.get("candidates", ()))
    if "jurisdiction" in obj:
        jurisdiction = obj["jurisdiction"]
    elif candidates:
        jurisdiction = None
    elif path.stem.isupper():
        jurisdiction = path.stem
    else:
        raise DataError(f"{where}: lines in {path.name} must set 'jurisdiction' (null for none)")
    return Entity(
        name=name.strip(),
        kind=kind,
        jurisdiction=jurisdiction,
        candidates=candidates,
        aliases=tuple(dict.fromkeys(a.strip() for a in aliases if a.strip() != name.strip())),
        case_sensitive=frozenset(obj.get("case_sensitive", ())),
        context=tuple(c.lower() for c in obj.get("context", ())),
        role=obj.get("role"),
    )


@cache
def load_gazetteer(data_dir: Path = DEFAULT_DATA_DIR) -> tuple[Entity, ...]:
    """Every entity of every `gazetteer/*.jsonl` file, in a stable order."""
    entities: list[Entity] = []
    for path in sorted((data_dir / "gazetteer").glob("*.jsonl")):
        entities.extend(_entity(path, number, obj) for number, obj in read_jsonl(path))
    return tuple(entities)


@cache
def load_cues(data_dir: Path, lang: str, filename: str, labels: frozenset[str]) -> tuple[Cue, ...]:
    """The cues of `<lang>/<filename>`; an unknown label is a DataError. Missing file: none."""
    path = data_dir / lang / filename
    if not path.exists():
        return ()
    cues = []
    for number, obj in read_jsonl(path):
        label, pattern, weight = obj.get("id"), obj.get("pattern"), obj.get("weight", 1)
        if label not in labels:
            raise DataError(f"{path}:{number}: unknown id {label!r}")
        if not isinstance(pattern, str) or not pattern.strip():
            raise DataError(f"{path}:{number}: 'pattern' must be a non-empty string")
        if not isinstance(weight, int | float) or isinstance(weight, bool):
            raise DataError(f"{path}:{number}: 'weight' must be a number")
        cues.append(Cue(label=label, pattern=pattern.strip(), weight=float(weight)))
    return tuple(cues)


class WordsLoader(yaml.SafeLoader):
    """A safe YAML loader that keeps on/off/yes/no as words: in YAML 1.1 they are booleans,
    and the data files list words such as "on", "On" and "No"."""


WordsLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
WordsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@cache
def load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=WordsLoader)
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise DataError(f"{path}: expected a mapping at the top level")
    return loaded


def load_context_cues(data_dir: Path, lang: str) -> dict[str, list[str]]:
    """The context words of `<lang>/context.yaml`, followed by the English ones."""
    merged: dict[str, list[str]] = {}
    for source in dict.fromkeys((lang, "en")):
        path = data_dir / source / "context.yaml"
        if path.exists():
            for key, words in load_yaml(path).items():
                merged.setdefault(key, []).extend(words)
    return merged


@dataclass(frozen=True)
class Taxonomy:
    """The shared label set: the API's vocabulary."""

    harm_areas: tuple[str, ...]
    doc_types: tuple[str, ...]

    @classmethod
    def load(cls, path: Path) -> Taxonomy:
        raw = load_yaml(path)
        return cls(harm_areas=tuple(raw["harm_areas"]), doc_types=tuple(raw["doc_types"]))
