"""The consolidated grant of the demo city for seed_demo: the program, two years, applications.

The program 「地域づくり一括交付金」 has two years, 令和7年度 (FY2025, over) and 令和8年度 (FY2026,
under way). Every application is walked through the real services (allocations, applications,
decisions) with the clock set to the day each step happened, so the history, the versions and
the amounts are exactly what coordinators and grant staff would have produced.

The six councils that receive the grant can hold one open application a year each, which leaves
twelve places for the twelve states that hold a place; rejected and withdrawn applications come
on top. The year that is over takes the states that come after the work is done:

    council  令和7年度 (FY2025)                          令和8年度 (FY2026)
    桜台     settled: advance, change approved, final   returned (budget, attachments)
    緑が丘   report accepted: paid in full, underspent   change requested (proposed version 2)
    本町     cancelled: advance to be returned           withdrawn, then submitted again
    東山     report returned (report budget, receipts)   approved, not yet paid
    若葉     reported again after a return; change       recommended
             refused
    川北     rejected, then paid (advance), report       draft
             being written

桜台 is demo-coordinator's council and 東山 demo-coordinator2's; the other councils get
coordinator accounts without a usable password, like the liaison staff in seed_demo.

The command skips all of this when the program already has applications, so a second run
changes nothing. The years are fixed: the demo city's grant history is that of 令和7–8年度
whenever the command runs.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import NamedTuple
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.test.utils import override_settings
from django.utils import translation
from django.utils.timezone import get_current_timezone

from core import roles
from core.dates import format_fiscal_year, format_wareki_date
from core.names import person_name
from districts.models import Council, District
from organizations.models import Officer, OfficerRole
from plans.models import IndicatorResult, Initiative, PlanStage
from subsidies.categories import STANDARD_EXPENSE_CATEGORIES
from subsidies.models import (
    Application,
    AttachmentKind,
    ComponentKind,
    ExpenseCategory,
    FormulaComponent,
    IncomeSource,
    LegacySubsidy,
    Payment,
    PaymentKind,
    Program,
    ProgramYear,
    RefundHandling,
    Rounding,
    Side,
    State,
    UnitCount,
)
from subsidies.services import adjust_allocation, compute_allocations, copy_program_year, decisions
from subsidies.services import applications as edits

TOKYO = ZoneInfo("Asia/Tokyo")
PAST_YEAR, THIS_YEAR = 2025, 2026
PROGRAM_NAME = "地域づくり一括交付金"
PROGRAM_PURPOSE = (
    "地区まちづくり協議会が地域づくり計画に沿って行う活動を、一つの交付金で支える制度です。"
    "これまで担当課ごとに自治会や各種団体へ交付していた補助金を令和7年度から一本化し、"
    "使い道は協議会が地区の課題に合わせて決められるようにしました。"
    "申請と実績報告の書類も一つにまとめ、地域の事務の負担を軽くしています。"
)
# (name, former department, former yearly amount citywide)
LEGACY_SUBSIDIES = (
    ("防犯灯維持管理補助金", "自治振興課", 2_850_000),
    ("敬老会開催補助金", "高齢福祉課", 3_120_000),
    ("地域清掃活動補助金", "環境課", 680_000),
    ("子ども会育成補助金", "生涯学習課", 1_450_000),
    ("地区社協活動助成", "福祉総務課", 2_400_000),
)
# Street lights maintained by each district's associations on April 1, 2025 and 2026.
STREET_LIGHTS = {
    "sakuradai": (612, 615),
    "midorigaoka": (745, 748),
    "honmachi": (530, 530),
    "higashiyama": (388, 391),
    "wakaba": (540, 556),
    "kawakita": (296, 296),
    "minamidai": (455, 455),
    "izumi": (342, 342),
    "nishihara": (701, 704),
    "asahi": (318, 318),
    "uenohara": (264, 264),
    "hokubu": (233, 233),
}
GRANTED_SLUGS = ("sakuradai", "midorigaoka", "honmachi", "higashiyama", "wakaba", "kawakita")
# Councils without a demo login get a coordinator account that cannot sign in.
COORDINATOR_ACCOUNTS = {
    "sakuradai": "demo-coordinator",
    "higashiyama": "demo-coordinator2",
    "midorigaoka": ("demo-coord-midorigaoka", "山口", "和夫"),
    "honmachi": ("demo-coord-honmachi", "松本", "由紀子"),
    "wakaba": ("demo-coord-wakaba", "井上", "翔"),
    "kawakita": ("demo-coord-kawakita", "木村", "勝"),
}
OFFICER, APPROVER = "demo-officer", "demo-approver"
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"


# --- What the councils file --------------------------------------------------------------------


class Activity(NamedTuple):
    """One row of the business plan; its cost is its share (weight) of the expenses."""

    text: str
    initiatives: tuple[str, ...]  # titles in the district's plan
    schedule: str
    effect: str
    weight: int


class Expense(NamedTuple):
    category: str
    description: str
    weight: int
    month: int  # when it is paid, for the dates of the report


class Filing(NamedTuple):
    """An application's purpose, business plan and budget; the request follows the allocation."""

    purpose: str
    activities: tuple[Activity, ...]
    expenses: tuple[Expense, ...]
    own_funds: int
    other: int = 0
    other_label: str = ""
    below_allocation: int = 0
    quotes: tuple[str, ...] = ()


class Outcome(NamedTuple):
    """What a report says; `shortfall` is how much less than the grant was spent."""

    summary: str
    outcomes: str
    shortfall: int = 0
    first_summary: str = ""  # as first filed, when the report was returned for it


OWN_FUNDS = "構成団体負担金・会費"
GRANT_LINE = "地域づくり一括交付金"

