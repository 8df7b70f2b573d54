"""Groups in the site search: published groups by name, reading and description."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.romaji import romaji_search_terms
from core.search import Document, Feed, Kind, register
from districts.models import District

from .models import Organization


def documents(ids=None):
    groups = (
        Organization.objects.published()
        .order_by("pk")
        .prefetch_related(Prefetch("districts", queryset=District.objects.only("pk", "name")))
    )
    if ids is not None:
        groups = groups.filter(pk__in=ids)
    for group in groups.iterator(chunk_size=500):
        districts = list(group.districts.all())
        yield Document(
            object_id=group.pk,
            title=group.name,
            url=reverse("organization_detail", kwargs={"pk": group.pk}),
            body=group.description,
            context="・".join(district.name for district in districts[:3])
            + ("…" if len(districts) > 3 else ""),
            district_ids=tuple(district.pk for district in districts),
            reading=group.name_kana,
            extra=" ".join((group.name_kana, group.name_en, romaji_search_terms(group.name_kana))),
        )


def register_kinds():
    register(
        Kind(
            key="group",
            label=_("Groups"),
            documents=documents,
            feeds=(
                Feed("organizations.Organization", "SELECT {row}.id AS object_id"),
                Feed(
                    "organizations.Organization.districts",
                    "SELECT {row}.organization_id AS object_id",
                ),
                # A group's entry names its districts.
                Feed(
                    "districts.District",
                    "SELECT organization_id AS object_id FROM organizations_organization_districts "
                    "WHERE district_id = {row}.id",
                ),
            ),
        )
    )
