"""Synthetic items for the index bench: 600-word items drawn from a Zipf-like vocabulary of policy
words, places, regulators and filler, some Chinese, Japanese and Korean items, titles, sources,
dates over 2019-2026, and about 5% near-duplicate copies."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from index.records import StoredItem


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
