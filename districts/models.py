"""Districts (校区), their councils, population statistics and liaison officers."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.dates import format_wareki_date
from core.english import LocalName, english_name_field, local_name
from core.fields import KanaReadingField, PhoneNumberField
from core.names import person_name
from core.numbers import percent
from core.querysets import PeriodQuerySet
from core.text import fold, kanji_numeral
from core.uploads import RandomName, UploadField, validate_pdf_document


class DistrictKind(models.TextChoices):
    ELEMENTARY = "elementary", _("Elementary school district")
    JUNIOR_HIGH = "junior_high", _("Junior high school district")
    AREA = "area", _("Area")


class CouncilStage(models.TextChoices):
    """The rollout stages the city reports on, in order."""

    NOT_STARTED = "not_started", _("Not started")
    PREPARING = "preparing", _("Preparing")
    MODEL = "model", _("Model district")
    ESTABLISHED = "established", _("Established")


class DistrictQuerySet(models.QuerySet):
    def in_kana_order(self):
        return self.order_by("name_kana", "name")

    def with_latest_figures(self):
        """Annotate each district's most recent statistics: latest_population, … latest_as_of."""
        latest = DistrictStatistic.objects.filter(district=models.OuterRef("pk")).order_by("-as_of")
        return self.annotate(
            **{
                f"latest_{name}": models.Subquery(latest.values(name)[:1])
                for name in ("population", "households", "under_15", "aged_65_over", "as_of")
            }
        )


# Addresses under /districts/ that are pages of their own (the finder): no district's slug may
# take one, or the district's page and the portal's page would hide one another.
RESERVED_DISTRICT_SLUGS = ("find",)


# The district's facts: the fields its page lists under 「学校と拠点施設」 and staff edit in the
# admin's fieldset of the same name, both read from District.FACTS. A new fact is a field of
# District and a row there (docs/architecture.md, "Adding a field to the district page").


class FactKind(StrEnum):
    """How the page shows a fact's value."""

    NAME = "name"  # a short name, "—" while there is none
    TEXT = "text"  # text, with its line breaks; left out while empty
    PHONE = "phone"  # a number to call; left out while empty


@dataclass(frozen=True)
class Fact:
    """One field of the district that its page lists and the admin edits."""

    field: str
    label: Promise | None = None  # on the page; the field's verbose name when None
    kind: FactKind = FactKind.TEXT
    searched: bool = False  # also in the site search's text of the district

    @property
    def page_label(self) -> str:
        if self.label is not None:
            return self.label
        return capfirst(District._meta.get_field(self.field).verbose_name)


def fact_fields() -> tuple[str, ...]:
    """The fields of District.FACTS, in order: the admin's fieldset of the facts."""
    return tuple(fact.field for fact in District.FACTS)


