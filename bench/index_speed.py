"""Store, index and search speed and memory: `make bench` (after the tagger's figures).

Issue 3's targets, on synthetic items (a generator below: 600-word items drawn from a Zipf-like
vocabulary of policy words, places, regulators and filler, some Chinese, Japanese and Korean
items, titles, sources, dates over 2019-2026, and about 5% near-duplicate copies):

1. ingest end to end (tag, store, index; the real Tagger, SQLite, tantivy): >= 500 items/s;
2. search: p95 <= 20 ms for ranked top-20 queries with all facets at 1,000,000 items;
   index size on disk;
3. reindex of 1,000,000 items in <= 5 minutes; ingest and reindex within 1 GB resident memory,
   flat as the input grows.

Figures are medians over several runs (these machines are shared and noisy); nothing here is
asserted. Engines are opened as `radar` opens them (`radar.engines`), in a temporary directory;
memory is each child process's own peak (VmHWM), with its anonymous and file-backed parts (the
index files tantivy maps) sampled apart, and for ingest the peak with its tagging process
added. When ingest is below its target, a cProfile of it goes to
bench/results/ingest-profile.txt. RADAR_BENCH_ITEMS sets the search index's size (default
200,000), RADAR_BENCH_REINDEX_ITEMS the store's for the reindex (default 100,000),
RADAR_BENCH_INGEST_LONG the longer ingest's (default 20,000), and
RADAR_BENCH_PARTS which parts run (default "ingest,search,reindex"). The figures also go to
bench/results/index_speed.json (index_speed-<parts>.json for a subset); the work files to a
temporary directory (TMPDIR), removed at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import operator
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from index.records import SearchQuery, StoredItem
    from radar.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

# --- synthetic items ---------------------------------------------------------------------------

WORDS = 600
START, END = dt.date(2019, 1, 1), dt.date(2026, 12, 31)
DUPLICATE_SHARE = 0.05
CJK_SHARE = 0.06  # zh, ja and ko in equal parts
TOPIC_SHARE = 0.04  # of an item's words: a phrase about its own places and harms


def _words(paragraph: str) -> list[str]:
    """The words of a paragraph (which reads better than a column of quoted words)."""
    return paragraph.split()


def _terms(listing: str) -> tuple[str, ...]:
    """Words and phrases, separated by commas."""
    return tuple(listing.split(", "))


FILLER = _words(
    "the of and to in a is that for on with as by was it be are this from at or has have an which not will "
    "its their they said also more been who but would can than other after new about over under all were into "
    "one two three first last year years week month people time some such may must should could these those "
    "when where while there then so if no any each many most before between during against including across "
    "within without per cent number part public government national local state federal official officials "
    "plan plans work made make take took says told added according recent recently further following because "
    "how what why his her he she we our us them here out up only just still even well very much less least "
    "major key early late high low large small long short next previous second third four five ten hundred "
    "thousand million group groups members country countries region world issue issues case cases move "
    "changes change system systems process support access information use used using need needs risk risks "
    "called calls set sets come comes came see seen known given give gave found find show shows shown"
)
# Words of the policy beat, in every kind of item.
POLICY = _words(
    "online safety platform platforms social media regulator minister ministry commission commissioner "
    "parliament bill law act code codes standard rules regulation regulations guidance consultation "
    "submissions enforcement fine penalty penalties notice order orders compliance audit transparency "
    "accountability children privacy data protection content harmful illegal users accounts providers "
    "services messaging search engines app stores advertising ads cybersecurity telecommunications digital "
    "internet algorithm algorithms video images police court judge ruling appeal investigation prosecution "
    "draft amendment framework industry companies tech Meta Google TikTok YouTube Telegram WhatsApp "
    "Facebook Instagram operators licence licensing registration obligations duty care risk-based review "
    "inquiry committee senate hearing submission deadline comment stakeholders civil society researchers "
    "survey study findings annual"
)
# Words and phrases of each harm area, in the items about it (TOPIC_SHARE of their words, with
# the names of their places): real items are topical, so a harm's words cluster in its items.
HARM_TERMS = {
    "child_safety": _terms(
        "children, child, minors, teens, grooming, sextortion, exploitation, abuse, "
        "age assurance, age verification, child sexual abuse material, minimum age"
    ),
    "scams_fraud": _terms(
        "scam, scams, scammers, fraud, phishing, victims, banks, losses, "
        "online scams, scam calls, investment fraud, scam ads"
    ),
    "privacy_data": _terms(
        "privacy, personal, consent, breach, leaked, surveillance, "
        "personal data protection, data breach, privacy law, data localisation"
    ),
    "ai_synthetic_media": _terms(
        "deepfake, deepfakes, AI, generative, synthetic, chatbot, "
        "generative AI, AI-generated content, synthetic media, artificial intelligence"
    ),
    "misinformation": _terms(
        "misinformation, disinformation, falsehoods, hoax, "
        "fake news, disinformation campaigns, false information, fact-checking"
    ),
    "hate_speech": _terms("hate, hateful, religious, ethnic, incitement, hate speech, religious hatred"),
    "gambling": _terms("gambling, betting, casino, bets, online gambling, betting ads, illegal gambling sites"),
    "violent_extremism": _terms(
        "terrorist, terrorism, extremist, extremism, radicalisation, violent extremist content, terrorist content"
    ),
    "harassment_bullying": _terms("cyberbullying, harassment, doxxing, trolls, online harassment, cyber abuse"),
    "elections": _terms(
        "election, elections, candidates, voters, campaign, polls, "
        "election integrity, political advertising, electoral commission"
    ),
    "platform_regulation": _terms(
        "takedown, blocking, intermediary, liability, licensing, "
        "Online Safety Act, intermediary liability, takedown orders, codes of practice"
    ),
    "sexual_content": _terms("pornography, intimate, explicit, non-consensual intimate images, image-based abuse"),
    "illegal_goods": _terms(
        "drugs, counterfeit, weapons, trafficking, illegal drugs sold online, counterfeit goods, wildlife trafficking"
    ),
    "self_harm_suicide": _terms("suicide, self-harm, distress, self-harm content, suicide prevention"),
}
PLACES = {
    "AU": ("Australia", "Australian", "eSafety Commissioner", "Canberra", "Julie Inman Grant"),
    "SG": ("Singapore", "IMDA", "Infocomm Media Development Authority", "Ministry of Digital Development"),
    "MY": ("Malaysia", "Malaysian", "MCMC", "Malaysian Communications and Multimedia Commission"),
    "ID": ("Indonesia", "Indonesian", "Kominfo", "Jakarta"),
    "PH": ("Philippines", "Philippine", "Manila", "National Privacy Commission"),
    "TH": ("Thailand", "Thai", "Bangkok"),
    "VN": ("Vietnam", "Vietnamese", "Hanoi"),
    "JP": ("Japan", "Japanese", "Tokyo"),
    "KR": ("South Korea", "Korean", "Seoul", "Korea Communications Commission"),
    "CN": ("China", "Chinese", "Beijing", "Cyberspace Administration of China"),
    "HK": ("Hong Kong", "Privacy Commissioner for Personal Data"),
    "TW": ("Taiwan", "Taipei"),
    "IN": ("India", "Indian", "New Delhi", "MeitY"),
    "PK": ("Pakistan", "Pakistani", "Islamabad"),
    "NZ": ("New Zealand", "Wellington"),
}
DATE_PHRASES = ("takes effect on 1 July 2025", "submissions close on 30 June 2024", "from 10 December 2025")
# Chinese, Japanese and Korean items: words of each, drawn the same Zipf-like way (characters
# are the index's tokens, so these items are long in tokens as Asian-language items are).
CJK = {
    "zh": _words(
        "的 是 在 了 和 有 对 将 与 为 等 中 上 不 这 也 已 并 其 要 网络 平台 监管 部门 用户 信息 安全 "
        "个人信息 保护 法律 规定 未成年人 诈骗 电信诈骗 深度伪造 人工智能 生成式人工智能 内容 管理 办法 "
        "征求意见 国家互联网信息办公室 中国 北京 香港 台湾 网信办 治理 违法 处罚 整改 数据 算法 推荐 "
        "直播 短视频 谣言 网络暴力 赌博 儿童 家长 学校 企业 公司 发布 通知 实施 要求 加强 开展"
    ),
    "ja": _words(
        "の は を に が で と も た です ます する した こと ため 政府 総務省 個人情報保護委員会 日本 東京 "
        "プラットフォーム 事業者 利用者 情報 安全 個人情報 保護 法律 規制 青少年 詐欺 特殊詐欺 ディープフェイク "
        "人工知能 生成AI コンテンツ 削除 投稿 誹謗中傷 偽情報 対策 検討会 意見募集 ガイドライン 改正 施行 "
        "企業 発表 報告書 調査 子ども 保護者 学校 広告 選挙 違法 有害"
    ),
    "ko": _words(
        "정부는 정부가 방송통신위원회 개인정보보호위원회 한국 서울 플랫폼 플랫폼은 사업자 이용자 정보 안전 "
        "개인정보 보호 법률 규제 청소년 사기 보이스피싱 딥페이크 인공지능 생성형 콘텐츠 삭제 게시물 "
        "허위정보 가짜뉴스 대책 의견 수렴 가이드라인 개정안 시행 기업 발표 보고서 조사 아동 학부모 학교 "
        "광고 선거 불법 유해 있다 했다 밝혔다 위해 대한 따라 등 및 또한 이번 지난 오는 올해"
    ),
}
SOURCES = (
    *(("eSafety Commissioner", "regulator", "esafety.gov.au"), ("IMDA", "regulator", "imda.gov.sg")),
    *(("MCMC", "regulator", "mcmc.gov.my"), ("Komdigi", "ministry", "komdigi.go.id")),
    *(("NPC Philippines", "regulator", "privacy.gov.ph"), ("MeitY", "ministry", "meity.gov.in")),
    *(("PIPC", "regulator", "pipc.go.kr"), ("CAC", "regulator", "cac.gov.cn")),
    *(
        ("Australian Parliament", "legislature", "aph.gov.au"),
        ("Parliament of Singapore", "legislature", "parl.gov.sg"),
    ),
    *(("High Court", "court", "courts.example.org"), ("Reset Tech", "ngo", "reset.tech")),
    *(("Digital Rights Watch", "ngo", "digitalrightswatch.org.au"), ("DIGI", "industry", "digi.org.au")),
    *(("Asia Internet Coalition", "industry", "aicasia.org"), ("ASEAN", "intergovernmental", "asean.org")),
    *(("Reuters", "news", "reuters.com"), ("The Straits Times", "news", "straitstimes.com")),
    *(("ABC News", "news", "abc.net.au"), ("Nikkei Asia", "news", "asia.nikkei.com")),
    *(("Korea Herald", "news", "koreaherald.com"), ("South China Morning Post", "news", "scmp.com")),
    *(("Jakarta Post", "news", "thejakartapost.com"), ("Rappler", "news", "rappler.com")),
    *(("The Hindu", "news", "thehindu.com"), ("Dawn", "news", "dawn.com")),
)
DOC_TYPES = ("news", "news", "news", "statement", "guidance", "regulation", "legislation", "consultation", "report")
STAKEHOLDERS = (
    *("eSafety Commissioner", "Infocomm Media Development Authority", "Malaysian Communications and Multimedia"),
    *("Kominfo", "National Privacy Commission", "Korea Communications Commission", "Meta", "Google", "TikTok"),
    *("Cyberspace Administration of China", "Julie Inman Grant", "Parliament", "Supreme Court", "Telegram"),
)


def _pseudo_words(count: int, seed: int) -> list[str]:
    """`count` distinct made-up words (names, places, jargon: the long tail of a real crawl)."""
    rng = random.Random(seed)
    onsets, vowels, codas = _words("b c d f g h j k l m n p r s t v w y z br ch kr pl sh st tr"), "aeiou", "nrstlmk"
    words: set[str] = set()
    while len(words) < count:
        syllables = [rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4))]
        words.add("".join(syllables) + (rng.choice(codas) if rng.random() < 0.5 else ""))
    return sorted(words)


@dataclass(frozen=True)
class Vocabulary:
    """Words by rank, and their Zipf-like cumulative weights (weight of rank r ~ 1/(r + 2.7)^1.1)."""

    words: tuple[str, ...]
    cumulative: np.ndarray

    @classmethod
    def of(cls, head: list[str], tail: list[str]) -> Vocabulary:
        words = (*head, *tail)
        weights = 1.0 / (np.arange(1, len(words) + 1) + 2.7) ** 1.1
        return cls(words, np.cumsum(weights) / weights.sum())

    def sample(self, rng: np.random.Generator, count: int) -> np.ndarray:
        return np.minimum(np.searchsorted(self.cumulative, rng.random(count)), len(self.words) - 1)


def english_vocabulary() -> Vocabulary:
    """Filler first, policy words spread among the rest of the filler, then 50,000 rarer words
    (39% of an item's words; the rarest is in about one item in 1,400)."""
    head = FILLER[:40]
    rest, policy = FILLER[40:], POLICY
    for index in range(max(len(rest), len(policy))):
        head += rest[index : index + 1] + policy[index : index + 1]
    return Vocabulary.of(head, _pseudo_words(50_000, seed=11))


@dataclass(frozen=True)
class Item:
    """A synthetic crawled item with the tags a tagger could have given it."""

    url: str
    title: str
    text: str
    language: str
    published: dt.date
    source: str
    source_kind: str
    jurisdictions: tuple[str, ...]
    mentioned: tuple[str, ...]
    harm_areas: tuple[str, ...]
    doc_type: str
    stakeholders: tuple[str, ...]
    copy_of: str | None  # the URL of the item it is a near-duplicate of

    def ingest_json(self) -> dict[str, str]:
        """The line `radar ingest` reads (no language: the tagger finds it)."""
        return {
            "url": self.url,
            "title": self.title,
            "text": self.text,
            "published": self.published.isoformat(),
            "source": self.source,
            "source_kind": self.source_kind,
        }


class ItemGenerator:
    """Synthetic items, the same for the same seed, made one at a time (a million fit in no memory)."""

    def __init__(self, seed: int = 3) -> None:
        self.rng = np.random.default_rng(seed)
        self.random = random.Random(seed)
        self.english = english_vocabulary()
        self.cjk = {lang: Vocabulary.of(words, []) for lang, words in CJK.items()}
        self.recent: list[Item] = []  # what a near-duplicate copies from
        self.days = (END - START).days

    def items(self, count: int) -> Iterator[Item]:
        for number in range(count):
            yield self.item(number)

    def item(self, number: int) -> Item:
        roll = self.random.random()
        if roll < DUPLICATE_SHARE and self.recent:
            item = self._copy(number, self.random.choice(self.recent))
        elif roll < DUPLICATE_SHARE + CJK_SHARE:
            item = self._cjk(number, self.random.choice(tuple(CJK)))
        else:
            item = self._english(number)
        if number % 7 == 0:
            self.recent = [*self.recent[-499:], item]
        return item

    def _english(self, number: int) -> Item:
        rng, pick = self.rng, self.random
        places = tuple(pick.sample(tuple(PLACES), pick.choice((1, 1, 1, 2))))
        harms = tuple(pick.sample(tuple(HARM_TERMS), pick.choice((0, 1, 1, 1, 2, 2, 3))))
        topic = [name for code in places for name in PLACES[code]] + [p for h in harms for p in HARM_TERMS[h]]
        ranks = self.english.sample(rng, WORDS)
        words: list[str] = list(operator.itemgetter(*ranks)(self.english.words))
        for position in np.flatnonzero(rng.random(WORDS) < TOPIC_SHARE):
            words[position] = pick.choice(topic)
        if pick.random() < 0.3:
            words[pick.randrange(WORDS)] = pick.choice(DATE_PHRASES)
        title_words = list(operator.itemgetter(*self.english.sample(rng, pick.randint(5, 9)))(self.english.words))
        title_words.insert(pick.randrange(len(title_words)), pick.choice(topic))
        title = " ".join(title_words)
        return self._finish(number, "en", title[0].upper() + title[1:], _sentences(words, pick), places, harms)

    def _cjk(self, number: int, lang: str) -> Item:
        vocabulary = self.cjk[lang]
        words = list(operator.itemgetter(*vocabulary.sample(self.rng, WORDS))(vocabulary.words))
        joiner, stop = (" ", ".") if lang == "ko" else ("", "。")
        sentences, start = [], 0
        while start < len(words):
            end = start + self.random.randint(8, 20)
            sentences.append(joiner.join(words[start:end]) + stop)
            start = end
        title = joiner.join(operator.itemgetter(*vocabulary.sample(self.rng, 8))(vocabulary.words))
        place = {"zh": "CN", "ja": "JP", "ko": "KR"}[lang]
        return self._finish(number, lang, title, joiner.join(sentences), (place,), ())

    def _finish(
        self, number: int, lang: str, title: str, text: str, places: tuple[str, ...], harms: tuple[str, ...]
    ) -> Item:
        pick = self.random
        source, kind, domain = pick.choice(SOURCES)
        published = START + dt.timedelta(days=pick.randrange(self.days + 1))
        others = tuple(code for code in pick.sample(tuple(PLACES), pick.choice((0, 0, 1, 2))) if code not in places)
        return Item(
            url=f"https://{domain}/{published.year}/{number}-{hashlib.md5(title.encode()).hexdigest()[:8]}",
            title=title,
            text=text,
            language=lang,
            published=published,
            source=source,
            source_kind=kind,
            jurisdictions=places,
            mentioned=others,
            harm_areas=harms,
            doc_type=pick.choice(DOC_TYPES),
            stakeholders=tuple(pick.sample(STAKEHOLDERS, pick.choice((0, 1, 2, 3)))),
            copy_of=None,
        )

    def _copy(self, number: int, original: Item) -> Item:
        """Another outlet's copy: one word in 25 replaced, a line added, its own URL and source."""
        pick = self.random
        joiner = "" if original.language in ("zh", "ja") else " "
        words = original.text.split(" ") if joiner else list(original.text)
        replacements = CJK[original.language][:10] if original.language in CJK else FILLER
        for index in range(pick.randrange(25), len(words), 25):
            words[index] = pick.choice(replacements)
        source, kind, domain = pick.choice(SOURCES)
        return Item(
            **{
                **original.__dict__,
                "url": f"https://{domain}/{original.published.year}/{number}-copy",
                "text": joiner.join(words) + joiner + "Reporting by staff.",
                "source": source,
                "source_kind": kind,
                "copy_of": original.copy_of or original.url,
            }
        )


def _sentences(words: list[str], pick: random.Random) -> str:
    """Words in sentences of 8 to 24 words: the first capitalised, a full stop at the end."""
    sentences, start = [], 0
    while start < len(words):
        end = start + pick.randint(8, 24)
        sentence = " ".join(words[start:end])
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        start = end
    return " ".join(sentences)


def stored_item(item: Item) -> StoredItem:
    """The record the store would hold for `item` (its tags as generated, not tagged)."""
    from index.records import StoredItem
    from index.store.content import content_hash
    from index.store.urls import canonical_url, item_id

    published = dt.datetime.combine(item.published, dt.time(9, 30), tzinfo=dt.UTC)
    item_key = item_id(item.url)
    return StoredItem(
        id=item_key,
        url=canonical_url(item.url),
        title=item.title,
        text=item.text,
        language=item.language,
        source=item.source,
        source_kind=item.source_kind,
        published_at=published,
        fetched_at=published + dt.timedelta(hours=6),
        content_hash=content_hash(item.title, item.text),
        harm_areas=item.harm_areas,
        jurisdictions=item.jurisdictions,
        mentioned_jurisdictions=item.mentioned,
        doc_type=item.doc_type,
        stakeholders=item.stakeholders,
        dates=({"date": item.published.isoformat(), "kind": "event", "text": "on the day"},),
        evidence={"harm_areas": {harm: [HARM_TERMS[harm][-1]] for harm in item.harm_areas}},
        story_id=item_id(item.copy_of) if item.copy_of else item_key,
    )


def write_ingest_lines(path: Path, count: int, seed: int = 3) -> Path:
    """`count` items as the JSON Lines `radar ingest` reads."""
    with path.open("w", encoding="utf-8") as handle:
        for item in ItemGenerator(seed).items(count):
            handle.write(json.dumps(item.ingest_json(), ensure_ascii=False) + "\n")
    return path


# --- measuring -------------------------------------------------------------------------------


def memory_status(pid: int | str = "self") -> dict[str, float]:
    """A process's resident memory in MB from /proc/PID/status: VmHWM (its own peak; ru_maxrss
    would include the parent's from before exec), VmRSS (now), RssAnon (its own memory) and
    RssFile (mapped files)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmHWM", "VmRSS", "RssAnon", "RssFile")}


def child_pids() -> list[int]:
    found: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


class MemorySampler:
    """Peaks of RssAnon and RssFile, sampled every 50 ms on a thread: VmHWM counts the pages of
    the index files tantivy maps (page cache the kernel can reclaim) with the process's own
    memory, and these tell the two apart. `peak_all_mb` adds the resident memory of child
    processes (the tagging worker) to this one's."""

    def __init__(self) -> None:
        self.peaks = {"RssAnon": 0.0, "RssFile": 0.0, "all": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            own = memory_status()
            for name in ("RssAnon", "RssFile"):
                self.peaks[name] = max(self.peaks[name], own[name])
            children = 0.0
            for pid in child_pids():
                with contextlib.suppress(FileNotFoundError, KeyError):  # ended, or a zombie
                    children += memory_status(pid)["VmRSS"]
            self.peaks["all"] = max(self.peaks["all"], own["VmRSS"] + children)
            if self._stop.wait(0.05):
                return

    def figures(self) -> dict[str, float]:
        return {
            "peak_mb": memory_status()["VmHWM"],
            "peak_anon_mb": self.peaks["RssAnon"],
            "peak_file_mb": self.peaks["RssFile"],
            "peak_all_mb": self.peaks["all"],
        }


def child(*args: str, cgroup: Path | None = None) -> dict[str, Any]:
    """Run one of this module's child modes (see `CHILDREN`) in a fresh process; its JSON figures.
    With `cgroup`, the child runs in that (cgroup v1) memory group."""

    def join_group() -> None:
        if cgroup is not None:
            (cgroup / "cgroup.procs").write_text(str(os.getpid()))

    out = subprocess.run(
        [sys.executable, "-m", "bench.index_speed", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        preexec_fn=join_group if cgroup is not None else None,
    )
    if out.returncode != 0:
        if cgroup is not None:
            return {"failed": f"exit status {out.returncode}", "stderr": out.stderr[-2000:]}
        sys.exit(f"bench: child {args[0]} failed:\n{out.stderr}")
    return json.loads(out.stdout.splitlines()[-1])


CGROUP_MEMORY = Path("/sys/fs/cgroup/memory")


def memory_limited_group(limit_mb: int) -> Path | None:
    """A cgroup v1 memory group limited to `limit_mb` (page cache of mapped index files counts
    against it and is reclaimed at the limit; the kernel kills the child if its own memory
    does not fit), or None where this process may not make one."""
    group = CGROUP_MEMORY / f"radar-bench-{os.getpid()}"
    try:
        group.mkdir(exist_ok=True)
        (group / "memory.limit_in_bytes").write_text(str(limit_mb * 1024 * 1024))
        swap_too = group / "memory.memsw.limit_in_bytes"  # no swapping out instead of fitting
        if swap_too.exists():
            swap_too.write_text(str(limit_mb * 1024 * 1024))
    except OSError:
        return None
    return group


def limited_run(args: tuple[str, ...], limit_mb: int) -> dict[str, Any] | None:
    """`child(*args)` inside a memory limit of `limit_mb`: its figures, whether it completed,
    and the group's peak usage; None where no limit can be set."""
    group = memory_limited_group(limit_mb)
    if group is None:
        return None
    try:
        figures = child(*args, cgroup=group)
        figures["limit_mb"] = limit_mb
        figures["group_peak_mb"] = int((group / "memory.max_usage_in_bytes").read_text()) / 2**20
        control = dict(line.split() for line in (group / "memory.oom_control").read_text().splitlines())
        figures["oom_kills"] = int(control.get("oom_kill", 0))
        return figures
    finally:
        with contextlib.suppress(OSError):
            group.rmdir()


class Stopwatch:
    """Seconds spent in the methods of wrapped objects, by name (`store`, `index`, ...)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, target: object, name: str) -> object:
        watch = self

        class Timed:
            def __getattr__(self, attribute: str) -> object:
                found = getattr(target, attribute)
                if not callable(found):
                    return found

                def timed(*args: object, **kwargs: object) -> object:
                    began = time.perf_counter()
                    try:
                        return found(*args, **kwargs)
                    finally:
                        watch.add(name, time.perf_counter() - began)

                return timed

        return Timed()

    def iterate(self, values: Iterable[object], name: str) -> Iterator[object]:
        """`values`, with the time spent producing each one counted under `name`."""
        iterator = iter(values)
        while True:
            began = time.perf_counter()
            try:
                value = next(iterator)
            except StopIteration:
                return
            finally:
                self.add(name, time.perf_counter() - began)
            yield value

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


def median_of(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def memory_medians(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {key: median_of(runs, key) for key in ("peak_mb", "peak_anon_mb", "peak_file_mb", "peak_all_mb")}


def memory_text(figures: dict[str, Any]) -> str:
    return (
        f"{figures['peak_mb']:,.0f} MB (anonymous {figures['peak_anon_mb']:,.0f}, "
        f"mapped files {figures['peak_file_mb']:,.0f}; with child processes {figures.get('peak_all_mb', 0):,.0f})"
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def disk_mb(directory: Path) -> float:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file()) / 1e6


# --- 1. ingest end to end --------------------------------------------------------------------

INGEST_ITEMS = 5_000
INGEST_LONG = 20_000  # a second size, to see whether memory grows with the input
INGEST_TARGET = 500
RUNS = 3
PROFILE_FILE = RESULTS / "ingest-profile.txt"
WARM_UP = {"en": "The regulator said.", "zh": "监管部门表示。", "ja": "政府は発表した。", "ko": "정부는 밝혔다."}


class TimedTagger:
    """The tagger, with the time spent tagging counted (its results come lazily, as a generator)."""

    def __init__(self, tagger: object, watch: Stopwatch) -> None:
        self.tagger, self.watch = tagger, watch

    def tag_many(self, items: Iterable[object], batch_size: int = 256) -> Iterator[object]:
        return self.watch.iterate(self.tagger.tag_many(items, batch_size), "tag")  # type: ignore[attr-defined]


def ingest_child(items_file: str, count: str, data_dir: str, profile_file: str = "") -> dict[str, Any]:
    """Child mode: ingest the first `count` lines of `items_file` as `radar ingest` does, into a
    fresh data directory, with the pipelines already built; its rate, time per stage and peak memory."""
    import cProfile
    import pstats
    from itertools import islice

    from index.ingest import Ingester, IngestReport, read_ingest_lines
    from nlp.background import tagger_for_ingest
    from nlp.items import ItemIn
    from nlp.tagger import Tagger
    from radar.engines import open_search_engine, open_store
    from radar.settings import Settings

    settings = Settings(data_dir=Path(data_dir), database_url=None, elasticsearch_url=None)
    store, engine = open_store(settings), open_search_engine(settings)
    tagger = Tagger()
    for lang, text in WARM_UP.items():
        tagger.tag(ItemIn(id="warm-up", title="", text=text, lang=lang))
    watch = Stopwatch()
    # As `radar ingest` does: tagging in a second process, ahead of storing and indexing; "tag"
    # is then the time spent waiting for tags.
    ingester = Ingester(
        TimedTagger(tagger_for_ingest(tagger), watch), watch.wrap(store, "store"), watch.wrap(engine, "index")
    )  # type: ignore[arg-type]
    report = IngestReport()
    profiler = cProfile.Profile() if profile_file else None
    with open(items_file, "rb") as handle, MemorySampler() as memory:
        lines = read_ingest_lines(islice(handle, int(count)), report)
        began = time.perf_counter()
        if profiler:
            profiler.runcall(ingester.ingest, lines, report)
        else:
            ingester.ingest(lines, report)
        seconds = time.perf_counter() - began
        engine.close()
        store.close()
    figures = {
        "items": int(count),
        "seconds": seconds,
        "items_per_s": int(count) / seconds,
        "stages_s": {
            **{stage: watch.seconds.get(stage, 0.0) for stage in ("tag", "store", "index")},
            "other": seconds - sum(watch.seconds.values()),  # reading lines, making records
        },
        **memory.figures(),
        "report": report.summary(),
    }
    if profiler:
        with open(profile_file, "w", encoding="utf-8") as out:
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        own = sorted(stats.items(), key=lambda entry: -entry[1][2])[:8]
        figures["top_own_time"] = [(_function_label(*function), row[2]) for function, row in own]
    return figures


def _function_label(file: str, line: int, name: str) -> str:
    """A profiled function as `package/module.py:line(name)`, or a built-in method as `Class.method`."""
    if file == "~":
        method = re.fullmatch(r"<method '(\w+)' of '([\w.]+)' objects>", name)
        return f"{method.group(2).rsplit('.', 1)[-1]}.{method.group(1)}" if method else name.strip("<>")
    parts = Path(file).parts
    return f"{'/'.join(parts[-2:])}:{line}({name})"


def ingest_figures(workdir: Path) -> dict[str, Any]:
    """Median rate over RUNS fresh processes of INGEST_ITEMS items; memory at two sizes; a profile
    when below the target."""
    long_count = int(os.environ.get("RADAR_BENCH_INGEST_LONG") or INGEST_LONG)
    items = write_ingest_lines(workdir / "ingest.jsonl", max(long_count, INGEST_ITEMS))

    def run(count: int, *profile: str) -> dict[str, Any]:
        data_dir = workdir / "ingest-data"
        try:
            return child("ingest-child", str(items), str(count), str(data_dir), *profile)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    def run_limited(count: int) -> dict[str, Any] | None:
        data_dir = workdir / "ingest-data"
        try:
            return limited_run(("ingest-child", str(items), str(count), str(data_dir)), MEMORY_TARGET_MB)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    runs = [run(INGEST_ITEMS) for _ in range(RUNS)]
    stages = {name: statistics.median(r["stages_s"][name] for r in runs) for name in runs[0]["stages_s"]}
    figures: dict[str, Any] = {
        "items": INGEST_ITEMS,
        "runs": runs,
        "items_per_s": median_of(runs, "items_per_s"),
        "stage_share": {name: seconds / sum(stages.values()) for name, seconds in stages.items()},
        **memory_medians(runs),
        "long": run(long_count),
        "long_limited": run_limited(long_count),
    }
    if figures["items_per_s"] < INGEST_TARGET:
        RESULTS.mkdir(exist_ok=True)
        figures["profile"] = run(INGEST_ITEMS, str(PROFILE_FILE))
    return figures


# --- 2. search latency -----------------------------------------------------------------------

SEARCH_ITEMS = 200_000  # RADAR_BENCH_ITEMS; the figure is at 1,000,000
BUILD_BATCH = 10_000
PASSES = 3
SEARCH_TARGET_MS = 20
CJK_WORDS = {
    lang: [word for word in words if len(word) >= 2 and word not in ("です", "ます", "した")]
    for lang, words in CJK.items()
}
EXPANDED = (
    *("deepfake", "scam", "scams", "artificial intelligence", "generative AI", "age verification", "hate speech"),
    *("cyberbullying", "personal data", "online safety", "fake news", "data breach", "online gambling"),
    *("social media", "takedown", "election", "misinformation", "terrorism", "grooming", "sextortion"),
    *("synthetic media", "AI", "algorithms", "phishing", "investment fraud", "code of practice", "doxxing"),
    *("political advertising", "data localisation", "online harassment"),
)
QUERY_KINDS = ("common", "rare", "phrase", "filtered", "cjk", "expansion", "operators")


def search_queries(seed: int = 13) -> list[tuple[str, SearchQuery]]:
    """210 ranked top-20 queries, 30 of each kind in QUERY_KINDS (all with facets: every search
    counts them): the most common words; a rare word, maybe with a common one; a quoted phrase (a
    run of words from a generated item, or a harm area's term); words with filters; Chinese,
    Japanese or Korean words; policy terms that expand to other languages; OR, NOT, prefix* and
    field:value."""
    from index.records import SearchQuery

    rng = random.Random(seed)
    words = english_vocabulary().words
    common, rare = words[:120], words[10_000:]
    sample = ItemGenerator(seed=99).item(0).text.split()
    queries: list[tuple[str, SearchQuery]] = []
    for _ in range(30):
        queries.append(("common", SearchQuery(" ".join(rng.sample(common, rng.choice((1, 1, 2, 3)))))))
        rare_words = [rng.choice(rare), *rng.sample(common, rng.choice((0, 0, 1)))]
        queries.append(("rare", SearchQuery(" ".join(rare_words))))
        start = rng.randrange(len(sample) - 3)
        phrase = rng.choice(
            [
                " ".join(sample[start : start + rng.choice((2, 3))]).strip(".,"),
                *rng.choice(tuple(HARM_TERMS.values())),
            ]
        )
        queries.append(("phrase", SearchQuery(f'"{phrase}"')))
        queries.append(("filtered", _filtered(rng, " ".join(rng.sample(words[:400], rng.choice((0, 1, 1, 2)))))))
        lang = rng.choice(tuple(CJK))
        text = " ".join(rng.sample(CJK_WORDS[lang], rng.choice((1, 1, 2))))
        queries.append(("cjk", SearchQuery(text, languages=(lang,) if rng.random() < 0.3 else ())))
        expanded = rng.choice(EXPANDED)
        queries.append(("expansion", _filtered(rng, expanded) if rng.random() < 0.3 else SearchQuery(expanded)))
        queries.append(("operators", SearchQuery(_operators(rng, common, rare))))
    return [(kind, query) for kind, query in queries if query.text.strip()]


def _filtered(rng: random.Random, text: str) -> SearchQuery:
    """`text` with one to four random filters (an empty text becomes "online": every query here is ranked)."""
    from index.records import SearchQuery

    filters: dict[str, object] = {}
    for name in rng.sample(
        ("jurisdictions", "harm_areas", "doc_types", "dates", "source_kinds", "languages"), rng.randint(1, 4)
    ):
        if name == "jurisdictions":
            filters[name] = tuple(rng.sample(tuple(PLACES), rng.choice((1, 1, 2))))
        elif name == "harm_areas":
            filters[name] = tuple(rng.sample(tuple(HARM_TERMS), rng.choice((1, 2))))
        elif name == "doc_types":
            filters[name] = (rng.choice(DOC_TYPES),)
        elif name == "dates":
            since = START + dt.timedelta(days=rng.randrange((END - START).days))
            filters["since"], filters["until"] = since, since + dt.timedelta(days=rng.choice((30, 180, 365, 1000)))
        elif name == "source_kinds":
            filters[name] = (rng.choice(SOURCES)[1],)
        else:
            filters[name] = ("en",)
    return SearchQuery(text or "online", **filters)  # type: ignore[arg-type]


def _operators(rng: random.Random, common: tuple[str, ...], rare: tuple[str, ...]) -> str:
    a, b = rng.sample(POLICY, 2)
    return rng.choice(
        (
            f"{a} OR {b}",
            f"{a} -{b}",
            f"({a} OR {b}) AND {rng.choice(common)}",
            f"{a[:4]}*",
            f"title:{a}",
            f"country:{rng.choice(tuple(PLACES))} {a}",
            f"harm:{rng.choice(tuple(HARM_TERMS))} {b}",
            f"{rng.choice(rare)} OR {rng.choice(rare)}",
        )
    )


def build_search_index(settings: Settings, count: int) -> float:
    """Index `count` synthetic items directly (no tagging, no store), BUILD_BATCH to a commit, as
    ingest would; merges are waited for. Returns items per second, generation included."""
    from radar.engines import open_search_engine

    engine = open_search_engine(settings)
    began = time.perf_counter()
    batch = []
    for item in ItemGenerator(seed=5).items(count):
        batch.append(stored_item(item))
        if len(batch) == BUILD_BATCH:
            engine.add(batch)
            engine.commit()
            batch = []
    engine.add(batch)
    engine.commit()
    engine.close()  # waits for the merges
    return count / (time.perf_counter() - began)


def search_figures(workdir: Path, count: int) -> dict[str, Any]:
    """p50 and p95 latency of `search_queries` on an index of `count` items: the median over
    PASSES passes, after a first pass that opens the index and warms the page cache."""
    from radar.engines import open_search_engine
    from radar.settings import Settings

    settings = Settings(data_dir=workdir / "search", database_url=None, elasticsearch_url=None)
    build_rate = build_search_index(settings, count)
    queries = search_queries()
    engine = open_search_engine(settings)
    totals = [engine.search(query).total for _kind, query in queries]  # the warm-up pass
    passes = []
    for _ in range(PASSES):
        timings: dict[str, list[float]] = {kind: [] for kind in QUERY_KINDS}
        for kind, query in queries:
            began = time.perf_counter()
            engine.search(query)
            timings[kind].append((time.perf_counter() - began) * 1000)
        passes.append(timings)
    engine.close()
    every = [[ms for kind in QUERY_KINDS for ms in timings[kind]] for timings in passes]
    return {
        "items": count,
        "queries": len(queries),
        "build_items_per_s": build_rate,
        "index_mb": disk_mb(settings.data_dir / "index"),
        "p50_ms": statistics.median(percentile(ms, 0.5) for ms in every),
        "p95_ms": statistics.median(percentile(ms, 0.95) for ms in every),
        "max_ms": statistics.median(max(ms) for ms in every),
        "p95_ms_by_kind": {
            kind: statistics.median(percentile(timings[kind], 0.95) for timings in passes) for kind in QUERY_KINDS
        },
        "median_matches": statistics.median(totals),
        "matches_by_kind": {
            kind: statistics.median(total for (k, _q), total in zip(queries, totals, strict=True) if k == kind)
            for kind in QUERY_KINDS
        },
    }


# --- 3. reindex ------------------------------------------------------------------------------

REINDEX_ITEMS = 100_000  # RADAR_BENCH_REINDEX_ITEMS; measured at a quarter of it and at all of it
STORE_BATCH = 1_000
REINDEX_TARGET_S = 300
MILLION = 1_000_000
MEMORY_TARGET_MB = 1000


def reindex_child(data_dir: str) -> dict[str, Any]:
    """Child mode: `radar reindex`'s rebuild of the index from the store in `data_dir`; its time
    and peak memory."""
    from radar.engines import open_search_engine, open_store
    from radar.settings import Settings

    settings = Settings(data_dir=Path(data_dir), database_url=None, elasticsearch_url=None)
    store, engine = open_store(settings), open_search_engine(settings)
    with MemorySampler() as memory:
        began = time.perf_counter()
        count = engine.rebuild(store.iter_items())
        seconds = time.perf_counter() - began
        engine.close()
        store.close()
    return {"items": count, "seconds": seconds, "items_per_s": count / seconds, **memory.figures()}


def reindex_figures(workdir: Path, count: int) -> dict[str, Any]:
    """Fill an SQLite store (SqlStore.upsert, STORE_BATCH at a time) to a quarter of `count`, then
    to `count`; at each size, RUNS rebuilds in fresh processes."""
    from itertools import islice

    from radar.engines import open_store
    from radar.settings import Settings

    settings = Settings(data_dir=workdir / "reindex", database_url=None, elasticsearch_url=None)
    store = open_store(settings)
    items = ItemGenerator(seed=7).items(count)
    stored, fill_seconds = 0, 0.0
    sizes: dict[int, dict[str, Any]] = {}
    for size in (count // 4, count):
        began = time.perf_counter()
        while stored < size:
            batch = [stored_item(item) for item in islice(items, min(STORE_BATCH, size - stored))]
            store.upsert(batch)
            stored += len(batch)
        fill_seconds += time.perf_counter() - began
        runs = [child("reindex-child", str(settings.data_dir)) for _ in range(RUNS)]
        sizes[size] = {
            "runs": runs,
            "items_per_s": median_of(runs, "items_per_s"),
            "seconds": median_of(runs, "seconds"),
            **memory_medians(runs),
        }
    limited = limited_run(("reindex-child", str(settings.data_dir)), MEMORY_TARGET_MB)
    store.close()
    rate = sizes[count]["items_per_s"]
    return {
        "items": count,
        "sizes": sizes,
        "under_limit": limited,
        "store_items_per_s": count / fill_seconds,
        "store_mb": disk_mb(settings.data_dir) - disk_mb(settings.data_dir / "index"),
        "index_mb": disk_mb(settings.data_dir / "index"),
        "million_s": MILLION / rate,
    }


# --- the figures -----------------------------------------------------------------------------


def main() -> None:
    began = time.perf_counter()
    search_items = int(os.environ.get("RADAR_BENCH_ITEMS") or SEARCH_ITEMS)
    reindex_items = int(os.environ.get("RADAR_BENCH_REINDEX_ITEMS") or REINDEX_ITEMS)
    workdir = Path(tempfile.mkdtemp(prefix="radar-index-bench-"))
    parts = (os.environ.get("RADAR_BENCH_PARTS") or "ingest,search,reindex").split(",")
    figures: dict[str, Any] = {}
    try:
        if "ingest" in parts:
            figures["ingest"] = ingest = ingest_figures(workdir)
            print(ingest_lines(ingest), flush=True)
        if "search" in parts:
            figures["search"] = search = search_figures(workdir, search_items)
            print(search_lines(search), flush=True)
            shutil.rmtree(workdir / "search", ignore_errors=True)
        if "reindex" in parts:
            figures["reindex"] = reindex = reindex_figures(workdir, reindex_items)
            print(reindex_lines(reindex), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    figures["bench_s"] = time.perf_counter() - began
    RESULTS.mkdir(exist_ok=True)
    results = RESULTS / f"index_speed{'' if len(parts) == 3 else '-' + '-'.join(parts)}.json"
    results.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"(index bench: {figures['bench_s'] / 60:.1f} min; figures in bench/results/{results.name})")


def ingest_lines(ingest: dict[str, Any]) -> str:
    shares = ", ".join(f"{name} {share:.0%}" for name, share in ingest["stage_share"].items())
    long = ingest["long"]
    rates = [run["items_per_s"] for run in ingest["runs"]]
    lines = [
        f"ingest end to end (tag, store, index; SQLite + tantivy): {ingest['items_per_s']:,.0f} items of {WORDS} "
        f"words/s (median of {RUNS} fresh processes of {ingest['items']:,}; "
        f"min {min(rates):,.0f}, max {max(rates):,.0f}; "
        f"target >= {INGEST_TARGET}); time: {shares}",
        f"ingest peak resident memory (VmHWM): {memory_text(ingest)} over {ingest['items']:,} items, "
        f"{memory_text(long)} over {long['items']:,} (at {long['items_per_s']:,.0f} items/s) "
        f"(target <= {MEMORY_TARGET_MB} MB, flat)",
        limited_line(ingest.get("long_limited"), f"ingest of {long['items']:,} items (tagging worker included)"),
    ]
    if "profile" in ingest:
        top = "; ".join(f"{name} {seconds:.1f} s" for name, seconds in ingest["profile"]["top_own_time"][:4])
        lines.append(f"ingest profile (own time, {ingest['items']:,} items; bench/results/{PROFILE_FILE.name}): {top}")
    return "\n".join(lines)


def search_lines(search: dict[str, Any]) -> str:
    kinds = ", ".join(f"{kind} {ms:.0f}" for kind, ms in search["p95_ms_by_kind"].items())
    return "\n".join(
        [
            f"search, ranked top 20 with all facets, {search['items']:,} items: p50 {search['p50_ms']:.1f} ms, "
            f"p95 {search['p95_ms']:.1f} ms, max {search['max_ms']:.0f} ms over {search['queries']} queries "
            f"(median of {PASSES} passes; target p95 <= {SEARCH_TARGET_MS} ms at 1,000,000); p95 by kind, ms: {kinds}",
            f"search index of {search['items']:,} items: {search['index_mb']:,.0f} MB on disk "
            f"(built at {search['build_items_per_s']:,.0f} items/s, generation included)",
        ]
    )


def reindex_lines(reindex: dict[str, Any]) -> str:
    small, large = (reindex["sizes"][size] for size in sorted(reindex["sizes"]))
    small_n, large_n = sorted(reindex["sizes"])
    return "\n".join(
        [
            f"reindex from the SQLite store: {large['seconds']:.0f} s for {large_n:,} items "
            f"({large['items_per_s']:,.0f} items/s, median of {RUNS}); 1,000,000 items extrapolated: "
            f"{reindex['million_s'] / 60:.1f} min (target <= {REINDEX_TARGET_S // 60} min)",
            f"reindex peak resident memory (VmHWM): {memory_text(small)} at {small_n:,} items, "
            f"{memory_text(large)} at {large_n:,} (target <= {MEMORY_TARGET_MB} MB, flat)",
            limited_line(reindex.get("under_limit"), f"reindex of {large_n:,} items"),
            f"(store for the reindex filled by SqlStore.upsert at {reindex['store_items_per_s']:,.0f} items/s: "
            f"{reindex['store_mb']:,.0f} MB of SQLite for {large_n:,} items)",
        ]
    )


def limited_line(limited: dict[str, Any] | None, what: str) -> str:
    if limited is None:
        return f"{what} under a {MEMORY_TARGET_MB} MB memory limit: not measured (no writable cgroup v1 memory group)"
    if "failed" in limited:
        return f"{what} under a {limited['limit_mb']} MB memory limit: FAILED ({limited['failed']})"
    return (
        f"{what} inside a {limited['limit_mb']} MB memory cgroup (mapped index pages reclaimed at the limit): "
        f"completed in {limited['seconds']:.0f} s, group peak {limited['group_peak_mb']:,.0f} MB, "
        f"process anonymous peak {limited['peak_anon_mb']:,.0f} MB"
    )


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {"ingest-child": ingest_child, "reindex-child": reindex_child}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(CHILDREN[sys.argv[1]](*sys.argv[2:])))
    else:
        main()
