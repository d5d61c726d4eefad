"""Tag items: route each to its language's pipeline and collect the components' results."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.doc_type import DOC_TYPE
from nlp.components.harm_areas import HARM_AREAS
from nlp.components.jurisdictions import JURISDICTIONS
from nlp.components.key_dates import DATES
from nlp.components.stakeholders import STAKEHOLDERS
from nlp.components.terms import ITEM, TEXT, TITLE_END
from nlp.items import ItemIn, KeyDate, TaggedItem
from nlp.language import LanguageIdentifier, is_supported
from nlp.pipeline import build_pipeline
from nlp.resources import DEFAULT_DATA_DIR

# Items are a few thousand characters; past this a page is junk or a dump, and the opening
# says what it is about. Longer texts are cut, and the evidence says so.
MAX_CHARS = 100_000
TITLE_SEPARATOR = "\n\n"
# spaCy's vocabulary keeps every string it has seen, so a long run's memory grows with each
# new name and number; past this many strings a pipeline is built afresh (about half a second).
MAX_STRINGS = 250_000


class Tagger:
    """The tagger. Pipelines are built on first use of each language and then kept."""

    def __init__(self, data_dir: Path = DEFAULT_DATA_DIR, taxonomy_path: Path | None = None):
        self.data_dir = data_dir
        self.taxonomy_path = taxonomy_path or data_dir / "taxonomy.yaml"
        self.identifier = LanguageIdentifier.load(data_dir)
        self._pipelines: dict[str, Language] = {}
        self.max_strings = MAX_STRINGS

    def pipeline(self, lang: str) -> Language:
        if lang not in self._pipelines:
            self._pipelines[lang] = build_pipeline(lang, self.data_dir, self.taxonomy_path)
        return self._pipelines[lang]

    def tag(self, item: ItemIn) -> TaggedItem:
        [result] = self.tag_many([item])  # run the generator to its end, upkeep included
        return result

    def tag_many(self, items: Iterable[ItemIn], batch_size: int = 256) -> Iterator[TaggedItem]:
        """Tag items in order; each batch is split by language and piped through spaCy."""
        iterator = iter(items)
        while batch := list(islice(iterator, batch_size)):
            docs: list[Doc] = []
            by_language: dict[str, list[int]] = {}
            for index, item in enumerate(batch):
                lang, reason = self._language(item)
                by_language.setdefault(lang, []).append(index)
                docs.append(self._make_doc(self.pipeline(lang), item, reason))
            for lang, indexes in by_language.items():
                piped = self.pipeline(lang).pipe((docs[i] for i in indexes), batch_size=batch_size)
                for index, doc in zip(indexes, piped, strict=True):
                    docs[index] = doc
            for item, doc in zip(batch, docs, strict=True):
                yield _result(item, doc)
            del docs
            self._drop_swollen_pipelines()

    def _drop_swollen_pipelines(self) -> None:
        for lang, pipeline in list(self._pipelines.items()):
            if len(pipeline.vocab.strings) > self.max_strings:
                del self._pipelines[lang]

    def _language(self, item: ItemIn) -> tuple[str, str]:
        if item.lang and is_supported(item.lang.lower()):
            return item.lang.lower(), "given by the source"
        guess = self.identifier.identify(f"{item.title}\n{item.text}")
        if item.lang:
            return guess.language, f"{item.lang!r} is not a language the tagger reads; {guess.reason}"
        return guess.language, guess.reason

    def _make_doc(self, pipeline: Language, item: ItemIn, language_reason: str) -> Doc:
        title = " ".join(item.title.split())
        text = f"{title}{TITLE_SEPARATOR}{item.text}" if title else item.text
        truncated = len(text) > MAX_CHARS
        doc = pipeline.make_doc(text[:MAX_CHARS])
        doc.user_data[TEXT] = text[:MAX_CHARS]
        doc.user_data[ITEM] = item
        doc.user_data[TITLE_END] = len(title)
        doc.user_data["radar.notes"] = {
            "language": language_reason,
            **({"truncated_at": MAX_CHARS} if truncated else {}),
        }
        return doc


def _result(item: ItemIn, doc: Doc) -> TaggedItem:
    harms = doc.user_data[HARM_AREAS]
    places = doc.user_data[JURISDICTIONS]
    doc_type = doc.user_data[DOC_TYPE]
    dates = doc.user_data[DATES]
    stakeholders = doc.user_data[STAKEHOLDERS]
    return TaggedItem(
        id=item.id,
        language=doc.lang_,
        harm_areas=harms.labels,
        jurisdictions=places.about,
        mentioned_jurisdictions=places.mentioned,
        doc_type=doc_type.label,
        stakeholders=stakeholders,
        dates=[KeyDate(d.date, d.kind, d.text) for d in dates],
        evidence={
            **doc.user_data["radar.notes"],
            "harm_areas": harms.evidence,
            "jurisdictions": places.evidence,
            "doc_type": doc_type.evidence,
            "dates": {d.date.isoformat(): d.cue or "" for d in dates},
        },
    )
