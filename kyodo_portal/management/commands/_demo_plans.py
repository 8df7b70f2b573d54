"""Plans and meetings of the demo city: the tables and the code that writes them for seed_demo.

Plans are written as of 令和8年度 (BASE_FY) and move forward with the calendar, so every adopted
plan covers the current fiscal year whenever the command runs. Meetings follow a yearly calendar
for the fiscal years around the run date: the past ones carry attendance, minutes, decisions and
action items, the next two months' are announcements. Randomness comes from generators with fixed
seeds per district, fiscal year and meeting, so the same day gives the same rows.

Plans, initiatives, indicators and meetings are matched on natural keys (a second run updates the
same rows, and their addresses stay stable); the rest is rebuilt per parent.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone, translation

from core.dates import fiscal_year, fiscal_year_range, format_fiscal_year
from districts.models import Council, CouncilStage, District
from organizations.models import Field, Organization
from organizations.models import OrganizationKind as Kind
from plans.models import (
    ActionItem,
    ActionStatus,
    Admission,
    Decision,
    Direction,
    Indicator,
    IndicatorResult,
    Initiative,
    IssueSource,
    Meeting,
    MeetingKind,
    Plan,
    PlanIssue,
    PlanStage,
    Rating,
    Review,
    ReviewRating,
    RoleAssignment,
    RoleKind,
    RoleParty,
    Sector,
)
from plans.models import InitiativeStatus as Status

TOKYO = ZoneInfo("Asia/Tokyo")
BASE_FY = 2026  # the fiscal year the plan tables below are written for
UPCOMING_DAYS = 62  # meetings this far ahead are on the calendar as announcements
SCHOOL_PREFIX = "みどり野市立"

ESTABLISHED, MODEL = CouncilStage.ESTABLISHED, CouncilStage.MODEL
PREPARING, NOT_STARTED = CouncilStage.PREPARING, CouncilStage.NOT_STARTED


class DemoDistrict(NamedTuple):
    """What seed_demo knows about a district that the database does not say directly."""

    slug: str
    base: str  # the place name: 桜台
    district: District
    council: Council | None
    formed_on: dt.date | None  # council founded, or its preparatory body started


def demo_random(name: str) -> random.Random:
    """A generator with a fixed seed, so every run builds the same data."""
    return random.Random(f"kyodo-demo-{name}")  # noqa: S311 - repeatable, not secret


# --- District issues (地域課題) ------------------------------------------------------------------

# key: (field code, title, description)
ISSUES = {
    "evacuation": (
        "disaster",
        "災害時の避難と、避難に支援が必要な人への備え",
        "大きな地震や風水害のとき、どこへどう避難するかを決めていない世帯が多い。ひとりで避難する"
        "ことが難しい高齢者や障がいのある方を、だれがどう支えるかも決まっていない。",
    ),
    "stockpile": (
        "disaster",
        "家庭での備えが進んでいない",
        "住民アンケートでは、3日分以上の食料と水を備蓄している世帯は半数に満たず、家具を固定して"
        "いない世帯も多かった。",
    ),
    "fire": (
        "disaster",
        "木造住宅の密集と火災の延焼",
        "古い町並みが残る地区の中心部では、細い路地に木造住宅が密集しており、火災が起きると燃え"
        "広がるおそれがある。",
    ),
    "landslide": (
        "disaster",
        "土砂災害から命を守る避難体制",
        "山ぎわに土砂災害警戒区域があり、大雨のときに早めに避難する仕組みと、避難に支援が必要な方"
        "の個別避難計画づくりが急がれる。",
    ),
    "flood": (
        "disaster",
        "みどり川の氾濫への備え",
        "みどり川が氾濫した場合、地区の大半が浸水するおそれがある。水防の経験を持つ世代が高齢に"
        "なり、若い世帯への引き継ぎが課題となっている。",
    ),
    "isolation": (
        "welfare",
        "ひとり暮らし高齢者の孤立",
        "ひとり暮らしや高齢者だけの世帯が増え、近所づきあいが少なくなっている。体調の変化や困り"
        "ごとに周りが気づきにくくなっている。",
    ),
    "mobility": (
        "welfare",
        "買い物や通院の移動が難しい",
        "坂道や路線バスの減便のため、車を運転しない高齢者が買い物や通院に困っている。近くの"
        "スーパーが閉店したことで、不便はさらに大きくなった。",
    ),
    "health": (
        "health",
        "健康づくりへの関心の低さ",
        "特定健診の受診率が市の平均を下回り、運動の習慣がある人も少ない。退職後に地域とのつながり"
        "を持たない男性が多いことも指摘された。",
    ),
    "school_route": (
        "traffic",
        "通学路の交通安全",
        "通学路に歩道のない区間や見通しの悪い交差点があり、朝は抜け道として通る車も多い。登下校を"
        "見守るボランティアの高齢化も進んでいる。",
    ),
    "crime": (
        "crime",
        "夜間の防犯と空き巣被害",
        "暗い道が残り、空き巣や自転車盗の被害が続いている。防犯パトロールの参加者は顔ぶれが固定"
        "している。",
    ),
    "afterschool": (
        "childcare",
        "放課後の子どもの居場所が足りない",
        "共働きの世帯が増え、放課後児童クラブは定員に近い。放課後や長期休みに子どもが安心して過ごせ"
        "る場所が求められている。",
    ),
    "parenting": (
        "childcare",
        "子育て家庭の孤立",
        "転入してきた子育て世帯が、相談できる相手や地域とのつながりを持てずにいる。",
    ),
    "volunteers": (
        "community",
        "地域活動の担い手不足と自治会加入率の低下",
        "役員のなり手が見つからず、同じ人に負担が集中している。新しく転入した世帯や単身世帯の"
        "加入が進まない。",
    ),
    "vacant_houses": (
        "community",
        "空き家・空き住戸の増加",
        "住む人のいない家や住戸が増え、庭木の管理や防犯が心配されている。一方で、交流の場として"
        "活用できないかという声もある。",
    ),
    "generations": (
        "culture",
        "世代をこえた交流の機会が少ない",
        "子ども会や祭りの担い手が減り、子どもと高齢者、古くからの住民と新しい住民が出会う機会が"
        "少なくなっている。",
    ),
    "environment": (
        "environment",
        "ごみの不法投棄と身近な緑の荒れ",
        "空き地や河川敷へのごみの不法投棄があとを絶たず、公園や休耕地の草刈りも一部の住民に頼って"
        "いる。",
    ),
}


# --- Initiatives (取組) --------------------------------------------------------------------------


class RoleSpec(NamedTuple):
    party: str
    who: str  # a group: selectors tried in order ("name:…|kind:…"); the city: a department
    role: str
    sector: str
    description: str


class IndicatorSpec(NamedTuple):
    name: str
    unit: str
    direction: str
    baseline: float
    target: float


class InitiativeSpec(NamedTuple):
    field: str
    title: str
    description: str
    issues: tuple[str, ...]
    roles: tuple[RoleSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    obstacle: str  # why it falls behind, for the reviews: 「…ため」
    remedy: str  # what the council will change


LEAD, SUPPORT = RoleKind.LEAD, RoleKind.SUPPORT
SELF, MUTUAL, PUBLIC = Sector.SELF, Sector.MUTUAL, Sector.PUBLIC
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER


def group(who, role, sector, description) -> RoleSpec:
    return RoleSpec(RoleParty.GROUP, who, role, sector, description)


def city(department, description) -> RoleSpec:
    return RoleSpec(RoleParty.CITY, department, SUPPORT, PUBLIC, description)


def council(role, description) -> RoleSpec:
    return RoleSpec(RoleParty.COUNCIL, "", role, MUTUAL, description)


def measure(name, unit, direction, baseline, target) -> IndicatorSpec:
    return IndicatorSpec(name, unit, direction, baseline, target)


INITIATIVES = {
    "drill": InitiativeSpec(
        "disaster",
        "地区合同防災訓練の実施",
        "各自治会の自主防災組織と消防団、小中学校が合同で、避難、初期消火、避難所の開設の訓練を"
        "毎年行う。",
        ("evacuation", "stockpile"),
        (
            group(
                "name:{base}地区自主防災連絡会|kind:neighborhood",
                LEAD,
                MUTUAL,
                "訓練の企画と各自治会への参加の呼びかけ",
            ),
            group("kind:fire_brigade", SUPPORT, MUTUAL, "初期消火と救出の指導"),
            group(
                "kind:women|kind:seniors",
                SUPPORT,
                SELF,
                "会員の家庭から備蓄と家具の固定を進め、周りに広げる",
            ),
            city("危機管理課", "訓練用の資機材の貸出と防災講話"),
        ),
        (
            measure("防災訓練の参加者数", "人", HIGHER, 210, 320),
            measure("3日分以上の食料と水を備蓄している世帯の割合", "%", HIGHER, 46, 70),
        ),
        "若い世代の参加が少なく、参加者が例年の顔ぶれにとどまった",
        "子育て世代が参加しやすいよう、親子で体験できるメニューを増やし、学校を通じて案内する",
    ),
    "evacuation_plans": InitiativeSpec(
        "disaster",
        "避難行動要支援者の個別避難計画づくり",
        "ひとりで避難することが難しい方一人ひとりについて、だれが声をかけ、どこへ避難するかを本人"
        "や家族と話し合い、個別避難計画にまとめる。",
        ("evacuation", "landslide", "flood"),
        (
            group("kind:welfare_volunteers", LEAD, MUTUAL, "対象の方への訪問と聞き取り"),
            group("kind:social_welfare", SUPPORT, MUTUAL, "避難を支援する近所の方の調整"),
            city("地域福祉課", "避難行動要支援者名簿の提供と作成の手引き"),
            city("危機管理課", "福祉避難所との連携"),
        ),
        (measure("個別避難計画の作成件数", "件", HIGHER, 8, 60),),
        "本人や家族の同意を得るまでに時間がかかり、支援者となる近所の方も見つかりにくい",
        "民生委員と自主防災組織が二人一組で訪問し、説明の機会を増やす",
    ),
    "watch": InitiativeSpec(
        "welfare",
        "ひとり暮らし高齢者の見守り訪問",
        "見守り協力員が担当する世帯を定期的に訪ね、声かけと安否の確認を行う。気になる変化は民生"
        "委員と地域包括支援センターにつなぐ。",
        ("isolation",),
        (
            group("kind:social_welfare", LEAD, MUTUAL, "見守り協力員の登録と訪問の調整"),
            group(
                "kind:welfare_volunteers",
                SUPPORT,
                MUTUAL,
                "支援が必要な世帯の相談と関係機関へのつなぎ",
            ),
            group("kind:seniors", SUPPORT, SELF, "会員どうしの声かけと安否の確認"),
            city("地域福祉課", "地域包括支援センターとの連携と協力員の研修"),
        ),
        (
            measure("見守り対象世帯への訪問率", "%", HIGHER, 64, 90),
            measure("見守り協力員の登録者数", "人", HIGHER, 42, 70),
        ),
        "協力員の高齢化で、訪問できない世帯が出ている",
        "自治会の班ごとに協力員を募り、一人あたりの担当世帯を減らす",
    ),
    "salon": InitiativeSpec(
        "welfare",
        "ふれあいサロンの拡充",
        "市民センターや集会所で、高齢者が気軽に集える茶話会と健康体操を開き、開催場所を増やす。",
        ("isolation", "health"),
        (
            group("name:{base}ふれあいサロン|kind:social_welfare", LEAD, MUTUAL, "サロンの運営"),
            group("kind:seniors", SUPPORT, SELF, "会員の参加と健康体操の実践"),
            city("健康づくり課", "保健師による健康相談と体操の指導"),
        ),
        (
            measure("サロンの開催回数", "回", HIGHER, 24, 60),
            measure("サロンの延べ参加者数", "人", HIGHER, 380, 900),
        ),
        "会場の確保が難しく、運営ボランティアも不足している",
        "集会所を使った2か所目の会場を設け、運営ボランティアを講座で募る",
    ),
    "mobile_market": InitiativeSpec(
        "welfare",
        "移動販売の誘致と買い物支援",
        "地元のスーパーと協力して移動販売車の停留所を増やし、重い荷物を運ぶのが難しい方の買い物を"
        "手伝う。",
        ("mobility",),
        (
            council(LEAD, "事業者との調整と停留所の選定"),
            group("kind:neighborhood", SUPPORT, MUTUAL, "停留所の場所の提供と住民への周知"),
            group("kind:business", SUPPORT, MUTUAL, "移動販売車の運行"),
            city("商工観光課", "運行経費の一部補助"),
        ),
        (
            measure("移動販売の停留所数", "か所", HIGHER, 2, 8),
            measure("移動販売の月平均利用者数", "人", HIGHER, 60, 200),
        ),
        "停留所に使える場所が見つからない地区が残っている",
        "集会所や個人宅の駐車場を停留所として使えるよう、自治会を通じて協力を呼びかける",
    ),
    "ride_support": InitiativeSpec(
        "welfare",
        "おでかけ支援（送迎ボランティア）",
        "運転ボランティアが、通院や買い物に困っている高齢者を予約制で送迎する。",
        ("mobility",),
        (
            group(
                "name:NPO法人おでかけ支援かわきた|kind:social_welfare",
                LEAD,
                MUTUAL,
                "送迎の予約受付と運転",
            ),
            group("kind:welfare_volunteers", SUPPORT, MUTUAL, "利用が必要な方の紹介"),
            city("地域福祉課", "車両保険と運転講習の費用の支援"),
        ),
        (
            measure("送迎の延べ利用者数", "人", HIGHER, 0, 900),
            measure("運転ボランティアの登録者数", "人", HIGHER, 4, 15),
        ),
        "運転ボランティアが集まらず、事故の際の補償への不安も大きい",
        "市の保険制度の説明会を開き、運転ボランティアの不安を取り除いたうえで再開をめざす",
    ),
    "health_walk": InitiativeSpec(
        "health",
        "健康ウォーキングと健診の呼びかけ",
        "地区内にウォーキングコースを設け、季節ごとのウォーキング大会で特定健診の受診を呼びかける。",
        ("health", "isolation"),
        (
            group(
                "name:{base}地区スポーツ協会|kind:seniors", LEAD, MUTUAL, "ウォーキング大会の運営"
            ),
            group("kind:seniors", SUPPORT, SELF, "会員の日ごろのウォーキング"),
            city("健康づくり課", "健診の案内と保健師の派遣"),
        ),
        (
            measure("ウォーキング大会の参加者数", "人", HIGHER, 80, 150),
            measure("特定健診の受診率", "%", HIGHER, 34, 45),
        ),
        "大会を運営するボランティアが確保できなかった",
        "スポーツ協会だけに頼らず、サロンや老人クラブの行事と合わせて開く形に改める",
    ),
    "walking_map": InitiativeSpec(
        "health",
        "坂道ウォーキングマップの作成と配布",
        "坂の多い地形を生かし、休憩できるベンチや眺めのよい場所を載せたウォーキングマップを作り、"
        "全戸に配る。",
        ("health",),
        (
            council(LEAD, "マップの編集と配布"),
            group("kind:seniors", SUPPORT, SELF, "コースの試し歩きと会員の日ごろのウォーキング"),
            city("健康づくり課", "コースの距離と消費カロリーの監修"),
        ),
        (measure("ウォーキングマップの配布部数", "部", HIGHER, 0, 3000),),
        "印刷の予算が足りなかった",
        "協賛を募って印刷費を確保する",
    ),
    "school_route": InitiativeSpec(
        "traffic",
        "通学路の安全点検と登下校の見守り",
        "PTA・学校・見守りボランティアで通学路を点検して危険箇所の改善を市に要望し、登下校の時間に"
        "見守りを行う。",
        ("school_route",),
        (
            group("kind:pta", LEAD, MUTUAL, "合同点検の実施と危険箇所の取りまとめ"),
            group(
                "name:{base}見守り隊|name:{base}地区交通安全協会|kind:seniors",
                SUPPORT,
                MUTUAL,
                "登下校の時間の見守り",
            ),
            group("kind:children", SUPPORT, SELF, "子どもたち自身が交通ルールと危ない場所を学ぶ"),
            city("道路維持課", "危険箇所の改善（路面標示、カーブミラー、歩道の整備）"),
        ),
        (
            measure("地区内の交通事故件数", "件", LOWER, 12, 6),
            measure("危険箇所の改善件数", "件", HIGHER, 0, 12),
        ),
        "見守りボランティアが高齢になり、立ち番のない交差点が出ている",
        "保護者や在宅勤務の方にも短時間の見守りへの参加を呼びかける",
    ),
    "crime_lights": InitiativeSpec(
        "crime",
        "防犯灯のLED化と夜間の防犯パトロール",
        "自治会が管理する防犯灯をLEDに切り替えて暗がりを減らし、青色回転灯パトロールを週2回行う。",
        ("crime",),
        (
            group(
                "name:{base}防犯パトロール隊|kind:neighborhood", LEAD, MUTUAL, "夜間のパトロール"
            ),
            group(
                "kind:neighborhood",
                SUPPORT,
                SELF,
                "各家庭での玄関灯の点灯（一戸一灯運動）の呼びかけ",
            ),
            city("市民安全課", "防犯灯の設置費の補助と警察との連絡"),
        ),
        (
            measure("防犯灯のLED化率", "%", HIGHER, 55, 100),
            measure("地区内の刑法犯認知件数", "件", LOWER, 64, 45),
        ),
        "パトロールの参加者が減り、回数を維持できなかった",
        "犬の散歩やウォーキングのついでに見守る「ながら防犯」の登録を始める",
    ),
    "afterschool": InitiativeSpec(
        "childcare",
        "放課後の子どもの居場所づくり",
        "市民センターの和室を使い、放課後や夏休みに地域の大人が見守る居場所を開く。宿題の時間と"
        "昔遊びの時間を設ける。",
        ("afterschool",),
        (
            group(
                "name:{base}子ども食堂|name:{base}読み聞かせの会|kind:volunteer",
                LEAD,
                MUTUAL,
                "居場所の運営",
            ),
            group("kind:youth_counselors", SUPPORT, MUTUAL, "遊びと体験活動の企画"),
            group("kind:pta", SUPPORT, SELF, "保護者の見守り当番"),
            city("子育て支援課", "運営費の助成とボランティアの研修"),
        ),
        (
            measure("居場所の開設日数", "日", HIGHER, 24, 100),
            measure("居場所の延べ利用者数", "人", HIGHER, 400, 1500),
        ),
        "見守りの大人が足りず、開設日を増やせなかった",
        "学校支援地域本部と連携し、見守りボランティアの登録を広げる",
    ),
    "parenting_hub": InitiativeSpec(
        "childcare",
        "子育てひろばと親子の交流",
        "乳幼児と保護者が気軽に集える子育てひろばを週2回開き、先輩ママ・パパや主任児童委員が相談に"
        "応じる。",
        ("parenting",),
        (
            group(
                "name:NPO法人みどり野子育てネット|kind:welfare_volunteers",
                LEAD,
                MUTUAL,
                "ひろばの運営と子育て相談",
            ),
            group("kind:welfare_volunteers", SUPPORT, MUTUAL, "主任児童委員による相談"),
            city("子育て支援課", "保育士の派遣と情報提供"),
        ),
        (measure("子育てひろばの参加組数", "組", HIGHER, 150, 400),),
        "会場の都合で開催日が限られている",
        "保育園の地域開放と合わせ、開催場所を増やす",
    ),
    "recruit": InitiativeSpec(
        "community",
        "担い手づくりと自治会への加入促進",
        "転入者向けの案内冊子で自治会の活動を紹介し、短い時間から参加できる「ちょいボラ」の登録"
        "制度をつくる。",
        ("volunteers",),
        (
            council(LEAD, "案内冊子の作成とちょいボラ登録の受付"),
            group("kind:neighborhood", SUPPORT, MUTUAL, "転入世帯への訪問と加入の案内"),
            city("協働推進課", "加入促進の手引きと研修"),
        ),
        (
            measure("自治会加入率", "%", HIGHER, 60, 65),
            measure("ちょいボラ登録者数", "人", HIGHER, 0, 80),
        ),
        "転入世帯に案内を届ける機会が少なかった",
        "不動産会社やマンション管理会社と協力し、入居時に案内冊子を渡してもらう",
    ),
    "newsletter": InitiativeSpec(
        "community",
        "協議会の情報発信（広報紙とLINE）",
        "協議会だよりを年4回全戸に配り、LINE公式アカウントで行事や防災の情報を届ける。",
        ("volunteers",),
        (
            council(LEAD, "広報紙の編集とLINEの運用"),
            group("kind:pta", SUPPORT, MUTUAL, "保護者への登録の呼びかけ"),
            city("協働推進課", "市の広報との連携と発信の研修"),
        ),
        (
            measure("LINE公式アカウントの登録者数", "人", HIGHER, 0, 600),
            measure("協議会だよりの発行回数", "回", HIGHER, 2, 4),
        ),
        "編集を担う人が限られ、発行が遅れた",
        "編集委員を各部会から1名ずつ出してもらう",
    ),
    "vacant_salon": InitiativeSpec(
        "community",
        "空き家を活用した交流サロン",
        "所有者から借りた空き家を改修し、だれでも立ち寄れる交流サロンとして週3日開く。",
        ("vacant_houses", "isolation"),
        (
            council(LEAD, "所有者との賃貸借契約と改修"),
            group("kind:social_welfare", SUPPORT, MUTUAL, "サロンの運営"),
            city("住宅政策課", "空き家バンクの情報提供と改修費の補助"),
        ),
        (
            measure("交流サロンの開館日数", "日", HIGHER, 0, 150),
            measure("交流サロンの延べ利用者数", "人", HIGHER, 0, 2500),
        ),
        "改修に時間がかかり、開館が遅れた",
        "開館日ごとの当番表をつくり、運営の負担を分け合う",
    ),
    "vacant_watch": InitiativeSpec(
        "community",
        "空き家の見回りと空き家バンクへの登録の呼びかけ",
        "自治会が空き家を見回って状態を記録し、所有者に空き家バンクへの登録や活用を呼びかける。",
        ("vacant_houses", "crime"),
        (
            group("kind:neighborhood", LEAD, MUTUAL, "空き家の見回りと記録"),
            city("住宅政策課", "所有者への連絡と空き家バンクの案内"),
        ),
        (measure("空き家バンクへの登録件数", "件", HIGHER, 0, 5),),
        "所有者と連絡がつかない空き家が多い",
        "市と協力して所有者への手紙を送る",
    ),
    "festival": InitiativeSpec(
        "culture",
        "地区まつりを通じた世代間の交流",
        "自治会・商店会・学校が一緒に地区まつりを運営し、中高生のボランティアや子どもの出し物の場を"
        "つくる。",
        ("generations",),
        (
            group(
                "name:{base}まつり実行委員会|kind:neighborhood", LEAD, MUTUAL, "まつりの企画と運営"
            ),
            group("kind:business", SUPPORT, MUTUAL, "出店と協賛"),
            group("kind:school", SUPPORT, MUTUAL, "児童・生徒の発表とボランティアの募集"),
            city("商工観光課", "道路使用の調整と広報"),
        ),
        (
            measure("まつりの来場者数", "人", HIGHER, 6000, 9000),
            measure("中高生ボランティアの参加者数", "人", HIGHER, 10, 40),
        ),
        "運営スタッフが不足し、規模を縮小した",
        "中高生ボランティアに準備段階から加わってもらい、次の担い手を育てる",
    ),
    "multicultural": InitiativeSpec(
        "community",
        "外国人住民との交流会",
        "地区に住む外国人住民と日本人住民が料理や文化を紹介し合う交流会を開き、ごみの出し方や防災の"
        "情報をやさしい日本語で伝える。",
        ("generations",),
        (
            council(LEAD, "交流会の企画"),
            group(
                "name:NPO法人みどり野まちづくりサポートセンター|kind:npo",
                SUPPORT,
                MUTUAL,
                "やさしい日本語の資料づくり",
            ),
            city("国際交流課", "通訳ボランティアの派遣"),
        ),
        (measure("交流会の参加者数", "人", HIGHER, 0, 60),),
        "外国人住民への案内が届かなかった",
        "日本語教室や事業所を通じて案内を届ける",
    ),
    "clean_up": InitiativeSpec(
        "environment",
        "地域一斉清掃と不法投棄の見回り",
        "春と秋に地区全体で一斉清掃を行い、不法投棄の多い場所を定期的に見回る。",
        ("environment",),
        (
            group(
                "name:{base}環境美化ボランティア|kind:neighborhood", LEAD, MUTUAL, "清掃と見回り"
            ),
            group("kind:neighborhood", SUPPORT, SELF, "各家庭での家の周りの清掃の呼びかけ"),
            city("環境政策課", "ごみ袋の提供と不法投棄物の回収"),
        ),
        (
            measure("一斉清掃の参加者数", "人", HIGHER, 300, 450),
            measure("不法投棄の件数", "件", LOWER, 30, 15),
        ),
        "見回りの担い手が減り、回数を減らさざるを得なかった",
        "監視カメラの貸出制度を使い、見回りの負担を減らす",
    ),
    "initial_fire": InitiativeSpec(
        "disaster",
        "初期消火訓練と街頭消火器の設置",
        "路地の多い地区で、町内会ごとに初期消火訓練を行い、街頭消火器を増やす。",
        ("fire",),
        (
            group("kind:neighborhood", LEAD, MUTUAL, "町内会ごとの訓練の実施"),
            group("kind:fire_brigade", SUPPORT, MUTUAL, "消火器と可搬ポンプの取扱いの指導"),
            group("kind:women|kind:seniors", SUPPORT, SELF, "家庭での火の元の点検"),
            city("危機管理課", "街頭消火器の設置費の補助"),
        ),
        (
            measure("初期消火訓練の参加者数", "人", HIGHER, 120, 200),
            measure("街頭消火器の設置数", "基", HIGHER, 40, 60),
        ),
        "訓練日の天候に恵まれず、参加者が伸びなかった",
        "雨天でも実施できるよう、屋内での訓練メニューを用意する",
    ),
    "landslide_drill": InitiativeSpec(
        "disaster",
        "土砂災害を想定した早めの避難訓練",
        "大雨の予報が出た段階で、警戒区域の世帯が公民館や親戚の家へ早めに避難する訓練を行う。",
        ("landslide",),
        (
            group(
                "name:{base}地区自主防災連絡会|kind:neighborhood",
                LEAD,
                MUTUAL,
                "訓練の企画と避難の呼びかけ",
            ),
            group("kind:fire_brigade", SUPPORT, MUTUAL, "避難の呼びかけと誘導"),
            group("kind:neighborhood", SUPPORT, SELF, "各世帯の避難先と避難のタイミングの確認"),
            city("危機管理課", "土砂災害の情報の伝達と避難所の開設"),
        ),
        (
            measure("早めの避難訓練の参加者数", "人", HIGHER, 90, 200),
            measure("避難先を決めている世帯の割合", "%", HIGHER, 40, 80),
        ),
        "警戒区域に住む高齢者の参加が少なかった",
        "民生委員と近所の方が声をかけ、車での送迎も用意する",
    ),
    "flood_timeline": InitiativeSpec(
        "disaster",
        "マイ・タイムラインづくりと水防訓練",
        "みどり川の増水に備え、各世帯が避難の行動計画（マイ・タイムライン）をつくり、消防団と合同"
        "で水防訓練を行う。",
        ("flood",),
        (
            group(
                "name:{base}地区自主防災連絡会|kind:neighborhood",
                LEAD,
                MUTUAL,
                "講習会と水防訓練の企画",
            ),
            group("kind:fire_brigade", SUPPORT, MUTUAL, "土のう積みの指導"),
            group("kind:neighborhood", SUPPORT, SELF, "各世帯のマイ・タイムラインづくりの呼びかけ"),
            city("危機管理課", "講習会への講師の派遣"),
            city("河川課", "みどり川の水位情報の提供"),
        ),
        (
            measure("マイ・タイムラインを作成した世帯数", "世帯", HIGHER, 0, 600),
            measure("水防訓練の参加者数", "人", HIGHER, 120, 200),
        ),
        "講習会の日程が農繁期と重なった",
        "講習会を農閑期の夜に移し、自治会の総会に合わせても開く",
    ),
    "daily_help": InitiativeSpec(
        "welfare",
        "暮らしの困りごとお助け隊",
        "ごみ出し、電球の交換、庭の草取りなど、高齢者の暮らしの小さな困りごとを有償ボランティアで"
        "手伝う。",
        ("isolation", "mobility"),
        (
            group(
                "name:NPO法人ささえあい東山|kind:social_welfare", LEAD, MUTUAL, "依頼の受付と作業"
            ),
            group("kind:welfare_volunteers", SUPPORT, MUTUAL, "支援が必要な方の紹介"),
            city("地域福祉課", "生活支援コーディネーターによる調整"),
        ),
        (measure("お助け隊の対応件数", "件", HIGHER, 40, 150),),
        "作業をする会員が限られている",
        "短時間だけ手伝える会員を募り、作業を分担する",
    ),
    "farm_experience": InitiativeSpec(
        "culture",
        "田植え・稲刈り体験による世代間交流",
        "地区の農家の田んぼを借り、子どもと高齢者が一緒に田植えと稲刈りを体験する。",
        ("generations",),
        (
            group("name:JAみどり野|kind:neighborhood", LEAD, MUTUAL, "田んぼの提供と作業の指導"),
            group("kind:pta|kind:children", SUPPORT, MUTUAL, "親子の参加の呼びかけ"),
            city("農政課", "農業体験の保険の手配"),
        ),
        (measure("体験に参加した親子の数", "組", HIGHER, 0, 30),),
        "田んぼを貸してくれる農家が見つからなかった",
        "JAと相談して体験田を確保する",
    ),
    "satoyama": InitiativeSpec(
        "environment",
        "里山と休耕地の手入れ",
        "荒れた里山の下草刈りと休耕地の草刈りを年4回行い、見通しのよい環境を保つ。",
        ("environment",),
        (
            group(
                "name:NPO法人里山みどりの会|kind:neighborhood",
                LEAD,
                MUTUAL,
                "作業の計画と道具の管理",
            ),
            city("農政課", "草刈り機の貸出と安全講習"),
        ),
        (measure("手入れをした里山・休耕地の面積", "アール", HIGHER, 0, 50),),
        "作業の担い手が高齢化している",
        "中学生や企業のボランティアの受け入れを始める",
    ),
    "family_bousai": InitiativeSpec(
        "disaster",
        "親子で学ぶ防災キャンプ",
        "小学校の体育館に親子で一晩泊まり、避難所の生活や非常食づくりを体験する。",
        ("evacuation",),
        (
            group("kind:pta", LEAD, MUTUAL, "キャンプの企画と参加者の募集"),
            group("kind:youth_counselors", SUPPORT, MUTUAL, "子ども向けプログラムの運営"),
            city("危機管理課", "資機材の貸出と防災講話"),
        ),
        (measure("防災キャンプに参加した親子の数", "組", HIGHER, 0, 40),),
        "会場の確保に時間がかかった",
        "学校行事の少ない時期に日程を固定する",
    ),
}


# --- Plans ----------------------------------------------------------------------------------


class Entry(NamedTuple):
    """One initiative in a plan, with its status and years as offsets from the plan's start."""

    key: str
    status: str
    first: int = 0
    last: int | None = None  # None: the plan's last year
    title: str = ""  # a title of its own where the catalogue's does not fit the district


