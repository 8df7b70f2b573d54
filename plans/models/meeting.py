"""Meetings (会議): an announcement before, the record — minutes, decisions, actions — after."""

from django.db import models
from django.db.models import F, OrderBy, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import fiscal_year, fiscal_year_bounds
from core.fields import validate_record_date
from core.uploads import FileTypeValidator, RandomName, UploadField
from districts.models import Council, District
from organizations.models import Organization

from .plan import Initiative, Plan

validate_meeting_attachment = FileTypeValidator(
    kinds=("pdf", "png", "jpeg"), max_bytes=10 * 1024 * 1024
)


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("General assembly")
    BOARD = "board", _("Board meeting")
    DIVISION = "division", _("Division meeting")
    DIALOGUE = "dialogue", _("Dialogue meeting")
    FORUM = "forum", _("Community forum")
    WORKSHOP = "workshop", _("Workshop")
    PREPARATORY = "preparatory", _("Preparatory meeting")
    OTHER = "other", _("Other")


class Admission(models.TextChoices):
    """Whether residents may come to a meeting, and how."""

    OPEN = "open", _("Open to everyone")
    MEMBERS = "members", _("Members only")
    REGISTRATION = "registration", _("Registration required")


# When a meeting became news for the Atom feed: when it was both published and held. A bulk
# update can publish without save() and leave published_at empty: the start counts then.
FEED_UPDATED = Greatest(Coalesce("published_at", "starts_at"), "starts_at")


def venue_address(*, place: str, place_address: str, hub_address: str) -> str:
    """The address residents go to: the place's own, or the district hub's for a place given
    without one (meetings are held at the hub unless the record says otherwise)."""
    if place_address:
        return place_address
    return hub_address if place else ""


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def in_fiscal_year(self, fy: int):
        """Meetings starting in a fiscal year (April–March, Japan time)."""
        start, end = fiscal_year_bounds(fy)
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def fiscal_years(self) -> set[int]:
        """The fiscal years these meetings were held in.

        The years from the first meeting to the last, each kept if a meeting falls in it: two
        index lookups and one probe per year, where listing the months of every meeting would
        read the whole table.
        """
        span = self.aggregate(first=models.Min("starts_at"), last=models.Max("starts_at"))
        if span["first"] is None:
            return set()
        first = fiscal_year(timezone.localtime(span["first"]).date())
        last = fiscal_year(timezone.localtime(span["last"]).date())
        probes = {
            f"fy{fy}": models.Exists(self.in_fiscal_year(fy)) for fy in range(first, last + 1)
        }
        rows = list(self.order_by().values(**probes)[:1])
        return {int(name[2:]) for row in rows for name, held in row.items() if held}


