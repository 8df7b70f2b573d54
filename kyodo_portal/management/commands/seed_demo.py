"""Fill the database with the fictional city of みどり野市 (Midorino City) for demos.

Every row comes from the data below and from random generators with fixed seeds, keyed on
natural keys (slug, name and kind, username), so a second run updates the same rows. Plans and
meetings come from `_demo_plans`; their calendar follows the run date, so the demo always has
past minutes and upcoming meetings.
"""

import datetime as dt
import random
import time
import unicodedata
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from core import roles, search
from core.names import person_name
from districts.models import (
    Council,
    CouncilStage,
    District,
    DistrictKind,
    DistrictStatistic,
    LiaisonAssignment,
)
from organizations.models import (
    OFFICER_ROLE_RANK,
    Field,
    Membership,
    MembershipRole,
    Officer,
    OfficerRole,
    Organization,
)
from organizations.models import OrganizationKind as Kind

from ._demo_areas import seed_areas
from ._demo_boundaries import demo_city_boundaries
from ._demo_english import seed_english_names
from ._demo_grants import seed_grants
from ._demo_plans import Counts, DemoDistrict, seed_plans_and_meetings

DEMO_PASSWORD = "kyodo-demo-2026"
CITY = "みどり野市"
CITY_KANA = "みどりの"
SCHOOL_PREFIX = ("みどり野市立", "みどりのしりつ")
# The data describes the city as of this autumn; terms and assignments are current then.
AS_OF = dt.date(2026, 10, 1)

ESTABLISHED, MODEL = CouncilStage.ESTABLISHED, CouncilStage.MODEL
PREPARING, NOT_STARTED = CouncilStage.PREPARING, CouncilStage.NOT_STARTED


# --- Districts ---------------------------------------------------------------------------------


class DistrictSeed(NamedTuple):
    slug: str
    base: str  # the place name its groups are named after: 桜台
    base_kana: str
    kind: str
    schools: tuple[tuple[str, str, str], ...]  # elementary schools: (name, reading, code)
    chome: int  # numbered blocks (丁目) that each have their own association
    areas: tuple[tuple[str, str, str], ...]  # other association areas: (name, reading, code)
    association: tuple[str, str]  # what its associations are called: 自治会, 町内会, 行政区
    hub: tuple[str, str, str]  # (name, address, phone)
    council: tuple[str, str] | None  # (name, reading); None: no council yet
    stage: str
    formed_on: dt.date | None  # council founded, or its preparatory body started
    population: int  # on 2022-04-01
    growth: float  # per year
    aging: float  # share aged 65 and over on 2022-04-01
    household_size: float
    joining_rate: float  # share of households that belong to an association
    summary: str


JICHIKAI = ("自治会", "じちかい")
CHONAIKAI = ("町内会", "ちょうないかい")
GYOSEIKU = ("行政区", "ぎょうせいく")