class ResultNote(NamedTuple):
    """A year that went differently: scale the value (0 to record nothing done), or skip it."""

    key: str  # initiative
    indicator: int  # its position in the initiative
    offset: int  # years after the plan's first year
    factor: float | None  # None: no result that year
    note: str


class PlanSeed(NamedTuple):
    slug: str
    title: str
    start: int  # 年度, as of BASE_FY
    end: int
    stage: str
    adopted_on: dt.date | None  # as of BASE_FY; None for plans not adopted
    vision: str
    issues: tuple[tuple[str, str], ...]  # (issue key, where it came from)
    initiatives: tuple[Entry, ...]
    notes: tuple[ResultNote, ...] = ()


SURVEY, MEETING, WORKSHOP = IssueSource.SURVEY, IssueSource.MEETING, IssueSource.WORKSHOP
PLANNED, IN_PROGRESS, DONE, PAUSED = Status.PLANNED, Status.IN_PROGRESS, Status.DONE, Status.PAUSED

PLANS = (
    PlanSeed(
        "sakuradai",
        "桜台地区まちづくり計画（第1期）",
        2019,
        2023,
        PlanStage.SUPERSEDED,
        dt.date(2019, 5, 26),
        "あいさつが行き交い、みんなで子どもと高齢者を見守るまち 桜台。"
        "協議会の設立をきっかけに、地区の団体が力を合わせる土台をつくります。",
        (
            ("evacuation", SURVEY),
            ("isolation", SURVEY),
            ("school_route", MEETING),
            ("generations", WORKSHOP),
        ),
        (
            Entry("drill", DONE),
            Entry("watch", DONE),
            Entry("school_route", DONE),
            Entry("festival", DONE, title="桜まつりを通じた世代間の交流"),
        ),
        (
            ResultNote(
                "drill", 0, 1, 0.35, "新型コロナウイルス感染症の影響で、規模を縮小して実施した"
            ),
            ResultNote("festival", 0, 1, 0, "新型コロナウイルス感染症の影響で中止した"),
            ResultNote("festival", 0, 2, 0, "新型コロナウイルス感染症の影響で中止した"),
            ResultNote("festival", 1, 1, None, ""),
            ResultNote("festival", 1, 2, None, ""),
        ),
    ),
    PlanSeed(
        "sakuradai",
        "桜台地区まちづくり計画（第2期）",
        2024,
        2028,
        PlanStage.ADOPTED,
        dt.date(2024, 5, 26),
        "桜並木のように世代をこえて人がつながり、災害に強く、だれもが安心して暮らし続けられるまち"
        " 桜台。日ごろの顔の見える関係を育て、いざというときに助け合える地域をめざします。",
        (
            ("evacuation", SURVEY),
            ("stockpile", SURVEY),
            ("isolation", MEETING),
            ("school_route", WORKSHOP),
            ("crime", MEETING),
            ("afterschool", WORKSHOP),
            ("volunteers", SURVEY),
        ),
        (
            Entry("drill", IN_PROGRESS),
            Entry("evacuation_plans", IN_PROGRESS),
            Entry("watch", IN_PROGRESS),
            Entry("school_route", IN_PROGRESS),
            Entry("crime_lights", DONE, 0, 1),
            Entry("newsletter", IN_PROGRESS),
            Entry("health_walk", PAUSED),
            Entry("afterschool", PLANNED, 3),
        ),
    ),
    PlanSeed(
        "midorigaoka",
        "緑が丘校区地域づくり計画",
        2022,
        2026,
        PlanStage.ADOPTED,
        dt.date(2022, 5, 22),
        "坂のあるまちでも、年を重ねても、住み慣れた緑が丘で元気に暮らし続けられるまち。"
        "買い物や通院の足を地域で支え、空き家を交流の場に生まれ変わらせて、つながりを次の世代へ"
        "引き継ぎます。",
        (
            ("mobility", SURVEY),
            ("isolation", SURVEY),
            ("vacant_houses", MEETING),
            ("evacuation", WORKSHOP),
            ("health", SURVEY),
        ),
        (
            Entry("mobile_market", IN_PROGRESS),
            Entry("vacant_salon", IN_PROGRESS),
            Entry("watch", IN_PROGRESS),
            Entry("drill", IN_PROGRESS),
            Entry("ride_support", PAUSED, title="坂道おでかけ支援（送迎ボランティア）"),
            Entry("walking_map", DONE, 0, 2),
            Entry("vacant_watch", PLANNED, 4),
        ),
        (
            ResultNote("drill", 0, 1, None, ""),
            ResultNote(
                "drill", 0, 2, 1.0, "令和5年度は台風の接近により訓練を中止したため、実績はない"
            ),
        ),
    ),
    PlanSeed(
        "honmachi",
        "本町地区協働のまちづくり計画",
        2023,
        2027,
        PlanStage.ADOPTED,
        dt.date(2023, 3, 19),
        "古い町並みと新しい住民が出会い、まつりと商店街のにぎわいを次の世代へつなぐまち 本町。"
        "町内会に入っていない人も気軽に参加でき、だれもが地域の一員と感じられるまちをめざします。",
        (
            ("volunteers", SURVEY),
            ("generations", WORKSHOP),
            ("crime", MEETING),
            ("fire", SURVEY),
            ("environment", MEETING),
        ),
        (
            Entry("recruit", IN_PROGRESS, title="町内会への加入促進と担い手づくり"),
            Entry("festival", IN_PROGRESS, title="本町まつりを通じた世代間の交流"),
            Entry("newsletter", DONE, 0, 1, title="地区だよりの全戸配布とSNSでの発信"),
            Entry("crime_lights", IN_PROGRESS),
            Entry("initial_fire", IN_PROGRESS),
            Entry("clean_up", PAUSED),
            Entry("multicultural", PLANNED, 4),
        ),
    ),
    PlanSeed(
        "higashiyama",
        "東山地区地域づくり計画",
        2024,
        2028,
        PlanStage.ADOPTED,
        dt.date(2025, 3, 16),
        "山と田畑の恵みとともに暮らし、災害のときも一人も取り残さない、支え合いのまち 東山。",
        (
            ("landslide", WORKSHOP),
            ("isolation", SURVEY),
            ("mobility", SURVEY),
            ("environment", MEETING),
            ("generations", WORKSHOP),
        ),
        (
            Entry("evacuation_plans", IN_PROGRESS),
            Entry("landslide_drill", IN_PROGRESS),
            Entry("daily_help", IN_PROGRESS),
            Entry("farm_experience", DONE, 1, 1),
            Entry("satoyama", PLANNED, 3),
        ),
    ),
    PlanSeed(
        "wakaba",
        "若葉地区まちづくり計画",
        2024,
        2028,
        PlanStage.ADOPTED,
        dt.date(2025, 2, 23),
        "子どもたちの笑顔があふれ、新しく来た人もずっと住む人も、つながりを実感できるまち 若葉。",
        (
            ("afterschool", SURVEY),
            ("school_route", SURVEY),
            ("volunteers", MEETING),
            ("parenting", WORKSHOP),
            ("evacuation", WORKSHOP),
        ),
        (
            Entry("afterschool", IN_PROGRESS),
            Entry("school_route", IN_PROGRESS),
            Entry("newsletter", IN_PROGRESS),
            Entry("parenting_hub", IN_PROGRESS),
            Entry("recruit", PAUSED, title="転入者歓迎会と自治会の加入案内"),
            Entry("family_bousai", PLANNED, 3),
        ),
    ),
    PlanSeed(
        "wakaba",
        "若葉地区まちづくり計画（中間見直し素案）",
        2027,
        2028,
        PlanStage.DRAFT,
        None,
        "子どもたちの笑顔があふれ、新しく来た人もずっと住む人も、助け合いを実感できるまち 若葉。"
        "見直しでは、子育て世代が担い手として活躍できる仕組みに重点を置きます。",
        (("afterschool", WORKSHOP), ("evacuation", MEETING)),
        (Entry("afterschool", PLANNED), Entry("family_bousai", PLANNED)),
    ),
    PlanSeed(
        "kawakita",
        "川北地区まちづくり計画",
        2024,
        2028,
        PlanStage.ADOPTED,
        dt.date(2025, 5, 25),
        "みどり川とともに生き、水害に備え、買い物や通院に困らない助け合いのまち 川北。"
        "受け継いできた水防の知恵と結びつきを、若い世代へつなぎます。",
        (
            ("flood", MEETING),
            ("mobility", SURVEY),
            ("isolation", SURVEY),
            ("volunteers", MEETING),
        ),
        (
            Entry("flood_timeline", IN_PROGRESS),
            Entry("ride_support", IN_PROGRESS),
            Entry("watch", IN_PROGRESS),
            Entry("recruit", PLANNED, 3),
        ),
    ),
    PlanSeed(
        "minamidai",
        "南台地区まちづくり計画（案）",
        2027,
        2031,
        PlanStage.DISCUSSION,
        None,
        "団地も戸建ても、だれもが顔見知りで、安心して年を重ねられるまち 南台（案）。",
        (
            ("isolation", SURVEY),
            ("vacant_houses", SURVEY),
            ("volunteers", MEETING),
            ("evacuation", MEETING),
        ),
        (
            Entry("watch", PLANNED),
            Entry("vacant_salon", PLANNED, title="団地の空き住戸を使った集いの場"),
            Entry("recruit", PLANNED),
            Entry("drill", PLANNED),
        ),
    ),
)


