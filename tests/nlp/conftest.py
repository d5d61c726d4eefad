from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nlp.items import ItemIn
from nlp.resources import DEFAULT_DATA_DIR
from nlp.tagger import Tagger


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    """The real tagger on the shipped data."""
    return Tagger()


def item(text: str, title: str = "", **fields) -> ItemIn:
    """An input item built from keyword fields, as `radar tag` would read it."""
    return ItemIn.from_json({"id": fields.pop("id", "t1"), "title": title, "text": text, **fields})


def write_data_dir(
    root: Path,
    gazetteer: dict[str, list[dict]] | None = None,
    cues: dict[str, dict[str, list[dict]]] | None = None,
) -> Path:
    """A data directory holding only the given gazetteer files and cue files, plus the
    shipped taxonomy, language profiles, context words and date rules."""
    data = root / "data"
    (data / "gazetteer").mkdir(parents=True)
    for name in ("taxonomy.yaml", "languages.yaml", "doc_type_priors.yaml"):
        shutil.copy(DEFAULT_DATA_DIR / name, data / name)
    for lang_dir in DEFAULT_DATA_DIR.iterdir():
        if lang_dir.is_dir() and lang_dir.name != "gazetteer":
            (data / lang_dir.name).mkdir()
            for keep in ("context.yaml", "dates.yaml", "stakeholders.yaml"):
                if (lang_dir / keep).exists():
                    shutil.copy(lang_dir / keep, data / lang_dir.name / keep)
    for filename, entries in (gazetteer or {}).items():
        (data / "gazetteer" / filename).write_text(_jsonl(entries), encoding="utf-8")
    for lang, files in (cues or {}).items():
        (data / lang).mkdir(exist_ok=True)
        for filename, entries in files.items():
            (data / lang / filename).write_text(_jsonl(entries), encoding="utf-8")
    return data


def _jsonl(entries: list[dict]) -> str:
    return "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries)