class Meeting(models.Model):
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("district"),
        # meeting_district_starts_idx leads with the district and serves the foreign key too.
        db_index=False,
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("council"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), validators=[validate_record_date])
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, validators=[validate_record_date]
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("The facility and room, for example 「桜台地区公民館 大会議室」."),
    )
    place_address = models.CharField(
        _("address of the place"),
        max_length=200,
        blank=True,
        help_text=_(
            "Only when the meeting is not at the district's hub facility: left blank, the "
            "page shows the hub's address."
        ),
    )
    admission = models.CharField(
        _("who may attend"),
        max_length=20,
        choices=Admission.choices,
        # Members only unless staff say otherwise: no meeting is announced as open by mistake.
        default=Admission.MEMBERS,
        db_default=Admission.MEMBERS,
        help_text=_(
            "Shown to residents: open to everyone, members only (officers and member groups' "
            "representatives), or open with registration beforehand."
        ),
    )
    registration_how = models.TextField(
        _("how to register"),
        blank=True,
        help_text=_(
            "For meetings that need registration: by phone, e-mail or a form at the hub, and "
            "what to give (name, number of people)."
        ),
    )
    registration_contact = models.CharField(
        _("registration contact"),
        max_length=200,
        blank=True,
        help_text=_(
            "Required for meetings that need registration. Shown to residents: an office's "
            "name with its phone number or e-mail address, never a private one."
        ),
    )
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    attendance = models.PositiveIntegerField(
        _("attendance"), null=True, blank=True, help_text=_("How many people took part.")
    )
    attending_groups = models.ManyToManyField(
        Organization, blank=True, related_name="meetings", verbose_name=_("attending groups")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("related plan"),
    )
    initiatives = models.ManyToManyField(
        Initiative, blank=True, related_name="meetings", verbose_name=_("related initiatives")
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published meetings are shown to residents."),
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["is_published", "starts_at"]),
            # Newest first in the admin and the feeds; date and fiscal-year filters.
            models.Index(fields=["starts_at", "id"], name="meeting_starts_at_idx"),
            # One district's meetings by date: the district page's next meeting and latest
            # minutes, the district calendar, the meeting list filtered by district.
            models.Index(
                fields=["district", "starts_at", "id"], name="meeting_district_starts_idx"
            ),
            # The kind filter, in the admin and on the public meeting list.
            models.Index(fields=["kind", "starts_at"], name="meeting_kind_starts_idx"),
            # The Atom feed's newest minutes: published meetings with minutes, newest news
            # first. FEED_UPDATED is the expression the feed orders by, so the planner reads
            # the first 30 entries off the index instead of sorting every meeting held.
            models.Index(
                OrderBy(FEED_UPDATED, descending=True),
                OrderBy(F("id"), descending=True),
                name="meeting_feed_updated_idx",
                condition=Q(is_published=True) & ~Q(minutes=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(attendance__isnull=True) | Q(attendance__gte=0),
                name="meeting_attendance_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(admission__in=Admission.values),
                name="meeting_admission_valid",
            ),
            models.CheckConstraint(
                condition=~Q(admission=Admission.REGISTRATION) | ~Q(registration_contact=""),
                name="meeting_registration_has_contact",
                violation_error_message=_(
                    "A meeting that needs registration needs a contact for it: enter the "
                    "registration contact."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", kwargs={"pk": self.pk})

    @property
    def address(self) -> str:
        """Where to go (the district is read: select it with the meeting)."""
        return venue_address(
            place=self.place,
            place_address=self.place_address,
            hub_address=self.district.hub_address,
        )

    @property
    def needs_registration(self) -> bool:
        return self.admission == Admission.REGISTRATION

    @property
    def registration_closed(self) -> bool:
        """Whether the registration deadline (a day in Japan) is over."""
        return (
            self.registration_deadline is not None
            and self.registration_deadline < timezone.localdate()
        )

    @property
    def is_upcoming(self) -> bool:
        """Before it starts the record is an announcement; after, it carries the minutes."""
        return self.starts_at >= timezone.now()

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.district_id:
            return
        errors = {}
        if self.council_id and self.council.district_id != self.district_id:
            errors["council"] = _("Choose the council of the meeting's district.")
        if self.plan_id and self.plan.district_id != self.district_id:
            errors["plan"] = _("Choose a plan of the meeting's district.")
        if self.needs_registration and not self.registration_contact.strip():
            errors["registration_contact"] = _(
                "Enter who takes registrations and how to reach them (an office's phone "
                "number or e-mail address)."
            )
        if (
            self.registration_deadline
            and self.starts_at
            and self.registration_deadline > timezone.localdate(self.starts_at)
        ):
            errors["registration_deadline"] = _(
                "The registration deadline must be on or before the day of the meeting."
            )
        if errors:
            raise ValidationError(errors)


class Decision(models.Model):
    """One decision (決定事項) a meeting took."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    text = models.TextField(_("decision"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(models.Model):
    """Something a meeting asked someone to do, by a date."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    what = models.CharField(_("what"), max_length=300)
    owner_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("who (group)"),
    )
    owner_role = models.CharField(
        _("who (role)"),
        max_length=100,
        blank=True,
        help_text=_("For example 「事務局」「防災部会長」."),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        # Items without a due date last, on every database.
        ordering = ["meeting", F("due_on").asc(nulls_last=True), "pk"]
        # The status filter: the open items are a few among hundreds of thousands.
        indexes = [models.Index(fields=["status"], name="action_item_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_organization__isnull=False) | ~Q(owner_role=""),
                name="action_item_has_an_owner",
                violation_error_message=_("Say who does it: a group, a role, or both."),
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def owner(self) -> str:
        names = [self.owner_organization.name] if self.owner_organization_id else []
        if self.owner_role:
            names.append(self.owner_role)
        return "・".join(names)


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=200)
    file = UploadField(
        _("file"),
        upload_to=RandomName("meetings/attachments"),
        validators=[validate_meeting_attachment],
        help_text=_("PDF, PNG or JPEG, 10 MB or less."),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.title