# --- Meetings: what is discussed ---------------------------------------------------------------


class Topic(NamedTuple):
    """What one meeting is about. Text takes {base}, {council}, {hub}, {school}, {fy}, {prev_fy},
    {next_fy}, {chair}, {division} and the numbers {n1} (a few), {n2} (tens), {n3} (hundreds)."""

    agenda: tuple[str, ...]
    paragraphs: tuple[str, ...]
    decisions: tuple[str, ...]
    actions: tuple[tuple[str, str, int], ...]  # (what, who: "role:…" or group selectors, days)
    fields: tuple[str, ...] = ()  # the plan's initiatives in these fields are related
    plan_related: bool = False


TOPICS = {
    # 役員会, by month of the fiscal year.
    "board_april": Topic(
        (
            "{prev_fy}事業報告及び収支決算（案）について",
            "{fy}事業計画（案）及び収支予算（案）について",
            "地域づくり計画の{prev_fy}評価（案）について",
            "定期総会の運営について",
        ),
        (
            "事務局から{prev_fy}の事業報告と収支決算（案）の説明があった。合同防災訓練や見守り訪問は"
            "おおむね計画どおり実施できたが、若い世代の参加が少なかった行事もあったことが報告された。"
            "監事からは、帳簿と領収書を照合し、適正に処理されていたとの報告があった。",
            "{fy}の事業計画（案）と収支予算（案）について協議した。一括交付金の交付限度額の見込みを"
            "もとに、防災備蓄品の更新と子どもの居場所づくりに重点を置く案が示された。委員から「各自治会"
            "への周知は回覧板だけでなく、LINEでも流してほしい」との意見があり、事務局で対応することと"
            "した。",
            "地域づくり計画の{prev_fy}評価（案）について、事務局が取組ごとの評価と理由を説明した。評価の"
            "低い取組については、部会ごとに原因と改善策を話し合い、総会で報告することとした。",
        ),
        (
            "{prev_fy}事業報告及び収支決算（案）を定期総会に提出することを承認した。",
            "{fy}事業計画（案）及び収支予算（案）を一部修正のうえ定期総会に提出することを承認した。",
            "地域づくり計画の{prev_fy}評価（案）を了承した。",
        ),
        (
            ("総会資料を印刷し、代議員に送付する", "role:事務局", 10),
            ("総会の開催と委任状の提出を各会員に周知する", "kind:neighborhood", 14),
        ),
        plan_related=True,
    ),
    "board_june": Topic(
        (
            "{fy}一括交付金の交付決定について（報告）",
            "夏休みのラジオ体操と子どもの見守りについて",
            "合同防災訓練の日程と役割分担について",
        ),
        (
            "事務局から、{fy}の一括交付金の交付決定通知が届いたことが報告された。交付決定額は申請"
            "どおりで、7月に概算払を受ける予定である。",
            "夏休みのラジオ体操は例年どおり各自治会の公園で行い、子ども会と老人クラブが交代で見守る"
            "ことを確認した。猛暑日が続く場合は時間を早めるか中止とし、判断は各会場の責任者に任せる"
            "こととした。",
            "合同防災訓練について、防災部会長から、今年は{school}を会場に、避難所の開設と要支援者の"
            "避難誘導を中心に行う案が示された。委員から「昨年は受付に行列ができたので、自治会ごとに"
            "受付を分けてはどうか」との提案があり、部会で検討することになった。",
        ),
        (
            "合同防災訓練を9月の第1日曜日に{school}で実施することとした。",
            "夏休みのラジオ体操を各自治会の会場で実施し、猛暑日は各会場の判断で中止できることとした。",
        ),
        (
            ("訓練の実施計画（案）を作成し、次回の役員会に示す", "role:防災部会長", 45),
            ("ラジオ体操の会場と見守り当番表を取りまとめる", "kind:children|role:事務局", 20),
        ),
        fields=("disaster",),
    ),
    "board_august": Topic(
        (
            "合同防災訓練の実施計画について",
            "敬老の集いについて",
            "秋のまつりの準備状況について",
        ),
        (
            "防災部会長から合同防災訓練の実施計画の説明があった。当日は各自治会の一時集合場所に集まっ"
            "てから{school}へ移動し、受付、安否確認、避難所の開設、炊き出しの順に行う。消防団による"
            "初期消火と救出の指導、市危機管理課による防災講話も予定している。",
            "敬老の集いは、昨年と同じく各自治会で記念品を配る方式とし、地区全体の式典は行わないことを"
            "確認した。民生委員から「ひとり暮らしの方には手渡しで届け、様子を確認したい」との申し出が"
            "あった。",
            "まつり実行委員会から準備状況の報告があった。出店の募集は予定数に達したが、当日の交通誘導"
            "のボランティアが足りていないため、各団体に協力を依頼した。",
        ),
        (
            "合同防災訓練の実施計画を承認した。",
            "敬老の記念品は各自治会で配り、ひとり暮らしの方には民生委員が手渡しすることとした。",
        ),
        (
            ("訓練の案内チラシを作成し、全戸に配布する", "role:事務局", 14),
            (
                "まつり当日の交通誘導ボランティアを各団体から2名ずつ推薦する",
                "kind:neighborhood",
                21,
            ),
            ("ひとり暮らしの方へ敬老の記念品を手渡しする", "kind:welfare_volunteers", 40),
        ),
        fields=("disaster",),
    ),
    "board_october": Topic(
        (
            "合同防災訓練の実施報告について",
            "地区まつりの実施報告について",
            "地域フォーラムの開催について",
        ),
        (
            "防災部会長から合同防災訓練の実施報告があった。参加者は{n3}名で、避難所の開設訓練では"
            "段ボールベッドの組み立てに中学生も加わった。一方、受付の集計に時間がかかったため、来年は"
            "名簿の二次元コード化を検討することとした。",
            "地区まつりには天候にも恵まれて多くの来場者があり、大きな事故もなく終えることができた。"
            "商店会からは「来年はキッチンカーの数を増やしたい」との意向が示された。ごみの分別が不十分"
            "だった点は、来年の反省点として実行委員会に伝える。",
            "2月の地域フォーラムについて、事務局から、講演と地区の取組発表の二部構成とする案が示され、"
            "了承された。テーマと講師は事務局で調整する。",
        ),
        ("地域フォーラムを2月に開催し、テーマと講師の調整を事務局に一任することとした。",),
        (
            ("訓練参加者アンケートの集計結果をまとめる", "role:防災部会", 30),
            ("フォーラムの講師を依頼する", "role:事務局", 30),
        ),
        fields=("disaster", "culture"),
    ),
    "board_december": Topic(
        (
            "地域づくり計画の進捗状況について",
            "{next_fy}事業計画の骨子について",
            "一括交付金の申請準備について",
        ),
        (
            "事務局から、地域づくり計画の取組ごとの進捗状況を報告した。見守り訪問と通学路の安全点検は"
            "順調である一方、担い手不足のため予定どおり進んでいない取組があることが確認された。",
            "{next_fy}の事業計画の骨子について意見を交わした。委員から「行事の数を増やすより、今ある"
            "行事に若い世代が参加しやすい工夫をしたい」「防災と見守りは一緒に進めた方が効率がよい」"
            "との意見が出された。",
            "市の地域担当職員から、{next_fy}の一括交付金の申請の日程と、交付限度額の算定方法について"
            "説明があった。申請書は2月末までに提出する必要があるため、1月中に各部会の事業案を集める"
            "こととした。",
        ),
        (
            "{next_fy}事業計画の骨子を了承し、各部会で具体的な事業案をまとめることとした。",
            "各部会の事業案は1月末までに事務局へ提出することとした。",
        ),
        (
            ("部会ごとの{next_fy}事業案をまとめ、事務局に提出する", "role:各部会長", 45),
            ("一括交付金の申請書類を準備する", "role:事務局", 70),
        ),
        plan_related=True,
    ),
    "board_february": Topic(
        (
            "{next_fy}事業計画（案）について",
            "{next_fy}収支予算（案）及び一括交付金の申請について",
            "役員の改選について",
        ),
        (
            "事務局から、各部会の事業案をまとめた{next_fy}事業計画（案）の説明があった。新たに、防災と"
            "見守りを一体で行う「安心訪問」の試行を盛り込んでいる。",
            "収支予算（案）について、会計から一括交付金と自主財源の内訳、費目ごとの支出見込みの説明が"
            "あった。委員から備品購入費が前年度より増えている理由について質問があり、防災倉庫の発電機"
            "を更新するためと回答があった。",
            "役員の改選について、選考委員会を設けて候補者を推薦することを確認した。{chair}からは「特定"
            "の人に負担が偏らないよう、部会長の任期の見直しも検討したい」との発言があった。",
        ),
        (
            "{next_fy}事業計画（案）及び収支予算（案）を了承し、一括交付金の交付申請を行うこととした。",
            "役員候補者を推薦するため、選考委員会を設けることとした。",
        ),
        (
            ("一括交付金の交付申請書を市に提出する", "role:事務局", 14),
            ("役員候補者の推薦名簿をまとめる", "role:選考委員会", 40),
        ),
    ),
    # 総会
    "general_regular": Topic(
        (
            "第1号議案 {prev_fy}事業報告について",
            "第2号議案 {prev_fy}収支決算報告及び監査報告について",
            "第3号議案 {fy}事業計画（案）について",
            "第4号議案 {fy}収支予算（案）について",
            "第5号議案 役員の選任について",
            "報告 地域づくり計画の{prev_fy}評価について",
        ),
        (
            "事務局から、代議員{delegates}名のうち出席{present}名、委任状{proxies}名で、規約に定める"
            "定足数を満たしていることが報告され、総会の成立が宣言された。会長のあいさつ、来賓の紹介の"
            "後、議長を選出して議事に入った。",
            "第1号議案から第4号議案までを一括して事務局と会計が説明し、監事が監査報告を行った。質疑で"
            "は「防犯灯の電気代は今後も協議会で負担するのか」との質問があり、各自治会の負担を減らす"
            "ため当面は協議会で負担すると回答した。採決の結果、いずれも賛成多数で承認された。",
            "第5号議案では、選考委員会から推薦された役員候補者が紹介され、拍手で承認された。続いて、"
            "地域づくり計画の{prev_fy}評価について報告があり、計画に沿った取組が着実に進んでいること"
            "と、課題の残る取組の改善策が説明された。",
        ),
        (
            "{prev_fy}事業報告及び収支決算を承認した。",
            "{fy}事業計画及び収支予算を原案どおり承認した。",
            "役員候補者を原案どおり選任した。",
        ),
        (
            ("総会の議事録を作成し、議事録署名人の署名を得る", "role:事務局", 21),
            ("総会の結果を協議会だよりで全戸に知らせる", "role:広報担当", 45),
        ),
        plan_related=True,
    ),
    "general_founding": Topic(
        (
            "規約の制定について",
            "役員の選任について",
            "{fy}事業計画（案）及び収支予算（案）について",
            "今後の活動について",
        ),
        (
            "設立準備会代表のあいさつの後、市の地域担当職員から、市の協働のまちづくりの制度と一括"
            "交付金について説明があった。続いて議長を選出し、議事に入った。",
            "設立準備会で1年余りかけて検討してきた規約（案）が示され、協議会の目的、構成団体、役員、"
            "会議、会計について説明があった。質疑の後、全会一致で規約が制定され、{council}が設立"
            "された。",
            "役員の選任では、準備会から推薦された会長、副会長、会計、監事の候補者が承認された。新会長"
            "は「地区の全ての団体が力を合わせ、だれもが安心して暮らせるまちにしたい」とあいさつした。",
        ),
        (
            "規約を制定し、{council}を設立した。",
            "役員を原案どおり選任した。",
            "{fy}事業計画及び収支予算を承認した。",
        ),
        (
            ("設立届を市に提出する", "role:事務局", 14),
            ("構成団体と役員の名簿を整え、市に届け出る", "role:事務局", 30),
        ),
        plan_related=True,
    ),
    "general_plan": Topic(
        ("地域づくり計画（案）について", "計画の推進体制について"),
        (
            "会長のあいさつの後、計画策定委員長から、住民アンケートとワークショップ、意見交換会を"
            "重ねてまとめた地域づくり計画（案）の説明があった。将来像、地区の課題、取組と役割分担、"
            "指標と目標値の順に説明がなされた。",
            "質疑では「目標値は高すぎないか」との質問があり、毎年の評価で進み具合を確かめ、必要に応じて"
            "見直すと回答した。「計画を住民にわかりやすく知らせてほしい」との要望には、概要版を全戸に"
            "配布すると答えた。採決の結果、全会一致で承認された。",
        ),
        ("計画の推進は部会ごとに行い、毎年度末に役員会で評価することとした。",),
        (
            ("計画の概要版を作成し、全戸に配布する", "role:事務局", 60),
            ("計画を市に提出する", "role:事務局", 14),
        ),
        plan_related=True,
    ),
    # 部会
    "disaster_manual": Topic(
        ("避難所運営マニュアルの見直しについて", "防災倉庫の備蓄品の点検について"),
        (
            "避難所運営マニュアルについて、昨年度の訓練で出た意見をもとに、受付の手順と、女性や乳幼児"
            "に配慮した区画の設け方を見直すこととした。",
            "防災倉庫の備蓄品の点検結果が報告された。アルファ米と飲料水の一部が今年度中に期限を迎える"
            "ため、訓練の炊き出しで使い、新しいものに入れ替える。簡易トイレの数が想定避難者数に対して"
            "不足していることも指摘された。",
        ),
        (
            "避難所運営マニュアルの改訂案を部会でまとめ、役員会に諮ることとした。",
            "期限の近い備蓄食料は防災訓練の炊き出しで使い、計画的に更新することとした。",
        ),
        (
            ("避難所運営マニュアルの改訂案を作成する", "role:防災部会長", 60),
            ("簡易トイレの追加購入の見積もりを取る", "role:事務局", 30),
        ),
        fields=("disaster",),
        plan_related=True,
    ),
    "disaster_support": Topic(
        ("個別避難計画の作成状況について", "要支援者の避難訓練について"),
        (
            "民生委員から、避難行動要支援者の個別避難計画の作成状況が報告された。本人や家族の同意が"
            "得られた方から順に作成を進めているが、支援者となる近所の方が見つからない例もある。",
            "市地域福祉課の担当者から、計画の様式と名簿の取扱いの注意点について説明があった。名簿は"
            "鍵のかかる場所で保管し、訓練や災害時以外には使わないことを改めて確認した。",
            "次回の訓練では、要支援者役の方を車いすで避難所まで誘導する手順を試すこととした。",
        ),
        ("要支援者の避難誘導を次回の合同防災訓練の項目に加えることとした。",),
        (
            (
                "支援者が決まっていない方について、自治会長と相談して候補を探す",
                "kind:neighborhood",
                60,
            ),
            ("個別避難計画の作成件数を集計し、役員会に報告する", "kind:welfare_volunteers", 45),
        ),
        fields=("disaster", "welfare"),
        plan_related=True,
    ),
    "disaster_review": Topic(
        ("合同防災訓練の振り返りについて", "家庭での備えの呼びかけについて"),
        (
            "合同防災訓練の参加者アンケートの結果が報告された。「避難所の様子がよくわかった」という声"
            "が多い一方、「放送が聞き取りにくかった」「子ども向けの内容がほしい」との意見もあった。",
            "家庭での備えについて、3日分の備蓄をしている世帯が半数程度にとどまることから、備蓄品の一覧"
            "を載せたチラシを作り、回覧と協議会だよりで呼びかけることとした。",
        ),
        ("家庭の備蓄を呼びかけるチラシを作成し、全戸に配布することとした。",),
        (
            ("備蓄チラシの原案を作る", "role:防災部会", 30),
            ("訓練の改善点を次年度の事業計画に反映する", "role:防災部会長", 120),
        ),
        fields=("disaster",),
        plan_related=True,
    ),
    "welfare_watch": Topic(
        ("見守り訪問の実施状況について", "見守り協力員の募集について"),
        (
            "地区社協から、見守り協力員による訪問の実施状況が報告された。訪問を断る世帯も一部あるが、"
            "電話や手紙など、相手に合わせた方法で関わりを続けている。",
            "協力員の多くが70歳を超え、担当する世帯を減らしてほしいとの声が出ている。自治会の班長経験者"
            "に声をかけ、協力員を増やすことを確認した。民生委員からは、気になる世帯があれば早めに相談"
            "してほしいとの呼びかけがあった。",
        ),
        ("見守り協力員の募集チラシを作成し、各自治会の回覧で募集することとした。",),
        (
            ("協力員募集のチラシを作成する", "kind:social_welfare", 30),
            (
                "訪問を断る世帯への関わり方を地域包括支援センターに相談する",
                "kind:welfare_volunteers",
                45,
            ),
        ),
        fields=("welfare",),
        plan_related=True,
    ),
    "welfare_salon": Topic(
        ("ふれあいサロンの運営について", "男性の参加を増やす工夫について"),
        (
            "ふれあいサロンの参加者が増え、会場が手狭になっていることが報告された。集会所を使った2か所"
            "目のサロンを開く案が示され、運営ボランティアの確保を条件に進めることとした。",
            "健康づくり課の保健師を招いた健康体操は好評で、参加者から続けてほしいとの声が多かった。"
            "男性の参加が少ないことが課題として挙げられ、囲碁・将棋や男の料理教室など、関心を持ちやすい"
            "内容を試すことにした。",
        ),
        ("集会所での2か所目のサロンを試行することとした。",),
        (
            (
                "2か所目のサロンの会場と日程を調整する",
                "name:{base}ふれあいサロン|kind:social_welfare",
                40,
            ),
            ("男性向けの企画案をまとめる", "role:福祉部会", 60),
        ),
        fields=("welfare", "health"),
        plan_related=True,
    ),
    "children_route": Topic(
        ("通学路の合同点検の結果について", "登下校の見守りについて"),
        (
            "PTAと学校、見守りボランティアが合同で行った通学路の点検結果が報告された。見通しの悪い"
            "交差点や、朝の時間帯に抜け道として車が多く通る区間など、{n1}か所が危険箇所として挙げら"
            "れた。",
            "危険箇所は地図にまとめ、市道路維持課と警察に改善を要望することとした。登下校の見守りに"
            "ついては、立ち番の人数が減っている交差点があるため、PTAの保護者にも協力を呼びかける。",
        ),
        ("危険箇所の改善要望書を市に提出することとした。",),
        (
            ("危険箇所の地図と要望書を作成する", "kind:pta", 30),
            ("見守りの立ち番表を更新する", "name:{base}見守り隊|kind:pta", 21),
        ),
        fields=("traffic",),
        plan_related=True,
    ),
    "children_afterschool": Topic(
        ("放課後の居場所の運営について", "子ども食堂との連携について"),
        (
            "放課後の居場所の利用状況が報告された。夏休み中は1日平均{n2}人の子どもが利用し、宿題の時間"
            "と昔遊びの時間が好評だった。見守りの大人が足りない日があることが課題となっている。",
            "子ども食堂の代表から、居場所の日に合わせて食事を出したいとの提案があった。衛生管理と食物"
            "アレルギーへの対応を確認したうえで、月1回の合同開催を試すこととした。",
        ),
        ("子ども食堂との月1回の合同開催を試行することとした。",),
        (
            ("アレルギー対応の確認票を作成する", "name:{base}子ども食堂|role:子ども・教育部会", 30),
            ("見守りボランティアの募集を学校支援地域本部に相談する", "role:子ども・教育部会長", 30),
        ),
        fields=("childcare", "education"),
        plan_related=True,
    ),
    # 意見交換会
    "dialogue_city": Topic(
        (
            "地域づくり計画の取組状況について（協議会から）",
            "地区からの要望について",
            "市からの説明（危機管理課・地域福祉課・道路維持課）",
        ),
        (
            "{chair}のあいさつの後、市の関係課から出席者の紹介があった。協議会から、地域づくり計画の"
            "取組状況と、一括交付金を活用した事業について報告した。",
            "地区からは、通学路の歩道の整備、避難所となる{school}の体育館の空調、ごみ集積所の管理に"
            "ついて要望が出された。道路維持課からは、路面標示の塗り直しを今年度中に行うとの回答が"
            "あった。体育館の空調については、教育委員会と協議するとの回答にとどまった。",
            "危機管理課から防災行政無線の更新について、地域福祉課から避難行動要支援者名簿の提供に"
            "ついて説明があった。参加者からは「年に一度でなく、もっと気軽に市と話せる場がほしい」との"
            "声があり、地域担当職員が窓口となって随時相談を受けることを確認した。",
        ),
        ("市への要望事項を文書にまとめ、協議会として提出することとした。",),
        (
            ("要望書を作成して市に提出する", "role:事務局", 30),
            ("路面標示の塗り直しの時期を確認する", "role:地域担当職員", 60),
        ),
        fields=("traffic", "disaster"),
        plan_related=True,
    ),
    "dialogue_residents": Topic(
        ("地域づくり計画の進み具合について", "グループでの意見交換", "意見の発表"),
        (
            "事務局から、地域づくり計画の取組と指標の実績を、グラフを使って説明した。続いて参加者は"
            "{n1}つのグループに分かれ、「この1年で良くなったこと」「まだ困っていること」を話し合った。",
            "良くなったこととして、夜道が明るくなった、見守りの声かけが増えたという意見が多く出た。"
            "困っていることとしては、ごみ出しの負担、坂道の移動、子どもの遊び場の不足が挙げられた。"
            "若い世代の参加者からは「行事の情報をどこで知ればよいかわからない」との声があった。",
            "出された意見は部会ごとに整理し、来年度の事業計画と計画の評価に生かすことを確認した。",
        ),
        ("出された意見を部会ごとに整理し、次年度の事業計画に反映することとした。",),
        (("意見のまとめを協議会だよりに載せる", "role:広報担当", 45),),
        plan_related=True,
    ),
    # 地域フォーラム
    "forum_disaster": Topic(
        (
            "第1部 講演「地域で命を守る—過去の災害から学ぶ」",
            "第2部 地区の取組発表（自主防災連絡会・{school}）",
            "第3部 パネルディスカッション",
        ),
        (
            "第1部では、NPO法人みどり野防災ネットワークの防災士を講師に招き、過去の大きな災害で地域の"
            "助け合いが多くの命を救った事例をもとに講演があった。「日ごろのあいさつが、災害時の安否"
            "確認の第一歩」という言葉に、多くの参加者がうなずいていた。",
            "第2部では、自主防災連絡会が合同防災訓練の様子を、{school}の児童が防災マップづくりの学習"
            "成果を発表した。第3部のパネルディスカッションでは、自治会長、民生委員、PTA会長が、それ"
            "ぞれの立場から災害時に地域でできることを話し合った。",
            "参加者アンケートでは、9割を超える方が「参加してよかった」と答えた。",
        ),
        ("フォーラムの内容を協議会だよりで全戸に紹介することとした。",),
        (("アンケート結果をまとめ、役員会に報告する", "role:事務局", 30),),
        fields=("disaster",),
    ),
    "forum_future": Topic(
        (
            "第1部 地域づくり計画の取組報告",
            "第2部 中学生からの提案発表",
            "第3部 グループトーク",
        ),
        (
            "第1部では{chair}から、地域づくり計画の取組の成果と課題が報告された。見守り訪問の広がり"
            "などの成果が紹介された一方、担い手不足がどの取組にも共通する課題であることが示された。",
            "第2部では、中学生が総合的な学習の時間に調べた地域の魅力と課題をもとに、「空き店舗を使った"
            "中高生のたまり場」「防災と運動会を組み合わせたイベント」などを提案した。会場からは大きな"
            "拍手が送られた。",
            "第3部のグループトークでは、世代の異なる参加者が同じテーブルを囲み、10年後も住み続けたい"
            "{base}の姿について語り合った。",
        ),
        ("中学生の提案の実現に向けて、部会で検討することとした。",),
        (("中学生の提案を整理し、各部会に検討を依頼する", "role:事務局", 45),),
        plan_related=True,
    ),
    "forum_children": Topic(
        (
            "第1部 講演「地域で子どもを育てるということ」",
            "第2部 子育て団体の活動紹介",
            "第3部 意見交換",
        ),
        (
            "第1部では、子育て支援の専門家を講師に迎え、地域の大人が子どもに声をかけることの大切さに"
            "ついて講演があった。",
            "第2部では、子ども会、子ども食堂、読み聞かせのグループなどが活動を紹介した。続く意見交換"
            "では、保護者から「子どもを預けられる場所を地域で増やしてほしい」「登下校の見守りに参加し"
            "たいが平日は難しい」との声があった。",
            "{chair}は「若い世代が参加しやすい関わり方を考え、計画の取組に生かしたい」と締めくくった。",
        ),
        ("保護者が週末に参加できる見守りと居場所の仕組みを部会で検討することとした。",),
        (("週末の居場所の試行案をまとめる", "role:子ども・教育部会", 60),),
        fields=("childcare",),
        plan_related=True,
    ),
    # ワークショップ
    "workshop_map": Topic(
        ("まち歩きのポイントの説明", "グループごとのまち歩き", "防災マップづくりと発表"),
        (
            "はじめに防災部会長から、まち歩きで確かめる点（避難の経路、危険なブロック塀、消火栓や"
            "防災倉庫の位置）の説明があった。参加者は自治会ごとに{n1}つのグループに分かれ、約1時間"
            "かけて地区を歩いた。",
            "{hub}に戻った後、写真やメモをもとに大きな地図に付せんを貼り、危険な場所と役に立つ場所を"
            "書き込んだ。「この道は大雨のときに冠水する」「夜は街灯が少ない」など、住んでいる人ならでは"
            "の情報が多く集まった。",
            "完成した地図は各グループが発表した。防災部会で清書し、全戸に配布する。",
        ),
        ("ワークショップの成果をもとに防災マップを作成し、全戸に配布することとした。",),
        (("防災マップの清書と印刷の手配をする", "role:防災部会", 90),),
        fields=("disaster",),
        plan_related=True,
    ),
    "workshop_plan": Topic(
        (
            "地域づくり計画の取組状況の説明",
            "グループワーク「地区のいいところ・困っていること」",
            "グループワーク「これから取り組みたいこと」",
            "発表とまとめ",
        ),
        (
            "事務局から地域づくり計画の取組と指標の実績を説明した後、参加者は{n1}つのグループに分かれ"
            "て話し合った。進行役はNPO法人みどり野まちづくりサポートセンターが務めた。",
            "「地区のいいところ」では、公園や緑の多さ、近所どうしの助け合いが挙げられた。「困っている"
            "こと」では、買い物の不便さ、子どもの遊び場の不足、役員の負担の大きさが多くのグループから"
            "出された。",
            "「これから取り組みたいこと」では、空き家を使った交流の場、中高生が参加できるボランティア、"
            "防災と見守りの一体化などのアイデアが出された。アイデアは部会で整理し、計画の見直しに"
            "生かす。",
        ),
        ("ワークショップで出されたアイデアを部会ごとに整理し、計画の見直しに反映することとした。",),
        (("アイデアの一覧を作成し、各部会に配る", "role:事務局", 21),),
        plan_related=True,
    ),
    "workshop_vision": Topic(
        (
            "地域アンケートの結果の紹介",
            "グループワーク「10年後の{base}の姿」",
            "発表と将来像の言葉選び",
        ),
        (
            "準備会事務局から、地域アンケートの結果を紹介した。「住み続けたい」と答えた人が多い一方、"
            "年を重ねたときの暮らしや災害時に不安を感じている人が多いことがわかった。",
            "参加者は{n1}つのグループに分かれ、10年後の{base}がどうなっていてほしいかを付せんに書き"
            "出した。「顔見知りが多いまち」「子どもの声が聞こえるまち」「困ったときに頼れる人がいる"
            "まち」などの言葉が集まった。",
            "各グループの発表の後、共通する言葉を拾いながら将来像の案をまとめた。案は準備会で整え、"
            "次回の意見交換会で示す。",
        ),
        ("ワークショップで出された言葉をもとに、将来像の案を準備会でまとめることとした。",),
        (("将来像の案を作成する", "role:準備会事務局", 30),),
        plan_related=True,
    ),
    # その他
    "other_tour": Topic(
        ("視察先での説明と質疑", "拠点施設の見学", "振り返り"),
        (
            "役員と部会長の{n2}名で、県内の先進地区を視察した。視察先の協議会からは、一括交付金を"
            "使った地域食堂の運営や、地区全体での見守りネットワークの仕組みについて説明を受けた。",
            "質疑では、担い手の確保について「役職ではなく、できることを少しずつ頼むようにしている」との"
            "話があり、参加者は熱心にメモを取っていた。帰りのバスの中で振り返りを行い、当地区でも試せる"
            "ことを話し合った。",
        ),
        ("視察で学んだ取組を各部会で紹介し、検討することとした。",),
        (("視察報告書を作成する", "role:事務局", 30),),
    ),
    "other_training": Topic(
        ("一括交付金の会計処理について", "個人情報の取扱いについて", "質疑応答"),
        (
            "市の地域担当職員と協働推進課の職員を講師に、役員と構成団体の会計担当者を対象とした研修を"
            "行った。前半では、一括交付金の対象となる経費と領収書の整理の仕方、実績報告書の書き方に"
            "ついて説明があった。",
            "後半では、名簿や見守りの記録など個人情報の取扱いについて説明があった。参加者からは「役員"
            "が替わるときの名簿の引き継ぎ方」についての質問が多く、市の手引きをもとに、引き継ぎの手順を"
            "協議会で定めることとした。",
        ),
        ("名簿の引き継ぎ手順を協議会で定めることとした。",),
        (("名簿の引き継ぎ手順（案）を作成する", "role:事務局", 60),),
    ),
    "other_liaison": Topic(
        ("各団体の活動予定の共有", "行事の日程の調整", "協議会からの連絡"),
        (
            "構成団体の代表が集まり、各団体の今後の活動予定を共有した。秋は行事が重なりやすいため、"
            "運動会、まつり、防災訓練、敬老の集いの日程が重ならないよう調整した。",
            "協議会からは、一括交付金で購入した備品の貸出制度について説明があった。テントや発電機、"
            "音響機器を各団体の行事で借りられることが紹介され、団体からは歓迎の声が上がった。",
        ),
        ("秋の行事の日程を調整し、地区の行事カレンダーにまとめることとした。",),
        (
            ("地区の行事カレンダーを作成する", "role:事務局", 30),
            ("備品貸出の申込書を各団体に配る", "role:事務局", 14),
        ),
    ),
    "other_study": Topic(
        ("市の協働のまちづくりの制度について", "先行地区の取組の紹介", "意見交換"),
        (
            "町内会長会議にあわせて、協議会の設立に向けた勉強会を開いた。市の地域担当職員から、校区"
            "ごとのまちづくり協議会と一括交付金の制度について説明があった。",
            "先行して協議会を設立した地区の事務局長から、設立までの経緯と、設立後に変わったことの紹介"
            "があった。「補助金の手続きが一本になり、会計の負担は軽くなった」との話に、参加者の関心が"
            "集まった。",
            "意見交換では「役員の負担がこれ以上増えるのは困る」「小さな町内会でも参加できるのか」と"
            "いった声が出された。次回までに各町内会で意見を聞くこととした。",
        ),
        ("各町内会で協議会の設立について意見を聞き、次回の会議で持ち寄ることとした。",),
        (("各町内会の意見を集める", "kind:neighborhood", 60),),
    ),
    # 設立準備会
    "prep_first": Topic(
        ("準備会の設置について", "代表・副代表の選出について", "協議会の設立までの進め方について"),
        (
            "市の地域担当職員から、市が進める協働のまちづくりと、校区ごとのまちづくり協議会、一括交付金"
            "の制度について説明があった。参加者からは「自治会の負担が増えるのではないか」との質問が"
            "あり、既存の補助金の手続きがまとまり、事務の負担はむしろ軽くなることをめざしているとの回答"
            "があった。",
            "意見交換の後、準備会の設置が了承され、代表と副代表が選ばれた。代表は「急がず、地区のみな"
            "さんの声を聞きながら進めたい」とあいさつした。",
            "今後の進め方として、住民アンケートで地区の課題をつかみ、意見交換会とワークショップを重ねて"
            "から、規約と計画の素案をまとめる日程が示された。",
        ),
        ("設立準備会を設置し、代表と副代表を選出した。", "住民アンケートを実施することとした。"),
        (
            ("アンケートの項目の案を作成する", "role:準備会事務局", 30),
            ("各自治会の役員会で準備会の発足を報告する", "kind:neighborhood", 30),
        ),
    ),
    "prep_survey": Topic(
        ("住民アンケートの結果について", "地区の課題の整理について"),
        (
            "準備会事務局から、住民アンケートの結果が報告された。配布した{n3}世帯のうち約6割から回答が"
            "あり、防災、高齢者の見守り、担い手不足への関心が特に高かった。",
            "結果をもとに、地区の課題を分野ごとに整理した。委員からは「数字だけでなく、自由記述の声も"
            "大事にしたい」との意見があり、自由記述を抜き出した資料を次回までに用意することとした。",
        ),
        ("アンケート結果の概要を全戸に配布することとした。",),
        (
            ("アンケート結果の概要版を作成する", "role:準備会事務局", 30),
            ("自由記述の意見を分野別に整理する", "kind:social_welfare|role:準備会事務局", 30),
        ),
        plan_related=True,
    ),
    "prep_bylaws": Topic(
        ("規約（案）について", "構成団体について"),
        (
            "市のひな形と先行地区の例をもとに作成した規約（案）について協議した。会議の定足数、役員の"
            "任期、会計年度について意見が交わされ、役員の任期は2年とし、再任を妨げないこととした。",
            "構成団体については、自治会、地区社協、民生委員、PTA、老人クラブ、子ども会に加え、地区内の"
            "NPOや事業所にも参加を呼びかけることとした。",
        ),
        (
            "規約（案）の修正案を次回の準備会で確認することとした。",
            "地区内のNPOと事業所に参加を呼びかけることとした。",
        ),
        (
            ("規約（案）を修正する", "role:準備会事務局", 30),
            ("NPOと事業所への案内文を送る", "role:準備会代表", 30),
        ),
    ),
    "prep_plan": Topic(
        ("地域づくり計画の素案について", "将来像について"),
        (
            "これまでの意見交換会とワークショップの結果をもとに、地域づくり計画の素案が示された。"
            "将来像、重点的に取り組む課題、取組の例と役割分担の考え方について意見を交わした。",
            "委員からは「取組の数を絞り、確実にできることから始めたい」「指標は住民が実感できるものに"
            "してほしい」との意見が出された。素案は意見を反映して修正し、住民説明会で示すこととした。",
        ),
        ("計画の素案を修正のうえ、住民説明会で示すこととした。",),
        (
            ("素案を修正する", "role:準備会事務局", 30),
            ("住民説明会の会場と日程を調整する", "role:準備会事務局", 21),
        ),
        plan_related=True,
    ),
    "prep_progress": Topic(
        ("検討状況の確認について", "今後の日程について"),
        (
            "準備会事務局から、規約と計画の素案の検討状況、構成団体への呼びかけの状況が報告された。"
            "新たに{n1}団体から参加の意向が寄せられている。",
            "協議会の設立の時期について意見を交わし、住民への説明を十分に行ってから設立総会を開く"
            "ことを確認した。次回は住民説明会の資料を確認する。",
        ),
        ("住民説明会を開いてから設立総会の日程を決めることとした。",),
        (("住民説明会の資料を作成する", "role:準備会事務局", 30),),
    ),
    "prep_officers": Topic(
        ("役員候補について", "設立総会について"),
        (
            "協議会の設立後の役員候補について協議した。会長には準備会代表を、部会長には各分野で活動して"
            "いる団体の代表を推薦する方向で調整することとした。",
            "設立総会を{hub}で開くことを確認した。総会の案内は各自治会の回覧と市のウェブサイトで行う。",
        ),
        ("設立総会の日程と会場を決定した。",),
        (
            ("設立総会の案内文を作成する", "role:準備会事務局", 21),
            ("役員候補者に就任を依頼する", "role:準備会代表", 30),
        ),
    ),
    "prep_dialogue": Topic(
        (
            "準備会の検討状況の報告",
            "グループでの意見交換「地区で困っていること・大切にしたいこと」",
            "発表",
        ),
        (
            "準備会代表から、協議会の設立に向けた検討状況を報告した。続いて参加者は{n1}つのグループに"
            "分かれ、地区で困っていることと大切にしたいことを話し合った。",
            "困っていることとして、ひとり暮らしの高齢者の見守り、空き家の増加、役員のなり手不足が多く"
            "挙げられた。大切にしたいこととしては、夏祭りや清掃活動など、顔を合わせる機会が挙げられた。",
            "出された意見は、地域づくり計画の素案に生かすこととした。",
        ),
        ("出された意見を地域づくり計画の素案に反映することとした。",),
        (("意見の記録をまとめ、参加者に配る", "role:準備会事務局", 21),),
        plan_related=True,
    ),
}


