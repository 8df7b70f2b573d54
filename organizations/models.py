"""Groups (団体) active in the districts, their seats in councils, and officers (役員)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.english import LocalName, english_name_field, is_english, ja_html, local_name
from core.fields import KanaReadingField, PhoneNumberField, WebsiteField
from core.numbers import percent
from core.querysets import PeriodQuerySet
from core.text import normalize
from districts.models import Council, District


class OrganizationKind(models.TextChoices):
    NEIGHBORHOOD = "neighborhood", _("Neighborhood association")
    SOCIAL_WELFARE = "social_welfare", _("District social welfare council")
    WELFARE_VOLUNTEERS = "welfare_volunteers", _("Welfare commissioners' council")
    PTA = "pta", _("PTA")
    CHILDREN = "children", _("Children's association")
    SENIORS = "seniors", _("Seniors' club")
    YOUTH_COUNSELORS = "youth_counselors", _("Youth counselors")
    FIRE_BRIGADE = "fire_brigade", _("Volunteer fire brigade")
    WOMEN = "women", _("Women's association")
    NPO = "npo", _("NPO")
    VOLUNTEER = "volunteer", _("Volunteer group")
    BUSINESS = "business", _("Business")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class FieldCode(models.TextChoices):
    DISASTER = "disaster", _("Disaster preparedness")
    CRIME = "crime", _("Crime prevention")
    WELFARE = "welfare", _("Welfare")
    HEALTH = "health", _("Health")
    CHILDCARE = "childcare", _("Child-rearing")
    EDUCATION = "education", _("Education")
    TRAFFIC = "traffic", _("Safety and traffic")
    ENVIRONMENT = "environment", _("Environment")
    CULTURE = "culture", _("Culture and sports")
    LOCAL_ECONOMY = "local_economy", _("Local revitalization")
    COMMUNITY = "community", _("Community building")


def field_labels() -> dict[str, str]:
    """Each activity field's code with its label in the active language, for lists that print
    many fields: one gettext a field, not one a row."""
    return {code: str(label) for code, label in FieldCode.choices}


class Field(models.Model):
    """An activity field (活動分野). Rows are fixed by a migration; labels are translated."""

    code = models.CharField(_("code"), max_length=30, choices=FieldCode.choices, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("activity field")
        verbose_name_plural = _("activity fields")
        ordering = ["order"]

    def __str__(self) -> str:
        # The enum's label directly: get_code_display() rebuilds the choices on every call,
        # which shows when a page lists a hundred groups with their fields.
        try:
            return str(FieldCode(self.code).label)
        except ValueError:
            return self.code


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=150)
    name_kana = KanaReadingField(
        _("reading (kana)"),
        max_length=300,
        help_text=_("Used for 50音 order and for search."),
    )
    name_en = english_name_field(max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    districts = models.ManyToManyField(
        District,
        related_name="organizations",
        verbose_name=_("districts it works in"),
    )
    fields = models.ManyToManyField(
        Field, blank=True, related_name="organizations", verbose_name=_("activity fields")
    )
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    member_households = models.PositiveIntegerField(
        _("member households"),
        null=True,
        blank=True,
        help_text=_("Neighborhood associations only: households that are members."),
    )
    website = WebsiteField(_("website"), blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Unpublished groups are visible to staff only."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name_kana", "name"]
        indexes = [
            models.Index(fields=["name_kana"]),
            models.Index(fields=["kind", "is_published"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_households__isnull=True) | Q(kind="neighborhood"),
                name="organization_households_only_for_neighborhood",
                violation_error_message=_(
                    "Member households apply to neighborhood associations only."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organization_detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> LocalName:
        """The name in the language of the page (core.english)."""
        return local_name(self)

    def clean(self):
        # Names keep the characters the group uses (full-width brackets and all).
        self.name = self.name.strip()

    def membership_rate(self, households: int | None) -> Decimal | None:
        """Member households as a percentage of the district's households (加入率)."""
        if self.member_households is None:
            return None
        return percent(self.member_households, households)


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member group")
    SECRETARIAT = "secretariat", _("Secretariat")
    ADVISOR = "advisor", _("Advisor")
    OBSERVER = "observer", _("Observer")