DISTRICTS = (
    DistrictSeed(
        "sakuradai",
        "桜台",
        "さくらだい",
        DistrictKind.ELEMENTARY,
        (("桜台小学校", "さくらだいしょうがっこう", "sakuradai-es"),),
        5,
        (("桜台団地", "さくらだいだんち", "danchi"),),
        JICHIKAI,
        ("桜台地区市民センター", "みどり野市桜台二丁目3番1号", "0000-12-3456"),
        ("桜台地区まちづくり協議会", "さくらだいちくまちづくりきょうぎかい"),
        ESTABLISHED,
        dt.date(2019, 5, 26),
        11800,
        -0.006,
        0.27,
        2.35,
        0.72,
        "市の中心部から東へ約3kmの住宅地で、昭和50年代に開発された桜台団地を含みます。"
        "桜並木の続く桜台通りが地区の中央を通り、春の桜まつりには市内外から人が集まります。"
        "まちづくり協議会は市内で最初に設立され、防災と子どもの見守りに力を入れています。",
    ),
    DistrictSeed(
        "midorigaoka",
        "緑が丘",
        "みどりがおか",
        DistrictKind.ELEMENTARY,
        (("緑が丘小学校", "みどりがおかしょうがっこう", "midorigaoka-es"),),
        6,
        (("緑が丘ハイツ", "みどりがおかはいつ", "heights"),),
        JICHIKAI,
        ("緑が丘コミュニティセンター", "みどり野市緑が丘四丁目12番5号", "0000-12-4101"),
        ("緑が丘校区まちづくり協議会", "みどりがおかこうくまちづくりきょうぎかい"),
        ESTABLISHED,
        dt.date(2020, 5, 24),
        14200,
        -0.003,
        0.31,
        2.30,
        0.78,
        "丘陵地を切り開いた昭和40年代のニュータウンで、市内で最も人口の多い校区です。"
        "入居当初の世代の高齢化が進み、坂道の多い地形から買い物や通院の移動が課題になっています。"
        "協議会では移動販売の誘致や、空き家を使った交流サロンに取り組んでいます。",
    ),
    DistrictSeed(
        "honmachi",
        "本町",
        "ほんまち",
        DistrictKind.ELEMENTARY,
        (("本町小学校", "ほんまちしょうがっこう", "honmachi-es"),),
        4,
        (
            ("仲町", "なかまち", "nakamachi"),
            ("栄町", "さかえまち", "sakaemachi"),
            ("新町", "しんまち", "shinmachi"),
        ),
        CHONAIKAI,
        ("本町公民館", "みどり野市本町一丁目8番2号", "0000-12-2207"),
        ("本町地区協働のまちづくり委員会", "ほんまちちくきょうどうのまちづくりいいんかい"),
        ESTABLISHED,
        dt.date(2021, 6, 6),
        9300,
        -0.010,
        0.34,
        2.05,
        0.60,
        "市役所や駅前商店街がある市の中心地区で、宿場町に由来する古い町並みが残ります。"
        "マンションの建設で単身世帯や転入者が増える一方、町内会の加入率は下がりつつあります。"
        "秋の本町まつりは町内会・商店会・学校が一緒に運営する地区最大の行事です。",
    ),
    DistrictSeed(
        "higashiyama",
        "東山",
        "ひがしやま",
        DistrictKind.ELEMENTARY,
        (("東山小学校", "ひがしやましょうがっこう", "higashiyama-es"),),
        3,
        (("東山台", "ひがしやまだい", "higashiyamadai"), ("松ヶ枝", "まつがえ", "matsugae")),
        JICHIKAI,
        ("東山地区市民センター", "みどり野市東山一丁目15番3号", "0000-13-1180"),
        ("東山地域づくり協議会", "ひがしやまちいきづくりきょうぎかい"),
        MODEL,
        dt.date(2024, 5, 19),
        7600,
        -0.009,
        0.33,
        2.30,
        0.75,
        "東山のふもとに住宅地と農地が混在する地区です。"
        "令和6年度にモデル地区の指定を受けて協議会を設立し、地域づくり計画の策定を進めています。"
        "土砂災害警戒区域を含むため、避難に支援が必要な方の個別避難計画づくりを重点に掲げています。",
    ),
    DistrictSeed(
        "wakaba",
        "若葉",
        "わかば",
        DistrictKind.ELEMENTARY,
        (("若葉小学校", "わかばしょうがっこう", "wakaba-es"),),
        4,
        (("若葉ニュータウン", "わかばにゅーたうん", "newtown"),),
        JICHIKAI,
        ("若葉地区市民センター", "みどり野市若葉三丁目1番1号", "0000-13-2245"),
        ("若葉まちづくり協議会", "わかばまちづくりきょうぎかい"),
        MODEL,
        dt.date(2024, 6, 2),
        12500,
        0.004,
        0.19,
        2.60,
        0.58,
        "平成に入って区画整理が進んだ地区で、子育て世代の転入が続き、市内で唯一人口が増えています。"
        "児童数が多く、放課後の居場所づくりと通学路の安全が大きな関心事です。"
        "自治会に加入しない世帯も多いため、協議会はウェブやSNSでの情報発信に力を入れています。",
    ),
    DistrictSeed(
        "kawakita",
        "川北",
        "かわきた",
        DistrictKind.ELEMENTARY,
        (("川北小学校", "かわきたしょうがっこう", "kawakita-es"),),
        3,
        (("川北新田", "かわきたしんでん", "shinden"), ("堤", "つつみ", "tsutsumi")),
        JICHIKAI,
        ("川北地区市民センター", "みどり野市川北二丁目6番10号", "0000-14-3012"),
        ("川北地区まちづくり協議会", "かわきたちくまちづくりきょうぎかい"),
        MODEL,
        dt.date(2025, 5, 25),
        6200,
        -0.012,
        0.36,
        2.45,
        0.82,
        "みどり川の北岸に位置し、古くからの集落と田畑が広がる地区です。"
        "川の氾濫に備えた水防活動の伝統があり、自治会ごとの自主防災組織が活発です。"
        "令和7年度にモデル地区となり、買い物支援と水害時の避難体制づくりに取り組み始めました。",
    ),
    DistrictSeed(
        "minamidai",
        "南台",
        "みなみだい",
        DistrictKind.ELEMENTARY,
        (("南台小学校", "みなみだいしょうがっこう", "minamidai-es"),),
        4,
        (("南台団地", "みなみだいだんち", "danchi"),),
        JICHIKAI,
        ("南台地区市民センター", "みどり野市南台三丁目9番7号", "0000-15-4420"),
        (
            "南台地区まちづくり協議会設立準備会",
            "みなみだいちくまちづくりきょうぎかいせつりつじゅんびかい",
        ),
        PREPARING,
        dt.date(2025, 10, 1),
        8400,
        -0.005,
        0.29,
        2.25,
        0.66,
        "市営南台団地と戸建て住宅地からなる地区です。"
        "団地の高齢化と空き住戸の増加を受け、自治会と地区社協が中心となって設立準備会を立ち上げました。"
        "準備会では地域アンケートをもとに、地区の課題を話し合う意見交換会を重ねています。",
    ),
    DistrictSeed(
        "izumi",
        "泉",
        "いずみ",
        DistrictKind.ELEMENTARY,
        (("泉小学校", "いずみしょうがっこう", "izumi-es"),),
        3,
        (("泉ヶ丘", "いずみがおか", "izumigaoka"), ("下泉", "しもいずみ", "shimoizumi")),
        JICHIKAI,
        ("泉地区市民センター", "みどり野市泉二丁目4番1号", "0000-15-5031"),
        (
            "泉地区まちづくり協議会設立準備会",
            "いずみちくまちづくりきょうぎかいせつりつじゅんびかい",
        ),
        PREPARING,
        dt.date(2026, 4, 1),
        5400,
        -0.011,
        0.35,
        2.40,
        0.80,
        "湧き水の多い土地として知られ、泉神社の周りに古い集落が残る地区です。"
        "児童数が減り続けており、子ども会や祭りの担い手不足が課題です。"
        "令和8年度に設立準備会が発足し、地区の将来像を話し合うワークショップを始めています。",
    ),
    DistrictSeed(
        "nishihara",
        "西原",
        "にしはら",
        DistrictKind.JUNIOR_HIGH,
        (
            ("西原小学校", "にしはらしょうがっこう", "nishihara-es"),
            ("西原東小学校", "にしはらひがししょうがっこう", "nishihara-higashi-es"),
        ),
        5,
        (("西原台", "にしはらだい", "nishiharadai"), ("坂下", "さかした", "sakashita")),
        JICHIKAI,
        ("西原地区コミュニティセンター", "みどり野市西原三丁目2番20号", "0000-16-2290"),
        (
            "西原中学校区まちづくり協議会設立準備会",
            "にしはらちゅうがっこうくまちづくりきょうぎかいせつりつじゅんびかい",
        ),
        PREPARING,
        dt.date(2025, 7, 1),
        13600,
        -0.008,
        0.30,
        2.35,
        0.70,
        "西原小学校と西原東小学校の二つの校区をあわせた中学校区で、両校区の自治会が合同で協議会づくりを進めています。"
        "国道沿いに商業施設や事業所が集まり、昼間は市外からの通勤者も多い地区です。"
        "準備会では、中学生と地域が一緒に取り組む防災訓練を最初の事業に据えています。",
    ),
    DistrictSeed(
        "asahi",
        "旭",
        "あさひ",
        DistrictKind.ELEMENTARY,
        (("旭小学校", "あさひしょうがっこう", "asahi-es"),),
        3,
        (("旭ヶ丘", "あさひがおか", "asahigaoka"), ("宮下", "みやした", "miyashita")),
        CHONAIKAI,
        ("旭地区市民センター", "みどり野市旭一丁目11番4号", "0000-17-1032"),
        ("旭地区まちづくり協議会（仮称）", "あさひちくまちづくりきょうぎかい"),
        NOT_STARTED,
        dt.date(2026, 6, 14),
        4800,
        -0.014,
        0.38,
        2.30,
        0.84,
        "市の西端、丘陵のふもとにある地区で、町内会どうしのつながりが強く残っています。"
        "町内会長の会議で協議会の設立について検討を始めたところで、準備会はまだ発足していません。"
        "高齢化率が高く、地区社協によるサロン活動と見守りが地域を支えています。",
    ),
    DistrictSeed(
        "uenohara",
        "上野原",
        "うえのはら",
        DistrictKind.ELEMENTARY,
        (("上野原小学校", "うえのはらしょうがっこう", "uenohara-es"),),
        0,
        (
            ("上野原上組", "うえのはらかみぐみ", "kamigumi"),
            ("上野原中組", "うえのはらなかぐみ", "nakagumi"),
            ("上野原下組", "うえのはらしもぐみ", "shimogumi"),
            ("滝沢", "たきざわ", "takizawa"),
            ("新田", "しんでん", "shinden"),
            ("宮前", "みやまえ", "miyamae"),
        ),
        GYOSEIKU,
        ("上野原ふれあい館", "みどり野市上野原1024番地", "0000-18-0412"),
        None,
        NOT_STARTED,
        None,
        4100,
        -0.018,
        0.41,
        2.70,
        0.92,
        "市の北西部の山あいに位置し、棚田と茶畑が広がる農村地区です。"
        "六つの行政区が暮らしの単位で、道普請や祭りなどの共同作業が受け継がれています。"
        "協議会は未設立ですが、小学校の将来を話し合う場づくりが始まっています。",
    ),
    DistrictSeed(
        "hokubu",
        "北部",
        "ほくぶ",
        DistrictKind.AREA,
        (("北部小学校", "ほくぶしょうがっこう", "hokubu-es"),),
        0,
        (
            ("大沢", "おおさわ", "osawa"),
            ("小松", "こまつ", "komatsu"),
            ("長峰", "ながみね", "nagamine"),
            ("石原", "いしはら", "ishihara"),
            ("北原", "きたはら", "kitahara"),
        ),
        GYOSEIKU,
        ("北部コミュニティセンター", "みどり野市大沢210番地1", "0000-18-1275"),
        None,
        NOT_STARTED,
        None,
        3600,
        -0.016,
        0.43,
        2.80,
        0.95,
        "平成の合併で市に編入された旧北部村の区域で、中山間地域にあります。"
        "小学校区ではなく旧村の区域を単位とし、五つの行政区と北部小学校が地域の核となっています。"
        "路線バスの減便が続き、暮らしの足の確保が大きな課題です。",
    ),
)

DISTRICT_SUFFIX = {
    DistrictKind.ELEMENTARY: ("小学校区", "しょうがっこうく"),
    DistrictKind.JUNIOR_HIGH: ("中学校区", "ちゅうがっこうく"),
    DistrictKind.AREA: ("地区", "ちく"),
}
CHOME = (
    ("一", "いっ"),
    ("二", "に"),
    ("三", "さん"),
    ("四", "よん"),
    ("五", "ご"),
    ("六", "ろく"),
)
# Junior high schools and the districts they serve: (name, reading, code, districts).
JUNIOR_HIGHS = (
    ("緑が丘中学校", "みどりがおかちゅうがっこう", "midorigaoka-jhs", ("sakuradai", "midorigaoka")),
    ("本町中学校", "ほんまちちゅうがっこう", "honmachi-jhs", ("honmachi", "higashiyama")),
    ("若葉中学校", "わかばちゅうがっこう", "wakaba-jhs", ("wakaba", "kawakita")),
    ("南台中学校", "みなみだいちゅうがっこう", "minamidai-jhs", ("minamidai", "izumi")),
    ("西原中学校", "にしはらちゅうがっこう", "nishihara-jhs", ("nishihara",)),
    ("北部中学校", "ほくぶちゅうがっこう", "hokubu-jhs", ("asahi", "uenohara", "hokubu")),
)
# Companies (分団) of the city's volunteer fire brigade: (number, reading, districts).
FIRE_COMPANIES = (
    ("第一", "だいいち", ("sakuradai", "midorigaoka")),
    ("第二", "だいに", ("honmachi",)),
    ("第三", "だいさん", ("higashiyama", "kawakita")),
    ("第四", "だいよん", ("wakaba",)),
    ("第五", "だいご", ("minamidai", "izumi")),
    ("第六", "だいろく", ("nishihara",)),
    ("第七", "だいなな", ("asahi", "uenohara")),
    ("第八", "だいはち", ("hokubu",)),
)
STATISTIC_DATES = tuple(dt.date(year, month, 1) for year in range(2022, 2027) for month in (4, 10))