# --- Meetings: when ----------------------------------------------------------------------------

SUNDAY, SATURDAY = 6, 5
BOARD_MONTHS = {4: "board_april", 6: "board_june", 8: "board_august", 10: "board_october"}
BOARD_MONTHS |= {12: "board_december", 2: "board_february"}
# (division, fields of its initiatives, ((month, topic), …), on Saturday mornings)
DIVISIONS = {
    ESTABLISHED: (
        (
            "防災部会",
            ((7, "disaster_manual"), (11, "disaster_review"), (1, "disaster_support")),
            False,
        ),
        ("福祉部会", ((6, "welfare_watch"), (10, "welfare_salon")), False),
        ("子ども・教育部会", ((5, "children_route"), (9, "children_afterschool")), True),
    ),
    MODEL: (
        ("防災部会", ((7, "disaster_manual"), (1, "disaster_support")), False),
        ("福祉部会", ((6, "welfare_watch"), (11, "welfare_salon")), False),
    ),
}
FORUMS = (
    ("forum_disaster", "災害に強いまちをみんなで"),
    ("forum_future", "10年後の{base}を語ろう"),
    ("forum_children", "子どもの笑顔があふれるまち"),
)
OTHERS = (
    ("other_tour", "先進地区視察研修"),
    ("other_training", "役員研修会（会計と個人情報の取扱い）"),
    ("other_liaison", "構成団体連絡会"),
)
PREP_MIDDLE = ("prep_survey", "prep_bylaws", "prep_plan", "prep_progress")
# Attendance when it happened: (fewest, most).
ATTENDANCE = {
    MeetingKind.GENERAL: (38, 72),
    MeetingKind.BOARD: (10, 18),
    MeetingKind.DIVISION: (6, 14),
    MeetingKind.DIALOGUE: (22, 48),
    MeetingKind.FORUM: (70, 160),
    MeetingKind.WORKSHOP: (18, 40),
    MeetingKind.PREPARATORY: (12, 24),
    MeetingKind.OTHER: (8, 30),
}
HALL, ROOM = "多目的ホール", "会議室"