SAKURADAI_2025 = Filing(
    purpose=(
        "第2期まちづくり計画の2年目として、防災と見守りを柱に活動します。"
        "地区合同防災訓練に個別避難計画づくりを組み合わせ、避難に支援が必要な方を地域で支える"
        "仕組みを広げます。防犯灯のLED化を今年度で完了させ、夜道の安全を高めます。"
    ),
    activities=(
        Activity(
            "地区合同防災訓練と防災講演会",
            ("地区合同防災訓練の実施",),
            "9月 第1日曜日（訓練）・翌2月（講演会）",
            "6自治会が合同で避難所の開設と運営を体験し、手順を住民と確認する。"
            "講演会で家庭での備蓄を呼びかけ、3日分以上を備蓄する世帯を増やす。",
            30,
        ),
        Activity(
            "個別避難計画づくりの支援",
            ("避難行動要支援者の個別避難計画づくり",),
            "6月〜翌3月",
            "民生委員・自治会役員と要支援者宅を訪ね、避難の手助けをする人と経路を決めた計画を作る。",
            10,
        ),
        Activity(
            "ひとり暮らし高齢者の見守り訪問とふれあいサロン",
            ("ひとり暮らし高齢者の見守り訪問",),
            "通年（訪問は毎月、サロンは年4回）",
            "見守り協力員が毎月訪問し、体調の変化や困りごとに早く気づけるようにする。",
            15,
        ),
        Activity(
            "防犯灯のLED化と維持管理",
            ("防犯灯のLED化と夜間の防犯パトロール",),
            "7月〜11月（LED化工事）・通年（電気料）",
            "残る42灯をLED化して地区の防犯灯をすべてLEDにし、電気料と球切れを減らす。",
            30,
        ),
        Activity(
            "敬老のつどい",
            (),
            "9月 敬老の日の前日",
            "75歳以上の方を招き、子ども会と女性会の出し物で世代間の交流を図る。",
            10,
        ),
        Activity(
            "協議会だよりの発行とLINEでの情報発信",
            ("協議会の情報発信（広報紙とLINE）",),
            "年3回発行（7月・11月・翌3月）",
            "全戸配布の広報紙とLINEで協議会の活動を知らせ、行事への参加を呼びかける。",
            5,
        ),
    ),
    expenses=(
        Expense("修繕料", "防犯灯LED化工事（42灯）", 26, 11),
        Expense("消耗品費", "防災訓練用品（アルファ化米・保存水・簡易トイレ）", 14, 8),
        Expense("光熱水費", "防犯灯の電気料", 10, 3),
        Expense("印刷製本費", "協議会だより（年3回・各5,100部）", 8, 11),
        Expense("消耗品費", "敬老のつどいの会場装飾・記念品", 8, 9),
        Expense("使用料及び賃借料", "防災訓練のテント・発電機の借上げ", 4, 9),
        Expense("報償費", "防災講演会の講師謝礼", 3, 2),
        Expense("保険料", "行事保険・ボランティア保険", 3, 5),
        Expense("通信運搬費", "見守り訪問の連絡と郵送料", 2, 12),
    ),
    own_funds=180_000,
    other=50_000,
    other_label="地元企業からの協賛金",
    below_allocation=150_000,
    quotes=("見積書（防犯灯LED化工事 42灯）",),
)
SAKURADAI_2025_CHANGE = SAKURADAI_2025._replace(
    purpose=SAKURADAI_2025.purpose
    + "6月の総会の決定により、LED化の対象に桜台団地内の18灯を加えます。",
    activities=tuple(
        activity._replace(
            text="防犯灯のLED化と維持管理（桜台団地の18灯を追加）",
            effect="団地内の18灯を加えた60灯をLED化し、地区の防犯灯をすべてLEDにする。",
            weight=38,
        )
        if activity.text == "防犯灯のLED化と維持管理"
        else activity
        for activity in SAKURADAI_2025.activities
    ),
    expenses=tuple(
        expense._replace(description="防犯灯LED化工事（60灯）", weight=34)
        if expense.category == "修繕料"
        else expense
        for expense in SAKURADAI_2025.expenses
    ),
    below_allocation=0,
)
SAKURADAI_2026 = Filing(
    purpose=(
        "防犯灯のLED化を終え、今年度は避難に支援が必要な方の個別避難計画づくりに力を入れます。"
        "防災訓練では計画に沿って要支援者の避難を手助けする訓練を行い、"
        "通学路の点検と見守りを続けます。"
    ),
    activities=(
        Activity(
            "地区合同防災訓練（要支援者の避難支援訓練）",
            ("地区合同防災訓練の実施",),
            "翌1月 第3日曜日",
            "個別避難計画のある方と支援者が一緒に避難所まで移動し、計画どおりに動けるか確かめる。",
            30,
        ),
        Activity(
            "個別避難計画づくりの支援",
            ("避難行動要支援者の個別避難計画づくり",),
            "11月〜翌3月",
            "要支援者宅を訪ねて計画づくりを進め、作成件数を増やす。",
            18,
        ),
        Activity(
            "見守り訪問と見守り協力員の研修",
            ("ひとり暮らし高齢者の見守り訪問",),
            "通年（訪問は毎月）・研修は12月",
            "協力員の研修で訪問の心得を共有し、訪問率を上げる。",
            15,
        ),
        Activity(
            "通学路の安全点検",
            ("通学路の安全点検と登下校の見守り",),
            "12月（点検）・通年（見守り）",
            "PTA・見守り隊と危険箇所を点検し、改善を市に要望する。",
            10,
        ),
        Activity(
            "防犯灯の維持管理",
            (),
            "通年",
            "防犯灯615灯の電気料と修繕で、夜道の明るさを保つ。",
            20,
        ),
        Activity(
            "協議会だよりの発行",
            ("協議会の情報発信（広報紙とLINE）",),
            "12月・翌3月",
            "活動の報告と防災訓練の案内を全戸に届ける。",
            7,
        ),
    ),
    expenses=(
        Expense("消耗品費", "防災訓練用品", 20, 1),
        Expense("光熱水費", "防犯灯の電気料", 14, 3),
        Expense("修繕料", "防犯灯の修繕", 6, 2),
        Expense("報償費", "見守り協力員研修の講師謝礼", 4, 12),
        Expense("印刷製本費", "協議会だより・個別避難計画の様式", 10, 12),
        Expense("使用料及び賃借料", "訓練会場の備品借上げ", 6, 1),
        Expense("消耗品費", "通学路点検の用品（反射材・腕章）", 5, 12),
        Expense("保険料", "行事保険・ボランティア保険", 4, 11),
    ),
    own_funds=180_000,
    other=40_000,
    other_label="地元企業からの協賛金",
)

MIDORIGAOKA_2025 = Filing(
    purpose=(
        "坂道の多い緑が丘で、歩いて暮らし続けられるまちを目指します。"
        "移動販売の停留所を増やし、空き家を使った交流サロンを週4日開いて、"
        "見守りと送迎ボランティアで高齢の方の外出を支えます。"
    ),
    activities=(
        Activity(
            "移動販売の停留所づくりと買い物支援",
            ("移動販売の誘致と買い物支援",),
            "通年（毎週火・金曜日）",
            "坂の上の住宅地に停留所を増やし、歩いて買い物ができる範囲を広げる。",
            12,
        ),
        Activity(
            "空き家サロン「みどりの縁側」の運営",
            ("空き家を活用した交流サロン",),
            "通年（週4日開館）",
            "空き家を借りたサロンで、お茶飲み・体操・相談の場を週4日開く。",
            40,
        ),
        Activity(
            "見守り訪問と見守り協力員の研修",
            ("ひとり暮らし高齢者の見守り訪問",),
            "通年（訪問は毎月）・研修は7月",
            "協力員を増やし、ひとり暮らし高齢者への訪問率を上げる。",
            10,
        ),
        Activity(
            "地区合同防災訓練",
            ("地区合同防災訓練の実施",),
            "10月 第3日曜日",
            "校区の8自治会が合同で避難訓練と炊き出し訓練を行う。",
            18,
        ),
        Activity(
            "坂道おでかけ支援（送迎ボランティア）",
            ("坂道おでかけ支援（送迎ボランティア）",),
            "通年（毎週月・木曜日）",
            "ボランティアの運転で、通院や買い物の外出を支える。",
            12,
        ),
        Activity(
            "敬老会",
            (),
            "9月 第2日曜日",
            "地区の75歳以上の方をお祝いし、サロンや見守りの活動を紹介する。",
            8,
        ),
    ),
    expenses=(
        Expense("使用料及び賃借料", "空き家サロンの家賃（12か月）", 24, 3),
        Expense("光熱水費", "空き家サロンの電気・水道・ガス", 6, 3),
        Expense("修繕料", "空き家サロンの床・手すりの修繕", 12, 7),
        Expense("消耗品費", "防災訓練用品・サロンの用品", 20, 10),
        Expense("燃料費", "送迎車両のガソリン", 6, 12),
        Expense("保険料", "送迎ボランティア保険・行事保険", 5, 5),
        Expense("報償費", "見守り協力員研修の講師謝礼", 3, 7),
        Expense("印刷製本費", "移動販売の案内チラシ・地区だより", 10, 6),
        Expense("消耗品費", "敬老会の記念品", 6, 9),
    ),
    own_funds=0,
    below_allocation=89_000,
    quotes=("見積書（空き家サロンの床・手すりの修繕）",),
)
MIDORIGAOKA_2026 = Filing(
    purpose=(
        "計画の最終年度として、移動販売と空き家サロンを地域で続けられる形に整えます。"
        "送迎ボランティアは運転手不足のため休止し、サロンと見守りの連携を強めます。"
    ),
    activities=(
        Activity(
            "移動販売の停留所づくりと買い物支援",
            ("移動販売の誘致と買い物支援",),
            "通年（毎週火・金曜日）",
            "停留所を8か所に増やし、月平均の利用者を増やす。",
            15,
        ),
        Activity(
            "空き家サロン「みどりの縁側」の運営",
            ("空き家を活用した交流サロン",),
            "通年（週5日開館）",
            "開館日を週5日に増やし、見守り協力員の相談日を設ける。",
            45,
        ),
        Activity(
            "見守り訪問と見守り協力員の研修",
            ("ひとり暮らし高齢者の見守り訪問",),
            "通年（訪問は毎月）・研修は7月",
            "協力員の研修と、サロンでの情報共有で訪問率を上げる。",
            10,
        ),
        Activity(
            "地区合同防災訓練",
            ("地区合同防災訓練の実施",),
            "10月 第3日曜日",
            "避難所開設訓練に中学生の参加を呼びかける。",
            20,
        ),
        Activity("敬老会", (), "9月 第2日曜日", "地区の75歳以上の方をお祝いする。", 10),
    ),
    expenses=(
        Expense("使用料及び賃借料", "空き家サロンの家賃（12か月）", 26, 3),
        Expense("光熱水費", "空き家サロンの電気・水道・ガス", 7, 3),
        Expense("消耗品費", "防災訓練用品・サロンの用品", 22, 10),
        Expense("保険料", "行事保険・ボランティア保険", 4, 5),
        Expense("報償費", "見守り協力員研修の講師謝礼", 3, 7),
        Expense("印刷製本費", "移動販売の案内チラシ・地区だより", 10, 6),
        Expense("消耗品費", "敬老会の記念品", 6, 9),
    ),
    own_funds=0,
    other=60_000,
    other_label="移動販売事業者からの協賛金",
    below_allocation=200_000,
)
MIDORIGAOKA_2026_CHANGE = MIDORIGAOKA_2026._replace(
    purpose=MIDORIGAOKA_2026.purpose
    + "10月の役員会の決定により、空き家の見回りと空き家バンクの案内を新たに始めます。",
    activities=(
        *MIDORIGAOKA_2026.activities,
        Activity(
            "空き家の見回りと空き家バンクの案内",
            ("空き家の見回りと空き家バンクへの登録の呼びかけ",),
            "11月〜翌3月",
            "自治会と空き家を見回り、所有者に空き家バンクへの登録を案内する。",
            8,
        ),
    ),
    expenses=(
        *MIDORIGAOKA_2026.expenses,
        Expense("印刷製本費", "空き家所有者への案内文・リーフレット", 4, 12),
        Expense("通信運搬費", "空き家所有者への郵送料", 2, 12),
    ),
    below_allocation=80_000,
)

