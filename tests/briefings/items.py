"""A fixed set of realistic Asia-Pacific items for the briefing tests, dated relative to a given
day (the goldens use a fixed one; the API and CLI tests, which run on the real clock, today),
stored in a real store and indexed in a real tantivy index (`build_data_dir`).

What is in it, in days before today (negative: after):
  AU  A  6 eSafety guidance on age checks (child safety; commencement in 14 days), run again by
         B  5 ABC News and C  5 the Guardian (C tagged with no harm area): one story, three items
      I 15 ACMA penalty for scam calls (enforcement)      J  8 Senate inquiry into a duty of care bill
         (submissions closed 2 days ago, hearing in 8)   K 25 Crikey on Reset Tech's research
      W 70 scams prevention rules (regulation)            X 120 eSafety fine (enforcement, before the window)
      O -2 an item dated after today (never in a briefing)
  SG  D 20 IMDA app store code (regulation, commencement in 35 days), run again by E 19 the Straits Times
      F 30 MDDI consultation on scam ads (deadline in 5 days)   G 45 IMDA chief executive's speech
      H 12 CNA on police freezing scam accounts, naming a task force the gazetteer does not know
      T 50 Online Safety (Relief and Accountability) Act passed
      L 89 the first day of a 90-day window               M 90 the day before it
      N 150 consultation closing in 10 days (before the window: a key date all the same)
      S 400 the same bill introduced (an older legislation item than T)   U 10 PDPC fine (privacy, another harm)
  MY  P 60 MCMC licensing (regulation)   Q 200 Online Safety Act in force (legislation)
  ID  R 100 child protection regulation   JP V 30 MIC guidelines for young users (guidance)
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from index.records import StoredItem
from index.store.content import content_hash
from radar.engines import open_search_engine, open_store
from radar.settings import Settings

HOSTILE_TITLE = '<script>alert("x")</script> Scam **warning** [click](javascript:alert(1)) & more'


def settings_for(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=None, elasticsearch_url=None)


def day_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def reworded(text: str, seed: int, every: int = 20) -> str:
    """Another outlet's copy of `text`: one word in `every` changed and a line added."""
    rng = random.Random(seed)
    words = text.split()
    for index in range(rng.randrange(every), len(words), every):
        words[index] = rng.choice(("also", "further", "now", "then", "still"))
    return " ".join(words) + " Reporting by staff writers."