# --- Groups ------------------------------------------------------------------------------------


class GroupSpec(NamedTuple):
    name: str
    kana: str
    kind: str
    code: str  # romaji, for the demo website and e-mail address
    fields: tuple[str, ...]
    description: str
    districts: tuple[str, ...] = ()
    member_households: int | None = None


def template(name, kana, code, kind, fields, description) -> GroupSpec:
    """A group found in many districts; {base}, {kana} and {slug} name the district."""
    return GroupSpec(name, kana, kind, code, fields, description)


CORE_GROUPS = (
    template(
        "{base}地区社会福祉協議会",
        "{kana}ちくしゃかいふくしきょうぎかい",
        "{slug}-shakyo",
        Kind.SOCIAL_WELFARE,
        ("welfare", "health", "community"),
        "{base}地区の福祉活動の中心となる団体です。ふれあいいきいきサロン、配食サービス、"
        "ひとり暮らし高齢者の見守りを行っています。",
    ),
    template(
        "{base}地区民生委員児童委員協議会",
        "{kana}ちくみんせいいいんじどういいんきょうぎかい",
        "{slug}-minsei",
        Kind.WELFARE_VOLUNTEERS,
        ("welfare", "childcare"),
        "{base}地区を担当する民生委員・児童委員の協議会です。高齢者や子育て家庭の相談に応じ、"
        "必要な支援につないでいます。",
    ),
    template(
        "{base}地区青少年相談員会",
        "{kana}ちくせいしょうねんそうだんいんかい",
        "{slug}-seishonen",
        Kind.YOUTH_COUNSELORS,
        ("education", "childcare", "crime"),
        "市から委嘱された青少年相談員の地区組織です。キャンプや球技大会など、"
        "子どもたちの体験活動を企画しています。",
    ),
    template(
        "{base}地区自主防災連絡会",
        "{kana}ちくじしゅぼうさいれんらくかい",
        "{slug}-bousai",
        Kind.OTHER,
        ("disaster",),
        "自治会・町内会ごとの自主防災組織をつなぐ連絡会です。合同の避難訓練と防災倉庫の点検を"
        "行っています。",
    ),
)
CHILDREN_COUNCIL = template(
    "{base}地区子ども会育成連絡協議会",
    "{kana}ちくこどもかいいくせいれんらくきょうぎかい",
    "{slug}-kodomokai",
    Kind.CHILDREN,
    ("childcare", "education"),
    "{base}地区の単位子ども会をまとめる連絡協議会です。球技大会やジュニアリーダー研修を開いて"
    "います。",
)
WOMEN_GROUP = template(
    "{base}地区女性会",
    "{kana}ちくじょせいかい",
    "{slug}-josei",
    Kind.WOMEN,
    ("community", "welfare", "disaster"),
    "{base}地区の女性会です。祭りでの炊き出し、料理教室、防災備蓄品の点検に協力しています。",
)
VOLUNTEER_GROUPS = (
    template(
        "{base}見守り隊",
        "{kana}みまもりたい",
        "{slug}-mimamori",
        Kind.VOLUNTEER,
        ("crime", "traffic", "childcare"),
        "登下校の時間に通学路に立ち、子どもたちの安全を見守っています。",
    ),
    template(
        "{base}防犯パトロール隊",
        "{kana}ぼうはんぱとろーるたい",
        "{slug}-patrol",
        Kind.VOLUNTEER,
        ("crime",),
        "青色回転灯をつけた車と徒歩で、夜間の防犯パトロールを行っています。",
    ),
    template(
        "{base}花いっぱいの会",
        "{kana}はないっぱいのかい",
        "{slug}-hana",
        Kind.VOLUNTEER,
        ("environment", "community"),
        "駅前や公園の花壇に季節の花を植え、手入れをしています。",
    ),
    template(
        "{base}ふれあいサロン",
        "{kana}ふれあいさろん",
        "{slug}-salon",
        Kind.VOLUNTEER,
        ("welfare", "health"),
        "月2回、市民センターで高齢者が集う茶話会と健康体操を開いています。",
    ),
    template(
        "{base}子ども食堂",
        "{kana}こどもしょくどう",
        "{slug}-shokudo",
        Kind.VOLUNTEER,
        ("childcare", "welfare"),
        "月に1回、地域の子どもや親子に温かい食事と居場所を届けています。",
    ),
    template(
        "{base}読み聞かせの会",
        "{kana}よみきかせのかい",
        "{slug}-yomikikase",
        Kind.VOLUNTEER,
        ("education", "childcare"),
        "小学校の朝の時間や図書室で、絵本の読み聞かせを行っています。",
    ),
    template(
        "{base}環境美化ボランティア",
        "{kana}かんきょうびかぼらんてぃあ",
        "{slug}-bika",
        Kind.VOLUNTEER,
        ("environment",),
        "河川敷や公園のごみ拾いと、不法投棄の見回りを行っています。",
    ),
)
OTHER_GROUPS = (
    template(
        "{base}地区スポーツ協会",
        "{kana}ちくすぽーつきょうかい",
        "{slug}-sports",
        Kind.OTHER,
        ("culture", "health"),
        "地区の運動会やグラウンド・ゴルフ大会を運営しています。",
    ),
    template(
        "{base}まつり実行委員会",
        "{kana}まつりじっこういいんかい",
        "{slug}-matsuri",
        Kind.OTHER,
        ("culture", "community", "local_economy"),
        "毎年秋の{base}まつりを企画・運営する実行委員会です。地元の団体や商店、学校が参加して"
        "います。",
    ),
    template(
        "{base}地区交通安全協会",
        "{kana}ちくこうつうあんぜんきょうかい",
        "{slug}-kotsu",
        Kind.OTHER,
        ("traffic",),
        "交通安全運動期間の街頭指導と、子ども・高齢者向けの交通安全教室を行っています。",
    ),
    template(
        "{base}地区学校支援地域本部",
        "{kana}ちくがっこうしえんちいきほんぶ",
        "{slug}-gakko",
        Kind.OTHER,
        ("education",),
        "学校の授業や行事を手伝う地域ボランティアの登録と調整をしています。",
    ),
)
BUSINESS_GROUPS = (
    template(
        "{base}商店会",
        "{kana}しょうてんかい",
        "{slug}-shotenkai",
        Kind.BUSINESS,
        ("local_economy", "community"),
        "地区内の商店でつくる商店会です。スタンプラリーや祭りへの出店でにぎわいづくりに協力しています。",
    ),
    template(
        "みどり野信用金庫{base}支店",
        "みどりのしんようきんこ{kana}してん",
        "{slug}-shinkin",
        Kind.BUSINESS,
        ("local_economy",),
        "地元の信用金庫の支店です。ロビーを地域の作品展示や防犯の呼びかけに開放しています。",
    ),
    template(
        "{base}保育園",
        "{kana}ほいくえん",
        "{slug}-hoikuen",
        Kind.BUSINESS,
        ("childcare",),
        "地区内の私立保育園です。園児と高齢者の交流会や、地域の子育て相談を行っています。",
    ),
)
# Pools each district draws a few groups from: (templates, at least, at most).
OPTIONAL_GROUPS = ((VOLUNTEER_GROUPS, 2, 4), (OTHER_GROUPS, 1, 2), (BUSINESS_GROUPS, 1, 2))
SENIOR_CLUBS = (
    ("寿会", "ことぶきかい"),
    ("長寿会", "ちょうじゅかい"),
    ("いきいきクラブ", "いきいきくらぶ"),
    ("福寿会", "ふくじゅかい"),
    ("松寿会", "しょうじゅかい"),
    ("シニアクラブ", "しにあくらぶ"),
)
SENIOR_CLUB_TEXT = (
    "地域の高齢者クラブです。グラウンド・ゴルフや健康体操、通学路の見守りに取り組んでいます。"
)
CHILDREN_TEXT = (
    "{area}の子どもと保護者でつくる子ども会です。夏のラジオ体操、資源回収、クリスマス会を"
    "行っています。"
)
ASSOCIATION_FIELDS = ("community", "disaster", "crime", "environment", "welfare")
ASSOCIATION_TEXTS = (
    "{area}の住民でつくる{suffix}です。防犯灯の管理やごみ集積所の清掃、夏祭りを行っています。",
    "{area}の{suffix}です。回覧板での情報共有、防災訓練、敬老の集いなどに取り組んでいます。",
    "{area}の住民が加入する{suffix}です。資源回収や公園清掃、子どもの見守りを行っています。",
)
SCHOOL_TEXT = "地域の子どもたちが通う市立学校です。学校運営協議会を通じて地域と連携しています。"
PTA_TEXT = (
    "{school}の保護者と教職員でつくるPTAです。登下校の見守りや学校行事の手伝いを行っています。"
)
FIRE_TEXT = "火災や風水害のときに出動する消防団の分団です。地域の防災訓練で指導にもあたっています。"

