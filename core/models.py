"""The site search index (see core.search for how it is written and read), and each person's
e-mail settings (core.mail)."""

from django.conf import settings
from django.db import models
from django.db.models import Lookup
from django.utils.translation import gettext_lazy as _


class GramsField(models.Field):
    """The index tokens of an entry: a tsvector on PostgreSQL, space-separated text on SQLite.

    Assigned a list of tokens (core.search.tokens); read back as the database's text.
    """

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or isinstance(value, str):
            return value
        from .search import tsvector_literal

        if connection.vendor == "postgresql":
            return tsvector_literal(value)
        return " ".join(value)

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"


@GramsField.register_lookup
class Matches(Lookup):
    """grams__matches=[folded words]: every word found, as core.search describes."""

    lookup_name = "matches"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        from .search import fts5_query, tsquery_literal

        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} @@ %s::tsquery", [*lhs_params, tsquery_literal(self.rhs)]
        # SQLite: the FTS5 table mirrors the entries row for row (rowid = id).
        table = compiler.quote_name_unless_alias(self.lhs.alias)
        # The query goes in as a parameter; only quoted names are formatted in.
        return (
            f"{table}.{connection.ops.quote_name('id')} IN (SELECT rowid FROM "  # noqa: S608
            "core_searchentry_fts WHERE core_searchentry_fts MATCH %s)",
            [fts5_query(self.rhs)],
        )


class SearchEntry(models.Model):
    """One published record as the site search finds it."""

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("record"))
    title = models.CharField(_("title"), max_length=300)
    context = models.CharField(_("context"), max_length=300, blank=True)
    url = models.CharField(_("address"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    sorted_at = models.DateTimeField(_("date"), null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    reading = models.CharField(_("reading"), max_length=300, blank=True)
    grams = GramsField()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_entry_one_per_record"
            )
        ]
        # The two orders results are listed in (core.search.in_kind_order).
        indexes = [
            models.Index(fields=["kind", "-sorted_at", "-id"], name="search_entry_newest_idx"),
            models.Index(
                fields=["kind", "reading", "title", "id"], name="search_entry_reading_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SearchEntryDistrict(models.Model):
    """The districts an entry belongs to, for the search's district filter."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="districts")
    district_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "district_id"], name="search_entry_district_once"
            )
        ]
        indexes = [models.Index(fields=["district_id", "entry"], name="search_district_idx")]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.district_id}"


class SearchChange(models.Model):
    """A record whose entry is to be written again: filled by database triggers."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class MailSettings(models.Model):
    """How one person wants the portal's e-mail: its language and, for grant staff, whether
    the workflow's notices come one by one or as a weekly digest. A person without a row gets
    the defaults (core.mail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mail_settings",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of e-mail"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    weekly_digest = models.BooleanField(
        _("weekly digest"),
        default=False,
        help_text=_(
            "Instead of an e-mail for each application that moves on to you, one e-mail a week "
            "listing what waits on you. Reminders of what is overdue still come as they fall due."
        ),
    )

    class Meta:
        verbose_name = _("e-mail settings")
        verbose_name_plural = _("e-mail settings")

    def __str__(self) -> str:
        return str(self.user)