HONMACHI_2025 = Filing(
    purpose=(
        "町内会・商店会・学校が一緒に運営する本町まつりを中心に、世代をこえたつながりを育てます。"
        "木造住宅が密集する中心部で初期消火訓練と街頭消火器の設置を進め、"
        "防犯灯のLED化と一斉清掃を続けます。"
    ),
    activities=(
        Activity(
            "本町まつり",
            ("本町まつりを通じた世代間の交流",),
            "10月 第2土・日曜日",
            "町内会・商店会・小中学校が合同で運営し、中高生ボランティアの参加を増やす。",
            40,
        ),
        Activity(
            "初期消火訓練と街頭消火器の設置",
            ("初期消火訓練と街頭消火器の設置",),
            "6月・11月（訓練）・8月（設置）",
            "路地の多い町内に街頭消火器を4基設置し、各町内会で初期消火訓練を行う。",
            25,
        ),
        Activity(
            "防犯灯のLED化と防犯パトロール",
            ("防犯灯のLED化と夜間の防犯パトロール",),
            "通年（パトロールは毎週金曜日）",
            "LED化を進め、駅前の夜間パトロールを続ける。",
            25,
        ),
        Activity(
            "町内会加入の案内と「ちょいボラ」登録",
            ("町内会への加入促進と担い手づくり",),
            "4月〜翌3月",
            "転入者とマンション住民に加入案内を配り、行事の手伝いを登録してもらう。",
            5,
        ),
        Activity(
            "地域一斉清掃",
            ("地域一斉清掃と不法投棄の見回り",),
            "6月・11月",
            "町内会ごとの一斉清掃で、ごみ袋と軍手を配る。",
            5,
        ),
    ),
    expenses=(
        Expense("使用料及び賃借料", "本町まつりのテント・音響機材の借上げ", 20, 10),
        Expense("消耗品費", "本町まつりの用品", 14, 10),
        Expense("保険料", "本町まつりの行事保険", 4, 9),
        Expense("備品購入費", "街頭消火器（4基）", 12, 8),
        Expense("修繕料", "防犯灯LED化工事", 20, 11),
        Expense("光熱水費", "防犯灯の電気料", 12, 3),
        Expense("印刷製本費", "町内会加入案内チラシ", 6, 5),
        Expense("消耗品費", "一斉清掃のごみ袋・軍手", 4, 6),
    ),
    own_funds=150_000,
    other=120_000,
    other_label="本町まつり協賛金（商店会・事業所）",
    quotes=("見積書（街頭消火器 4基）", "見積書（防犯灯LED化工事）"),
)
HONMACHI_2026 = HONMACHI_2025._replace(
    purpose=(
        "本町まつりと初期消火訓練を続けながら、町内会への加入促進に力を入れます。"
        "マンションの管理組合と協力して、転入者に地域の活動を知らせます。"
    ),
    below_allocation=71_000,
)
HONMACHI_2026_REVISED = HONMACHI_2026._replace(
    purpose=(
        "9月の臨時総会で見直した計画にもとづき、本町まつりの会計を町内会連合会と分けて管理し、"
        "交付金は地区全体の事業に充てます。町内会への加入促進と初期消火訓練を重点に、"
        "マンションの管理組合と協力して転入者に地域の活動を知らせます。"
    ),
    activities=tuple(
        activity._replace(schedule="翌1月・翌3月（訓練）")
        if activity.text == "初期消火訓練と街頭消火器の設置"
        else activity
        for activity in HONMACHI_2025.activities
    ),
)

HIGASHIYAMA_2025 = Filing(
    purpose=(
        "モデル地区2年目として、土砂災害から命を守る避難の体制づくりを進めます。"
        "個別避難計画づくりと梅雨入り前の避難訓練を柱に、"
        "暮らしの困りごとお助け隊と田植え・稲刈り体験で地域のつながりを広げます。"
    ),
    activities=(
        Activity(
            "個別避難計画づくり",
            ("避難行動要支援者の個別避難計画づくり",),
            "6月〜翌2月",
            "土砂災害警戒区域に住む要支援者から順に、支援者と避難先を決めた計画を作る。",
            25,
        ),
        Activity(
            "土砂災害を想定した早めの避難訓練",
            ("土砂災害を想定した早めの避難訓練",),
            "6月（梅雨入り前）",
            "大雨の予報の段階で避難を始める訓練を行い、避難先を決めている世帯を増やす。",
            25,
        ),
        Activity(
            "暮らしの困りごとお助け隊",
            ("暮らしの困りごとお助け隊",),
            "通年",
            "草刈り・電球交換・ごみ出しなど、ちょっとした困りごとを地域の有償ボランティアで手伝う。",
            30,
        ),
        Activity(
            "田植え・稲刈り体験",
            ("田植え・稲刈り体験による世代間交流",),
            "5月（田植え）・9月（稲刈り）",
            "農家の方を講師に、親子で田植えと稲刈りを体験する。",
            20,
        ),
    ),
    expenses=(
        Expense("報償費", "防災講座の講師謝礼（防災士）", 8, 6),
        Expense("消耗品費", "避難訓練用品（ヘルメット・ライト・誘導旗）", 20, 6),
        Expense("印刷製本費", "個別避難計画の様式・地区ハザードマップ", 14, 7),
        Expense("燃料費", "お助け隊の草刈機の燃料", 8, 8),
        Expense("修繕料", "お助け隊の草刈機の修理", 6, 7),
        Expense("保険料", "ボランティア保険・行事保険", 8, 5),
        Expense("使用料及び賃借料", "体験田の借上げ（約10アール・5月〜9月）", 10, 9),
        Expense("消耗品費", "体験用の苗・長靴・軍手", 8, 5),
        Expense("報償費", "田植え・稲刈りの講師謝礼", 4, 9),
    ),
    own_funds=60_000,
    other=30_000,
    other_label="JAみどり野からの寄付金",
    below_allocation=31_000,
)
# As first filed: the rice-field activity not yet tied to the plan, the field rent without detail.
HIGASHIYAMA_2025_FIRST = HIGASHIYAMA_2025._replace(
    activities=tuple(
        activity._replace(initiatives=()) if activity.text == "田植え・稲刈り体験" else activity
        for activity in HIGASHIYAMA_2025.activities
    ),
    expenses=tuple(
        expense._replace(description="体験田の借上げ")
        if expense.category == "使用料及び賃借料"
        else expense
        for expense in HIGASHIYAMA_2025.expenses
    ),
)
HIGASHIYAMA_2026 = Filing(
    purpose=(
        "個別避難計画の作成を地区全体に広げ、計画にもとづく避難訓練を行います。"
        "お助け隊に草刈機を備え、山ぎわの空き地の草刈りの依頼にも応えられるようにします。"
    ),
    activities=(
        Activity(
            "個別避難計画づくり",
            ("避難行動要支援者の個別避難計画づくり",),
            "11月〜翌3月",
            "残る要支援者の計画を作り、支援者の研修を行う。",
            30,
        ),
        Activity(
            "計画にもとづく避難訓練",
            ("土砂災害を想定した早めの避難訓練",),
            "翌2月",
            "個別避難計画のある方と支援者が、計画どおりに避難できるか確かめる。",
            25,
        ),
        Activity(
            "暮らしの困りごとお助け隊",
            ("暮らしの困りごとお助け隊",),
            "通年",
            "草刈機を備え、依頼に応えられる件数を増やす。",
            45,
        ),
    ),
    expenses=(
        Expense("備品購入費", "お助け隊の草刈機（2台）", 18, 12),
        Expense("燃料費", "草刈機の燃料", 8, 1),
        Expense("報償費", "支援者研修の講師謝礼（防災士）", 8, 1),
        Expense("消耗品費", "避難訓練用品", 22, 2),
        Expense("印刷製本費", "個別避難計画の様式・避難の手引き", 14, 12),
        Expense("保険料", "ボランティア保険・行事保険", 10, 11),
        Expense("使用料及び賃借料", "訓練用の車両の借上げ", 10, 2),
    ),
    own_funds=60_000,
    other=30_000,
    other_label="JAみどり野からの寄付金",
    below_allocation=23_000,
    quotes=("見積書（草刈機 2台）",),
)

