"""Districts in the site search: name, reading, school, summary, the facts marked `searched`
and the areas they cover (with the towns' readings)."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.romaji import romaji_search_terms
from core.search import Document, Feed, Kind, register

from .models import Area, District


def documents(ids=None):
    districts = District.objects.order_by("pk").prefetch_related(
        Prefetch("areas", queryset=Area.objects.in_address_order())
    )
    if ids is not None:
        districts = districts.filter(pk__in=ids)
    # The facts (District.FACTS) residents also search by, besides the name, school and summary.
    searched = [fact.field for fact in District.FACTS if fact.searched]
    for district in districts.iterator(chunk_size=500):
        areas = list(district.areas.all())
        readings = dict.fromkeys(area.town_kana for area in areas)
        yield Document(
            object_id=district.pk,
            title=district.name,
            url=reverse("district_detail", kwargs={"slug": district.slug}),
            body="\n".join(
                str(part)
                for part in (
                    district.summary,
                    *(getattr(district, field) for field in searched),
                    "・".join(a.label for a in areas),
                )
                if part
            ),
            context=district.school_name,
            district_ids=(district.pk,),
            reading=district.name_kana,
            extra=" ".join(
                (
                    district.name_kana,
                    district.school_name,
                    *readings,
                    district.name_en,
                    romaji_search_terms(district.name_kana),
                )
            ),
        )


def register_kinds():
    register(
        Kind(
            key="district",
            label=_("Districts"),
            documents=documents,
            feeds=(
                Feed("districts.District", "SELECT {row}.id AS object_id"),
                Feed("districts.Area", "SELECT {row}.district_id AS object_id"),
            ),
        )
    )
