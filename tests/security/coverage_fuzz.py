"""Coverage-guided fuzzing with atheris (libFuzzer for Python), beside the hypothesis properties of
this folder: those run the same cases in every `make test`; these search for new ones, as long as
they are given, steered by the lines each input reaches.

    make fuzz                                              # each target for FUZZ_SECONDS (60)
    .venv/bin/python -m tests.security.coverage_fuzz feed -max_total_time=600 -jobs=2

A target fails only on an exception other than its input's documented refusal (QueryError,
FeedError); libFuzzer then writes the input to .fuzz/<target>/crash-<sha1> and stops, and
`python -m tests.security.coverage_fuzz <target> .fuzz/<target>/crash-...` runs it again. The
corpus a run grows stays in .fuzz/<target>/corpus for the next. The seeds are the real documents
the hypothesis tests damage. tests/security/test_fuzz_targets.py runs every target on its seeds
in `make test`, so none rots between fuzzing runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.dates import DateExtractor

# The project's modules are imported in the functions below, not here: `main` imports them first
# under atheris' instrumentation, which sees only modules imported after it begins. The parsers
# the crawlers hand pages to are instrumented too: that is where coverage steers the inputs. One
# module is left out: atheris 2.3's rewriting of nlp/dates/extractor.py's scan loop on Python 3.11
# calls None (TypeError on the first input, in code that runs fine uninstrumented).
INSTRUMENTED = ["crawlers", "index", "nlp", "feedparser", "trafilatura", "pypdf"]
NOT_INSTRUMENTED = ["nlp.dates.extractor"]
TARGET_MODULES = ["crawlers.articles", "crawlers.feeds", "index.search.query", "nlp.dates"]
ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".fuzz"
TODAY = dt.date(2025, 6, 1)


@dataclass(frozen=True)
class Target:
    run: Callable[[bytes], None]
    seeds: Callable[[], list[bytes]]


def text_of(data: bytes) -> str:
    """Bytes as text the way a request or a document can carry it: invalid UTF-8 becomes lone
    surrogates, which tantivy and spaCy once crashed on."""
    return data.decode("utf-8", "surrogateescape")


def query(data: bytes) -> None:
    from index.records import QueryError
    from index.search.query import parse_query

    with contextlib.suppress(QueryError):
        parse_query(text_of(data))


def feed(data: bytes) -> None:
    from crawlers.feeds import FeedError, parse_feed

    with contextlib.suppress(FeedError):
        parse_feed(data, "https://regulator.example/feed.xml", today=TODAY)


def article(data: bytes) -> None:
    """The first byte chooses how the page was served: as HTML, as a PDF, or with no type."""
    from crawlers.articles import extract_article

    content_type = ("text/html", "application/pdf", "")[data[0] % 3] if data else "text/html"
    extract_article(data[1:], "https://regulator.example/news/1", content_type)


@cache
def languages() -> list[str]:
    """The languages with date words (nlp/data/<lang>/dates.yaml)."""
    from nlp.resources import DEFAULT_DATA_DIR

    return sorted(path.parent.name for path in DEFAULT_DATA_DIR.glob("*/dates.yaml"))


@cache
def extractor(lang: str) -> DateExtractor:
    from nlp.dates import DateExtractor
    from nlp.resources import DEFAULT_DATA_DIR

    return DateExtractor.load(lang, DEFAULT_DATA_DIR)


def dates(data: bytes) -> None:
    """The first byte chooses the language."""
    if data:
        extractor(languages()[data[0] % len(languages())]).extract(text_of(data[1:]), TODAY)


def query_seeds() -> list[bytes]:
    return [b'age assurance country:AU -"social media"', b"(scam* OR fraud) AND harm:scams", "딥페이크 規制".encode()]


def feed_seeds() -> list[bytes]:
    from tests.crawlers import feed_fixtures as feeds

    return [feeds.RSS2, feeds.RSS1, feeds.ATOM, feeds.JSON_FEED, feeds.SHIFT_JIS]


def article_seeds() -> list[bytes]:
    from tests.crawlers.test_crawl import ARTICLE
    from tests.crawlers.test_families import pdf

    return [b"\x00" + ARTICLE, b"\x01" + pdf("Consultation paper on online safety")]


def dates_seeds() -> list[bytes]:
    texts = {
        "en": "Submissions close on 30 January 2026; the code commences on 1 March.",
        "ja": "意見募集は2026年1月30日まで",
        "th": "ปิดรับฟังความคิดเห็นวันที่ 30 ม.ค. 2569",
        "id": "Konsultasi publik ditutup pada 30 Januari 2026",
    }
    return [bytes([languages().index(lang)]) + text.encode() for lang, text in texts.items()]


TARGETS = {
    "query": Target(query, query_seeds),
    "feed": Target(feed, feed_seeds),
    "article": Target(article, article_seeds),
    "dates": Target(dates, dates_seeds),
}


def main(argv: list[str]) -> None:
    import atheris  # installed by `make fuzz` (requirements-fuzz.lock); imported here so the tests need it not

    with atheris.instrument_imports(include=INSTRUMENTED, exclude=NOT_INSTRUMENTED):
        for module in TARGET_MODULES:
            importlib.import_module(module)
    name, *options = argv
    target = TARGETS[name]
    work = WORK / name
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(target.seeds()):
        (corpus / f"seed-{number}").write_bytes(seed)
    runs_files = any(not option.startswith("-") for option in options)  # re-running crash files
    libfuzzer = [sys.argv[0], f"-artifact_prefix={work}/", *options, *([] if runs_files else [str(corpus)])]
    atheris.Setup(libfuzzer, target.run)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv[1:])