class Items:
    """The fixed items, dated relative to `today`."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def at(self, days_ago: int, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(self.today - dt.timedelta(days=days_ago), dt.time(hour, 30), tzinfo=dt.UTC)

    def on(self, days_ahead: int, kind: str) -> dict[str, str]:
        day = self.today + dt.timedelta(days=days_ahead)
        return {"date": day.isoformat(), "kind": kind, "text": day_text(day)}

    def item(self, key: str, days_ago: int, **fields: Any) -> StoredItem:
        title, text = fields.pop("title"), fields.pop("text")
        published = self.at(days_ago, fields.pop("hour", 9))
        values: dict[str, Any] = {
            "id": f"item-{key.lower()}",
            "url": f"https://news.example.org/{key.lower()}",
            "language": "en",
            "source": None,
            "source_kind": None,
            "published_at": published,
            "fetched_at": published + dt.timedelta(hours=2),
            "content_hash": content_hash(title, text),
            "harm_areas": ("child_safety",),
            "jurisdictions": ("AU",),
            "mentioned_jurisdictions": (),
            "doc_type": "news",
            "stakeholders": (),
            "dates": (),
            "evidence": {},
            "story_id": "",
        }
        values.update(fields)
        return StoredItem(title=title, text=text, **values)

    def all(self) -> list[StoredItem]:
        return [*self.australia(), *self.singapore(), *self.neighbours()]

    def australia(self) -> list[StoredItem]:
        age_text = (
            "eSafety Commissioner Julie Inman Grant has published regulatory guidance explaining the reasonable "
            "steps that age-restricted social media platforms must take to prevent Australians under 16 from "
            "holding accounts. The guidance covers age assurance methods, the removal of existing underage "
            "accounts and how platforms should handle appeals from users who are wrongly flagged. The minimum "
            f"age obligation takes effect on {day_text(self.today + dt.timedelta(days=14))}, and platforms that "
            "fail to comply face civil penalties of up to $49.5 million."
        )
        age = {
            "stakeholders": ("eSafety Commissioner", "Julie Inman Grant"),
            "dates": (self.on(14, "commencement"),),
        }
        return [
            self.item(
                "A", 6, title="eSafety sets out how platforms must check ages before the under-16 ban",
                text=age_text, url="https://www.esafety.gov.au/newsroom/media-releases/age-checks",
                source="au-esafety", source_kind="regulator", doc_type="guidance", **age,
            ),
            self.item(
                "B", 5, title="Social media platforms told how to check ages before under-16 ban",
                text=reworded(age_text, 1), url="https://www.abc.net.au/news/age-checks", source="au-abc-news",
                source_kind="news", **age,
            ),
            self.item(
                "C", 5, hour=14, title="What the eSafety age assurance guidance means for platforms",
                text=reworded(age_text, 2), url="https://www.theguardian.com/au/age-guidance",
                source="au-guardian-australia", source_kind="news", harm_areas=(), **age,
            ),
            self.item(
                "I", 15, title="ACMA fines telco $1.5 million for failing to block scam calls",
                text="The Australian Communications and Media Authority has fined a telecommunications provider "
                "$1.5 million after an investigation found it failed to identify, trace and block scam calls as "
                "the Reducing Scam Calls and Scam SMs code requires. Customers lost money to impersonation scams "
                "that the provider should have stopped, the ACMA said.",
                url="https://www.acma.gov.au/articles/scam-calls-penalty", source="au-acma",
                source_kind="regulator", harm_areas=("scams_fraud",), doc_type="enforcement",
                stakeholders=("Australian Communications and Media Authority",),
            ),
            self.item(
                "J", 8, title="Senate committee to hear evidence on the Digital Duty of Care Bill",
                text="The Senate Environment and Communications Legislation Committee will hold a public hearing "
                "on the Online Safety Amendment (Digital Duty of Care) Bill, which would require large platforms "
                "to take reasonable steps to protect children from foreseeable harms. Submissions closed on "
                f"{day_text(self.today - dt.timedelta(days=2))} and the hearing is set for "
                f"{day_text(self.today + dt.timedelta(days=8))} in Canberra.",
                url="https://www.aph.gov.au/Parliamentary_Business/Committees/duty-of-care",
                source="au-parliament-senate", source_kind="legislature", doc_type="legislation",
                stakeholders=("Parliament of Australia",),
                dates=(self.on(-2, "deadline"), self.on(8, "hearing")),
            ),
            self.item(
                "K", 25, title="Reset Tech finds teen accounts still shown harmful content despite new codes",
                text="Researchers at Reset Tech Australia set up accounts posing as 13 and 15 year olds on "
                "Instagram and TikTok and were recommended self-harm and diet content within hours. The group "
                "says the industry codes registered by eSafety are not working and called for a legislated duty "
                "of care. Meta and TikTok said they were reviewing the findings.",
                url="https://www.crikey.com.au/2026/reset-tech-teen-accounts", source="au-crikey",
                source_kind="news", stakeholders=("Reset Tech Australia", "Meta", "TikTok"),
            ),
            self.item(
                "W", 70, title="Scams Prevention Framework rules registered for banks, telcos and platforms",
                text="The rules under the Scams Prevention Framework set out what banks, telecommunications "
                "providers and digital platforms must do to prevent, detect, report and respond to scams, "
                "including verifying advertisers and acting on reports of scam content within set times.",
                url="https://www.acma.gov.au/scams-prevention-framework-rules", source="au-acma",
                source_kind="regulator", harm_areas=("scams_fraud",), doc_type="regulation",
                stakeholders=("Australian Communications and Media Authority",),
            ),
            self.item(
                "X", 120, title="eSafety fines platform $610,500 for failing to answer questions on abuse material",
                text="The eSafety Commissioner issued an infringement notice of $610,500 after the platform failed "
                "to respond to a transparency notice about how it detects and removes child sexual exploitation "
                "material, livestreamed abuse and grooming on its services.",
                url="https://www.esafety.gov.au/newsroom/media-releases/infringement-notice", source="au-esafety",
                source_kind="regulator", doc_type="enforcement", stakeholders=("eSafety Commissioner",),
            ),
            self.item(
                "O", -2, title="Embargoed: new online safety rules to be announced next week",
                text="An item whose publication date is after today, as a feed with a scheduled post may give it. "
                "It belongs to no briefing made today, whatever its window.",
                url="https://www.abc.net.au/news/embargoed", source="au-abc-news", source_kind="news",
            ),
        ]  # fmt: skip

    def singapore(self) -> list[StoredItem]:
        code_text = (
            "The Infocomm Media Development Authority has issued a Code of Practice for Online Safety for App "
            "Distribution Services requiring app stores to check the ages of users and prevent children from "
            "downloading apps that are unsuitable for them. App stores must put age assurance measures in place "
            f"by {day_text(self.today + dt.timedelta(days=35))}, IMDA said, and report to it on how they comply."
        )
        code = {
            "jurisdictions": ("SG",),
            "stakeholders": ("Infocomm Media Development Authority",),
            "dates": (self.on(35, "commencement"),),
        }
        sg: dict[str, Any] = {"jurisdictions": ("SG",)}
        return [
            self.item(
                "D", 20, title="IMDA requires app stores to check users' ages",
                text=code_text, url="https://www.imda.gov.sg/resources/press-releases/app-store-code",
                source="sg-imda", source_kind="regulator", doc_type="regulation", **code,
            ),
            self.item(
                "E", 19, title="App stores in Singapore must verify ages under new IMDA code",
                text=reworded(code_text, 3), url="https://www.straitstimes.com/tech/app-store-age-checks",
                source="sg-straits-times-tech", source_kind="news",
                **{**code, "stakeholders": ("Infocomm Media Development Authority", "Apple", "Google")},
            ),
            self.item(
                "F", 30, title="Public consultation on proposed measures against scam advertisements",
                text="The Ministry of Digital Development and Information and the Infocomm Media Development "
                "Authority are seeking public feedback on proposed requirements for online platforms to verify "
                "advertisers and remove scam advertisements more quickly. Members of the public and industry "
                f"may submit their views by {day_text(self.today + dt.timedelta(days=5))}.",
                url="https://www.mddi.gov.sg/consultations/scam-ads", source="sg-mddi", source_kind="ministry",
                harm_areas=("scams_fraud",), doc_type="consultation",
                stakeholders=(
                    "Ministry of Digital Development and Information", "Infocomm Media Development Authority"
                ),
                dates=(self.on(5, "deadline"),), **sg,
            ),
            self.item(
                "G", 45, title="Speech by IMDA chief executive Lew Chuen Hong at the Online Safety Forum",
                text="Our children are online earlier than ever, and scammers are quicker than ever. IMDA will "
                "keep raising the bar for platforms, from app stores to social media services, and we will work "
                "with industry and parents so that safety is designed in rather than added on.",
                url="https://www.imda.gov.sg/resources/speeches/online-safety-forum", source="sg-imda",
                source_kind="regulator", harm_areas=("child_safety", "scams_fraud"), doc_type="statement",
                stakeholders=("Infocomm Media Development Authority", "Lew Chuen Hong"), **sg,
            ),
            self.item(
                "H", 12, title="Police freeze 1,200 bank accounts in week-long scam crackdown",
                text="The Singapore Police Force said it had frozen more than 1,200 bank accounts linked to "
                "scam syndicates and arrested 85 people suspected of acting as money mules during a week-long "
                "operation with the major banks.",
                url="https://www.channelnewsasia.com/singapore/scam-crackdown", source="sg-cna",
                source_kind="news", harm_areas=("scams_fraud",),
                stakeholders=("Singapore Police Force", "Money Mule Task Force"), **sg,
            ),
            self.item(
                "T", 50, title="Parliament passes the Online Safety (Relief and Accountability) Act",
                text="Parliament passed the Online Safety (Relief and Accountability) Bill, which sets up an Online "
                "Safety Commission that victims of online harms such as intimate image abuse and child abuse "
                "material can turn to for help in having content taken down.",
                url="https://www.mddi.gov.sg/media-centre/osra-passed", source="sg-mddi", source_kind="ministry",
                doc_type="legislation", stakeholders=("Ministry of Digital Development and Information",), **sg,
            ),
            self.item(
                "L", 89, title="Parents in Singapore worry about children's screen time, survey finds",
                text="Seven in ten parents in Singapore say they worry about how much time their children spend on "
                "social media, according to a survey published on the first day of the window.",
                url="https://www.straitstimes.com/singapore/screen-time-survey", source="sg-straits-times-tech",
                source_kind="news", **sg,
            ),
            self.item(
                "M", 90, title="Schools in Singapore to teach online safety from primary one",
                text="Online safety lessons will be part of the curriculum from primary one, the education "
                "ministry said the day before the window opens.",
                url="https://www.straitstimes.com/singapore/online-safety-lessons", source="sg-straits-times-tech",
                source_kind="news", **sg,
            ),
            self.item(
                "N", 150, title="Consultation on a code of practice for online safety on messaging services",
                text="IMDA invites comments on a proposed code of practice that would require messaging services "
                "to protect children from grooming and unsolicited contact by strangers. The consultation closes "
                f"on {day_text(self.today + dt.timedelta(days=10))}.",
                url="https://www.imda.gov.sg/consultations/messaging-code", source="sg-imda",
                source_kind="regulator", doc_type="consultation",
                stakeholders=("Infocomm Media Development Authority",), dates=(self.on(10, "deadline"),), **sg,
            ),
            self.item(
                "S", 400, title="Online Safety (Relief and Accountability) Bill introduced in Parliament",
                text="The Bill was read for the first time in Parliament. It would give victims of online harms "
                "a faster way to have harmful content removed.",
                url="https://www.mddi.gov.sg/media-centre/osra-first-reading", source="sg-mddi",
                source_kind="ministry", doc_type="legislation", **sg,
            ),
            self.item(
                "U", 10, title="PDPC fines retailer $74,000 over customer data breach",
                text="The Personal Data Protection Commission fined an online retailer after the personal data of "
                "more than 100,000 customers was exposed through a misconfigured server.",
                url="https://www.pdpc.gov.sg/decisions/retailer-breach", source="sg-pdpc", source_kind="regulator",
                harm_areas=("privacy_data",), doc_type="enforcement",
                stakeholders=("Personal Data Protection Commission",), **sg,
            ),
        ]  # fmt: skip

    def neighbours(self) -> list[StoredItem]:
        return [
            self.item(
                "P", 60, title="Social media and messaging platforms now need a licence from MCMC",
                text="Platforms with eight million or more users in Malaysia must hold an Applications Service "
                "Provider Class Licence, the Malaysian Communications and Multimedia Commission said, as the "
                "licensing framework against scams and harms to children took effect.",
                url="https://www.mcmc.gov.my/en/media/press-releases/licensing", source="my-mcmc",
                source_kind="regulator", jurisdictions=("MY",), harm_areas=("child_safety", "scams_fraud"),
                doc_type="regulation", stakeholders=("Malaysian Communications and Multimedia Commission",),
                dates=(self.on(-330, "commencement"),),
            ),
            self.item(
                "Q", 200, title="Online Safety Act 2025 comes into force in Malaysia",
                text="The Online Safety Act 2025 came into force, placing duties on platform providers to reduce "
                "harmful content, including child sexual abuse material, and to protect children online.",
                url="https://www.kkd.gov.my/en/news/online-safety-act", source="my-kkom", source_kind="ministry",
                jurisdictions=("MY",), doc_type="legislation",
            ),
            self.item(
                "R", 100, title="Government regulation on protecting children online signed",
                text="Indonesia's government regulation on the governance of electronic systems for child "
                "protection requires platforms to assess risks to children and verify ages.",
                url="https://www.komdigi.go.id/berita/pp-tunas", source="id-komdigi", source_kind="ministry",
                jurisdictions=("ID",), doc_type="regulation",
                stakeholders=("Ministry of Communication and Digital Affairs",),
            ),
            self.item(
                "V", 30, title="MIC publishes guidelines on protecting young users of social media",
                text="The Ministry of Internal Affairs and Communications published guidelines asking social media "
                "operators to protect young users from harmful content and contact.",
                url="https://www.soumu.go.jp/menu_news/young-users", source="jp-mic-soumu", source_kind="ministry",
                jurisdictions=("JP",), doc_type="guidance",
            ),
        ]  # fmt: skip


def build_data_dir(data_dir: Path, today: dt.date, extra: list[StoredItem] | None = None) -> Path:
    """A data directory holding the items dated from `today` (and `extra`): stored, then indexed
    from the store as `radar reindex` does, so the index carries the store's story ids."""
    settings = settings_for(data_dir)
    store, engine = open_store(settings), open_search_engine(settings)
    try:
        store.upsert([*Items(today).all(), *(extra or [])])
        engine.rebuild(store.iter_items())
        while pending := store.pending_index(1000):
            store.mark_indexed({item.id: item.version for item in pending})
    finally:
        engine.close()
        store.close()
    return data_dir