class District(models.Model):
    RESERVED_SLUGS = RESERVED_DISTRICT_SLUGS

    kind = models.CharField(
        _("kind"), max_length=20, choices=DistrictKind.choices, default=DistrictKind.ELEMENTARY
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example 「桜台小学校区」."))
    name_kana = KanaReadingField(
        _("reading (kana)"),
        max_length=200,
        help_text=_("Used to sort districts in 50音 order."),
    )
    name_en = english_name_field(max_length=100)
    slug = models.SlugField(
        _("address name"),
        max_length=60,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens; part of the page address."),
    )
    school_name = models.CharField(_("school"), max_length=100, blank=True)
    hub_name = models.CharField(_("hub facility"), max_length=100, blank=True)
    hub_address = models.CharField(_("hub facility address"), max_length=200, blank=True)
    hub_phone = PhoneNumberField(_("hub facility phone (public)"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    boundary = models.JSONField(
        _("boundary (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Optional: a GeoJSON Polygon or MultiPolygon of the district."),
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = DistrictQuerySet.as_manager()

    # The facts of the district, in the order the page lists them.
    FACTS: tuple[Fact, ...] = (
        Fact("school_name", _("School"), FactKind.NAME),
        Fact("hub_name", _("Hub facility"), FactKind.NAME),
        Fact("hub_address", _("Address")),
        Fact("hub_phone", _("Phone"), FactKind.PHONE),
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["display_order", "name_kana"]
        indexes = [
            models.Index(fields=["name_kana"]),
            # This order, and every admin list ordered by district (plans, memberships,
            # statistics …), which the planner then reads district by district.
            models.Index(fields=["display_order", "name_kana"], name="district_display_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_DISTRICT_SLUGS),
                name="district_slug_not_reserved",
                violation_error_message=_("This address name is taken by a page of the portal."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("district_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> LocalName:
        """The name in the language of the page (core.english)."""
        return local_name(self)

    @property
    def council_or_none(self) -> "Council | None":
        try:
            return self.council
        except Council.DoesNotExist:
            return None

    @property
    def rollout_stage(self) -> "CouncilStage":
        """The council's stage; a district with no council has not started."""
        council = self.council_or_none
        return CouncilStage(council.stage) if council else CouncilStage.NOT_STARTED

    def clean(self):
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": _(
                        "「%(slug)s」 is the address of a page of the portal; choose another."
                    )
                    % {"slug": self.slug}
                }
            )
        if self.boundary is not None:
            kind = self.boundary.get("type") if isinstance(self.boundary, dict) else None
            if kind not in {"Polygon", "MultiPolygon", "Feature"}:
                raise ValidationError(
                    {"boundary": _("Enter a GeoJSON Polygon, MultiPolygon or Feature.")}
                )


class Council(models.Model):
    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="council", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=150)
    name_kana = KanaReadingField(_("reading (kana)"), max_length=300, blank=True)
    name_en = english_name_field(max_length=150)
    stage = models.CharField(
        _("stage"), max_length=20, choices=CouncilStage.choices, default=CouncilStage.NOT_STARTED
    )
    established_on = models.DateField(_("date established"), null=True, blank=True)
    bylaws = UploadField(
        _("bylaws (PDF)"),
        upload_to=RandomName("councils/bylaws"),
        blank=True,
        validators=[validate_pdf_document],
        help_text=_("A PDF of 10 MB or less."),
    )
    contact_name = models.CharField(_("public contact (office)"), max_length=100, blank=True)
    contact_phone = PhoneNumberField(_("public contact phone"), blank=True)
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        max_length=2000,
        help_text=_("What the council does, in a few sentences, for residents."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_councils",
        verbose_name=_("coordinators"),
        help_text=_("Accounts that keep this council's page and file its grant applications."),
    )

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["district__display_order", "district__name_kana"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage="established", established_on__isnull=False)
                | ~Q(stage="established"),
                name="council_established_has_date",
                violation_error_message=_("An established council needs its date established."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> LocalName:
        """The name in the language of the page (core.english)."""
        return local_name(self)


class DistrictStatisticQuerySet(models.QuerySet):
    def latest_per_district(self):
        """Each district's most recent row."""
        newer = DistrictStatistic.objects.filter(
            district=models.OuterRef("district"), as_of__gt=models.OuterRef("as_of")
        )
        return self.filter(~models.Exists(newer))


class DistrictStatistic(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="statistics", verbose_name=_("district")
    )
    as_of = models.DateField(_("as of"))
    population = models.PositiveIntegerField(_("population"))
    households = models.PositiveIntegerField(_("households"))
    under_15 = models.PositiveIntegerField(_("aged under 15"))
    aged_65_over = models.PositiveIntegerField(_("aged 65 and over"))

    objects = DistrictStatisticQuerySet.as_manager()

    class Meta:
        verbose_name = _("population statistic")
        verbose_name_plural = _("population statistics")
        ordering = ["district", "-as_of"]
        get_latest_by = "as_of"
        # The admin's date drill-down by "as of" date, city-wide.
        indexes = [models.Index(fields=["as_of"], name="statistic_as_of_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "as_of"],
                name="statistic_one_per_district_and_date",
                violation_error_message=_("This district already has figures for that date."),
            ),
            models.CheckConstraint(
                condition=Q(
                    population__gte=0, households__gte=0, under_15__gte=0, aged_65_over__gte=0
                ),
                name="statistic_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(population__gte=F("under_15") + F("aged_65_over")),
                name="statistic_age_groups_within_population",
                violation_error_message=_(
                    "Under 15 and 65 and over together cannot exceed the population."
                ),
            ),
            models.CheckConstraint(
                condition=Q(households__lte=F("population")),
                name="statistic_households_within_population",
                violation_error_message=_("Households cannot exceed the population."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {format_wareki_date(self.as_of)}"

    @property
    def aging_rate(self) -> Decimal | None:
        """Share of residents aged 65 and over, in percent to one decimal (高齢化率)."""
        return percent(self.aged_65_over, self.population)

    @property
    def child_rate(self) -> Decimal | None:
        """Share of residents under 15, in percent to one decimal."""
        return percent(self.under_15, self.population)


class LiaisonAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="liaison_assignments",
        verbose_name=_("staff member"),
        limit_choices_to={"is_staff": True},
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="liaison_assignments",
        verbose_name=_("district"),
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"), null=True, blank=True)
    public_name = models.CharField(
        _("name shown to residents"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to show the department only."),
    )
    public_phone = PhoneNumberField(_("public phone"), blank=True)
    public_email = models.EmailField(_("public e-mail"), blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")
        ordering = ["district", "-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="liaison_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} — {person_name(self.user)}"

    def clean(self):
        clashes = LiaisonAssignment.objects.clashing_with(self, same=("user", "district"))
        if clashes.exists():
            raise ValidationError(
                _(
                    "This staff member is already assigned to this district "
                    "for part of that period."
                ),
                code="overlapping_assignment",
            )


class AreaQuerySet(models.QuerySet):
    def in_address_order(self):
        return self.order_by("town_kana", "town", "chome", "banchi_from")

    def overlapping(self, area: "Area"):
        """Rows that claim part of what `area` claims (itself excluded): the same town, the same
        丁目 or a whole town on either side, and 番地 ranges that meet."""
        rows = self.filter(town_key=area.town_key)
        if area.pk:
            rows = rows.exclude(pk=area.pk)
        if area.chome is not None:
            rows = rows.filter(Q(chome=area.chome) | Q(chome__isnull=True))
        low, high = area.banchi_span
        whole = Q(banchi_from__isnull=True)
        rows = rows.filter(whole | Q(banchi_to__isnull=True) | Q(banchi_to__gte=low))
        if high is not None:
            rows = rows.filter(whole | Q(banchi_from__lte=high))
        return rows


class Area(models.Model):
    """A part of a district (通学区域): a 町丁目, a whole town, or a range of 番地 within one.

    The city's table 「通学区域一覧」 row by row. No two areas claim the same address, so that an
    address resolves to one district: a row with no 丁目 claims the whole town, a row with no 番地
    the whole 丁目, and 番地 ranges of one 丁目 do not meet (AreaQuerySet.overlapping).
    """

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="areas", verbose_name=_("district")
    )
    town = models.CharField(
        _("town (町名)"), max_length=60, help_text=_("As the address writes it, such as 「桜台」.")
    )
    town_kana = KanaReadingField(_("town reading (kana)"), max_length=120)
    chome = models.PositiveSmallIntegerField(
        _("chōme (丁目)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the whole town, or a town without 丁目."),
    )
    banchi_from = models.PositiveIntegerField(
        _("from 番地"),
        null=True,
        blank=True,
        help_text=_("Only where the 丁目 is split between schools; empty for the whole 丁目."),
    )
    banchi_to = models.PositiveIntegerField(
        _("to 番地"), null=True, blank=True, help_text=_("Empty for “and above”.")
    )
    # fold(town): what the finder matches an address against.
    town_key = models.CharField(max_length=60, editable=False, db_index=True)

    objects = AreaQuerySet.as_manager()

    # The rows a formset rewrites in the same save as this one: clean() leaves their stored
    # values out, and the formset checks their new values against each other instead.
    rewritten_pks: frozenset[int] = frozenset()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["town_kana", "town", "chome", "banchi_from"]
        indexes = [models.Index(fields=["district", "town_kana"], name="area_district_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(banchi_to__isnull=True)
                | Q(banchi_from__isnull=False, banchi_to__gte=F("banchi_from")),
                name="area_banchi_range_in_order",
                violation_error_message=_(
                    "The range of 番地 needs its start, and cannot end before it starts."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.town_key = fold(self.town)
        super().save(*args, **kwargs)

    @property
    def place(self) -> str:
        """「桜台二丁目」: the town and its 丁目 as addresses write them."""
        if self.chome is None:
            return self.town
        return f"{self.town}{kanji_numeral(self.chome)}丁目"

    @property
    def banchi_span(self) -> tuple[int, int | None]:
        """The 番地 claimed, from 1 (or banchi_from) to banchi_to (None: no end)."""
        if self.banchi_from is None:
            return 1, None
        return self.banchi_from, self.banchi_to

    @property
    def banchi_label(self) -> str:
        if self.banchi_from is None:
            return ""
        if self.banchi_to is None:
            return _("%(start)s番地以降") % {"start": self.banchi_from}
        if self.banchi_to == self.banchi_from:
            return _("%(start)s番地") % {"start": self.banchi_from}
        return _("%(start)s～%(end)s番地") % {"start": self.banchi_from, "end": self.banchi_to}

    @property
    def label(self) -> str:
        """「桜台二丁目 1～12番地」."""
        return f"{self.place} {self.banchi_label}".strip()

    def overlaps(self, other: "Area") -> bool:
        """Whether the two claim part of one address, by the rule of AreaQuerySet.overlapping,
        for rows in memory (a formset, an imported table) rather than in the database."""
        if self.pk is not None and self.pk == other.pk:
            return False
        if fold(self.town) != fold(other.town):
            return False
        if self.chome is not None and other.chome is not None and self.chome != other.chome:
            return False
        low, high = self.banchi_span
        other_low, other_high = other.banchi_span
        return (other_high is None or other_high >= low) and (high is None or other_low <= high)

    def clean(self):
        self.town_key = fold(self.town)
        if self.banchi_to is not None and self.banchi_from is None:
            raise ValidationError({"banchi_from": _("Enter where the range of 番地 starts.")})
        if self.banchi_to is not None and self.banchi_to < self.banchi_from:
            raise ValidationError({"banchi_to": _("The range cannot end before it starts.")})
        if not self.town_key:
            return
        clash = (
            Area.objects.overlapping(self)
            .exclude(pk__in=self.rewritten_pks)
            .select_related("district")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("%(area)s is already part of %(district)s.")
                % {"area": clash.label, "district": clash.district},
                code="overlapping_area",
            )
