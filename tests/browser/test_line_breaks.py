"""Line breaks as residents and staff see them (docs/conventions.md, "Line breaks").

Figures (amounts, counts, rates) and short labels (badges, states, dates in tables) each occupy
one line box, measured on the rendered page at phone and desktop widths; Japanese headings at
320px break only between the phrases BudouX finds (the PyPI package of the version vendored
for the pages), or inside a phrase wider than the whole line.
"""

import re
import unicodedata
from dataclasses import dataclass

import budoux
import pytest
from playwright.sync_api import Page

from kyodo_portal.management.commands.seed_demo import DEMO_PASSWORD
from plans.models import Plan
from subsidies.models import Application, State
from tests.browser import accounts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROWEST = {"width": 320, "height": 640}
PHRASES_DONE = "html[data-phrases='done']"
OFFICER = "demo-officer"
COORDINATOR = "demo-coordinator"


def open_page(page: Page, url: str, check_page, *, status: int = 200, lang: str = "ja") -> None:
    """Go to the page, wait for its phrase breaks, run every page-level check on it."""
    page.goto(url)
    page.wait_for_selector(PHRASES_DONE, state="attached")
    check_page(page, status=status, lang=lang)


def sign_in(page: Page, username: str) -> None:
    accounts.sign_in(page, username, DEMO_PASSWORD)


@dataclass
class Grants:
    """The demo grants whose pages show the most figures."""

    settled: Application
    current_year: int
    plan: int

    @property
    def ended_year(self) -> int:
        return self.settled.program_year.fiscal_year

    @property
    def district(self) -> str:
        return self.settled.council.district.slug


@pytest.fixture
def grants(demo_data) -> Grants:
    settled = (
        Application.objects.filter(state=State.SETTLED, council__district__slug="sakuradai")
        .select_related("program_year", "council__district")
        .get()
    )
    current_year = (
        Application.objects.order_by("-program_year__fiscal_year")
        .values_list("program_year__fiscal_year", flat=True)
        .first()
    )
    assert current_year > settled.program_year.fiscal_year
    plan = Plan.objects.public().filter(district=settled.council.district).order_by("pk").first()
    return Grants(settled=settled, current_year=current_year, plan=plan.pk)


# --- Figures and short labels -------------------------------------------------------------------

# Every figure in the visible text of <main>: yen either way round, rates, and counts with
# thousands separators; plus every element the filters mark as a figure (so 「12」 counts too),
# every status badge or label that must not wrap, every figure cell and every date in a table.
# For each: its text, where it is, and the number of line boxes its text occupies.
_MEASURE = r"""() => {
  const FIGURE = /¥\d[\d,]*|\d[\d,]*(?:\.\d+)?(?:円|%)|\d{1,3}(?:,\d{3})+/g;
  // A date or a fiscal year alone in a cell, with an era or a weekday around it if shown; or
  // the tables' short form (「R8.9.25」, 「R8.9.25 19:00」; docs/conventions.md).
  const DATE = new RegExp(
    '^(?:(?:\\d{4}|(?:令和|平成)(?:元|\\d+))年(?:\\d{1,2}月\\d{1,2}日|度)\\S{0,12}' +
    '|[RHS]\\d+\\.\\d{1,2}\\.\\d{1,2}(?: \\d{1,2}:\\d{2})?)$');
  const main = document.querySelector('main');
  // Shown as text: not hidden, not clipped to a pixel for screen readers (a stacked table's
  // header row on phones, .visually-hidden).
  const shown = el => {
    if (!el.checkVisibility({visibilityProperty: true})) return false;
    for (let a = el; a && a !== main; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.clip !== 'auto' || style.clipPath !== 'none') return false;
    }
    return true;
  };
  function lineCount(range) {
    const tops = [];
    for (const rect of range.getClientRects()) {
      if (rect.width < 0.5) continue;
      if (!tops.some(top => Math.abs(top - rect.top) < rect.height / 2)) tops.push(rect.top);
    }
    return tops.length;
  }
  function where(el) {
    const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
    return el.tagName.toLowerCase() + cls;
  }
  const out = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (!shown(node.parentElement)) continue;
    for (const match of node.data.matchAll(FIGURE)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = lineCount(range);
      const at = where(node.parentElement);
      if (lines) out.push({kind: 'figure', text: match[0], where: at, lines});
    }
  }
  const labelled = [
    ['amount', '.amount'],
    ['label', '.badge, .state, .grant-flag, .nobreak'],
    ['cell', 'td.num, th.num'],
  ];
  for (const [kind, selector] of labelled) {
    for (const el of main.querySelectorAll(selector)) {
      if (!shown(el) || !el.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = lineCount(range);
      if (lines) out.push({kind, text: el.textContent.trim(), where: where(el), lines});
    }
  }
  for (const el of main.querySelectorAll('td, th')) {
    const text = el.textContent.trim();
    if (!DATE.test(text) || !shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    out.push({kind: 'date', text, where: where(el), lines: lineCount(range)});
  }
  return out;
}"""