# Groups that are not tied to one district's name.
CITY_GROUPS = (
    GroupSpec(
        "NPO法人みどり野子育てネット",
        "えぬぴーおーほうじんみどりのこそだてねっと",
        Kind.NPO,
        "kosodate-net",
        ("childcare", "education"),
        "子育て中の親子が集うひろばの運営と、子育て相談、一時預かりを行っています。",
        ("wakaba", "sakuradai"),
    ),
    GroupSpec(
        "NPO法人みどり野まちづくりサポートセンター",
        "えぬぴーおーほうじんみどりのまちづくりさぽーとせんたー",
        Kind.NPO,
        "machi-support",
        ("community", "local_economy"),
        "市民活動団体の立ち上げや運営の相談、会計・広報の講座を行う中間支援組織です。",
        ("honmachi", "nishihara"),
    ),
    GroupSpec(
        "NPO法人ささえあい東山",
        "えぬぴーおーほうじんささえあいひがしやま",
        Kind.NPO,
        "sasaeai-higashiyama",
        ("welfare", "health"),
        "ごみ出しや電球交換など、高齢者の暮らしの困りごとを有償ボランティアで手伝っています。",
        ("higashiyama",),
    ),
    GroupSpec(
        "NPO法人里山みどりの会",
        "えぬぴーおーほうじんさとやまみどりのかい",
        Kind.NPO,
        "satoyama",
        ("environment", "culture"),
        "荒れた里山の手入れと、子ども向けの自然観察会や炭焼き体験を行っています。",
        ("uenohara", "hokubu"),
    ),
    GroupSpec(
        "NPO法人みどり野防災ネットワーク",
        "えぬぴーおーほうじんみどりのぼうさいねっとわーく",
        Kind.NPO,
        "bousai-net",
        ("disaster",),
        "防災士の資格を持つ市民の団体で、地区の防災訓練や避難所運営の研修を支えています。",
        ("midorigaoka", "kawakita"),
    ),
    GroupSpec(
        "NPO法人おでかけ支援かわきた",
        "えぬぴーおーほうじんおでかけしえんかわきた",
        Kind.NPO,
        "odekake",
        ("welfare", "traffic"),
        "運転ボランティアによる高齢者の通院・買い物の送迎を行っています。",
        ("kawakita", "asahi"),
    ),
    GroupSpec(
        "NPO法人学びの広場みどり野",
        "えぬぴーおーほうじんまなびのひろばみどりの",
        Kind.NPO,
        "manabi",
        ("education", "childcare"),
        "小中学生の学習支援教室と、外国にルーツのある子どもの日本語支援を行っています。",
        ("minamidai", "izumi"),
    ),
    GroupSpec(
        "NPO法人ほっとカフェ本町",
        "えぬぴーおーほうじんほっとかふぇほんまち",
        Kind.NPO,
        "hotcafe",
        ("welfare", "community"),
        "商店街の空き店舗で地域カフェを運営し、認知症カフェも月1回開いています。",
        ("honmachi",),
    ),
    GroupSpec(
        "NPO法人スポーツクラブみどり野",
        "えぬぴーおーほうじんすぽーつくらぶみどりの",
        Kind.NPO,
        "sports-club",
        ("culture", "health"),
        "子どもから高齢者まで参加できる総合型地域スポーツクラブです。",
        ("nishihara", "wakaba"),
    ),
    GroupSpec(
        "NPO法人北部地域おこしの会",
        "えぬぴーおーほうじんほくぶちいきおこしのかい",
        Kind.NPO,
        "hokubu-okoshi",
        ("local_economy", "community"),
        "農産物直売所の運営、空き家の活用、移住の相談を通じて北部地区の活性化に取り組んでいます。",
        ("hokubu", "uenohara"),
    ),
    GroupSpec(
        "NPO法人いずみ配食サービス",
        "えぬぴーおーほうじんいずみはいしょくさーびす",
        Kind.NPO,
        "izumi-haishoku",
        ("welfare", "health"),
        "ひとり暮らしの高齢者に手作りの夕食を届けながら、安否の確認を行っています。",
        ("izumi", "minamidai"),
    ),
    GroupSpec(
        "株式会社みどり野ガス",
        "かぶしきがいしゃみどりのがす",
        Kind.BUSINESS,
        "midorino-gas",
        ("disaster", "community"),
        "市内に都市ガスを供給する会社です。地区の防災訓練に社員が参加しています。",
        ("sakuradai", "wakaba"),
    ),
    GroupSpec(
        "みどり野交通株式会社",
        "みどりのこうつうかぶしきがいしゃ",
        Kind.BUSINESS,
        "midorino-kotsu",
        ("traffic", "welfare"),
        "市内の路線バスを運行しています。地区と協力して予約制の乗合交通を試行しています。",
        ("hokubu", "uenohara"),
    ),
    GroupSpec(
        "医療法人緑風会みどり野中央病院",
        "いりょうほうじんりょくふうかいみどりのちゅうおうびょういん",
        Kind.BUSINESS,
        "chuo-hospital",
        ("health", "welfare"),
        "地域の中核病院です。健康講座への講師派遣や、地区の健康まつりに協力しています。",
        ("honmachi", "higashiyama"),
    ),
    GroupSpec(
        "特別養護老人ホームさくらの里",
        "とくべつようごろうじんほーむさくらのさと",
        Kind.BUSINESS,
        "sakuranosato",
        ("welfare",),
        "社会福祉法人が運営する特別養護老人ホームです。地域の方との合同避難訓練や介護教室を"
        "行っています。",
        ("sakuradai",),
    ),
    GroupSpec(
        "JAみどり野",
        "じぇいえーみどりの",
        Kind.BUSINESS,
        "ja-midorino",
        ("local_economy", "environment"),
        "地区の農家でつくる農業協同組合です。直売所の運営と子ども向けの農業体験を行っています。",
        ("kawakita", "uenohara", "hokubu"),
    ),
    GroupSpec(
        "有限会社森田工務店",
        "ゆうげんがいしゃもりたこうむてん",
        Kind.BUSINESS,
        "morita-koumuten",
        ("disaster",),
        "地元の工務店です。防災倉庫の修繕や、祭りのやぐら組みに協力しています。",
        ("asahi",),
    ),
    GroupSpec(
        "みどりマート西原店",
        "みどりまーとにしはらてん",
        Kind.BUSINESS,
        "midorimart",
        ("local_economy", "welfare"),
        "地元のスーパーマーケットです。市と見守り協定を結び、移動販売車を走らせています。",
        ("nishihara", "minamidai"),
    ),
)


# --- People and officers -----------------------------------------------------------------------

