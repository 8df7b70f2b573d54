"""Every public page in English, with the demo city: Japanese text on it is marked lang="ja"
(WCAG 3.1.2), so that a screen reader reads it with a Japanese voice; the rest is English."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from core.english import has_japanese
from districts.models import Council, District
from organizations.models import Organization
from plans.models import Meeting, Plan
from subsidies.models import Allocation, Application, ProgramYear
from subsidies.selectors.public import program_year

pytestmark = pytest.mark.django_db

# Elements whose content is not text a reader hears.
_NOT_TEXT = {"script", "style", "template"}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Attributes that give an element its accessible name or description.
_NAMING_ATTRIBUTES = ("aria-label", "alt", "title", "aria-roledescription")


class LanguageAudit(HTMLParser):
    """Collects text (and naming attributes) with Japanese in it whose nearest lang is not ja."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang of the element or None)
        self.problems: list[str] = []

    def _lang(self) -> str:
        for _tag, lang in reversed(self.stack):
            if lang is not None:
                return lang
        return ""

    def _path(self) -> str:
        return " > ".join(tag for tag, _lang in self.stack[-4:])

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang", attributes.get("xml:lang"))
        if tag not in _VOID:
            self.stack.append((tag, lang))
        own_lang = lang if lang is not None else self._lang()
        for name in _NAMING_ATTRIBUTES:
            value = attributes.get(name)
            if value and has_japanese(value) and not own_lang.startswith("ja"):
                self.problems.append(f"{self._path()} <{tag} {name}={value!r}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        # Close up to the matching element (an end tag HTML lets pages leave out closes too).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if any(tag in _NOT_TEXT for tag, _lang in self.stack):
            return
        if has_japanese(data) and not self._lang().startswith("ja"):
            self.problems.append(f"{self._path()}: {data.strip()[:80]!r}")


def unmarked_japanese(html: str) -> list[str]:
    audit = LanguageAudit()
    audit.feed(html)
    audit.close()
    return audit.problems


def test_the_audit_finds_unmarked_japanese_and_accepts_marked():
    page = (
        '<html lang="en"><head><title>Sakuradai</title></head><body>'
        '<p>English <span lang="ja">桜台</span> (Sakuradai)</p>'
        '<div lang="ja"><p>議事録<br>です</p></div>'
        '<p title="防災">Disaster</p><a href="/" lang="ja" hreflang="ja">日本語</a>'
        "<p>緑が丘</p><svg><title>本町</title></svg><script>var a = '桜台';</script>"
        "</body></html>"
    )
    problems = unmarked_japanese(page)
    assert problems == [
        "html > body > p <p title='防災'>",
        "html > body > p: '緑が丘'",
        "html > body > svg > title: '本町'",
    ]


@pytest.fixture
def demo(demo_city, db):
    """The demo city, seeded once for the module."""
    return demo_city


def public_addresses() -> list[str]:
    """An address of every public page, from the demo city: a district of each kind of record
    (with and without an English name), the lists, and the grant and search pages."""
    addresses = ["/", "/districts/", "/organizations/", "/meetings/", "/grants/"]
    for district in District.objects.filter(council__isnull=False).order_by("pk"):
        addresses.append(district.get_absolute_url())
    addresses.append(District.objects.filter(council__isnull=True).first().get_absolute_url())
    named = Organization.objects.published().exclude(name_en="").order_by("pk").first()
    unnamed = Organization.objects.published().filter(name_en="").order_by("pk").first()
    addresses += [named.get_absolute_url(), unnamed.get_absolute_url()]
    addresses.append("/organizations/?district=" + District.objects.order_by("pk")[0].slug)
    for plan in Plan.objects.public().order_by("pk")[:3]:
        addresses.append(plan.get_absolute_url())
    meetings = Meeting.objects.published()
    addresses.append(meetings.exclude(minutes="").order_by("-starts_at").first().get_absolute_url())
    addresses.append(meetings.order_by("starts_at").last().get_absolute_url())
    years = ProgramYear.objects.order_by("fiscal_year")
    for year in years:
        addresses.append(f"/grants/{year.fiscal_year}/")
    decided = Application.objects.filter(granted_amount__isnull=False).select_related(
        "council__district", "program_year"
    )
    for application in decided.order_by("pk")[:3]:
        slug = application.council.district.slug
        addresses.append(f"/grants/{application.program_year.fiscal_year}/districts/{slug}/")
        addresses.append(f"/grants/districts/{slug}/")
    allocation = Allocation.objects.select_related("district", "program_year").first()
    addresses.append(
        f"/grants/{allocation.program_year.fiscal_year}/districts/{allocation.district.slug}/"
    )
    addresses += [
        "/search/?q=防災",
        "/search/?q=桜台",
        "/search/?q=自治会&kind=organization",
        "/districts/find/",
        "/districts/find/?q=桜台",
        "/districts/find/?q=桜台小学校",
        "/districts/find/?q=存在しない町",
        "/districts/find/?q=〒000-0000",
        "/accessibility/",
        "/no-such-page/",
    ]
    return addresses


def test_every_public_page_marks_its_japanese_in_english(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    found = {}
    pages = {}
    for address in public_addresses():
        response = client.get(address, follow=True)
        assert response.status_code in {200, 404}, address
        html = pages[address] = response.content.decode()
        assert '<html lang="en">' in html, address
        problems = unmarked_japanese(html)
        if problems:
            found[address] = problems
    # The names are there, not only marked: English where the demo has one, else the
    # Japanese name with its reading.
    assert "<h1>Sakuradai Elementary School District " in pages["/districts/sakuradai/"]
    assert (
        '<h1><span lang="ja">本町小学校区</span> (Hommachi Shōgakkōku)</h1>'
        in (pages["/districts/honmachi/"])
    )
    year = ProgramYear.objects.order_by("fiscal_year").first().fiscal_year
    assert ">Equal share per district</th>" in pages[f"/grants/{year}/"]
    report = "\n".join(
        f"{address}\n" + "\n".join(f"    {problem}" for problem in problems[:40])
        for address, problems in found.items()
    )
    assert not found, f"Japanese text not marked lang=ja on English pages:\n{report}"


def test_japanese_pages_are_japanese_without_extra_marks(client, demo):
    """The marks are for English pages: a Japanese page says lang="ja" once, on <html>."""
    for address in ["/", "/districts/", "/organizations/", "/grants/"]:
        html = client.get(address).content.decode()
        assert '<html lang="ja">' in html
        body = html.split("<body", 1)[1].split('<ul class="language-switch"', 1)
        marks = re.findall(r'\blang="ja"', body[0] + body[1].split("</ul>", 1)[1])
        assert marks == [], address


def test_councils_and_groups_with_and_without_english_names_in_the_demo(demo):
    assert District.objects.exclude(name_en="").exists()
    assert District.objects.filter(name_en="").exists()
    assert Council.objects.exclude(name_en="").exists()
    assert Council.objects.filter(name_en="").exists()
    assert Organization.objects.exclude(name_en="").exists()
    assert Organization.objects.filter(name_en="").exists()
    year = program_year(ProgramYear.objects.order_by("fiscal_year").last().fiscal_year)
    assert year.program.name_en
    assert all(component.label_en for component in year.components.all())