def measure(page: Page, url: str, check_page, found: dict) -> None:
    open_page(page, url, check_page)
    for item in page.evaluate(_MEASURE):
        found.setdefault(url, []).append(item)


def test_every_figure_and_short_label_stays_on_one_line(new_page, viewport, grants, check_page):
    found: dict[str, list[dict]] = {}
    resident = new_page(viewport)
    for url in (
        "/",
        f"/districts/{grants.district}/",
        "/grants/",
        f"/grants/{grants.current_year}/",
        f"/grants/{grants.ended_year}/districts/{grants.district}/",
        f"/grants/districts/{grants.district}/",
    ):
        measure(resident, url, check_page, found)

    officer = new_page(viewport)
    sign_in(officer, OFFICER)
    for url in (
        f"/grants/review/years/{grants.current_year}/",
        f"/grants/review/years/{grants.ended_year}/",
        f"/grants/review/{grants.settled.pk}/",
    ):
        measure(officer, url, check_page, found)

    coordinator = new_page(viewport)
    sign_in(coordinator, COORDINATOR)
    for url in ("/grants/applications/", f"/grants/applications/{grants.settled.pk}/"):
        measure(coordinator, url, check_page, found)

    broken = [
        f"{url}: {item['kind']} 「{item['text']}」 in <{item['where']}> on {item['lines']} lines"
        for url, items in found.items()
        for item in items
        if item["lines"] != 1
    ]
    assert not broken, f"broken across lines at {viewport['width']}px:\n" + "\n".join(broken)

    # Enough was measured for the test to mean something: figures on every page, and the
    # short labels and dates the demo has.
    def count(kind: str) -> int:
        return sum(item["kind"] == kind for items in found.values() for item in items)

    assert all(any(i["kind"] == "amount" for i in items) for items in found.values()), found
    assert len(found) == 11
    assert count("figure") >= 250, count("figure")
    assert count("amount") >= 250, count("amount")
    assert count("cell") >= 100, count("cell")
    assert count("label") >= 10, count("label")
    assert count("date") >= 10, count("date")
    yen = {i["text"] for items in found.values() for i in items if i["text"].endswith("円")}
    assert any(len(text) >= len("10,000,000円") for text in yen), sorted(yen)


# --- Phrases --------------------------------------------------------------------------------------

# For each element: the text of its text nodes joined, and for each character that starts a
# line after the element's first (within the same block: a block child is not a line break),
# its index; and each character's width, to tell a phrase too wide for the line.
_LINES = r"""selector => {
  const blockOf = el => {
    while (el && getComputedStyle(el).display.startsWith('inline')) el = el.parentElement;
    return el;
  };
  return [...document.querySelectorAll(selector)]
    .filter(el => el.checkVisibility() && !el.closest('.visually-hidden'))
    .map(el => {
      let text = '';
      const breaks = [], widths = [];
      let previous = null;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        const block = blockOf(node.parentElement);
        for (let i = 0; i < node.data.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = [...range.getClientRects()].find(r => r.width > 0);
          widths.push(rect ? rect.width : 0);
          if (rect && /\S/.test(node.data[i])) {
            if (previous && previous.block === block && rect.top >= previous.bottom - 2) {
              breaks.push(text.length);
            }
            previous = {block, bottom: rect.bottom};
          }
          text += node.data[i];
        }
      }
      const style = getComputedStyle(el);
      const width = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return {tag: el.tagName.toLowerCase(), text, breaks, widths, width};
    });
}"""

PARSER = budoux.load_default_japanese_parser()


def phrase_at(text: str, index: int) -> tuple[int, int]:
    """The start and end of BudouX's phrase holding text[index]."""
    start = 0
    for phrase in PARSER.parse(text):
        if start <= index < start + len(phrase):
            return start, start + len(phrase)
        start += len(phrase)
    raise IndexError(index)


def between_words(before: str, after: str) -> bool:
    """Whether a line may end between two characters whatever the phrases: at a space, after
    punctuation (「、」「。」「・」「：」, a closing bracket) or before an opening bracket."""
    if before.isspace() or after.isspace():
        return True
    category = unicodedata.category
    return category(before) in {"Po", "Pe", "Pf"} or category(after) in {"Ps", "Pi"}