WAKABA_2025 = Filing(
    purpose=(
        "子育て世代の多い若葉で、子どもの放課後の居場所と通学路の安全を地域で支えます。"
        "協議会だよりとLINEで自治会に加入していない世帯にも活動を届け、"
        "転入者歓迎会で新しい住民を地域に迎えます。"
    ),
    activities=(
        Activity(
            "放課後の居場所「わかばキッズベース」",
            ("放課後の子どもの居場所づくり",),
            "通年（毎週水・土曜日）",
            "地区市民センターで宿題と遊びの場を開き、開設日数を増やす。",
            35,
        ),
        Activity(
            "通学路の安全点検と見守り活動",
            ("通学路の安全点検と登下校の見守り",),
            "5月（点検）・通年（見守り）",
            "PTA・見守り隊と危険箇所を点検し、見守りの担い手を増やす。",
            15,
        ),
        Activity(
            "協議会だよりとLINEでの発信",
            ("協議会の情報発信（広報紙とLINE）",),
            "年3回発行・LINEは通年",
            "自治会未加入の世帯にも行事と防犯の情報を届ける。",
            15,
        ),
        Activity(
            "子育てひろば",
            ("子育てひろばと親子の交流",),
            "毎月第2・第4火曜日",
            "乳幼児の親子が集まり、子育ての相談ができる場を開く。",
            15,
        ),
        Activity(
            "転入者歓迎会",
            ("転入者歓迎会と自治会の加入案内",),
            "6月",
            "転入した世帯を招き、自治会と協議会の活動を紹介する。",
            8,
        ),
        Activity(
            "子ども会球技大会",
            (),
            "7月 第3日曜日",
            "単位子ども会が集まるドッジボール・キックベース大会を開く。",
            12,
        ),
    ),
    expenses=(
        Expense("使用料及び賃借料", "キッズベースの会場使用料", 14, 3),
        Expense("報償費", "学習支援ボランティアの謝礼", 16, 3),
        Expense("消耗品費", "キッズベースの文具・教材", 10, 10),
        Expense("消耗品費", "見守りベスト・腕章", 6, 5),
        Expense("印刷製本費", "協議会だより（年3回）", 14, 11),
        Expense("通信運搬費", "LINE公式アカウントの利用料", 5, 3),
        Expense("消耗品費", "子育てひろばの玩具・絵本", 8, 7),
        Expense("使用料及び賃借料", "球技大会の会場・用具の借上げ", 8, 7),
        Expense("保険料", "行事保険・ボランティア保険", 6, 5),
        Expense("印刷製本費", "転入者向け案内冊子", 5, 6),
        Expense("報償費", "球技大会の審判謝礼", 8, 7),
    ),
    own_funds=120_000,
    other=0,
    below_allocation=99_000,
)
WAKABA_2025_CHANGE = WAKABA_2025._replace(
    purpose=WAKABA_2025.purpose + "キッズベースで使うタブレット端末を購入します。",
    expenses=(*WAKABA_2025.expenses, Expense("備品購入費", "タブレット端末（5台）", 8, 8)),
    below_allocation=0,
)
WAKABA_2026 = WAKABA_2025._replace(
    purpose=(
        "キッズベースの開設日を増やし、子育てひろばとあわせて子育て世代の居場所を広げます。"
        "協議会だよりとLINEで、自治会に加入していない世帯にも活動を届けます。"
    ),
    activities=tuple(
        activity
        for activity in WAKABA_2025.activities
        if activity.text not in ("転入者歓迎会", "子ども会球技大会")
    ),
    expenses=tuple(
        expense
        for expense in WAKABA_2025.expenses
        if expense.description not in ("転入者向け案内冊子", "球技大会の会場・用具の借上げ")
        and expense.description != "球技大会の審判謝礼"
    ),
    below_allocation=120_000,
)

KAWAKITA_2025 = Filing(
    purpose=(
        "みどり川の氾濫に備え、世帯ごとのマイ・タイムラインづくりと水防訓練を進めます。"
        "車を運転しない高齢の方の買い物と通院を、送迎ボランティアで支えます。"
    ),
    activities=(
        Activity(
            "マイ・タイムラインづくり講座",
            ("マイ・タイムラインづくりと水防訓練",),
            "6月〜8月（各自治会で開催）",
            "自治会ごとに講座を開き、避難の時期と行動を決めたマイ・タイムラインを作る。",
            30,
        ),
        Activity(
            "水防訓練",
            ("マイ・タイムラインづくりと水防訓練",),
            "翌3月",
            "土のう積みと避難の呼びかけを、若い世帯も加わって訓練する。",
            20,
        ),
        Activity(
            "おでかけ支援（送迎ボランティア）",
            ("おでかけ支援（送迎ボランティア）",),
            "通年（毎週木曜日）",
            "ボランティアの運転で、スーパーと診療所への外出を支える。",
            30,
        ),
        Activity(
            "みどり川河川敷の清掃",
            (),
            "7月・11月",
            "自治会と子ども会で河川敷のごみを拾い、不法投棄を防ぐ。",
            20,
        ),
    ),
    expenses=(
        Expense("報償費", "講座の講師謝礼（気象防災アドバイザー）", 10, 7),
        Expense("印刷製本費", "マイ・タイムライン用紙・地区防災マップ", 16, 6),
        Expense("消耗品費", "土のう袋・水防資材", 16, 3),
        Expense("燃料費", "送迎車両の燃料", 14, 3),
        Expense("保険料", "送迎ボランティア保険・行事保険", 10, 6),
        Expense("使用料及び賃借料", "送迎車両の借上げ", 16, 3),
        Expense("消耗品費", "清掃用のごみ袋・火ばさみ・軍手", 10, 7),
        Expense("手数料", "ごみの処分手数料", 8, 11),
    ),
    own_funds=50_000,
    other=0,
    below_allocation=54_000,
)
KAWAKITA_2026 = KAWAKITA_2025._replace(
    purpose=(
        "令和7年9月の大雨で浸水した水防倉庫の資機材を補充し、マイ・タイムラインを地区全体に広げます。"
        "送迎ボランティアの運転手を増やし、送迎の回数を週2回にします。"
    ),
    activities=tuple(
        activity._replace(schedule="通年（毎週火・木曜日）")
        if activity.text.startswith("おでかけ支援")
        else activity
        for activity in KAWAKITA_2025.activities
    ),
    expenses=(
        *KAWAKITA_2025.expenses,
        Expense("原材料費", "水防倉庫の資機材（単管・シート）", 10, 1),
    ),
    below_allocation=0,
)

REPORTS = {
    "sakuradai": Outcome(
        summary=(
            "9月7日に地区合同防災訓練を行い、6自治会が避難所の開設から受付・物資の配布までを"
            "体験しました。2月15日には防災講演会を開き、家庭での備蓄を呼びかけました。"
            "個別避難計画は民生委員・自治会役員と要支援者宅を訪ねて作成を進めました。"
            "防犯灯は桜台団地の18灯を加えた60灯のLED化工事を11月に終え、地区の防犯灯はすべて"
            "LEDになりました。見守り訪問は毎月行い、ふれあいサロンを4回開きました。"
            "敬老のつどいは9月14日に開き、子ども会と女性会が出し物を披露しました。"
            "協議会だよりは7月・11月・3月に発行しました。"
        ),
        outcomes=(
            "防犯灯のLED化が完了し、電気料が前年度より下がりました。"
            "個別避難計画は作成が進んだ一方、支援者の確保が課題です。"
            "次年度は計画に沿った避難支援の訓練を行います。"
        ),
    ),
    "midorigaoka": Outcome(
        summary=(
            "移動販売は停留所を1か所増やし、毎週火・金曜日に運行しました。"
            "空き家サロン「みどりの縁側」は週4日開館し、体操教室と健康相談を行いました。"
            "10月19日の地区合同防災訓練では、8自治会が避難訓練と炊き出し訓練を行いました。"
            "送迎ボランティアは運転手の都合により10月から休止しました。"
            "サロンの床と手すりの修繕は、見積額を下回る金額で済みました。"
        ),
        first_summary=(
            "移動販売は停留所を1か所増やし、毎週火・金曜日に運行しました。"
            "空き家サロン「みどりの縁側」は週4日開館し、体操教室と健康相談を行いました。"
            "10月19日の地区合同防災訓練では、8自治会が避難訓練と炊き出し訓練を行いました。"
        ),
        outcomes=(
            "サロンの利用者が増え、見守り協力員との情報交換の場にもなりました。"
            "送迎ボランティアは運転手の確保が課題で、休止により燃料費と保険料の一部を"
            "執行しませんでした。未執行分は返還します。"
        ),
        shortfall=118_000,
    ),
    "higashiyama": Outcome(
        summary=(
            "6月8日に土砂災害を想定した早めの避難訓練を行いました。"
            "個別避難計画は土砂災害警戒区域に住む要支援者から順に作成しました。"
            "お助け隊は草刈りや電球交換の依頼に応えました。"
            "田植え（5月）と稲刈り（9月）の体験には地区内外の親子が参加しました。"
        ),
        outcomes=(
            "避難先を決めている世帯が増えました。お助け隊の依頼は夏の草刈りに集中し、"
            "草刈機の不足が課題です。"
        ),
    ),
    "wakaba": Outcome(
        summary=(
            "キッズベースを毎週水・土曜日に開き、学習支援ボランティアが宿題を見ました。"
            "5月に通学路の安全点検を行い、危険箇所の改善を市に要望しました。"
            "協議会だよりを3回発行し、LINEで行事を案内しました。"
            "子育てひろばを毎月2回、転入者歓迎会を6月に、子ども会球技大会を7月に開きました。"
        ),
        outcomes=(
            "キッズベースの利用者が増え、開設日を増やす要望が寄せられています。"
            "転入者歓迎会は参加者が少なく、次年度は開き方を見直します。"
        ),
    ),
    "kawakita": Outcome(
        summary=(
            "6月から8月に自治会ごとにマイ・タイムライン講座を開きました。"
            "送迎ボランティアは毎週木曜日に運行しました。"
            "9月の大雨で水防倉庫が浸水したため、3月の水防訓練は規模を縮小して行いました。"
        ),
        outcomes="",
    ),
}
STANDARD_CONDITIONS = (
    "交付金は事業計画書に記載した事業に充て、食糧費・交際費には充てないこと。"
    "事業の内容や経費の配分を変更するときは、あらかじめ変更申請を行うこと。"
    "{due}までに実績報告書を提出すること。"
)