FAMILY_NAMES = (
    ("佐藤", "さとう", "sato"),
    ("鈴木", "すずき", "suzuki"),
    ("高橋", "たかはし", "takahashi"),
    ("田中", "たなか", "tanaka"),
    ("伊藤", "いとう", "ito"),
    ("渡辺", "わたなべ", "watanabe"),
    ("山本", "やまもと", "yamamoto"),
    ("中村", "なかむら", "nakamura"),
    ("小林", "こばやし", "kobayashi"),
    ("加藤", "かとう", "kato"),
    ("吉田", "よしだ", "yoshida"),
    ("山田", "やまだ", "yamada"),
    ("佐々木", "ささき", "sasaki"),
    ("山口", "やまぐち", "yamaguchi"),
    ("松本", "まつもと", "matsumoto"),
    ("井上", "いのうえ", "inoue"),
    ("木村", "きむら", "kimura"),
    ("林", "はやし", "hayashi"),
    ("斎藤", "さいとう", "saito"),
    ("清水", "しみず", "shimizu"),
    ("山崎", "やまざき", "yamazaki"),
    ("森", "もり", "mori"),
    ("池田", "いけだ", "ikeda"),
    ("橋本", "はしもと", "hashimoto"),
    ("阿部", "あべ", "abe"),
    ("石川", "いしかわ", "ishikawa"),
    ("山下", "やました", "yamashita"),
    ("中島", "なかじま", "nakajima"),
    ("石井", "いしい", "ishii"),
    ("小川", "おがわ", "ogawa"),
    ("前田", "まえだ", "maeda"),
    ("岡田", "おかだ", "okada"),
    ("長谷川", "はせがわ", "hasegawa"),
    ("藤田", "ふじた", "fujita"),
    ("後藤", "ごとう", "goto"),
    ("近藤", "こんどう", "kondo"),
    ("村上", "むらかみ", "murakami"),
    ("遠藤", "えんどう", "endo"),
    ("青木", "あおき", "aoki"),
    ("坂本", "さかもと", "sakamoto"),
    ("福田", "ふくだ", "fukuda"),
    ("太田", "おおた", "ota"),
    ("西村", "にしむら", "nishimura"),
    ("藤井", "ふじい", "fujii"),
    ("金子", "かねこ", "kaneko"),
    ("岡本", "おかもと", "okamoto"),
    ("藤原", "ふじわら", "fujiwara"),
    ("中野", "なかの", "nakano"),
    ("三浦", "みうら", "miura"),
    ("原田", "はらだ", "harada"),
    ("松田", "まつだ", "matsuda"),
    ("竹内", "たけうち", "takeuchi"),
    ("小野", "おの", "ono"),
    ("田村", "たむら", "tamura"),
    ("和田", "わだ", "wada"),
    ("石田", "いしだ", "ishida"),
    ("上田", "うえだ", "ueda"),
    ("内田", "うちだ", "uchida"),
    ("柴田", "しばた", "shibata"),
    ("酒井", "さかい", "sakai"),
    ("宮崎", "みやざき", "miyazaki"),
    ("横山", "よこやま", "yokoyama"),
    ("安藤", "あんどう", "ando"),
    ("宮本", "みやもと", "miyamoto"),
    ("大野", "おおの", "ono"),
    ("丸山", "まるやま", "maruyama"),
    ("杉山", "すぎやま", "sugiyama"),
    ("野口", "のぐち", "noguchi"),
    ("千葉", "ちば", "chiba"),
    ("久保", "くぼ", "kubo"),
    ("服部", "はっとり", "hattori"),
)
GIVEN_NAMES = (
    ("太郎", "たろう"),
    ("一郎", "いちろう"),
    ("健一", "けんいち"),
    ("誠", "まこと"),
    ("博", "ひろし"),
    ("隆", "たかし"),
    ("茂", "しげる"),
    ("勇", "いさむ"),
    ("清", "きよし"),
    ("実", "みのる"),
    ("正男", "まさお"),
    ("和夫", "かずお"),
    ("修", "おさむ"),
    ("明", "あきら"),
    ("進", "すすむ"),
    ("豊", "ゆたか"),
    ("浩二", "こうじ"),
    ("健太", "けんた"),
    ("大輔", "だいすけ"),
    ("拓也", "たくや"),
    ("直樹", "なおき"),
    ("雅之", "まさゆき"),
    ("秀樹", "ひでき"),
    ("義男", "よしお"),
    ("幸雄", "ゆきお"),
    ("哲也", "てつや"),
    ("花子", "はなこ"),
    ("幸子", "さちこ"),
    ("恵子", "けいこ"),
    ("和子", "かずこ"),
    ("洋子", "ようこ"),
    ("京子", "きょうこ"),
    ("節子", "せつこ"),
    ("由美子", "ゆみこ"),
    ("久美子", "くみこ"),
    ("裕子", "ゆうこ"),
    ("直子", "なおこ"),
    ("真由美", "まゆみ"),
    ("明美", "あけみ"),
    ("智子", "ともこ"),
    ("典子", "のりこ"),
    ("陽子", "ようこ"),
    ("美穂", "みほ"),
    ("香織", "かおり"),
    ("友美", "ともみ"),
    ("千尋", "ちひろ"),
    ("順子", "じゅんこ"),
    ("静子", "しずこ"),
)


class Person(NamedTuple):
    name: str
    kana: str
    is_public: bool
    phone: str
    email: str


def new_person(rng: random.Random) -> Person:
    family, family_kana, romaji = rng.choice(FAMILY_NAMES)
    given, given_kana = rng.choice(GIVEN_NAMES)
    return Person(
        name=f"{family} {given}",
        kana=f"{family_kana} {given_kana}",
        is_public=rng.random() < 2 / 3,
        phone=f"0000-{rng.randint(90, 99)}-{rng.randint(0, 9999):04d}",
        email=f"{romaji}{rng.randint(10, 99)}@example.jp" if rng.random() < 0.6 else "",
    )


R = OfficerRole
ANNUAL_KINDS = {Kind.NEIGHBORHOOD, Kind.PTA, Kind.CHILDREN}
GROUP_POSTS = {
    Kind.NEIGHBORHOOD: ((R.CHAIR, ""), (R.VICE_CHAIR, ""), (R.TREASURER, "")),
    Kind.SOCIAL_WELFARE: (
        (R.CHAIR, ""),
        (R.VICE_CHAIR, ""),
        (R.SECRETARY_GENERAL, ""),
        (R.TREASURER, ""),
        (R.AUDITOR, "監事"),
    ),
    Kind.WELFARE_VOLUNTEERS: ((R.CHAIR, ""), (R.VICE_CHAIR, ""), (R.TREASURER, "")),
    Kind.PTA: ((R.CHAIR, ""), (R.VICE_CHAIR, ""), (R.TREASURER, ""), (R.OTHER, "書記")),
    Kind.CHILDREN: ((R.CHAIR, "育成会長"), (R.TREASURER, "")),
    Kind.SENIORS: ((R.CHAIR, ""), (R.VICE_CHAIR, ""), (R.TREASURER, "")),
    Kind.YOUTH_COUNSELORS: ((R.CHAIR, ""), (R.VICE_CHAIR, "")),
    Kind.FIRE_BRIGADE: ((R.CHAIR, "分団長"), (R.VICE_CHAIR, "副分団長")),
    Kind.WOMEN: ((R.CHAIR, ""), (R.VICE_CHAIR, ""), (R.TREASURER, "")),
    Kind.NPO: ((R.CHAIR, "理事長"), (R.DIRECTOR, "理事"), (R.AUDITOR, "監事")),
    Kind.VOLUNTEER: ((R.CHAIR, "代表"), (R.TREASURER, "")),
    Kind.OTHER: ((R.CHAIR, ""), (R.VICE_CHAIR, ""), (R.TREASURER, "")),
}
COUNCIL_POSTS = {
    ESTABLISHED: (
        (R.CHAIR, ""),
        (R.VICE_CHAIR, ""),
        (R.VICE_CHAIR, ""),
        (R.SECRETARY_GENERAL, ""),
        (R.TREASURER, ""),
        (R.DIVISION_HEAD, "防災部会長"),
        (R.DIVISION_HEAD, "福祉部会長"),
        (R.DIVISION_HEAD, "子ども・教育部会長"),
        (R.AUDITOR, "監事"),
        (R.AUDITOR, "監事"),
    ),
    MODEL: (
        (R.CHAIR, ""),
        (R.VICE_CHAIR, ""),
        (R.SECRETARY_GENERAL, ""),
        (R.TREASURER, ""),
        (R.DIVISION_HEAD, "防災部会長"),
        (R.DIVISION_HEAD, "福祉部会長"),
        (R.AUDITOR, "監事"),
    ),
    PREPARING: ((R.CHAIR, "準備会代表"), (R.VICE_CHAIR, "副代表"), (R.SECRETARY_GENERAL, "")),
    NOT_STARTED: ((R.CHAIR, "世話人代表"),),
}
# Kinds that hold a seat in every council of their district; other kinds join some councils.
COUNCIL_MEMBER_KINDS = {
    Kind.NEIGHBORHOOD,
    Kind.SOCIAL_WELFARE,
    Kind.WELFARE_VOLUNTEERS,
    Kind.PTA,
    Kind.CHILDREN,
    Kind.SENIORS,
    Kind.YOUTH_COUNSELORS,
    Kind.FIRE_BRIGADE,
    Kind.WOMEN,
    Kind.SCHOOL,
    Kind.OTHER,
}
# Kinds of looser groups: they may join a council late, leave it, or await publication.
LOOSE_KINDS = {
    Kind.CHILDREN,
    Kind.WOMEN,
    Kind.NPO,
    Kind.VOLUNTEER,
    Kind.BUSINESS,
    Kind.OTHER,
}


# --- Accounts ----------------------------------------------------------------------------------


class Account(NamedTuple):
    username: str
    last_name: str
    first_name: str
    role: str  # group name; empty for the administrator
    is_staff: bool = False
    is_superuser: bool = False
    label: str = ""