class Slot(NamedTuple):
    """One meeting on the calendar, before its content is written."""

    day: dt.date
    start: dt.time
    minutes: int
    kind: str
    title: str
    topic: str
    room: str = ROOM
    division: str = ""
    adopts: Plan | None = None  # the 総会 that adopts a plan


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def in_fiscal_year(fy: int, month: int) -> int:
    """The calendar year of a month of a fiscal year: January 2027 is in 2026年度."""
    return fy if month >= 4 else fy + 1


def add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def shift_date(day: dt.date, years: int) -> dt.date:
    """The same weekday of the same week of the month, `years` later."""
    if years == 0:
        return day
    return nth_weekday(day.year + years, day.month, day.weekday(), (day.day - 1) // 7 + 1)


class Calendar:
    """A district's meetings; a second meeting on a taken day moves a week later."""

    def __init__(self):
        self.slots: list[Slot] = []
        self.taken: set[dt.date] = set()

    def add(self, slot: Slot, *, fixed: bool = False) -> None:
        while not fixed and slot.day in self.taken:
            slot = slot._replace(day=slot.day + dt.timedelta(days=7))
        self.taken.add(slot.day)
        self.slots.append(slot)


def council_calendar(dd: DemoDistrict, index: int, years: Iterable[int], plans) -> list[Slot]:
    """Every meeting of a district in the given fiscal years, from its rhythm of the year."""
    stage = dd.council.stage
    pattern = demo_random(f"meeting-pattern-{dd.slug}")
    board = (pattern.randrange(5), pattern.choice((1, 2, 3)))
    division_days = [(pattern.randrange(5), pattern.choice((1, 2, 3, 4))) for _ in range(3)]
    calendar = Calendar()
    adoptions = {plan.adopted_on: plan for plan in plans if plan.adopted_on}
    years = list(years)
    # Fixed days first: founding, adoption and the yearly general assembly.
    formed = dd.formed_on
    for fy in years:
        if stage not in (ESTABLISHED, MODEL) or fiscal_year(formed) > fy:
            continue
        if fiscal_year(formed) == fy:
            calendar.add(
                Slot(
                    formed,
                    dt.time(10),
                    120,
                    MeetingKind.GENERAL,
                    "設立総会",
                    "general_founding",
                    HALL,
                ),
                fixed=True,
            )
        else:
            day = nth_weekday(fy, 5, SUNDAY, 4)
            title = f"{format_fiscal_year(fy)}定期総会"
            calendar.add(
                Slot(day, dt.time(10), 90, MeetingKind.GENERAL, title, "general_regular", HALL),
                fixed=True,
            )
    for day, plan in adoptions.items():
        if fiscal_year(day) not in years:
            continue
        if day in calendar.taken:
            calendar.slots = [
                slot._replace(adopts=plan)
                if slot.day == day and slot.kind == MeetingKind.GENERAL
                else slot
                for slot in calendar.slots
            ]
        else:
            title = "臨時総会（地域づくり計画の承認）"
            calendar.add(
                Slot(
                    day,
                    dt.time(10),
                    120,
                    MeetingKind.GENERAL,
                    title,
                    "general_plan",
                    HALL,
                    adopts=plan,
                ),
                fixed=True,
            )
    for fy in years:
        label = format_fiscal_year(fy)
        if stage in (ESTABLISHED, MODEL) and fiscal_year(formed) <= fy:
            council_year(calendar, dd, index, fy, label, board, division_days)
        elif stage == NOT_STARTED and formed:
            for months in (0, 3, 6, 9):
                year, month = add_months(formed, months)
                if fiscal_year(dt.date(year, month, 1)) != fy:
                    continue
                day = formed if months == 0 else nth_weekday(year, month, board[0], board[1])
                start = dt.time(10) if day.weekday() >= SATURDAY else dt.time(19)
                title = "町内会長会議（協議会の設立に向けた勉強会）"
                calendar.add(Slot(day, start, 90, MeetingKind.OTHER, title, "other_study"))
    if formed and stage != NOT_STARTED:
        preparatory_series(calendar, dd, board, years)
    return sorted(calendar.slots, key=lambda slot: (slot.day, slot.start))


def council_year(calendar, dd, index, fy, label, board, division_days) -> None:
    formed = dd.formed_on
    stage = dd.council.stage
    number = 0
    for month in (4, 6, 8, 10, 12, 2):
        day = nth_weekday(in_fiscal_year(fy, month), month, *board)
        if day <= formed:
            continue
        number += 1
        title = f"{label}第{number}回役員会"
        calendar.add(Slot(day, dt.time(19), 90, MeetingKind.BOARD, title, BOARD_MONTHS[month]))
    for (division, meetings, saturday), (weekday, week) in zip(
        DIVISIONS[stage], division_days, strict=False
    ):
        number = 0
        for month, topic in meetings:
            year = in_fiscal_year(fy, month)
            if saturday:
                day, start = nth_weekday(year, month, SATURDAY, week), dt.time(10)
            else:
                day, start = nth_weekday(year, month, weekday, week), dt.time(19)
            if day <= formed:
                continue
            number += 1
            title = f"{division}（{label}第{number}回）"
            calendar.add(
                Slot(day, start, 90, MeetingKind.DIVISION, title, topic, division=division)
            )
    day = nth_weekday(fy, 11, (board[0] + 2) % 5, 2)
    if day > formed:
        calendar.add(
            Slot(
                day,
                dt.time(18, 30),
                120,
                MeetingKind.DIALOGUE,
                "地域と市の意見交換会",
                "dialogue_city",
                HALL,
            )
        )
    if stage == ESTABLISHED and (fy + index) % 2 == 0:
        day = nth_weekday(fy + 1, 1, SATURDAY, 3)
        calendar.add(
            Slot(
                day,
                dt.time(14),
                120,
                MeetingKind.DIALOGUE,
                "住民意見交換会",
                "dialogue_residents",
                HALL,
            )
        )
    topic, theme = FORUMS[(fy + index) % len(FORUMS)]
    title = f"{dd.base}地域フォーラム「{theme.format(base=dd.base)}」"
    calendar.add(
        Slot(
            nth_weekday(fy + 1, 2, SUNDAY, 2),
            dt.time(13, 30),
            150,
            MeetingKind.FORUM,
            title,
            topic,
            HALL,
        )
    )
    if (fy + index) % 2:
        day = nth_weekday(fy, 6, SATURDAY, 4)
        slot = Slot(
            day,
            dt.time(9, 30),
            180,
            MeetingKind.WORKSHOP,
            "防災まち歩き・マップづくりワークショップ",
            "workshop_map",
            HALL,
        )
    else:
        day = nth_weekday(fy, 11, SATURDAY, 3)
        slot = Slot(
            day,
            dt.time(13, 30),
            150,
            MeetingKind.WORKSHOP,
            "地域づくり計画を考えるワークショップ",
            "workshop_plan",
            HALL,
        )
    if day > formed:
        calendar.add(slot)
    topic, title = OTHERS[(fy + index) % len(OTHERS)]
    if topic == "other_tour":
        slot = Slot(
            nth_weekday(fy, 10, 3, 3), dt.time(8, 30), 510, MeetingKind.OTHER, title, topic, ""
        )
    elif topic == "other_training":
        slot = Slot(
            nth_weekday(fy + 1, 3, SATURDAY, 1), dt.time(10), 120, MeetingKind.OTHER, title, topic
        )
    else:
        slot = Slot(
            nth_weekday(fy, 7, board[0], 4), dt.time(19), 90, MeetingKind.OTHER, title, topic
        )
    if slot.day > formed:
        calendar.add(slot)


def preparatory_series(calendar: Calendar, dd: DemoDistrict, board, years) -> None:
    """The preparatory body's meetings: every other month from its start until the founding.

    A preparing district's body started on its formed_on; a council that already exists had one
    for about a year before its founding assembly.
    """
    preparing = dd.council.stage == PREPARING
    if preparing:
        first = dd.formed_on
    else:
        year, month = add_months(dd.formed_on, -14)
        first = nth_weekday(year, month, board[0], board[1])
    until = None if preparing else dd.formed_on
    last_fy = max(years)
    days = [first]
    while True:
        year, month = add_months(days[-1], 2)
        day = nth_weekday(year, month, board[0], board[1])
        if fiscal_year(day) > last_fy or (until and day >= until):
            break
        days.append(day)
    wanted = set(years)
    for number, day in enumerate(days, start=1):
        if number == 1:
            topic = "prep_first"
        elif until and number == len(days):
            topic = "prep_officers"
        else:
            topic = PREP_MIDDLE[min(number - 2, len(PREP_MIDDLE) - 1)]
        if fiscal_year(day) in wanted:
            calendar.add(
                Slot(
                    day, dt.time(19), 90, MeetingKind.PREPARATORY, f"第{number}回設立準備会", topic
                )
            )
    extras = (
        (
            4,
            SATURDAY,
            dt.time(14),
            120,
            MeetingKind.DIALOGUE,
            "地域の課題を話し合う意見交換会",
            "prep_dialogue",
        ),
        (
            7,
            SATURDAY,
            dt.time(13, 30),
            150,
            MeetingKind.WORKSHOP,
            "地区の将来像を考えるワークショップ",
            "workshop_vision",
        ),
        (10, 3, dt.time(8, 30), 510, MeetingKind.OTHER, "先進地区視察研修", "other_tour"),
        (
            13,
            SATURDAY,
            dt.time(14),
            120,
            MeetingKind.DIALOGUE,
            "地域づくり計画（案）の意見交換会",
            "prep_dialogue",
        ),
    )
    for months, weekday, start, minutes, kind, title, topic in extras:
        year, month = add_months(first, months)
        day = nth_weekday(year, month, weekday, 3)
        if fiscal_year(day) in wanted and (until is None or day < until):
            room = "" if topic == "other_tour" else HALL
            calendar.add(Slot(day, start, minutes, kind, title, topic, room))


# --- Writing -----------------------------------------------------------------------------------


def sync(model, scope: models.QuerySet, rows: list, key: Callable, fields: list[str]) -> list:
    """Make `scope` hold exactly `rows`: update those whose key matches, create and delete the rest.

    Matched rows keep their primary key, so addresses of plans and meetings survive a second run;
    only rows that differ are written, which keeps a second run as fast as the first.
    """
    keys = [key(row) for row in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(f"The demo data names two {model._meta.verbose_name_plural} alike.")
    attnames = [model._meta.get_field(name).attname for name in fields]
    existing = {key(obj): obj for obj in scope}
    new, changed = [], []
    for row, row_key in zip(rows, keys, strict=True):
        stored = existing.pop(row_key, None)
        if stored is None:
            new.append(row)
            continue
        row.pk = stored.pk
        row._state.adding, row._state.db = False, stored._state.db
        if any(getattr(row, name) != getattr(stored, name) for name in attnames):
            changed.append(row)
    if existing:
        model.objects.filter(pk__in=[obj.pk for obj in existing.values()]).delete()
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, fields)
    return rows


class DistrictGroups:
    """The published groups of one district, for roles, attendance and action items."""

    def __init__(self, base: str, organizations: list[Organization], fields: dict[int, set[str]]):
        self.base = base
        self.all = organizations
        self.fields = fields

    def pick(
        self, selectors: str, exclude: Iterable[Organization] = ()
    ) -> Organization | str | None:
        """The first match of "name:…|kind:…|role:…": a group, a role's name, or None."""
        skip = {org.pk for org in exclude}
        for selector in selectors.split("|"):
            how, _, value = selector.partition(":")
            value = value.format(base=self.base)
            if how == "role":
                return value
            for org in self.all:
                if org.pk in skip:
                    continue
                if (how == "name" and org.name == value) or (how == "kind" and org.kind == value):
                    return org
        return None

    def of_kinds(self, kinds: Iterable[str], most: int = 99) -> list[Organization]:
        kinds = set(kinds)
        found = [org for org in self.all if org.kind in kinds]
        neighborhoods = [org for org in found if org.kind == Kind.NEIGHBORHOOD][:4]
        others = [org for org in found if org.kind != Kind.NEIGHBORHOOD]
        return (neighborhoods + others)[:most]

    def sample(self, rng: random.Random, low: int, high: int, fields=None) -> list[Organization]:
        pool = self.all
        if fields:
            pool = [org for org in pool if self.fields.get(org.pk, set()) & set(fields)]
        chosen = rng.sample(pool, min(len(pool), rng.randint(low, high)))
        return sorted(chosen, key=lambda org: org.pk)


def load_groups(districts: list[DemoDistrict]) -> dict[str, DistrictGroups]:
    links = Organization.districts.through.objects.filter(
        district__in=[dd.district for dd in districts], organization__is_published=True
    ).values_list("district_id", "organization_id")
    organizations = Organization.objects.in_bulk({org for _, org in links})
    fields: dict[int, set[str]] = defaultdict(set)
    for org, code in Organization.fields.through.objects.filter(
        organization__in=organizations
    ).values_list("organization_id", "field__code"):
        fields[org].add(code)
    by_district: dict[int, list[Organization]] = defaultdict(list)
    for district, org in sorted(links, key=lambda link: link[1]):
        by_district[district].append(organizations[org])
    return {
        dd.slug: DistrictGroups(dd.base, by_district[dd.district.pk], fields) for dd in districts
    }


def label(fy: int) -> str:
    return format_fiscal_year(fy)


def amount(value: Decimal, unit: str) -> str:
    """「72.5%」「1,240人」: a value with its unit, as the reviews write it."""
    text = f"{value:,.1f}" if unit == "%" else f"{int(value):,}"
    return f"{text.removesuffix('.0')}{unit}"


def nice(value: float) -> int:
    """Round a target the way people write them: 231 → 230, 3,140 → 3,100."""
    for limit, step in ((30, 1), (200, 5), (1000, 10)):
        if value < limit:
            return round(value / step) * step
    return round(value / 100) * 100


def scaled(spec: IndicatorSpec, rng: random.Random) -> tuple[Decimal, Decimal]:
    """The catalogue's baseline and target, varied a little for each district."""
    if spec.unit == "%":
        baseline = round(spec.baseline + rng.uniform(-6, 6), 1)
        target = min(100.0, max(spec.target, round(baseline + 5)))
        return Decimal(str(baseline)), Decimal(str(target))
    factor = rng.uniform(0.75, 1.3)
    baseline, target = nice(spec.baseline * factor), nice(spec.target * factor)
    # A target never behind its baseline, in the indicator's direction.
    better = max(target, baseline + 1) if spec.direction == HIGHER else min(target, baseline - 1)
    return Decimal(baseline), Decimal(better)


class BuiltInitiative(NamedTuple):
    entry: Entry
    spec: InitiativeSpec
    initiative: Initiative
    indicators: list[Indicator]
    # indicator position → {fiscal year: (value, note, factor)}
    results: dict[int, dict[int, tuple[Decimal, str, float]]]


class BuiltPlan(NamedTuple):
    seed: PlanSeed
    dd: DemoDistrict
    plan: Plan
    issues: dict[str, PlanIssue]
    initiatives: list[BuiltInitiative]


def seed_plans(
    districts: list[DemoDistrict], groups: dict[str, DistrictGroups], today: dt.date
) -> list[BuiltPlan]:
    """Plans with issues, initiatives, roles, indicators, results, reviews and ratings."""
    current = fiscal_year(today)
    shift = max(0, current - BASE_FY)
    by_slug = {dd.slug: dd for dd in districts}
    fields = {field.code: field for field in Field.objects.all()}
    seeds = [seed for seed in PLANS if seed.slug in by_slug]

    plans = [
        Plan(
            district=by_slug[seed.slug].district,
            title=seed.title,
            start_fy=seed.start + shift,
            end_fy=seed.end + shift,
            vision=seed.vision,
            stage=seed.stage,
            adopted_on=shift_date(seed.adopted_on, shift) if seed.adopted_on else None,
        )
        for seed in seeds
    ]
    sync(
        Plan,
        Plan.objects.filter(district__in=[dd.district for dd in districts]),
        plans,
        # Keyed without the years, which move with the date of the run: the same plan (and
        # what refers to it, such as grant reports) is kept from one fiscal year to the next.
        key=lambda plan: (plan.district_id, plan.title),
        fields=["vision", "stage", "adopted_on", "start_fy", "end_fy"],
    )
    PlanIssue.objects.filter(plan__in=plans).delete()
    Review.objects.filter(plan__in=plans).delete()

    built, initiatives = [], []
    for seed, plan in zip(seeds, plans, strict=True):
        dd = by_slug[seed.slug]
        items = []
        for order, entry in enumerate(seed.initiatives, start=1):
            spec = INITIATIVES[entry.key]
            initiative = Initiative(
                plan=plan,
                title=entry.title or spec.title,
                description=spec.description,
                field=fields[spec.field],
                start_fy=plan.start_fy + entry.first,
                end_fy=plan.end_fy if entry.last is None else plan.start_fy + entry.last,
                status=entry.status,
                order=order,
            )
            initiatives.append(initiative)
            items.append(BuiltInitiative(entry, spec, initiative, [], {}))
        built.append(BuiltPlan(seed, dd, plan, {}, items))
    sync(
        Initiative,
        Initiative.objects.filter(plan__in=plans),
        initiatives,
        key=lambda item: (item.plan_id, item.title),
        fields=["description", "field", "start_fy", "end_fy", "status", "order"],
    )
    RoleAssignment.objects.filter(initiative__in=initiatives).delete()
    Initiative.issues.through.objects.filter(initiative__in=initiatives).delete()

    issues = []
    for item in built:
        survey_fy = min(item.plan.start_fy - 1, current - 1)
        for order, (key, source) in enumerate(item.seed.issues, start=1):
            field, title, description = ISSUES[key]
            note = {
                SURVEY: f"{label(survey_fy)}{item.dd.base}地区住民アンケート",
                WORKSHOP: f"{label(survey_fy)}ワークショップ",
                MEETING: f"{label(survey_fy)}意見交換会",
            }[source]
            issue = PlanIssue(
                plan=item.plan,
                field=fields[field],
                title=title,
                description=description,
                source=source,
                source_note=note,
                order=order,
            )
            item.issues[key] = issue
            issues.append(issue)
    PlanIssue.objects.bulk_create(issues)

    links, roles, indicators = [], [], []
    for item in built:
        rng = demo_random(f"plan-{item.dd.slug}-{item.seed.start}")
        district_groups = groups[item.dd.slug]
        for built_initiative in item.initiatives:
            initiative, spec = built_initiative.initiative, built_initiative.spec
            links += [
                Initiative.issues.through(initiative=initiative, planissue=item.issues[key])
                for key in spec.issues
                if key in item.issues
            ]
            roles += role_rows(initiative, spec, district_groups)
            baseline_fy = min(item.plan.start_fy - 1, current - 1)
            for order, measure_spec in enumerate(spec.indicators, start=1):
                baseline, target = scaled(measure_spec, rng)
                indicator = Indicator(
                    initiative=initiative,
                    name=measure_spec.name,
                    unit=measure_spec.unit,
                    baseline_value=baseline,
                    baseline_fy=baseline_fy,
                    target_value=target,
                    target_fy=initiative.end_fy,
                    direction=measure_spec.direction,
                    order=order,
                )
                built_initiative.indicators.append(indicator)
                indicators.append(indicator)
    Initiative.issues.through.objects.bulk_create(links)
    RoleAssignment.objects.bulk_create(roles)
    sync(
        Indicator,
        Indicator.objects.filter(initiative__in=initiatives),
        indicators,
        key=lambda indicator: (indicator.initiative_id, indicator.name),
        fields=[
            "unit",
            "baseline_value",
            "baseline_fy",
            "target_value",
            "target_fy",
            "direction",
            "order",
        ],
    )
    IndicatorResult.objects.filter(indicator__in=indicators).delete()

    results, reviews, ratings = [], [], []
    for item in built:
        rng = demo_random(f"results-{item.dd.slug}-{item.seed.start}")
        for built_initiative in item.initiatives:
            results += result_rows(item, built_initiative, current, rng)
        for fy in review_years(item.plan, current):
            review, review_ratings = review_rows(item, fy, current)
            reviews.append(review)
            ratings += review_ratings
    IndicatorResult.objects.bulk_create(results)
    Review.objects.bulk_create(reviews)
    ReviewRating.objects.bulk_create(ratings)  # their reviews have primary keys now
    return built


def role_rows(initiative: Initiative, spec: InitiativeSpec, groups: DistrictGroups):
    rows, used = [], []
    for role in spec.roles:
        if role.party == RoleParty.GROUP:
            organization = groups.pick(role.who, exclude=used)
            if not isinstance(organization, Organization):
                if role.role == LEAD:
                    rows.append(
                        RoleAssignment(
                            initiative=initiative,
                            party=RoleParty.COUNCIL,
                            role=LEAD,
                            sector=MUTUAL,
                            description=role.description,
                        )
                    )
                continue
            used.append(organization)
            rows.append(
                RoleAssignment(
                    initiative=initiative,
                    party=RoleParty.GROUP,
                    organization=organization,
                    role=role.role,
                    sector=role.sector,
                    description=role.description,
                )
            )
        else:
            rows.append(
                RoleAssignment(
                    initiative=initiative,
                    party=role.party,
                    department=role.who if role.party == RoleParty.CITY else "",
                    role=role.role,
                    sector=role.sector,
                    description=role.description,
                )
            )
    return rows


def result_rows(item: BuiltPlan, built: BuiltInitiative, current: int, rng: random.Random):
    """Yearly actuals from the baseline toward the target, at a pace that fits the status."""
    initiative, entry = built.initiative, built.entry
    notes = {
        (note.indicator, item.plan.start_fy + note.offset): note
        for note in item.seed.notes
        if note.key == entry.key
    }
    pace_range = {DONE: (1.0, 1.15), PAUSED: (0.15, 0.35)}.get(entry.status, (0.55, 1.15))
    rows = []
    for position, indicator in enumerate(built.indicators):
        pace = rng.uniform(*pace_range)
        yearly = built.results.setdefault(position, {})
        for fy in range(initiative.start_fy, min(initiative.end_fy, current - 1) + 1):
            share = (fy - indicator.baseline_fy) / (indicator.target_fy - indicator.baseline_fy)
            progress = share * pace + rng.gauss(0, 0.05)
            if entry.status == DONE and fy == initiative.end_fy:
                progress = max(progress, 1.0)
            note = notes.get((position, fy))
            if note and note.factor is None:
                continue
            span = float(indicator.target_value - indicator.baseline_value)
            value = max(0.0, float(indicator.baseline_value) + span * progress)
            factor = note.factor if note else 1.0
            value *= factor
            if indicator.unit == "%":
                value = Decimal(str(round(min(value, 100.0), 1)))
            else:
                value = Decimal(round(value))
            yearly[fy] = (value, note.note if note else "", factor)
            rows.append(
                IndicatorResult(
                    indicator=indicator,
                    fiscal_year=fy,
                    actual_value=value,
                    note=note.note if note else "",
                )
            )
    return rows


def review_years(plan: Plan, current: int) -> range:
    """The fiscal years the council has looked back on: adopted, and over."""
    if plan.stage not in (PlanStage.ADOPTED, PlanStage.SUPERSEDED) or plan.adopted_on is None:
        return range(0)
    return range(
        max(plan.start_fy, fiscal_year(plan.adopted_on)), min(plan.end_fy, current - 1) + 1
    )


def review_rows(item: BuiltPlan, fy: int, current: int):
    review = Review(plan=item.plan, fiscal_year=fy, summary="", next_steps="")
    rated = []  # (built initiative, rating, reason, note)
    for built in item.initiatives:
        initiative = built.initiative
        if not initiative.start_fy <= fy <= initiative.end_fy:
            continue
        rating, reason, note = rate(built, fy, current)
        rated.append((built, rating, reason, note))
    counts = [(letter, sum(1 for _, r, _, _ in rated if r == letter)) for letter in Rating.values]
    tally = "、".join(f"{letter}評価が{n}件" for letter, n in counts if n)
    summary = [f"{label(fy)}は、評価した{len(rated)}件の取組のうち、{tally}だった。"]
    best = next((entry for entry in rated if entry[1] == Rating.A), None)
    if best:
        summary.append(f"特に「{best[0].initiative.title}」は、{best[2]}")
    behind = [entry for entry in rated if entry[1] in (Rating.C, Rating.D)]
    steps = []
    for number, (built, _, _, note) in enumerate(behind):
        title = built.initiative.title
        but = "一方" if number == 0 else "また"
        if note:
            summary.append(f"{but}、「{title}」は{note}。")
            steps.append(f"「{title}」は、状況を見ながら、例年どおりの実施に向けて準備を進める。")
        elif built.entry.status == PAUSED and fy == current - 1:
            summary.append(f"{but}、「{title}」は、{built.spec.obstacle}ため休止している。")
            steps.append(f"「{title}」は、{built.spec.remedy}。")
        else:
            summary.append(f"{but}、「{title}」は、{built.spec.obstacle}ため、計画より遅れている。")
            steps.append(f"「{title}」は、{built.spec.remedy}。")
    if not behind:
        summary.append("全体として、計画はおおむね順調に進んでいる。")
    if fy == item.plan.end_fy:
        steps.append("計画期間の最後の年度の評価を踏まえ、次の計画で取組をさらに進める。")
    else:
        steps.append(
            f"{label(fy + 1)}も、各部会で取組の進み具合を確かめながら、計画の目標の達成をめざす。"
        )
    review.summary = "".join(summary)
    review.next_steps = "\n".join(steps)
    ratings = [
        ReviewRating(review=review, initiative=built.initiative, rating=rating, reason=reason)
        for built, rating, reason, _ in rated
    ]
    return review, ratings


def rate(built: BuiltInitiative, fy: int, current: int) -> tuple[str, str, str]:
    """A rating (A–D), its reason and the year's note, from the first indicator with a result."""
    spec, entry = built.spec, built.entry
    if entry.status == PAUSED and fy == current - 1:
        return Rating.D, f"{spec.obstacle}ため、{label(fy)}は取組を休止した。", ""
    for position, indicator in enumerate(built.indicators):
        found = built.results.get(position, {}).get(fy)
        if found is None:
            continue
        value, note, factor = found
        share = (fy - indicator.baseline_fy) / (indicator.target_fy - indicator.baseline_fy)
        progress = float(indicator.progress(value) or 0) / 100
        ratio = progress / share if share else 1.0
        rating = next(
            letter
            for bound, letter in (
                (0.95, Rating.A),
                (0.65, Rating.B),
                (0.3, Rating.C),
                (-99, Rating.D),
            )
            if ratio >= bound
        )
        name, unit = indicator.name, indicator.unit
        now, base = amount(value, unit), amount(indicator.baseline_value, unit)
        target = amount(indicator.target_value, unit)
        higher = indicator.direction == HIGHER
        if factor < 1:
            return rating, f"{note}（{name}は{now}）。", note
        reason = {
            Rating.A: f"{name}が{now}となり、基準値の{base}から{'増え' if higher else '減り'}、"
            f"目標（{label(indicator.target_fy)}に{target}）に向けて順調に進んでいる。",
            Rating.B: f"{name}は{now}で、目標に向けて前進しているが、"
            f"{'伸び' if higher else '減り方'}はやや緩やかである。",
            Rating.C: f"{name}は{now}にとどまり、計画より遅れている。{spec.obstacle}ことが主な理由"
            "である。",
            Rating.D: f"{name}は{now}で、基準値（{base}）からほとんど改善していない。"
            f"{spec.obstacle}ことが主な理由である。",
        }[rating]
        return rating, reason, ""
    return Rating.C, f"実績を把握できなかった。{spec.obstacle}ことが影響している。", ""


# --- Meetings ------------------------------------------------------------------------------------


class BuiltMeeting(NamedTuple):
    slot: Slot
    meeting: Meeting
    groups: list[Organization]
    initiatives: list[Initiative]
    decisions: list[str]
    actions: list[tuple[str, Organization | None, str, int]]  # (what, group, role, days)


def seed_meetings(
    districts: list[DemoDistrict],
    groups: dict[str, DistrictGroups],
    plans: list[BuiltPlan],
    today: dt.date,
) -> list[BuiltMeeting]:
    """Meetings of the fiscal years before and of the run date, and the next two months'."""
    current = fiscal_year(today)
    first_day = fiscal_year_range(current - 2)[0]
    last_day = today + dt.timedelta(days=UPCOMING_DAYS)
    years = range(current - 2, fiscal_year(last_day) + 1)
    built = []
    for index, dd in enumerate(districts):
        if dd.council is None:
            continue
        district_plans = [item for item in plans if item.dd.slug == dd.slug]
        public = [item.plan for item in district_plans if item.plan.stage != PlanStage.DRAFT]
        slots = [
            slot
            for slot in council_calendar(dd, index, years, public)
            if first_day <= slot.day <= last_day
        ]
        # A district's last meeting on the calendar, over a month ahead, is not yet announced.
        later = [slot for slot in slots if slot.day > today + dt.timedelta(days=30)]
        unannounced = later[-1] if later else None
        for slot in slots:
            built.append(
                meeting_for(dd, slot, groups[dd.slug], district_plans, today, slot is unannounced)
            )
    meetings = [item.meeting for item in built]
    sync(
        Meeting,
        Meeting.objects.filter(district__in=[dd.district for dd in districts]),
        meetings,
        key=lambda meeting: (meeting.district_id, meeting.starts_at, meeting.kind, meeting.title),
        fields=[
            "council",
            "ends_at",
            "place",
            "admission",
            "registration_how",
            "registration_contact",
            "registration_deadline",
            "attendance",
            "agenda",
            "minutes",
            "plan",
            "is_published",
            "published_at",
        ],
    )
    Decision.objects.filter(meeting__in=meetings).delete()
    ActionItem.objects.filter(meeting__in=meetings).delete()
    groups_through = Meeting.attending_groups.through
    initiatives_through = Meeting.initiatives.through
    groups_through.objects.filter(meeting__in=meetings).delete()
    initiatives_through.objects.filter(meeting__in=meetings).delete()
    groups_through.objects.bulk_create(
        groups_through(meeting=item.meeting, organization=org)
        for item in built
        for org in item.groups
    )
    initiatives_through.objects.bulk_create(
        initiatives_through(meeting=item.meeting, initiative=initiative)
        for item in built
        for initiative in item.initiatives
    )
    Decision.objects.bulk_create(
        Decision(meeting=item.meeting, text=text, order=order)
        for item in built
        for order, text in enumerate(item.decisions, start=1)
    )
    ActionItem.objects.bulk_create(
        action_item(item, what, org, role, days, today)
        for item in built
        for what, org, role, days in item.actions
    )
    return built


def action_item(item: BuiltMeeting, what, org, role, days, today) -> ActionItem:
    due = item.slot.day + dt.timedelta(days=days)
    rng = demo_random(f"action-{item.meeting.title}-{item.slot.day}-{what}")
    if due < today - dt.timedelta(days=60):
        status = ActionStatus.DONE if rng.random() < 0.9 else ActionStatus.DROPPED
    elif due < today:
        status = ActionStatus.DONE if rng.random() < 0.6 else ActionStatus.IN_PROGRESS
    else:
        status = ActionStatus.IN_PROGRESS if rng.random() < 0.5 else ActionStatus.OPEN
    return ActionItem(
        meeting=item.meeting,
        what=what,
        owner_organization=org,
        owner_role=role,
        due_on=due,
        status=status,
    )


def meeting_for(
    dd: DemoDistrict,
    slot: Slot,
    groups: DistrictGroups,
    plans: list[BuiltPlan],
    today: dt.date,
    unannounced: bool,
) -> BuiltMeeting:
    """One meeting: an announcement if it is still to come, the full record if it is over."""
    rng = demo_random(f"meeting-{dd.slug}-{slot.day}-{slot.title}")
    topic = TOPICS[slot.topic]
    fy = fiscal_year(slot.day)
    held = slot.day < today
    stage = dd.council.stage
    low, high = ATTENDANCE[slot.kind]
    attendance = rng.randint(low, high)
    proxies = rng.randint(4, 12)
    context = {
        "base": dd.base,
        "council": dd.council.name,
        "hub": dd.district.hub_name,
        "school": dd.district.school_name.removeprefix(SCHOOL_PREFIX),
        "fy": label(fy),
        "prev_fy": label(fy - 1),
        "next_fy": label(fy + 1),
        "chair": {PREPARING: "代表", NOT_STARTED: "世話人代表"}.get(stage, "会長"),
        "division": slot.division,
        "n1": rng.randint(3, 8),
        "n2": rng.randint(12, 30),
        "n3": rng.randint(150, 420),
        "present": attendance,
        "proxies": proxies,
        "delegates": attendance + proxies + rng.randint(0, 6),
    }
    if slot.topic == "other_tour":
        attendance = context["n2"]

    agenda = [item.format(**context) for item in topic.agenda]
    decisions = [text.format(**context) for text in topic.decisions]
    adopted = slot.adopts
    if adopted is not None:
        if slot.topic == "general_regular":
            agenda.insert(5, f"第6号議案 {adopted.title}（案）について")
        elif slot.topic == "general_founding":
            agenda.append(f"{adopted.title}（案）について")
        decisions.insert(
            0 if slot.topic == "general_plan" else len(decisions),
            f"{adopted.title}（{adopted.span_label}）を原案どおり承認した。",
        )
    lines = ["開会", *agenda, "その他", "閉会"]
    agenda_text = "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))

    paragraphs = [text.format(**context) for text in topic.paragraphs]
    after = add_months(slot.day, 2)[1]
    if slot.kind == MeetingKind.BOARD:
        paragraphs.insert(
            0, f"{context['chair']}のあいさつの後、前回の議事録を確認し、異議なく承認された。"
        )
        paragraphs.append(f"次回の役員会は{after}月に開く予定である。")
    elif slot.kind == MeetingKind.DIVISION:
        paragraphs.insert(0, f"{slot.division}長の進行で開会した。")
    elif slot.kind == MeetingKind.PREPARATORY:
        paragraphs.insert(0, "準備会代表のあいさつで開会した。")
        paragraphs.append(f"次回の準備会は{after}月に開く予定である。")

    plan = adopted or related_plan(plans, slot, topic)
    initiatives = []
    if plan is not None and topic.fields:
        built_plan = next(item for item in plans if item.plan is plan)
        initiatives = [
            built.initiative
            for built in built_plan.initiatives
            if built.spec.field in topic.fields
            and built.initiative.start_fy <= fy <= built.initiative.end_fy
        ][:3]

    actions = []
    for what, who, days in topic.actions:
        owner = groups.pick(who) or "事務局"
        if isinstance(owner, Organization):
            actions.append((what.format(**context), owner, "", days))
        else:
            actions.append((what.format(**context), None, owner, days))

    starts = dt.datetime.combine(slot.day, slot.start, tzinfo=TOKYO)
    announced = dt.datetime.combine(slot.day - dt.timedelta(days=21), dt.time(9), tzinfo=TOKYO)
    announced = min(announced, dt.datetime.combine(today, dt.time(0), tzinfo=TOKYO))
    published = not unannounced and (adopted is not None or not held or rng.random() >= 0.08)
    place = (
        f"{dd.district.hub_name} {slot.room}"
        if slot.room
        else f"県内の先進地区（{dd.district.hub_name}に集合）"
    )
    meeting = Meeting(
        district=dd.district,
        council=dd.council,
        kind=slot.kind,
        title=slot.title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=slot.minutes),
        place=place,
        **admission_values(dd, slot),
        attendance=attendance if held else None,
        agenda=agenda_text,
        minutes="\n\n".join(paragraphs) if held else "",
        plan=plan,
        is_published=published,
        published_at=announced if published else None,
    )
    return BuiltMeeting(
        slot,
        meeting,
        attending(groups, slot, rng),
        initiatives,
        decisions if held else [],
        actions if held else [],
    )


