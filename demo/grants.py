"""The consolidated grant of the demo city, read from demo/data into named tuples.

grants.toml holds the program's text, the subsidies it replaced and the street light counts;
filings.toml what the councils file (each version in full); reports.toml what they report;
history.toml what each application went through.
"""

from typing import NamedTuple

from demo.load import keyed, read


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


_grants = read("grants")
PROGRAM_PURPOSE: str = _grants["program"]["purpose"]
STANDARD_CONDITIONS: str = _grants["program"]["conditions"]  # takes {due}
LEGACY_SUBSIDIES: list[dict] = _grants["legacy_subsidies"]  # LegacySubsidy fields
# Street lights maintained by each district's associations on April 1, 2025 and 2026.
STREET_LIGHTS = {
    slug: (counts["april_2025"], counts["april_2026"])
    for slug, counts in _grants["street_lights"].items()
}
# Each filing by its name in filings.toml: "sakuradai_2025", "sakuradai_2025_change", …
FILED: dict[str, Filing] = keyed("filings", Filing)
# Each application's history, step by step (history.toml), for seed_demo to replay.
HISTORY: list[dict] = read("history")["applications"]
PAST_YEAR_SETTINGS: dict = _grants["past_year"]  # ProgramYear fields of 令和7年度
PAST_YEAR_COMPONENTS: list[dict] = _grants["past_year_components"]  # FormulaComponent fields
THIS_YEAR_SETTINGS: dict = _grants["this_year"]  # the fields 令和8年度 changes
ADJUSTMENT: dict = _grants["this_year_adjustment"]
SAMPLE_PDF: dict[str, list[str]] = _grants["sample_pdf"]
INCOME: dict[str, str] = _grants["income"]
PAPERS: dict = _grants["papers"]  # titles of the papers, the signatory, the decision number
REPORTS: dict[str, Outcome] = keyed("reports", Outcome)
