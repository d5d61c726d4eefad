"""Build the tagger's spaCy pipeline for one language: a blank language, the project's
tokenizer where words are not spaced, and the project's components."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.attrs import LANG, LOWER
from spacy.language import Language

import nlp.components
import nlp.tokenizer  # noqa: F401  (registers the script tokenizer)

# Japanese, Chinese and Thai need a word segmenter and Korean a morphological analyser in
# spaCy's own pipelines; character tokens let phrase patterns match with no model at all.
SCRIPT_TOKENIZED = frozenset({"ja", "zh", "ko", "th"})
# Spaced Latin-script languages get a regular-expression tokenizer: spaCy's rule-based one costs
# three times as much on unseen words, and Vietnamese's own splits only on spaces without pyvi.
# Hindi keeps spaCy's, whose rules know Devanagari's vowel signs.
WORD_TOKENIZED = frozenset({"en", "id", "ms", "tl", "vi"})
TOKENIZER_CACHE_SIZE = 500_000
COMPONENTS = (
    "radar_terms",
    "radar_harm_areas",
    "radar_jurisdictions",
    "radar_doc_type",
    "radar_stakeholders",
    "radar_dates",
)


def build_pipeline(lang: str, data_dir: Path, taxonomy_path: Path) -> Language:
    """A blank `lang` pipeline with the tagger's components, reading rules from `data_dir`."""
    config: dict = {}
    if lang in SCRIPT_TOKENIZED:
        config = {"nlp": {"tokenizer": {"@tokenizers": "radar.ScriptTokenizer.v1"}}}
    elif lang in WORD_TOKENIZED:
        config = {"nlp": {"tokenizer": {"@tokenizers": "radar.WordTokenizer.v1"}}}
    pipeline = spacy.blank(lang, config=config)
    if hasattr(pipeline.tokenizer, "max_cache_size"):
        # spaCy's tokenizer caches at most 10,000 chunks and then caches nothing: the gazetteer's
        # patterns alone fill that, and a crawl's vocabulary soon would, making it ten times slower.
        pipeline.tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE
    # Each new word's lexeme computes every lexical attribute (shape, stop word, like_num...)
    # in Python; the components read only the text and its lower case (and spaCy the language).
    vocab = pipeline.vocab
    getters = vocab.lex_attr_getters  # type: ignore[attr-defined]  # public in Vocab, absent from its stub
    vocab.lex_attr_getters = {attr: getters[attr] for attr in (LANG, LOWER) if attr in getters}  # type: ignore[attr-defined]
    data = {"data_dir": str(data_dir)}
    pipeline.add_pipe("radar_terms", config={**data, "taxonomy": str(taxonomy_path)})
    pipeline.add_pipe("radar_harm_areas", config=data)
    pipeline.add_pipe("radar_jurisdictions", config=data)
    pipeline.add_pipe("radar_doc_type", config=data)
    pipeline.add_pipe("radar_stakeholders", config=data)
    pipeline.add_pipe("radar_dates", config=data)
    return pipeline