DEMO_ACCOUNTS = (
    Account("demo-coordinator", "佐藤", "美咲", roles.COORDINATORS, label="coordinator"),
    Account("demo-coordinator2", "鈴木", "健太", roles.COORDINATORS, label="coordinator"),
    Account("demo-liaison", "高橋", "直樹", roles.LIAISON, True, label="liaison officer"),
    Account("demo-officer", "田中", "由美", roles.GRANT_OFFICERS, True, label="grant officer"),
    Account("demo-approver", "伊藤", "誠", roles.GRANT_APPROVERS, True, label="grant approver"),
    Account("demo-admin", "渡辺", "恵子", "", True, True, label="administrator"),
)
COORDINATED_DISTRICTS = {"demo-coordinator": "sakuradai", "demo-coordinator2": "higashiyama"}
# City staff who are liaison officers but have no demo login: (account, public phone).
LIAISON_STAFF = (
    (Account("kobayashi.koji", "小林", "浩二", roles.LIAISON, True), "0000-00-1202"),
    (Account("nakamura.ayaka", "中村", "彩花", roles.LIAISON, True), "0000-00-1203"),
    (Account("yamamoto.shota", "山本", "翔太", roles.LIAISON, True), "0000-00-1204"),
    (Account("kato.hiroshi", "加藤", "博", roles.LIAISON, True), "0000-00-1205"),
)
LIAISON_PHONES = {"demo-liaison": "0000-00-1201"} | {
    account.username: phone for account, phone in LIAISON_STAFF
}
LIAISON_EMAILS = {"demo-liaison": "takahashi.naoki"}
# (username, district, from, to)
LIAISON_ASSIGNMENTS = (
    ("demo-liaison", "sakuradai", dt.date(2025, 4, 1), None),
    ("demo-liaison", "higashiyama", dt.date(2025, 4, 1), None),
    ("demo-liaison", "minamidai", dt.date(2025, 4, 1), None),
    ("kobayashi.koji", "midorigaoka", dt.date(2024, 4, 1), None),
    ("kobayashi.koji", "wakaba", dt.date(2024, 4, 1), None),
    ("kobayashi.koji", "kawakita", dt.date(2025, 4, 1), None),
    ("nakamura.ayaka", "honmachi", dt.date(2023, 4, 1), None),
    ("nakamura.ayaka", "asahi", dt.date(2023, 4, 1), None),
    ("nakamura.ayaka", "izumi", dt.date(2026, 4, 1), None),
    ("yamamoto.shota", "nishihara", dt.date(2025, 4, 1), None),
    ("yamamoto.shota", "uenohara", dt.date(2025, 4, 1), None),
    ("yamamoto.shota", "hokubu", dt.date(2025, 4, 1), None),
    ("kato.hiroshi", "sakuradai", dt.date(2021, 4, 1), dt.date(2025, 3, 31)),
    ("kato.hiroshi", "higashiyama", dt.date(2022, 4, 1), dt.date(2025, 3, 31)),
    ("kato.hiroshi", "minamidai", dt.date(2022, 4, 1), dt.date(2025, 3, 31)),
    ("nakamura.ayaka", "midorigaoka", dt.date(2020, 4, 1), dt.date(2024, 3, 31)),
    ("yamamoto.shota", "izumi", dt.date(2023, 4, 1), dt.date(2026, 3, 31)),
    ("kobayashi.koji", "nishihara", dt.date(2022, 4, 1), dt.date(2025, 3, 31)),
)


# --- Building the data -------------------------------------------------------------------------


def demo_random(name: str) -> random.Random:
    """A generator with a fixed seed, so every run builds the same data."""
    return random.Random(f"kyodo-demo-{name}")  # noqa: S311 - repeatable, not secret


def statistic_values(seed: DistrictSeed, day: dt.date) -> dict[str, int]:
    """A slow trend from the 2022 figures: population drifts, aging rises, children fall."""
    years = (day - STATISTIC_DATES[0]).days / 365.25
    population = round(seed.population * (1 + seed.growth) ** years)
    return {
        "population": population,
        "households": round(population / (seed.household_size - 0.015 * years)),
        "under_15": round(population * (0.22 - 0.35 * seed.aging - 0.002 * years)),
        "aged_65_over": round(population * (seed.aging + 0.006 * years)),
    }


def association_areas(seed: DistrictSeed) -> list[tuple[str, str, str]]:
    numbered = [
        (f"{seed.base}{kanji}丁目", f"{seed.base_kana}{kana}ちょうめ", f"{number}chome")
        for number, (kanji, kana) in enumerate(CHOME[: seed.chome], start=1)
    ]
    return numbered + list(seed.areas)


def for_district(spec: GroupSpec, seed: DistrictSeed) -> GroupSpec:
    names = {"base": seed.base, "kana": seed.base_kana, "slug": seed.slug}
    return spec._replace(
        name=spec.name.format(**names),
        kana=spec.kana.format(**names),
        code=spec.code.format(**names),
        description=spec.description.format(**names),
        districts=(seed.slug,),
    )


def school_groups(name: str, kana: str, code: str, districts: tuple[str, ...]) -> list[GroupSpec]:
    prefix, prefix_kana = SCHOOL_PREFIX
    return [
        GroupSpec(
            f"{prefix}{name}",
            f"{prefix_kana}{kana}",
            Kind.SCHOOL,
            code,
            ("education",),
            SCHOOL_TEXT,
            districts,
        ),
        GroupSpec(
            f"{name}PTA",
            f"{kana}ぴーてぃーえー",
            Kind.PTA,
            f"{code}-pta",
            ("education", "childcare", "traffic"),
            PTA_TEXT.format(school=name),
            districts,
        ),
    ]


def district_groups(seed: DistrictSeed, rng: random.Random) -> list[GroupSpec]:
    """The groups named after one district, with a mix that differs from district to district."""
    areas = association_areas(seed)
    suffix, suffix_kana = seed.association
    households = statistic_values(seed, STATISTIC_DATES[-1])["households"]
    weights = [rng.uniform(0.6, 1.4) for _ in areas]
    members = households * seed.joining_rate / sum(weights)
    specs = [
        GroupSpec(
            f"{area}{suffix}",
            f"{kana}{suffix_kana}",
            Kind.NEIGHBORHOOD,
            f"{seed.slug}-{code}",
            tuple(rng.sample(ASSOCIATION_FIELDS, rng.randint(2, 4))),
            rng.choice(ASSOCIATION_TEXTS).format(area=area, suffix=suffix),
            (seed.slug,),
            round(members * weight),
        )
        for (area, kana, code), weight in zip(areas, weights, strict=True)
    ]
    specs += [for_district(spec, seed) for spec in CORE_GROUPS]
    for school in seed.schools:
        specs += school_groups(*school, (seed.slug,))
    if rng.random() < 0.6:
        specs.append(for_district(CHILDREN_COUNCIL, seed))
    for index, (area, kana, _) in enumerate(rng.sample(areas, rng.randint(1, 3)), start=1):
        specs.append(
            GroupSpec(
                f"{area}子ども会",
                f"{kana}こどもかい",
                Kind.CHILDREN,
                f"{seed.slug}-kodomo{index}",
                ("childcare",),
                CHILDREN_TEXT.format(area=area),
                (seed.slug,),
            )
        )
    places = [(seed.base, seed.base_kana), rng.choice(areas)[:2]][: rng.randint(1, 2)]
    clubs = rng.sample(SENIOR_CLUBS, len(places))
    for index, ((place, place_kana), (club, club_kana)) in enumerate(
        zip(places, clubs, strict=True), start=1
    ):
        specs.append(
            GroupSpec(
                f"{place}{club}",
                f"{place_kana}{club_kana}",
                Kind.SENIORS,
                f"{seed.slug}-club{index}",
                ("welfare", "health"),
                SENIOR_CLUB_TEXT,
                (seed.slug,),
            )
        )
    if rng.random() < 0.6:
        specs.append(for_district(WOMEN_GROUP, seed))
    for pool, low, high in OPTIONAL_GROUPS:
        specs += [for_district(spec, seed) for spec in rng.sample(pool, rng.randint(low, high))]
    return specs


# Groups whose names reached the city written by hand, in full-width digits and letters. The admin's
# search and the public directory find them whichever way the name is typed: 「桜台2丁目」,
# 「桜台二丁目」 or 「桜台２丁目」; 「NPO」, 「npo」 or 「ＮＰＯ」.
GROUPS_AS_WRITTEN = (
    GroupSpec(
        "桜台２丁目シニアクラブ",
        "さくらだいにちょうめしにあくらぶ",
        Kind.SENIORS,
        "sakuradai-2-seniors",
        ("welfare", "health"),
        "桜台２丁目の高齢者の会です。グラウンド・ゴルフと月1回の食事会を行っています。",
        ("sakuradai",),
    ),
    GroupSpec(
        "ＮＰＯ法人さくらだい子ども食堂",
        "えぬぴーおーほうじんさくらだいこどもしょくどう",
        Kind.NPO,
        "sakuradai-kodomo-shokudo",
        ("childcare", "welfare"),
        "毎月第2・第4土曜日に、子どもと地域の大人が一緒に食べる食堂を開いています。",
        ("sakuradai",),
    ),
)