def wrong_breaks(element: dict) -> list[str]:
    """The element's line breaks that are neither between phrases nor between words (spaces,
    punctuation), nor inside a phrase wider than the line; each shown as the text with 「／」
    at the break."""
    text, widths = element["text"], element["widths"]
    boundaries = set()
    position = 0
    for phrase in PARSER.parse(text):
        position += len(phrase)
        boundaries.add(position)
    wrong = []
    for index in element["breaks"]:
        before = index - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if before < 0 or index - before > 1 or between_words(text[before], text[index]):
            continue  # spaces between, or punctuation
        if index in boundaries:
            continue
        start, end = phrase_at(text, index)
        if sum(widths[start:end]) > element["width"] + 1:
            continue  # a phrase wider than the line has to break somewhere
        shown = (text[:index] + "／" + text[index:]).strip()
        wrong.append(f"<{element['tag']}> {' '.join(shown.split())}")
    return wrong


def test_japanese_headings_break_only_between_phrases_at_320px(new_page, grants, check_page):
    page = new_page(NARROWEST)
    open_page(page, "/no-such-page/", check_page, status=404)
    # 「ページが見つかりません」 is wider than a 320px line: it breaks between its two phrases.
    not_found = page.evaluate(_LINES, "main h1")[0]
    assert not_found["text"].strip() == "ページが見つかりません"
    assert not_found["breaks"] == [not_found["text"].index("見つかりません")]

    checked, broken_lines, wrong = 0, 0, []
    for url in (
        "/no-such-page/",
        "/",
        f"/districts/{grants.district}/",
        "/grants/",
        f"/grants/{grants.current_year}/",
        f"/grants/{grants.ended_year}/districts/{grants.district}/",
        "/meetings/",
        f"/plans/{grants.plan}/",
    ):
        if url != "/no-such-page/":
            open_page(page, url, check_page)
        for element in page.evaluate(_LINES, "main :is(h1, h2, h3, h4, caption)"):
            checked += 1
            broken_lines += bool(element["breaks"])
            wrong += [f"{url} {line}" for line in wrong_breaks(element)]
    assert not wrong, "broken inside a phrase at 320px:\n" + "\n".join(wrong)
    assert checked >= 60, checked
    assert broken_lines >= 15, broken_lines


def test_english_text_is_left_to_the_browser(new_page, grants, check_page, switch_language):
    page = new_page(NARROWEST)
    open_page(page, "/grants/", check_page)
    switch_language(page, "English", "en")
    page.wait_for_selector(PHRASES_DONE, state="attached")
    check_page(page, lang="en")
    english = page.locator("main h1").first
    assert english.evaluate("h1 => h1.querySelectorAll('wbr').length") == 0
    assert "phrases" not in (english.get_attribute("class") or "")


def test_phrases_are_marked_with_wbr_where_budoux_splits(new_page, grants, check_page):
    """The script's <wbr>s are BudouX's boundaries, and figures inside get none."""
    page = new_page(NARROWEST)
    sign_in(page, OFFICER)
    open_page(page, f"/grants/review/years/{grants.current_year}/", check_page)
    heading = page.locator("main h1")
    text = heading.inner_text()
    marked = heading.evaluate(
        """h1 => [...h1.childNodes].map(n => n.nodeName === 'WBR' ? '|' : n.textContent).join('')"""
    )
    assert marked.replace("|", "") == text
    assert marked.split("|") == PARSER.parse(text)
    assert len(PARSER.parse(text)) >= 2
    assert page.locator("main .amount wbr").count() == 0
    # Every Japanese label is marked, even one phrase long (so the browser keeps it whole).
    assert page.locator("main dt").count() >= 5
    assert page.locator("main :is(dt, caption):not(.phrases)").count() == 0
    assert re.search(r"\d", text)


def test_totals_recomputed_while_typing_stay_whole(new_page, grants, check_page):
    """budget-totals.js rewrites the totals as amounts are typed: in the same unbroken spans."""
    returned = Application.objects.get(
        state=State.RETURNED, council__district__slug=grants.district
    )
    page = new_page(NARROWEST)
    sign_in(page, COORDINATOR)
    open_page(page, f"/grants/applications/{returned.pk}/budget/", check_page)
    totals = page.locator("[data-budget-totals]")
    income = totals.locator('[data-total="income"] .amount')
    before = income.inner_text()
    page.locator('[name="income-0-amount"]').fill("12345678")
    assert income.inner_text() != before  # rewritten by the script, in a span again
    assert re.fullmatch(r"1\d,\d{3},\d{3}円", income.inner_text()), income.inner_text()
    assert totals.locator('[data-total="status"] .amount').count() == 1
    measured = page.evaluate(_MEASURE)
    assert any(item["text"] == income.inner_text() for item in measured)
    assert all(item["lines"] == 1 for item in measured), [i for i in measured if i["lines"] != 1]