# --- The clock ---------------------------------------------------------------------------------


class Clock:
    """The time the services see while history is recreated; never runs backwards per application.

    The services stamp events with timezone.now() and check the application window and payment
    dates against timezone.localdate(), so both are patched while the seed runs: the demo's
    history then carries the days on which each step happened.
    """

    def __init__(self):
        self.moment = dt.datetime(PAST_YEAR, 2, 1, 9, 0, tzinfo=TOKYO)
        self.latest: dict[int, dt.datetime] = {}
        self.application_id: int | None = None

    def now(self) -> dt.datetime:
        return self.moment

    def localdate(self, value=None, timezone=None) -> dt.date:
        return (value or self.moment).astimezone(timezone or get_current_timezone()).date()

    def set(self, when: str, application: Application | None = None) -> dt.date:
        """Move to "YYYY-MM-DD HH:MM" (Tokyo time); returns the day."""
        moment = dt.datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=TOKYO)
        self.application_id = application.pk if application is not None else None
        if application is not None:
            if moment < self.latest.get(application.pk, moment):
                raise ValueError(f"{application} goes back in time to {when}.")
            self.latest[application.pk] = moment
        self.moment = moment
        return moment.date()

    def follow(self, application: Application) -> None:
        """Count the steps that come next (ticks included) in this application's history."""
        self.application_id = application.pk
        self.latest[application.pk] = self.moment

    def tick(self, minutes: int = 4) -> None:
        self.moment += dt.timedelta(minutes=minutes)
        if self.application_id is not None:
            self.latest[self.application_id] = self.moment

    @contextmanager
    def running(self) -> Iterator[None]:
        with (
            mock.patch("django.utils.timezone.now", self.now),
            mock.patch("django.utils.timezone.localdate", self.localdate),
        ):
            yield


# --- Files -------------------------------------------------------------------------------------