# Who may come: the council's own meetings are for its members; forums and the dialogues are
# open to every resident; a workshop (materials, tables) and the bus tour take registrations.
OPEN_TOPICS = {"dialogue_city", "dialogue_residents", "prep_dialogue"}
REGISTRATION_TOPICS = {"workshop_map", "workshop_plan", "workshop_vision", "other_tour"}


def admission_values(dd: DemoDistrict, slot: Slot) -> dict:
    """Who may attend the meeting, and for a registration how, with whom and by when."""
    if slot.kind == MeetingKind.FORUM or slot.topic in OPEN_TOPICS:
        return {"admission": Admission.OPEN}
    if slot.topic not in REGISTRATION_TOPICS:
        return {"admission": Admission.MEMBERS}
    office = dd.council.contact_name or f"{dd.council.name}事務局"
    phone = dd.council.contact_phone or dd.district.hub_phone
    email = dd.council.contact_email
    contact = f"{office}（{dd.district.hub_name}内） 電話 {phone}"
    if email:
        contact += f"・メール {email}"
    seats = 40 if slot.topic == "other_tour" else 30
    how = (
        "電話・メール、または拠点施設の窓口で、お名前・人数・当日連絡のつく電話番号を"
        f"お知らせください。定員{seats}人（先着順）。"
    )
    if slot.topic == "other_tour":
        how += "集合は拠点施設の前で、バスで移動します。昼食代は各自負担です。"
    return {
        "admission": Admission.REGISTRATION,
        "registration_how": how,
        "registration_contact": contact,
        "registration_deadline": slot.day - dt.timedelta(days=7),
    }


