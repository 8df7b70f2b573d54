"""The expense categories (費目) cities use in subsidy budgets, as a starting set for a year.

Staff add them to a program year in the admin and then mark each eligible or not; the program
decides, not this list.
"""

from django.utils.translation import gettext_lazy as _

# (name, eligible, note)
STANDARD_EXPENSE_CATEGORIES: tuple[tuple[str, bool, str], ...] = (
    ("報償費", True, "講師謝礼など"),
    ("旅費", True, "講師の交通費など"),
    ("消耗品費", True, "事務用品、材料、用具など"),
    ("燃料費", True, "ガソリン、灯油など"),
    ("食糧費", False, "懇親会などの飲食は対象外（活動中の飲み物は消耗品費）"),
    ("印刷製本費", True, "チラシ、広報紙、報告書の印刷"),
    ("光熱水費", True, "活動拠点の電気・水道・ガス"),
    ("修繕料", True, "防犯灯や備品の修理"),
    ("通信運搬費", True, "郵送料、電話代"),
    ("手数料", True, "振込手数料など"),
    ("保険料", True, "行事保険、ボランティア保険"),
    ("委託料", True, "業務の委託"),
    ("使用料及び賃借料", True, "会場使用料、機材の借上げ"),
    ("原材料費", True, "花壇の土や苗など"),
    ("備品購入費", True, "1点1万円以上の物品"),
    ("交際費", False, "慶弔費、贈答品は対象外"),
)

HELP = _("Each category is eligible for the grant or not; change the mark and the note as needed.")