def shared_groups() -> list[GroupSpec]:
    """Junior high schools, fire brigade companies, NPOs and businesses of several districts."""
    specs = []
    for name, kana, code, districts in JUNIOR_HIGHS:
        specs += school_groups(name, kana, code, districts)
    for number, kana, districts in FIRE_COMPANIES:
        specs.append(
            GroupSpec(
                f"{CITY}消防団{number}分団",
                f"{CITY_KANA}しょうぼうだん{kana}ぶんだん",
                Kind.FIRE_BRIGADE,
                f"shobodan-{districts[0]}",
                ("disaster",),
                FIRE_TEXT,
                districts,
            )
        )
    return specs + list(CITY_GROUPS) + list(GROUPS_AS_WRITTEN)


# Share of groups of a kind with a website (e-mail is a little more common).
ONLINE_SHARE = {Kind.NPO: 0.8, Kind.SCHOOL: 1.0, Kind.BUSINESS: 0.7, Kind.SOCIAL_WELFARE: 0.6}
FIRST_FOUNDED = {Kind.NEIGHBORHOOD: 1955, Kind.SCHOOL: 1950, Kind.PTA: 1950, Kind.NPO: 2000}
ORGANIZATION_FIELDS = (
    "name_kana",
    "description",
    "founded_on",
    "member_households",
    "website",
    "email",
    "is_published",
)


def organization_values(spec: GroupSpec, rng: random.Random) -> dict:
    chance = ONLINE_SHARE.get(spec.kind, 0.2)
    founded = rng.randint(FIRST_FOUNDED.get(spec.kind, 1970), 2019)
    return {
        "name_kana": spec.kana,
        "description": spec.description,
        "founded_on": dt.date(founded, 4, 1),
        "member_households": spec.member_households,
        "website": f"https://example.jp/{spec.code}/" if rng.random() < chance else "",
        "email": f"{spec.code}@example.jp" if rng.random() < chance + 0.15 else "",
        "is_published": spec.kind not in LOOSE_KINDS or rng.random() >= 0.12,
    }


def fiscal_terms(kind: str, rng: random.Random) -> list[tuple[dt.date, dt.date | None]]:
    """One-year terms since 2023 for associations, PTAs and children's groups; two-year others."""
    years = 1 if kind in ANNUAL_KINDS else 2
    starts = range(2023, 2027) if years == 1 else range(2022, 2027, 2)
    terms = [(dt.date(fy, 4, 1), dt.date(fy + years, 3, 31)) for fy in starts]
    # The latest officers serve until their successors are registered, so the demo city keeps
    # current officers in the years after it was written.
    terms[-1] = (terms[-1][0], None)
    return terms


def council_terms(formed_on: dt.date, rng: random.Random) -> list[tuple[dt.date, dt.date | None]]:
    """Two-year terms from the day the council (or its preparatory body) was formed."""
    starts = []
    start = formed_on
    while start <= AS_OF:
        starts.append(start)
        start = start.replace(year=start.year + 2)
    ends = [following - dt.timedelta(days=1) for following in starts[1:]]
    ends.append(None)  # serving until the next election is registered
    return list(zip(starts, ends, strict=True))


def officer_rows(posts, terms, rng: random.Random, **parent) -> list[Officer]:
    """Officers over several terms; some are reappointed and a vice-chair may become chair."""
    rows = []
    holders: dict[int, Person] = {}
    vice = next((i for i, (role, _) in enumerate(posts) if role == R.VICE_CHAIR), None)
    for start, end in terms:
        previous, holders, taken = holders, {}, set()
        for index, (role, title) in enumerate(posts):
            person = None
            if index in previous and rng.random() < 0.4:
                person = previous[index]
            elif role == R.CHAIR and vice in previous and rng.random() < 0.5:
                person = previous[vice]
            if person is None or person.name in taken:
                person = new_person(rng)
            holders[index] = person
            taken.add(person.name)
            rows.append(
                Officer(
                    role=role,
                    title_detail=title,
                    rank=OFFICER_ROLE_RANK[role],
                    person_name=person.name,
                    person_name_kana=person.kana,
                    term_start=start,
                    term_end=end,
                    name_is_public=person.is_public,
                    private_phone=person.phone,
                    private_email=person.email,
                    **parent,
                )
            )
    return rows


def membership_rows(
    council: Council, formed: dt.date, organizations, rng: random.Random
) -> list[Membership]:
    """Seats from the council's start; some groups joined later and a few have left."""
    rows = []
    for organization in organizations:
        if organization.kind not in COUNCIL_MEMBER_KINDS and rng.random() < 0.5:
            continue
        start, end = formed, None
        loose = organization.kind in LOOSE_KINDS
        later = [dt.date(year, 4, 1) for year in range(formed.year + 1, AS_OF.year + 1)]
        if loose and later and rng.random() < 0.3:
            start = rng.choice(later)
        endings = [dt.date(year, 3, 31) for year in range(start.year + 1, AS_OF.year + 1)]
        if loose and endings and rng.random() < 0.12:
            end = rng.choice(endings)
        rows.append(
            Membership(
                organization=organization,
                council=council,
                start_on=start,
                end_on=end,
                role=membership_role(council, organization.kind, rng),
            )
        )
    return rows


def membership_role(council: Council, kind: str, rng: random.Random) -> str:
    if kind == Kind.SOCIAL_WELFARE and council.stage == ESTABLISHED:
        return MembershipRole.SECRETARIAT
    if kind == Kind.SCHOOL:
        return MembershipRole.ADVISOR
    if kind == Kind.BUSINESS and rng.random() < 0.5:
        return MembershipRole.OBSERVER
    return MembershipRole.MEMBER


# --- Writing -----------------------------------------------------------------------------------


def seed_districts() -> dict[str, District]:
    districts = {}
    for order, seed in enumerate(DISTRICTS, start=1):
        suffix, suffix_kana = DISTRICT_SUFFIX[seed.kind]
        school = seed.schools[0][0]
        if seed.kind == DistrictKind.JUNIOR_HIGH:
            school = next(jhs[0] for jhs in JUNIOR_HIGHS if jhs[3] == (seed.slug,))
        hub_name, hub_address, hub_phone = seed.hub
        districts[seed.slug], _ = District.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "kind": seed.kind,
                "name": f"{seed.base}{suffix}",
                "name_kana": f"{seed.base_kana}{suffix_kana}",
                "school_name": f"{SCHOOL_PREFIX[0]}{school}",
                "hub_name": hub_name,
                "hub_address": hub_address,
                "hub_phone": hub_phone,
                "summary": seed.summary,
                "display_order": order,
            },
        )
    return districts


def seed_councils(districts: dict[str, District]) -> dict[str, Council]:
    councils = {}
    for seed in DISTRICTS:
        if seed.council is None:
            continue
        name, kana = seed.council
        active = seed.stage in (ESTABLISHED, MODEL)
        councils[seed.slug], _ = Council.objects.update_or_create(
            district=districts[seed.slug],
            defaults={
                "name": name,
                "name_kana": kana,
                "stage": seed.stage,
                "established_on": seed.formed_on if active else None,
                "contact_name": f"{name}事務局",
                "contact_phone": seed.hub[2] if seed.stage != NOT_STARTED else "",
                "contact_email": f"{seed.slug}-machi@example.jp" if active else "",
            },
        )
    return councils


def seed_statistics(districts: dict[str, District]) -> None:
    DistrictStatistic.objects.filter(
        district__in=districts.values(), as_of__in=STATISTIC_DATES
    ).delete()
    DistrictStatistic.objects.bulk_create(
        DistrictStatistic(district=districts[seed.slug], as_of=day, **statistic_values(seed, day))
        for seed in DISTRICTS
        for day in STATISTIC_DATES
    )