def related_plan(plans: list[BuiltPlan], slot: Slot, topic: Topic) -> Plan | None:
    """The plan a meeting talks about: the adopted one in force, or the one under discussion."""
    if not (topic.plan_related or topic.fields):
        return None
    fy = fiscal_year(slot.day)
    for item in plans:
        plan = item.plan
        if plan.stage == PlanStage.DRAFT:
            continue
        if plan.stage == PlanStage.DISCUSSION and slot.kind in (
            MeetingKind.PREPARATORY,
            MeetingKind.DIALOGUE,
            MeetingKind.WORKSHOP,
        ):
            return plan
        if plan.adopted_on and plan.adopted_on <= slot.day and plan.covers(fy):
            return plan
    return None


GENERAL_KINDS = (
    Kind.NEIGHBORHOOD,
    Kind.SOCIAL_WELFARE,
    Kind.WELFARE_VOLUNTEERS,
    Kind.PTA,
    Kind.SENIORS,
    Kind.CHILDREN,
    Kind.SCHOOL,
    Kind.FIRE_BRIGADE,
    Kind.WOMEN,
    Kind.YOUTH_COUNSELORS,
)
BOARD_KINDS = (Kind.NEIGHBORHOOD, Kind.SOCIAL_WELFARE, Kind.WELFARE_VOLUNTEERS, Kind.PTA)
DIVISION_FIELDS = {
    "防災部会": ("disaster",),
    "福祉部会": ("welfare", "health"),
    "子ども・教育部会": ("childcare", "education", "traffic"),
}