def pdf_bytes(*lines: str) -> bytes:
    """A small valid one-page A4 PDF with a few lines of ASCII text."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = " ".join(f"({escape(line)}) '" for line in lines)
    stream = f"BT /F1 12 Tf 72 770 Td 18 TL {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def document(slug: str, fy: int, kind: str, name: str) -> ContentFile:
    content = pdf_bytes(
        "Midorino City (fictional) - Kyodo Portal demo data",
        f"District: {slug}",
        f"Fiscal year {fy}: {kind}",
        "A sample file standing in for the scanned original.",
    )
    return ContentFile(content, name=name)


# --- Amounts -----------------------------------------------------------------------------------


def split(total: int, weights: Sequence[int], unit: int = 1000) -> list[int]:
    """Share `total` by weight in whole thousands; the first share takes what rounding leaves."""
    whole = sum(weights)
    amounts = [total * weight // whole // unit * unit for weight in weights]
    amounts[0] += total - sum(amounts)
    return amounts


def income_lines(grant: int, own: int, other: int, other_label: str) -> list[dict]:
    rows = [
        (IncomeSource.GRANT, GRANT_LINE, grant),
        (IncomeSource.OWN_FUNDS, OWN_FUNDS, own),
        (IncomeSource.OTHER, other_label, other),
    ]
    return [
        {
            "side": Side.INCOME,
            "income_source": source,
            "category": None,
            "description": description,
            "amount": amount,
        }
        for source, description, amount in rows
        if amount
    ]


def fiscal_order(month: int) -> int:
    """April is 0, March is 11."""
    return (month - 4) % 12


# --- Recreating the history --------------------------------------------------------------------


class History:
    """Walks applications through the services on given days, as the people concerned."""

    def __init__(
        self,
        clock: Clock,
        years: dict[int, ProgramYear],
        users: dict[str, AbstractUser],
        coordinators: dict[str, AbstractUser],
        councils: dict[str, Council],
    ):
        self.clock = clock
        self.years = years
        self.officer = users[OFFICER]
        self.approver = users[APPROVER]
        self.coordinators = coordinators
        self.councils = councils
        self.categories = {
            (category.program_year_id, category.name): category
            for category in ExpenseCategory.objects.filter(program_year__in=years.values())
        }
        self.initiatives: dict[tuple[int, str], list[Initiative]] = {}
        for initiative in Initiative.objects.filter(
            plan__district__in=[council.district_id for council in councils.values()],
            plan__stage__in=[PlanStage.ADOPTED, PlanStage.SUPERSEDED],
        ).select_related("plan"):
            self.initiatives.setdefault((initiative.plan.district_id, initiative.title), []).append(
                initiative
            )

    # What the council writes ---------------------------------------------------------------

    def linked(self, district_id: int, titles: Sequence[str], fy: int) -> list[Initiative]:
        """The initiatives of these titles in the district's plan covering the year."""
        return [
            initiative
            for title in titles
            for initiative in self.initiatives.get((district_id, title), [])
            if initiative.plan.start_fy <= fy <= initiative.plan.end_fy
            and initiative.start_fy <= fy <= initiative.end_fy
        ]

    def plan_rows(self, application: Application, filing: Filing, total: int) -> list[dict]:
        costs = split(total, [activity.weight for activity in filing.activities])
        district_id = application.council.district_id
        return [
            {
                "activity": activity.text,
                "initiatives": self.linked(
                    district_id, activity.initiatives, application.fiscal_year
                ),
                "schedule": activity.schedule,
                "expected_effect": activity.effect,
                "cost": cost,
            }
            for activity, cost in zip(filing.activities, costs, strict=True)
        ]

    def budget(self, year: ProgramYear, filing: Filing, grant: int) -> list[dict]:
        total = grant + filing.own_funds + filing.other
        amounts = split(total, [expense.weight for expense in filing.expenses])
        expenses = [
            {
                "side": Side.EXPENSE,
                "income_source": "",
                "category": self.categories[(year.pk, expense.category)],
                "description": expense.description,
                "amount": amount,
            }
            for expense, amount in zip(filing.expenses, amounts, strict=True)
        ]
        return income_lines(grant, filing.own_funds, filing.other, filing.other_label) + expenses

    def request(self, application: Application, filing: Filing) -> int:
        allocation = application.program_year.allocations.get(
            district_id=application.council.district_id
        )
        return allocation.amount - filing.below_allocation

    def write(self, application: Application, filing: Filing, by) -> None:
        """Fill the version being edited: purpose, business plan and budget."""
        grant = self.request(application, filing)
        total = grant + filing.own_funds + filing.other
        edits.update_basics(application=application, by=by, purpose=filing.purpose)
        self.clock.tick(11)
        edits.save_plan_rows(
            application=application, by=by, rows=self.plan_rows(application, filing, total)
        )
        self.clock.tick(9)
        edits.save_budget(
            application=application,
            by=by,
            lines=self.budget(application.program_year, filing, grant),
        )

    def basics(self, council: Council, coordinator, day: dt.date) -> dict:
        chairs = Officer.objects.filter(council=council, role=OfficerRole.CHAIR)
        chair = chairs.current(on=day).first() or chairs.order_by("term_start").first()
        district = council.district
        return {
            "representative_title": "会長",
            "representative_name": chair.person_name if chair else person_name(coordinator),
            "address": district.hub_address,
            "contact_name": person_name(coordinator),
            "contact_phone": council.contact_phone or district.hub_phone,
            "contact_email": council.contact_email,
        }

    def start(
        self, slug: str, fy: int, when: str, filing: Filing, *, minutes: str = ""
    ) -> Application:
        """Open the application and write all of it, with the general meeting's minutes."""
        council, coordinator = self.councils[slug], self.coordinators[slug]
        day = self.clock.set(when)
        application = edits.start_application(
            council=council,
            program_year=self.years[fy],
            by=coordinator,
            **self.basics(council, coordinator, day),
        )
        self.clock.follow(application)
        self.clock.tick(6)
        self.write(application, filing, coordinator)
        self.clock.tick(7)
        self.attach(
            application,
            AttachmentKind.MINUTES,
            minutes or f"{format_fiscal_year(fy)} 定期総会 議案書・議事録",
            "general meeting minutes",
        )
        for title in filing.quotes:
            self.clock.tick(3)
            self.attach(application, AttachmentKind.QUOTE, title, "quote")
        return application

    def attach(
        self, application: Application, kind: str, title: str, what: str, *, for_report=False
    ) -> None:
        slug = application.council.district.slug
        edits.add_attachment(
            application=application,
            by=self.coordinators[slug],
            kind=kind,
            title=title,
            file=document(slug, application.fiscal_year, what, f"{kind}.pdf"),
            for_report=for_report,
        )

    def coordinator(self, application: Application):
        return self.coordinators[application.council.district.slug]

    # The workflow -----------------------------------------------------------------------------

    def submit(self, application: Application, when: str) -> None:
        self.clock.set(when, application)
        decisions.submit(application=application, by=self.coordinator(application))

    def withdraw(self, application: Application, when: str, comment: str) -> None:
        self.clock.set(when, application)
        decisions.withdraw(
            application=application, by=self.coordinator(application), comment=comment
        )

    def return_(self, application: Application, when: str, reasons: dict, comment: str) -> None:
        self.clock.set(when, application)
        decisions.return_for_correction(
            application=application, by=self.officer, reasons=reasons, comment=comment
        )

    def recommend(self, application: Application, when: str, comment: str = "") -> None:
        self.clock.set(when, application)
        decisions.recommend(application=application, by=self.officer, comment=comment)

    def reject(self, application: Application, when: str, comment: str) -> None:
        self.clock.set(when, application)
        decisions.reject(application=application, by=self.approver, comment=comment)

    def approve(self, application: Application, when: str, number: int) -> None:
        day = self.clock.set(when, application)
        application.refresh_from_db()
        year = application.program_year
        decisions.approve(
            application=application,
            by=self.approver,
            granted_amount=application.requested_amount,
            decision_number=f"み協推第{number}号",
            decided_on=day,
            conditions=STANDARD_CONDITIONS.format(due=format_wareki_date(year.report_due_on)),
        )

    def change(self, application: Application, when: str, filing: Filing, reason: str) -> None:
        """Prepare a change request (変更申請): a new version with the changed plan and budget."""
        coordinator = self.coordinator(application)
        self.clock.set(when, application)
        edits.start_change(application=application, by=coordinator, reason=reason)
        self.clock.tick(12)
        self.write(application, filing, coordinator)

    def request_change(self, application: Application, when: str) -> None:
        self.clock.set(when, application)
        decisions.request_change(application=application, by=self.coordinator(application))

    def approve_change(self, application: Application, when: str, comment: str) -> None:
        self.clock.set(when, application)
        proposed = application.versions.get(status="proposed")
        decisions.approve_change(
            application=application,
            by=self.approver,
            granted_amount=proposed.requested_amount,
            comment=comment,
        )

    def refuse_change(self, application: Application, when: str, comment: str) -> None:
        self.clock.set(when, application)
        decisions.refuse_change(application=application, by=self.approver, comment=comment)

    def pay(self, application: Application, when: str, kind: str, share: int = 100) -> None:
        """Pay `share` percent of the grant (the rest of the confirmed amount for a final one)."""
        day = self.clock.set(when, application)
        application.refresh_from_db()
        if kind == PaymentKind.FINAL:
            paid = application.payments.aggregate(total=Sum("amount"))["total"] or 0
            amount = application.confirmed_amount - paid
        else:
            amount = application.granted_amount * share // 100
        decisions.record_payment(
            application=application, by=self.officer, kind=kind, amount=amount, paid_on=day
        )

    def report(
        self, application: Application, when: str, *, until: int | None = None, first=False
    ) -> None:
        """Write the report from the current budget; `until`: only expenses paid by that month.

        `first`: the report as first filed, before a return asked for more.
        """
        slug = application.council.district.slug
        outcome = REPORTS[slug]
        self.clock.set(when, application)
        application.refresh_from_db()
        fy = application.fiscal_year
        version = application.versions.get(status="current")
        planned = list(version.budget_lines.filter(side=Side.EXPENSE).select_related("category"))
        income = {line.income_source: line for line in version.budget_lines.filter(side="income")}
        grant = application.granted_amount
        own = income[IncomeSource.OWN_FUNDS].amount if IncomeSource.OWN_FUNDS in income else 0
        other = income[IncomeSource.OTHER].amount if IncomeSource.OTHER in income else 0
        other_label = income[IncomeSource.OTHER].description if other else ""
        if outcome.shortfall:  # the grant was not all spent; what is left goes back
            grant, own, other = grant - outcome.shortfall, 0, 0
        spent = grant + own + other
        months = {expense.description: expense.month for expense in FILINGS[slug][fy].expenses}
        expenses = []
        for index, (line, amount) in enumerate(
            zip(planned, split(spent, [line.amount for line in planned]), strict=True)
        ):
            month = months.get(line.description, 3)
            if until is not None and fiscal_order(month) > fiscal_order(until):
                continue
            expenses.append(
                {
                    "side": Side.EXPENSE,
                    "income_source": "",
                    "category": line.category,
                    "description": line.description,
                    "amount": amount,
                    "spent_on": dt.date(fy if month >= 4 else fy + 1, month, 8 + index * 5 % 20),
                }
            )
        if until is not None:  # a report still being written: what has been paid so far
            drawn = sum(line["amount"] for line in expenses)
            grant, own, other = min(drawn, grant), max(drawn - grant, 0), 0
        lines = [line | {"spent_on": None} for line in income_lines(grant, own, other, other_label)]
        edits.save_report(
            application=application,
            by=self.coordinators[slug],
            summary=outcome.first_summary if first else outcome.summary,
            outcomes=outcome.outcomes,
            lines=lines + expenses,
            indicators=self.indicator_results(application),
        )

    def indicator_results(self, application: Application) -> list[dict]:
        """The plan's figures for the year of the indicators the business plan touches."""
        indicators = list(edits.reportable_indicators(application))
        known = {
            row.indicator_id: row
            for row in IndicatorResult.objects.filter(
                indicator__in=indicators, fiscal_year=application.fiscal_year
            )
        }
        return [
            {
                "indicator": indicator,
                "actual_value": Decimal(known[indicator.pk].actual_value),
                "note": "協議会の集計による",
            }
            for indicator in indicators
            if indicator.pk in known
        ]

    def receipts(self, application: Application, when: str) -> None:
        self.clock.set(when, application)
        fy = application.fiscal_year
        for title in (
            f"領収書（{format_fiscal_year(fy)} 4月〜9月分）",
            f"領収書（{format_fiscal_year(fy)} 10月〜3月分）",
        ):
            self.attach(application, AttachmentKind.RECEIPT, title, "receipts", for_report=True)
            self.clock.tick(2)
        self.attach(
            application, AttachmentKind.OTHER, "活動の記録写真", "activity photos", for_report=True
        )

    def submit_report(self, application: Application, when: str) -> None:
        self.clock.set(when, application)
        decisions.submit_report(application=application, by=self.coordinator(application))

    def return_report(self, application: Application, when: str, reasons: dict) -> None:
        self.clock.set(when, application)
        decisions.return_report(application=application, by=self.officer, reasons=reasons)

    def accept_report(self, application: Application, when: str) -> None:
        self.clock.set(when, application)
        decisions.accept_report(application=application, by=self.officer)

    def settle(self, application: Application, when: str, comment: str = "") -> None:
        day = self.clock.set(when, application)
        decisions.settle(application=application, by=self.approver, settled_on=day, comment=comment)

    def cancel(self, application: Application, when: str, comment: str) -> None:
        day = self.clock.set(when, application)
        paid = application.payments.aggregate(total=Sum("amount"))["total"] or 0
        decisions.cancel(
            application=application,
            by=self.approver,
            return_amount=paid,
            cancelled_on=day,
            comment=comment,
        )


FILINGS = {
    "sakuradai": {PAST_YEAR: SAKURADAI_2025_CHANGE, THIS_YEAR: SAKURADAI_2026},
    "midorigaoka": {PAST_YEAR: MIDORIGAOKA_2025, THIS_YEAR: MIDORIGAOKA_2026},
    "honmachi": {PAST_YEAR: HONMACHI_2025, THIS_YEAR: HONMACHI_2026_REVISED},
    "higashiyama": {PAST_YEAR: HIGASHIYAMA_2025, THIS_YEAR: HIGASHIYAMA_2026},
    "wakaba": {PAST_YEAR: WAKABA_2025, THIS_YEAR: WAKABA_2026},
    "kawakita": {PAST_YEAR: KAWAKITA_2025, THIS_YEAR: KAWAKITA_2026},
}


