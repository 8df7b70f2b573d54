"""The district page asks each app for its section.

Each section is a template and a function that returns that template's context, or None when the
section has nothing to show. Later apps (plans, meetings, grants) add their sections to SECTIONS;
the page renders them in this order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.charts import line_chart
from core.dates import format_short_month
from districts import selectors as district_selectors
from districts.maps import district_map
from districts.models import District
from organizations import selectors as group_selectors
from plans import selectors as plan_selectors
from subsidies.selectors import public as grant_selectors


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    context: Callable[[District], dict | None]


def map_section(district: District) -> dict | None:
    drawn = district_map(district)
    return {"map": drawn} if drawn else None


def council_section(district: District) -> dict:
    council = district.council_or_none
    return {
        "council": council,
        "officers": group_selectors.public_council_officers(council),
        "groups_by_kind": group_selectors.district_groups(district, council),
    }


def areas_section(district: District) -> dict | None:
    towns = district_selectors.district_areas(district)
    return {"towns": towns} if towns else None


def plan_section(district: District) -> dict:
    summary = plan_selectors.district_plan_summary(district)
    return {
        "plan": summary.plan,
        "initiatives": summary.initiatives,
        "status_counts": summary.status_counts,
    }


def meetings_section(district: District) -> dict:
    meetings = plan_selectors.district_meetings(district)
    return {"next_meeting": meetings.next_meeting, "latest_record": meetings.latest_record}


def statistics_section(district: District) -> dict:
    # One more than shown, to know whether the CSV holds earlier figures.
    statistics = district_selectors.district_statistics(
        district, latest=district_selectors.STATISTICS_ON_PAGE + 1
    )
    earlier = len(statistics) > district_selectors.STATISTICS_ON_PAGE
    statistics = statistics[-district_selectors.STATISTICS_ON_PAGE :]
    with_rate = [row for row in statistics if row.aging_rate is not None]
    return {
        "statistics": statistics,
        "has_earlier": earlier,
        "latest": statistics[-1] if statistics else None,
        # The axis names each figure's month as the table beside it names its day (「R8.4」).
        "population_chart": line_chart(
            [(format_short_month(row.as_of), row.population) for row in statistics], whole=True
        ),
        "aging_chart": line_chart(
            [(format_short_month(row.as_of), row.aging_rate) for row in with_rate], percent=True
        ),
    }


def grants_section(district: District) -> dict | None:
    grants = grant_selectors.district_grants(district)
    return {"grants": grants} if grants else None


def liaison_section(district: District) -> dict:
    return {"liaisons": district_selectors.current_liaisons(district)}


SECTIONS: list[Section] = [
    Section("map", _("Map"), "districts/sections/map.html", map_section),
    Section("council", _("Council and groups"), "districts/sections/council.html", council_section),
    Section("areas", _("Areas in this district"), "districts/sections/areas.html", areas_section),
    Section("plan", _("District plan"), "districts/sections/plan.html", plan_section),
    Section("meetings", _("Meetings"), "districts/sections/meetings.html", meetings_section),
    Section(
        "statistics", _("Population"), "districts/sections/statistics.html", statistics_section
    ),
    Section("grants", _("Grants"), "districts/sections/grants.html", grants_section),
    Section(
        "liaison", _("City liaison officer"), "districts/sections/liaison.html", liaison_section
    ),
]


def district_sections(district: District) -> list[tuple[Section, dict]]:
    """Each section with its context, in page order, leaving out empty ones."""
    rendered = []
    for section in SECTIONS:
        context = section.context(district)
        if context is not None:
            rendered.append((section, context))
    return rendered
