"""Pages write dates by the one rule (docs/conventions.md, "Dates and times"): the long 和暦 form in
prose, on meeting pages and in documents; the short form in tables and on chart axes; history
tables with the time. None of the forms the pages used before (「2026年9月25日」, 「2026/09/25」,
「2026-09-25 19:00」, 「2026.4」) is left in what people read."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from plans.models import MeetingKind
from subsidies.models import State
from tests.factories import CouncilFactory, DistrictStatisticFactory, OfficerFactory
from tests.plans.factories import ActionItemFactory, MeetingFactory
from tests.subsidies.factories import GrantYearFactory, Staff, application_in

pytestmark = pytest.mark.django_db

# What the pages used to write, read in the text people see (attributes such as
# <time datetime="2026-09-25"> are for machines and keep ISO 8601).
OLD_FORMS = {
    "western long date": r"(?:19|20)\d\d年\d{1,2}月",
    "slashed date": r"(?:19|20)\d\d/\d{1,2}/\d{1,2}",
    "ISO date": r"(?:19|20)\d\d-\d\d-\d\d",
    "dotted month": r"(?:19|20)\d\d\.\d{1,2}(?!\d)",
    "era in an English date": r"\((?:Reiwa|Heisei) \d+\) \d\d:\d\d",
}


def visible_text(response) -> str:
    """The page as read: tags and their attributes dropped."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def assert_no_old_forms(response) -> None:
    text = visible_text(response)
    for name, pattern in OLD_FORMS.items():
        found = re.findall(pattern, text)
        assert not found, f"{name}: {found}"


def tokyo(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def district():
    council = CouncilFactory(
        established=True, district__name="桜台小学校区", district__slug="sakuradai"
    )
    for year, population in ((2024, 8200), (2025, 8100), (2026, 8000)):
        DistrictStatisticFactory(
            district=council.district, as_of=dt.date(year, 4, 1), population=population
        )
    OfficerFactory(
        of_council=True,
        council=council,
        person_name="公開 太郎",
        name_is_public=True,
        term_start=dt.date(2024, 4, 1),
    )
    MeetingFactory(
        district=council.district,
        title="第3回まちづくり協議会",
        starts_at=tokyo(2031, 11, 23, 14),
        ends_at=tokyo(2031, 11, 23, 16),
        upcoming=True,
    )
    return council.district


class TestDistrictPage:
    def test_japanese(self, client, district):
        response = client.get("/districts/sakuradai/")
        page = response.content.decode()
        statistics = page.split('id="statistics-heading"')[1].split("</section>")[0]
        # Prose: the long form, marked up for machines.
        assert '<time datetime="2026-04-01">令和8年4月1日</time>' in statistics
        # The table's short form, and the chart's months in the same style.
        assert re.search(r'<th scope="row">R8\.4\.1</th>', statistics)
        assert ">R6.4</text>" in statistics and ">R8.4</text>" in statistics
        # An officer's term in the council's table.
        assert "R6.4〜" in page
        # The next meeting: the long form with the weekday and the time.
        assert "令和13年11月23日（日）14:00〜16:00" in page
        assert_no_old_forms(response)

    def test_english(self, english, district):
        response = english.get("/districts/sakuradai/")
        page = response.content.decode()
        assert '<time datetime="2026-04-01">1 April 2026</time>' in page
        assert re.search(r'<th scope="row">1 Apr 2026</th>', page)
        assert ">Apr 2026</text>" in page
        assert "Apr 2024〜" in page
        assert "Sun 23 November 2031, 14:00–16:00" in page
        assert_no_old_forms(response)


class TestMeetingPage:
    @pytest.fixture
    def meeting(self):
        meeting = MeetingFactory(
            title="令和7年度 第1回総会",
            kind=MeetingKind.GENERAL,
            starts_at=tokyo(2025, 5, 11, 14),
            ends_at=tokyo(2025, 5, 11, 16),
        )
        ActionItemFactory(meeting=meeting, what="訓練の案内チラシ", due_on=dt.date(2025, 8, 31))
        return meeting

    def test_japanese(self, client, meeting):
        response = client.get(f"/meetings/{meeting.pk}/")
        page = response.content.decode()
        assert "令和7年5月11日（日）14:00〜16:00" in page
        assert "R7.8.31" in page  # the action item's due date, in its table
        assert_no_old_forms(response)

    def test_english(self, english, meeting):
        response = english.get(f"/meetings/{meeting.pk}/")
        page = response.content.decode()
        assert "Sun 11 May 2025, 14:00–16:00" in page
        assert "31 Aug 2025" in page
        assert_no_old_forms(response)


@pytest.fixture
def paid():
    """An application walked to paid, filed and decided today."""
    return application_in(State.PAID, GrantYearFactory(), staff=Staff())


class TestReviewApplication:
    def test_history_and_filing_in_japanese(self, client, paid):
        application, _coordinator, staff = paid
        client.force_login(staff.officer)
        response = client.get(reverse("grants:review_application", args=[application.pk]))
        page = response.content.decode()
        submitted = timezone.localtime(application.submitted_at)
        era_year = submitted.year - 2018
        # Filed: the long form with the time.
        assert f"令和{era_year}年{submitted.month}月{submitted.day}日 {submitted:%H:%M}" in page
        # History: the short form with the time, on every row.
        history = page.split('id="history-heading"')[1].split("</table>")[0]
        rows = re.findall(r'<th scope="row" class="nobreak">([^<]*)</th>', history)
        assert rows and all(re.fullmatch(r"R\d+\.\d{1,2}\.\d{1,2} \d\d:\d\d", row) for row in rows)
        assert f"R{era_year}.{submitted.month}.{submitted.day} {submitted:%H:%M}" in rows
        assert_no_old_forms(response)

    def test_history_in_english(self, english, paid):
        application, _coordinator, staff = paid
        english.force_login(staff.officer)
        response = english.get(reverse("grants:review_application", args=[application.pk]))
        history = response.content.decode().split('id="history-heading"')[1].split("</table>")[0]
        rows = re.findall(r'<th scope="row" class="nobreak">([^<]*)</th>', history)
        assert rows and all(
            re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d", row) for row in rows
        )
        assert_no_old_forms(response)


class TestPrintDocument:
    def test_decision_notice_in_japanese(self, client, paid):
        application, coordinator, _staff = paid
        client.force_login(coordinator)
        response = client.get(f"/grants/documents/{application.pk}/decision/")
        page = response.content.decode()
        decided = application.decided_on
        # The notice's date line.
        assert f"令和{decided.year - 2018}年{decided.month}月{decided.day}日" in page
        due = application.program_year.report_due_on
        assert f"令和{due.year - 2018}年{due.month}月{due.day}日" in page
        # An official document carries no weekday.
        assert not re.search(r"令和\d+年\d+月\d+日（", page)
        assert_no_old_forms(response)

    def test_decision_notice_in_english(self, english, paid):
        application, coordinator, _staff = paid
        english.force_login(coordinator)
        response = english.get(f"/grants/documents/{application.pk}/decision/")
        decided = application.decided_on
        assert f"{decided.day} {decided:%B} {decided.year}" in response.content.decode()
        assert_no_old_forms(response)