class MembershipQuerySet(PeriodQuerySet):
    def seated(self):
        """Seats of full members (and the secretariat), not advisors or observers."""
        return self.filter(role__in=[MembershipRole.MEMBER, MembershipRole.SECRETARIAT])


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("group"),
    )
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("council")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        ordering = ["council", "organization__name_kana"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="membership_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["organization", "council", "start_on"],
                name="membership_unique_start",
                violation_error_message=_("This group already has a seat starting that day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.council}"

    def clean(self):
        clashes = Membership.objects.clashing_with(self, same=("organization", "council"))
        # A seat starting the same day is the unique constraint's to report.
        if clashes.exclude(start_on=self.start_on).exists():
            raise ValidationError(
                _("This group already has a seat in this council for part of that period."),
                code="overlapping_membership",
            )


class OfficerRole(models.TextChoices):
    """Titles in their usual order of precedence."""

    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY_GENERAL = "secretary_general", _("Secretary general")
    TREASURER = "treasurer", _("Treasurer")
    DIVISION_HEAD = "division_head", _("Division head")
    DIRECTOR = "director", _("Director")
    AUDITOR = "auditor", _("Auditor")
    OTHER = "other", _("Other")


OFFICER_ROLE_RANK = {role: rank for rank, role in enumerate(OfficerRole.values)}

# Titles as groups write them (Officer.title_detail) that are standard ones, with their English
# for English pages. Any other title is shown as written, marked as Japanese.
STANDARD_TITLES = {
    "会長": pgettext_lazy("officer title", "Chair"),
    "副会長": pgettext_lazy("officer title", "Vice-chair"),
    "名誉会長": pgettext_lazy("officer title", "Honorary chair"),
    "理事長": pgettext_lazy("officer title", "Chair of the board"),
    "理事": pgettext_lazy("officer title", "Director"),
    "会計": pgettext_lazy("officer title", "Treasurer"),
    "書記": pgettext_lazy("officer title", "Secretary"),
    "監事": pgettext_lazy("officer title", "Auditor"),
    "会計監査": pgettext_lazy("officer title", "Auditor"),
    "事務局長": pgettext_lazy("officer title", "Secretary general"),
    "事務局次長": pgettext_lazy("officer title", "Deputy secretary general"),
    "事務局": pgettext_lazy("officer title", "Secretariat"),
    "委員長": pgettext_lazy("officer title", "Committee chair"),
    "副委員長": pgettext_lazy("officer title", "Vice committee chair"),
    "委員": pgettext_lazy("officer title", "Committee member"),
    "部会長": pgettext_lazy("officer title", "Division head"),
    "副部会長": pgettext_lazy("officer title", "Vice division head"),
    "部長": pgettext_lazy("officer title", "Department head"),
    "顧問": pgettext_lazy("officer title", "Advisor"),
    "相談役": pgettext_lazy("officer title", "Counsellor"),
    "代表": pgettext_lazy("officer title", "Representative"),
    "副代表": pgettext_lazy("officer title", "Vice-representative"),
    "幹事": pgettext_lazy("officer title", "Organizer"),
    "班長": pgettext_lazy("officer title", "Block leader"),
}


class OfficerQuerySet(PeriodQuerySet):
    start_field = "term_start"
    end_field = "term_end"

    def public(self):
        return self.filter(name_is_public=True)


class Officer(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("group"),
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("council"),
    )
    role = models.CharField(_("officer title"), max_length=30, choices=OfficerRole.choices)
    title_detail = models.CharField(
        _("title as written"),
        max_length=50,
        blank=True,
        help_text=_("Optional, for example 「防災部会長」."),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), editable=False, default=0)
    person_name = models.CharField(_("name"), max_length=100)
    person_name_kana = KanaReadingField(_("reading (kana)"), max_length=200, blank=True)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term to"), null=True, blank=True)
    name_is_public = models.BooleanField(
        _("name may be published"),
        default=False,
        help_text=_("Tick only when the officer has agreed to show their name on the portal."),
    )
    private_phone = PhoneNumberField(_("phone (staff only)"), blank=True)
    private_email = models.EmailField(_("e-mail (staff only)"), blank=True)
    private_note = models.TextField(_("note (staff only)"), blank=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["rank", "-term_start"]
        # The admin's list in this order, with the primary key it adds to make the order total.
        indexes = [
            models.Index(fields=["rank", "-term_start", "-id"], name="officer_rank_term_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(council__isnull=True))
                | (Q(organization__isnull=True) & Q(council__isnull=False)),
                name="officer_of_group_or_council",
                violation_error_message=_("An officer belongs to either a group or a council."),
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="officer_term_end_not_before_start",
                violation_error_message=_("The end of the term cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.person_name}"

    def save(self, *args, **kwargs):
        self.rank = OFFICER_ROLE_RANK.get(self.role, len(OFFICER_ROLE_RANK))
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return self.title_detail or str(self.get_role_display())

    @property
    def display_title(self) -> str:
        """The title in the language of the page: on English pages a standard title as written
        (「書記」) in English, any other one as written and marked as Japanese."""
        if not is_english() or not self.title_detail:
            return self.title
        standard = STANDARD_TITLES.get(normalize(self.title_detail))
        return str(standard) if standard else ja_html(self.title_detail)

    def clean(self):
        # In an admin inline under a new parent the parent is set but has no id yet.
        has_organization = self.organization_id is not None or self._parent_set("organization")
        has_council = self.council_id is not None or self._parent_set("council")
        if has_organization == has_council:
            raise ValidationError(_("Choose either a group or a council."))

    def _parent_set(self, name: str) -> bool:
        return self._state.fields_cache.get(name) is not None