def attending(groups: DistrictGroups, slot: Slot, rng: random.Random) -> list[Organization]:
    if slot.kind == MeetingKind.GENERAL:
        return groups.of_kinds(GENERAL_KINDS, 14)
    if slot.kind in (MeetingKind.BOARD, MeetingKind.PREPARATORY):
        return groups.of_kinds(BOARD_KINDS + (Kind.SENIORS,), 8)
    if slot.kind == MeetingKind.DIVISION:
        return groups.sample(rng, 3, 6, DIVISION_FIELDS.get(slot.division))
    if slot.topic == "other_study":
        return groups.of_kinds((Kind.NEIGHBORHOOD,), 8)
    if slot.kind == MeetingKind.OTHER:
        return groups.sample(rng, 3, 6)
    return groups.sample(rng, 6, 11)


def link_issue_sources(plans: list[BuiltPlan], meetings: list[BuiltMeeting], today) -> None:
    """Point an issue at the published meeting or workshop it came from, where one is on record."""
    kinds = {
        MEETING: (MeetingKind.DIALOGUE, MeetingKind.PREPARATORY),
        WORKSHOP: (MeetingKind.WORKSHOP,),
    }
    held = defaultdict(list)
    for item in meetings:
        meeting = item.meeting
        if meeting.is_published and item.slot.day < today:
            held[meeting.district_id].append(item)
    changed = []
    for item in plans:
        before = item.plan.adopted_on or today
        for issue in item.issues.values():
            candidates = [
                held_meeting.meeting
                for held_meeting in held[item.plan.district_id]
                if held_meeting.meeting.kind in kinds.get(issue.source, ())
                and held_meeting.slot.day < before
            ]
            if candidates:
                issue.source_meeting = candidates[-1]
                issue.source_note = ""
                changed.append(issue)
    PlanIssue.objects.bulk_update(changed, ["source_meeting", "source_note"])


# --- The entry point ---------------------------------------------------------------------------


class Counts(NamedTuple):
    plans: int
    plan_stages: dict[str, int]
    initiatives: int
    indicator_results: int
    reviews: int
    meetings: int
    upcoming: int
    unpublished: int


def seed_plans_and_meetings(districts: list[DemoDistrict], today: dt.date | None = None) -> Counts:
    """Write the demo plans and meetings of these districts; call inside a transaction."""
    today = today or timezone.localdate()
    with translation.override("ja"):
        groups = load_groups(districts)
        plans = seed_plans(districts, groups, today)
        meetings = seed_meetings(districts, groups, plans, today)
        link_issue_sources(plans, meetings, today)
    stages = {stage: 0 for stage in PlanStage.values}
    for item in plans:
        stages[item.plan.stage] += 1
    return Counts(
        plans=len(plans),
        plan_stages=stages,
        initiatives=sum(len(item.initiatives) for item in plans),
        indicator_results=sum(
            len(yearly)
            for item in plans
            for built in item.initiatives
            for yearly in built.results.values()
        ),
        reviews=Review.objects.filter(plan__in=[item.plan for item in plans]).count(),
        meetings=len(meetings),
        upcoming=sum(1 for item in meetings if item.slot.day >= today),
        unpublished=sum(1 for item in meetings if not item.meeting.is_published),
    )