def past_year(h: History) -> None:
    """令和7年度: the year is over; reports were due on April 30, 2026."""
    # 桜台: change approved before the advance; settled with the final payment.
    app = h.start("sakuradai", PAST_YEAR, "2025-04-07 19:30", SAKURADAI_2025)
    h.submit(app, "2025-04-18 20:10")
    h.recommend(app, "2025-05-08 14:20", "事業計画・収支予算とも適正です。")
    h.approve(app, "2025-05-21 10:00", 58)
    h.change(
        app,
        "2025-06-16 19:45",
        SAKURADAI_2025_CHANGE,
        "6月の総会で、防犯灯LED化の対象に桜台団地内の18灯を加えることを決めたため。",
    )
    h.clock.tick(20)
    h.attach(app, AttachmentKind.QUOTE, "見積書（防犯灯LED化工事 60灯）", "quote")
    h.request_change(app, "2025-06-17 20:05")
    h.approve_change(app, "2025-07-01 11:00", "LED化の対象の追加を認め、交付額を変更します。")
    h.pay(app, "2025-07-10 10:00", PaymentKind.ADVANCE, 50)
    h.report(app, "2026-04-12 14:00")
    h.receipts(app, "2026-04-12 14:40")
    h.submit_report(app, "2026-04-20 19:00")
    h.accept_report(app, "2026-05-15 15:30")
    h.settle(app, "2026-05-29 10:30", "交付額のとおり確定します。残額を精算払で支払います。")
    h.pay(app, "2026-06-12 10:00", PaymentKind.FINAL)

    # 緑が丘: paid in full; spent less than the grant, report accepted, waiting for settlement.
    app = h.start("midorigaoka", PAST_YEAR, "2025-04-03 10:15", MIDORIGAOKA_2025)
    h.submit(app, "2025-04-15 16:40")
    h.recommend(app, "2025-04-30 13:00")
    h.approve(app, "2025-05-14 10:00", 52)
    h.pay(app, "2025-06-02 10:00", PaymentKind.FULL)
    h.report(app, "2026-04-22 10:30", first=True)
    h.receipts(app, "2026-04-22 11:00")
    h.submit_report(app, "2026-04-28 16:00")
    h.return_report(
        app,
        "2026-05-20 15:00",
        {
            "report": "送迎ボランティアを休止した時期と理由を、実施した内容に書き加えてください。",
            "report_budget": "燃料費と保険料が予算を下回った理由を、成果と課題の欄に"
            "記載してください。",
        },
    )
    h.report(app, "2026-10-29 19:20")
    h.submit_report(app, "2026-10-30 19:40")
    h.accept_report(app, "2026-11-12 14:00")

    # 本町: advance paid, then the grant cancelled for spending on a celebration dinner.
    app = h.start("honmachi", PAST_YEAR, "2025-04-09 19:00", HONMACHI_2025)
    h.submit(app, "2025-04-25 18:30")
    h.recommend(app, "2025-05-12 11:10")
    h.approve(app, "2025-05-26 10:00", 63)
    h.pay(app, "2025-06-16 10:00", PaymentKind.ADVANCE, 50)
    h.cancel(
        app,
        "2026-01-23 15:00",
        "12月の中間確認で、交付金から本町まつり反省会の飲食代（対象外の食糧費）を支出していた"
        "ことが分かりました。期限までに是正されなかったため、交付決定を取り消します。"
        "概算払で交付した全額を返還してください。",
    )

    # 東山: returned once before the decision; the report was returned and waits for the council.
    app = h.start("higashiyama", PAST_YEAR, "2025-04-14 20:00", HIGASHIYAMA_2025_FIRST)
    h.submit(app, "2025-05-01 21:15")
    h.return_(
        app,
        "2025-05-09 16:00",
        {
            "plan": "田植え・稲刈り体験が地域づくり計画のどの取組にあたるか、事業計画に"
            "書いてください。",
            "budget": "体験田の借上げ料の内訳（面積と期間）を摘要欄に記載してください。",
        },
        "2点の修正をお願いします。",
    )
    h.clock.set("2025-05-14 20:30", app)
    h.write(app, HIGASHIYAMA_2025, h.coordinator(app))
    h.submit(app, "2025-05-16 20:45")
    h.recommend(app, "2025-05-23 13:40")
    h.approve(app, "2025-06-03 10:00", 66)
    h.pay(app, "2025-06-20 10:00", PaymentKind.ADVANCE, 50)
    h.report(app, "2026-10-25 20:00")
    h.receipts(app, "2026-10-25 20:30")
    h.submit_report(app, "2026-10-26 19:10")
    h.return_report(
        app,
        "2026-11-09 15:20",
        {
            "report_budget": "燃料費の摘要に、購入した燃料の種類と量を記載してください。",
            "receipts": "草刈機の修理代の領収書が添付されていません。",
        },
    )

    # 若葉: change refused; paid in full; report returned once and filed again.
    app = h.start("wakaba", PAST_YEAR, "2025-04-02 21:00", WAKABA_2025)
    h.submit(app, "2025-04-16 22:10")
    h.recommend(app, "2025-04-28 10:40")
    h.approve(app, "2025-05-12 10:00", 49)
    h.change(
        app,
        "2025-06-02 21:30",
        WAKABA_2025_CHANGE,
        "キッズベースで宿題や調べ学習に使うタブレット端末を購入したいため。",
    )
    h.request_change(app, "2025-06-02 22:20")
    h.refuse_change(
        app,
        "2025-06-16 11:30",
        "端末の管理方法と、キッズベースでの使い方が計画に書かれていないため認められません。"
        "次年度の申請で改めてご相談ください。",
    )
    h.pay(app, "2025-06-25 10:00", PaymentKind.FULL)
    h.report(app, "2026-04-26 15:00")
    h.receipts(app, "2026-04-26 15:30")
    h.submit_report(app, "2026-04-27 21:00")
    h.return_report(
        app,
        "2026-06-10 14:10",
        {"receipts": "学習支援ボランティア謝礼の受領書（受取人の署名入り）を添付してください。"},
    )
    h.clock.set("2026-11-15 20:00", app)
    h.attach(
        app,
        AttachmentKind.RECEIPT,
        "学習支援ボランティア謝礼の受領書",
        "honorarium receipts",
        for_report=True,
    )
    h.submit_report(app, "2026-11-16 20:30")

    # 川北: applied before the founding general meeting and was rejected; applied again.
    app = h.start(
        "kawakita",
        PAST_YEAR,
        "2025-04-15 19:00",
        KAWAKITA_2025,
        minutes="設立準備会 第3回会議録",
    )
    h.submit(app, "2025-04-21 19:30")
    h.reject(
        app,
        "2025-05-09 14:00",
        "協議会の設立総会（5月25日予定）の前で、申請が協議会の議決を経ていないため、"
        "交付できません。設立総会で事業計画と予算を議決のうえ、改めて申請してください。",
    )
    app = h.start(
        "kawakita",
        PAST_YEAR,
        "2025-05-26 19:00",
        KAWAKITA_2025,
        minutes="設立総会 議案書・議事録（令和7年5月25日）",
    )
    h.submit(app, "2025-05-29 19:40")
    h.recommend(app, "2025-06-09 15:00")
    h.approve(app, "2025-06-20 10:00", 71)
    h.pay(app, "2025-07-04 10:00", PaymentKind.ADVANCE, 50)
    h.report(app, "2026-11-05 19:30", until=11)


