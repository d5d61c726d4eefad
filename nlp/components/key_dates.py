"""The `radar_dates` component: key dates with their kind (see nlp/dates/)."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.terms import ITEM, doc_text
from nlp.dates import DateExtractor

DATES = "radar.dates"


class KeyDateFinder:
    def __init__(self, extractor: DateExtractor):
        self.extractor = extractor

    def __call__(self, doc: Doc) -> Doc:
        item = doc.user_data.get(ITEM)
        doc.user_data[DATES] = self.extractor.extract(doc_text(doc), getattr(item, "published", None))
        return doc


@Language.factory("radar_dates", default_config={"data_dir": None})
def make_key_date_finder(nlp: Language, name: str, data_dir: str) -> KeyDateFinder:
    return KeyDateFinder(DateExtractor.load(str(nlp.lang), Path(data_dir)))
