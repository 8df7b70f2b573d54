"""Decided grants in the site search, by the activities of their current business plan.

Only decided applications (DECIDED_STATES) are public, as on the grants pages; the activities
are those of the current version, the ones the district's grant page lists.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import Document, Feed, Kind, register

from .models import Application, PlanRow, VersionStatus


def documents(ids=None):
    grants = (
        Application.objects.decided()
        .order_by("pk")
        .select_related("council__district", "program_year")
        .prefetch_related(
            Prefetch(
                "versions__plan_rows",
                queryset=PlanRow.objects.order_by("order", "pk"),
            )
        )
    )
    if ids is not None:
        grants = grants.filter(pk__in=ids)
    for grant in grants.iterator(chunk_size=200):
        district = grant.council.district
        fiscal_year = grant.program_year.fiscal_year
        rows = [
            row
            for version in grant.versions.all()
            if version.status == VersionStatus.CURRENT
            for row in version.plan_rows.all()
        ]
        yield Document(
            object_id=grant.pk,
            title=district.name,
            url=reverse(
                "grants:district_year",
                kwargs={"fiscal_year": fiscal_year, "slug": district.slug},
            ),
            body="\n".join(
                f"{row.activity}（{row.schedule}）" if row.schedule else row.activity
                for row in rows
            ),
            context=district.name,
            district_ids=(district.pk,),
            fiscal_year=fiscal_year,
            reading=district.name_kana,
        )


def register_kinds():
    register(
        Kind(
            key="grant",
            label=_("Grants"),
            documents=documents,
            feeds=(
                Feed("subsidies.Application", "SELECT {row}.id AS object_id"),
                Feed("subsidies.ApplicationVersion", "SELECT {row}.application_id AS object_id"),
                Feed(
                    "subsidies.PlanRow",
                    "SELECT application_id AS object_id FROM subsidies_applicationversion "
                    "WHERE id = {row}.version_id",
                ),
                Feed(
                    "districts.District",
                    "SELECT a.id AS object_id FROM subsidies_application a "
                    "JOIN districts_council c ON c.id = a.council_id "
                    "WHERE c.district_id = {row}.id",
                ),
                # The entry's address and year come from the program year, its district from
                # the council.
                Feed(
                    "subsidies.ProgramYear",
                    "SELECT id AS object_id FROM subsidies_application "
                    "WHERE program_year_id = {row}.id",
                ),
                Feed(
                    "districts.Council",
                    "SELECT id AS object_id FROM subsidies_application WHERE council_id = {row}.id",
                ),
            ),
        )
    )