def this_year(h: History) -> None:
    """令和8年度: the window runs to December 25, so some councils are still applying."""
    # 緑が丘: approved in May, asked for payment after the work (no advance); change requested.
    app = h.start("midorigaoka", THIS_YEAR, "2026-04-10 10:00", MIDORIGAOKA_2026)
    h.submit(app, "2026-04-24 15:30")
    h.recommend(app, "2026-05-13 11:00", "概算払の請求はなく、事業完了後の精算払を希望しています。")
    h.approve(app, "2026-05-27 10:00", 36)
    h.change(
        app,
        "2026-10-05 19:30",
        MIDORIGAOKA_2026_CHANGE,
        "10月の役員会で、計画にある空き家の見回りと空き家バンクの案内を今年度から始めることを"
        "決めたため。",
    )
    h.request_change(app, "2026-10-14 20:00")

    # 東山: approved in October; the advance is not paid yet.
    app = h.start("higashiyama", THIS_YEAR, "2026-08-03 20:00", HIGASHIYAMA_2026)
    h.submit(app, "2026-09-28 20:15")
    h.recommend(app, "2026-10-08 14:00")
    h.approve(app, "2026-10-21 10:00", 88)

    # 若葉: recommended, waiting for the approver.
    app = h.start("wakaba", THIS_YEAR, "2026-09-01 21:00", WAKABA_2026)
    h.submit(app, "2026-10-19 21:40")
    h.recommend(app, "2026-11-12 16:00", "前年度の実績報告の確認が済み次第、決定をお願いします。")

    # 本町: the first application was returned and withdrawn; the revised one is submitted.
    app = h.start("honmachi", THIS_YEAR, "2026-04-20 19:00", HONMACHI_2026)
    h.submit(app, "2026-05-22 18:40")
    h.return_(
        app,
        "2026-06-04 15:00",
        {
            "plan": "本町まつりの経費のうち、交付金を充てる部分と町内会連合会の会計で賄う部分を"
            "分けて書いてください。",
            "budget": "前年度の交付決定取消しを受け、まつりの会計の管理方法を摘要欄に記載して"
            "ください。",
        },
        "前年度の取消しを踏まえ、会計の分け方を明確にしてください。",
    )
    h.withdraw(
        app,
        "2026-06-30 19:00",
        "6月の総会で事業計画とまつりの会計の見直しが決まったため、いったん取り下げて出し直します。",
    )
    app = h.start(
        "honmachi",
        THIS_YEAR,
        "2026-09-14 19:30",
        HONMACHI_2026_REVISED,
        minutes="令和8年度 臨時総会 議案書・議事録（9月6日）",
    )
    h.submit(app, "2026-11-10 19:15")

    # 桜台: returned with what to correct in the budget and the attachments.
    app = h.start("sakuradai", THIS_YEAR, "2026-09-25 19:00", SAKURADAI_2026)
    h.submit(app, "2026-10-30 20:00")
    h.return_(
        app,
        "2026-11-13 16:30",
        {
            "budget": "消耗品費「防災訓練用品」の内訳（品名・数量・単価）を摘要欄に記載して"
            "ください。",
            "attachments": "総会資料は議決の結果が分かる議事録を添付してください"
            "（議案書のみが添付されています）。",
        },
        "2点の修正のうえ、再提出をお願いします。",
    )

    # 川北: a draft, complete but not yet submitted.
    h.start("kawakita", THIS_YEAR, "2026-11-18 19:30", KAWAKITA_2026)


# --- The program and its years -----------------------------------------------------------------


def seed_program() -> Program:
    program, created = Program.objects.get_or_create(
        name=PROGRAM_NAME, defaults={"purpose": PROGRAM_PURPOSE}
    )
    if created or not program.legacy_subsidies.exists():
        LegacySubsidy.objects.bulk_create(
            LegacySubsidy(
                program=program,
                name=name,
                former_department=department,
                former_yearly_amount=amount,
                order=order,
            )
            for order, (name, department, amount) in enumerate(LEGACY_SUBSIDIES, start=1)
        )
    return program


def seed_past_year(program: Program, districts: dict[str, District], clock: Clock) -> ProgramYear:
    """令和7年度: 均等割 + 人口割 + 防犯灯加算, computed on April 2, 2025."""
    clock.set("2025-02-18 10:00")
    year, created = ProgramYear.objects.get_or_create(
        program=program,
        fiscal_year=PAST_YEAR,
        defaults={
            "budget": 9_500_000,
            "rounding_unit": 1000,
            "rounding": Rounding.DOWN,
            "advance_ratio_percent": 50,
            "application_opens_on": dt.date(2025, 4, 1),
            "application_closes_on": dt.date(2025, 5, 31),
            "report_due_on": dt.date(2026, 4, 30),
            "refund_handling": RefundHandling.RETURN,
        },
    )
    if not year.components.exists():
        FormulaComponent.objects.bulk_create(
            [
                FormulaComponent(
                    program_year=year,
                    kind=ComponentKind.FIXED,
                    label="均等割",
                    rate=300_000,
                    order=1,
                ),
                FormulaComponent(
                    program_year=year,
                    kind=ComponentKind.PER_RESIDENT,
                    label="人口割",
                    rate=60,
                    order=2,
                ),
                FormulaComponent(
                    program_year=year,
                    kind=ComponentKind.PER_UNIT,
                    label="防犯灯加算",
                    rate=1000,
                    unit_name="防犯灯",
                    order=3,
                ),
            ]
        )
        lights = year.components.get(kind=ComponentKind.PER_UNIT)
        UnitCount.objects.bulk_create(
            UnitCount(component=lights, district=districts[slug], count=counts[0])
            for slug, counts in STREET_LIGHTS.items()
            if slug in districts
        )
    if not year.expense_categories.exists():
        ExpenseCategory.objects.bulk_create(
            ExpenseCategory(program_year=year, name=name, eligible=eligible, note=note, order=order)
            for order, (name, eligible, note) in enumerate(STANDARD_EXPENSE_CATEGORIES, start=1)
        )
    clock.set("2025-04-02 09:30")
    compute_allocations(program_year=year)
    return year


def seed_this_year(
    program: Program, past: ProgramYear, districts: dict[str, District], clock: Clock
) -> ProgramYear:
    """令和8年度: set up from 令和7年度, then the budget, window and street lights updated."""
    clock.set("2026-02-16 10:00")
    year = ProgramYear.objects.filter(program=program, fiscal_year=THIS_YEAR).first()
    if year is None:
        year = copy_program_year(program_year=past, fiscal_year=THIS_YEAR)
        year.budget = 10_000_000
        # A second round for councils whose general meeting comes late in the year.
        year.application_closes_on = dt.date(2026, 12, 25)
        year.report_due_on = dt.date(2027, 4, 30)
        year.save(update_fields=["budget", "application_closes_on", "report_due_on"])
        lights = year.components.get(kind=ComponentKind.PER_UNIT)
        counts = list(lights.unit_counts.select_related("district"))
        for row in counts:
            row.count = STREET_LIGHTS.get(row.district.slug, (row.count, row.count))[1]
        UnitCount.objects.bulk_update(counts, ["count"])
    clock.set("2026-04-02 09:30")
    compute_allocations(program_year=year)
    if "kawakita" in districts:
        clock.set("2026-04-03 14:00")
        allocation = year.allocations.get(district=districts["kawakita"])
        adjust_allocation(
            allocation=allocation,
            adjustment=100_000,
            reason="令和7年9月の大雨で浸水した水防倉庫の資機材を補充するため、10万円を加算します。",
        )
    return year


# --- Accounts ----------------------------------------------------------------------------------


def seed_coordinators(
    councils: dict[str, Council], users: dict[str, AbstractUser]
) -> dict[str, AbstractUser]:
    """The coordinator of each council that receives the grant; the demo logins for two."""
    group = Group.objects.get(name=roles.COORDINATORS)
    found = {}
    for slug, account in COORDINATOR_ACCOUNTS.items():
        if slug not in councils:
            continue
        if isinstance(account, str):
            found[slug] = users[account]
            continue
        username, last_name, first_name = account
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "last_name": last_name,
                "first_name": first_name,
                "email": f"{username}@example.jp",
                "password": make_password(None),
            },
        )
        if created:
            user.groups.add(group)
            councils[slug].coordinators.add(user)
        found[slug] = user
    return found


# --- Entry point -------------------------------------------------------------------------------


def summary_rows(program: Program) -> list[tuple[str, int, str]]:
    """Lines for seed_demo's summary: the years, then each year's applications by state."""
    years = list(program.years.order_by("fiscal_year"))
    rows = [
        (
            "grant years",
            len(years),
            ", ".join(
                f"{year.fiscal_year} allocations {year.allocations.count()}" for year in years
            ),
        )
    ]
    for year in years:
        states = Counter(year.applications.values_list("state", flat=True))
        detail = ", ".join(f"{state} {states[state]}" for state in State.values if states[state])
        paid = Payment.objects.filter(application__program_year=year).aggregate(t=Sum("amount"))
        rows.append(
            (
                f"applications {year.fiscal_year}",
                sum(states.values()),
                f"{detail}; paid ¥{paid['t'] or 0:,}",
            )
        )
    return rows


def seed_grants(
    councils: dict[str, Council], users: dict[str, AbstractUser]
) -> list[tuple[str, int, str]]:
    """Create the program, its two years and their applications, unless already there.

    Call outside any transaction: the services e-mail whoever acts next once a transaction
    commits, and the demo's history must not send (or, with the console backend, print) some
    sixty notices. The locmem backend keeps them in memory while this transaction commits.
    """
    granted = {slug: councils[slug] for slug in GRANTED_SLUGS if slug in councils}
    districts = District.objects.in_bulk(list(STREET_LIGHTS), field_name="slug")
    with (
        override_settings(EMAIL_BACKEND=LOCMEM_EMAIL),
        translation.override("ja"),
        transaction.atomic(),
    ):
        program = seed_program()
        if Application.objects.filter(program_year__program=program).exists():
            return summary_rows(program)
        clock = Clock()
        # History is recreated as it happened: the services see the day of each step.
        with clock.running():
            coordinators = seed_coordinators(granted, users)
            past = seed_past_year(program, districts, clock)
            current = seed_this_year(program, past, districts, clock)
            history = History(
                clock, {PAST_YEAR: past, THIS_YEAR: current}, users, coordinators, granted
            )
            past_year(history)
            this_year(history)
    return summary_rows(program)