def seed_organizations(districts: dict[str, District]) -> list[Organization]:
    """Create or update the groups by name and kind, then reset their districts and fields."""
    rng = demo_random("groups")
    specs = [spec for seed in DISTRICTS for spec in district_groups(seed, rng)] + shared_groups()
    keys = [(spec.name, spec.kind) for spec in specs]
    if len(set(keys)) != len(keys):
        raise CommandError("The demo data names two groups alike.")
    existing = {
        (org.name, org.kind): org
        for org in Organization.objects.filter(name__in=[spec.name for spec in specs])
    }
    new, changed = [], []
    for spec in specs:
        values = organization_values(spec, rng)
        org = existing.get((spec.name, spec.kind)) or Organization(name=spec.name, kind=spec.kind)
        for attribute, value in values.items():
            setattr(org, attribute, value)
        (changed if org.pk else new).append(org)
    Organization.objects.bulk_create(new)
    Organization.objects.bulk_update(changed, ORGANIZATION_FIELDS)
    saved = {
        (org.name, org.kind): org
        for org in Organization.objects.filter(name__in=[spec.name for spec in specs])
    }
    organizations = [saved[key] for key in keys]

    fields = {field.code: field for field in Field.objects.all()}
    district_links = Organization.districts.through
    field_links = Organization.fields.through
    district_links.objects.filter(organization__in=organizations).delete()
    field_links.objects.filter(organization__in=organizations).delete()
    district_links.objects.bulk_create(
        district_links(organization=org, district=districts[slug])
        for org, spec in zip(organizations, specs, strict=True)
        for slug in spec.districts
    )
    field_links.objects.bulk_create(
        field_links(organization=org, field=fields[code])
        for org, spec in zip(organizations, specs, strict=True)
        for code in spec.fields
    )
    return organizations


def seed_memberships_and_officers(
    councils: dict[str, Council], organizations: list[Organization]
) -> None:
    """Replace the seats and officers of the demo councils and groups."""
    rng = demo_random("people")
    Membership.objects.filter(council__in=councils.values()).delete()
    Officer.objects.filter(
        Q(council__in=councils.values()) | Q(organization__in=organizations)
    ).delete()
    by_pk = {org.pk: org for org in organizations}
    position = {org.pk: index for index, org in enumerate(organizations)}
    by_district: dict[int, list[Organization]] = {}
    links = Organization.districts.through.objects.filter(organization__in=organizations)
    for organization_id, district_id in links.values_list("organization_id", "district_id"):
        by_district.setdefault(district_id, []).append(by_pk[organization_id])
    memberships, officers = [], []
    for seed in DISTRICTS:
        council = councils.get(seed.slug)
        if council is None:
            continue
        if council.stage != NOT_STARTED:
            members = by_district.get(council.district_id, [])
            members.sort(key=lambda org: position[org.pk])
            memberships += membership_rows(council, seed.formed_on, members, rng)
        terms = council_terms(seed.formed_on, rng)
        officers += officer_rows(COUNCIL_POSTS[council.stage], terms, rng, council=council)
    for organization in organizations:
        posts = GROUP_POSTS.get(organization.kind)
        if posts and rng.random() < 0.8:
            terms = fiscal_terms(organization.kind, rng)
            officers += officer_rows(posts, terms, rng, organization=organization)
    Membership.objects.bulk_create(memberships)
    Officer.objects.bulk_create(officers)


def seed_accounts(councils: dict[str, Council]) -> dict[str, AbstractUser]:
    """The demo logins (one password for all) and the liaison staff without a login."""
    user_model = get_user_model()
    groups = {group.name: group for group in Group.objects.all()}
    missing = {account.role for account in DEMO_ACCOUNTS if account.role} - set(groups)
    if missing:
        raise CommandError(f"Role groups missing ({', '.join(sorted(missing))}); run migrate.")
    password = make_password(DEMO_PASSWORD)
    users = {}
    for account in DEMO_ACCOUNTS + tuple(staff for staff, _ in LIAISON_STAFF):
        user, _ = user_model.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@example.jp",
                "is_active": True,
                "is_staff": account.is_staff,
                "is_superuser": account.is_superuser,
                "password": password if account in DEMO_ACCOUNTS else make_password(None),
            },
        )
        user.groups.set([groups[account.role]] if account.role else [])
        users[account.username] = user
    for username, slug in COORDINATED_DISTRICTS.items():
        users[username].coordinated_councils.set([councils[slug]])
    return users


def seed_liaison_assignments(
    districts: dict[str, District], users: dict[str, AbstractUser]
) -> None:
    LiaisonAssignment.objects.filter(user__in=users.values()).delete()
    rows = []
    for username, slug, start, end in LIAISON_ASSIGNMENTS:
        user = users[username]
        email = LIAISON_EMAILS.get(username, username)
        rows.append(
            LiaisonAssignment(
                user=user,
                district=districts[slug],
                start_on=start,
                end_on=end,
                public_name=person_name(user),
                public_phone=LIAISON_PHONES[username],
                public_email=f"{email}@city.midorino.example.jp",
            )
        )
    LiaisonAssignment.objects.bulk_create(rows)


def demo_districts(
    districts: dict[str, District], councils: dict[str, Council]
) -> list[DemoDistrict]:
    return [
        DemoDistrict(
            seed.slug, seed.base, districts[seed.slug], councils.get(seed.slug), seed.formed_on
        )
        for seed in DISTRICTS
    ]


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where kanji and kana take two columns."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - used, 0)


class Command(BaseCommand):
    help = f"Fill the database with the fictional city of {CITY} and demo logins (idempotent)."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            districts = seed_districts()
            demo_city_boundaries(districts)
            councils = seed_councils(districts)
            seed_statistics(districts)
            seed_areas(districts)
            organizations = seed_organizations(districts)
            seed_memberships_and_officers(councils, organizations)
            users = seed_accounts(councils)
            seed_liaison_assignments(districts, users)
            plans_and_meetings = seed_plans_and_meetings(demo_districts(districts, councils))
        # In a transaction of its own: the grant services e-mail after each commit.
        grants = seed_grants(councils, users)
        seed_english_names(districts)
        search.rebuild()
        if options["verbosity"] > 0:
            seconds = time.monotonic() - started
            self.write_summary(
                districts, councils, organizations, plans_and_meetings, grants, seconds
            )
            self.write_accounts(districts, councils)

    def write_summary(
        self,
        districts,
        councils,
        organizations,
        plans_and_meetings: Counts,
        grants: list[tuple[str, int, str]],
        seconds: float,
    ) -> None:
        stages = {stage: 0 for stage in CouncilStage.values}
        for council in councils.values():
            stages[council.stage] += 1
        stage_text = ", ".join(f"{stage} {count}" for stage, count in stages.items())
        officers = Officer.objects.filter(
            Q(council__in=councils.values()) | Q(organization__in=organizations)
        )
        memberships = Membership.objects.filter(council__in=councils.values())
        assignments = LiaisonAssignment.objects.filter(district__in=districts.values())
        statistics = DistrictStatistic.objects.filter(district__in=districts.values())
        unpublished = sum(not org.is_published for org in organizations)
        plan_stage_text = ", ".join(
            f"{stage} {count}" for stage, count in plans_and_meetings.plan_stages.items()
        )
        rows = (
            ("districts", len(districts), f"without a council {len(districts) - len(councils)}"),
            ("councils", len(councils), stage_text),
            ("groups", len(organizations), f"unpublished {unpublished}"),
            (
                "council memberships",
                memberships.count(),
                f"current {memberships.current().count()}",
            ),
            ("officers", officers.count(), f"current {officers.current().count()}"),
            ("population figures", statistics.count(), ""),
            (
                "liaison assignments",
                assignments.count(),
                f"current {assignments.current().count()}",
            ),
            ("plans", plans_and_meetings.plans, plan_stage_text),
            (
                "plan initiatives",
                plans_and_meetings.initiatives,
                f"indicator results {plans_and_meetings.indicator_results}, "
                f"reviews {plans_and_meetings.reviews}",
            ),
            (
                "meetings",
                plans_and_meetings.meetings,
                f"upcoming {plans_and_meetings.upcoming}, "
                f"unpublished {plans_and_meetings.unpublished}",
            ),
        )
        self.stdout.write(self.style.SUCCESS(f"Seeded {CITY} in {seconds:.1f} s."))
        for label, count, detail in (*rows, *grants):
            self.stdout.write(f"  {label:<20} {count:>5}  {detail}".rstrip())

    def write_accounts(self, districts, councils) -> None:
        scopes = {username: councils[slug].name for username, slug in COORDINATED_DISTRICTS.items()}
        scopes["demo-liaison"] = "、".join(
            districts[slug].name
            for username, slug, _, end in LIAISON_ASSIGNMENTS
            if username == "demo-liaison" and end is None
        )
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  {'username':<18} {'role':<16} {'staff':<6} {'name':<10} scope")
        for account in DEMO_ACCOUNTS:
            staff = "super" if account.is_superuser else ("yes" if account.is_staff else "no")
            name = f"{account.last_name} {account.first_name}"
            scope = scopes.get(account.username, "all districts")
            self.stdout.write(
                f"  {account.username:<18} {account.label:<16} {staff:<6} {pad(name, 10)} {scope}"
            )
