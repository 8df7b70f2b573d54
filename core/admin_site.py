"""The staff admin, arranged by the work staff do rather than by the apps the code is split into.

``KyodoAdminConfig`` replaces ``django.contrib.admin`` in INSTALLED_APPS and makes
``KyodoAdminSite`` the default site, so ``admin.site`` and every ``admin.site.register`` call
keep working. The index, the pages of each section (/admin/work/<section>/) and the app pages
(/admin/<app>/) list the same sections:

    校区と協議会, 団体と役員, 計画, 会議, 交付金, 利用者と権限

Tables that staff only ever edit inline on another record's page (a meeting's decisions, a
plan's issues …) are left off these lists; they stay registered, so their pages, the links to
them from the inlines and the autocompletes that read them keep working.
"""

from dataclasses import dataclass
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, FieldDoesNotExist
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.names import person_name_with_honorific
from core.uploads import file_response


@dataclass(frozen=True)
class AdminSection:
    """One section of the admin's index: a piece of the staff's work and its tables."""

    slug: str
    name: Promise
    # "app_label.model_name", in the order staff reach for them.
    models: tuple[str, ...]
    # Labels for tables whose own name reads wrongly here (see auth.group below).
    labels: tuple[tuple[str, Promise], ...] = ()


SECTIONS: tuple[AdminSection, ...] = (
    AdminSection(
        "districts",
        pgettext_lazy("admin section", "Districts and councils"),
        (
            "districts.district",
            "districts.council",
            "districts.districtstatistic",
            "districts.liaisonassignment",
        ),
    ),
    AdminSection(
        "organizations",
        pgettext_lazy("admin section", "Groups and officers"),
        ("organizations.organization", "organizations.officer", "organizations.field"),
    ),
    AdminSection(
        "plans",
        pgettext_lazy("admin section", "Plans"),
        ("plans.plan", "plans.initiative", "plans.review"),
    ),
    AdminSection(
        "meetings",
        pgettext_lazy("admin section", "Meetings"),
        ("plans.meeting", "plans.actionitem"),
    ),
    AdminSection(
        "grants",
        pgettext_lazy("admin section", "Grants"),
        (
            "subsidies.application",
            "subsidies.allocation",
            "subsidies.programyear",
            "subsidies.program",
        ),
    ),
    AdminSection(
        "accounts",
        pgettext_lazy("admin section", "Users and permissions"),
        ("auth.user", "auth.group"),
        # The portal calls the community groups it lists 団体 ("group"); Django's permission
        # groups share that word in the translations, so the index names them for what they are.
        labels=(("auth.group", pgettext_lazy("admin section", "Permission groups")),),
    ),
)

# Edited on another record's page (as an inline there), so not listed on their own, with the
# section of that page. Each stays reachable from there: a change link on its row, or the inline.
EDITED_INLINE: dict[str, str] = {
    "organizations.membership": "organizations",  # a group's and a council's pages
    "plans.planissue": "plans",  # the plan's page
    "plans.roleassignment": "plans",  # the initiative's page
    "plans.indicator": "plans",  # the initiative's page (its results: the indicator's page)
    "plans.indicatorresult": "plans",  # the indicator's page
    "plans.reviewrating": "plans",  # the review's page
    "plans.decision": "meetings",  # the meeting's page
    "plans.meetingattachment": "meetings",  # the meeting's page
    "subsidies.formulacomponent": "grants",  # the program year's page (its counts: its own)
}


def section_of(label: str) -> AdminSection | None:
    """The section a table ("app_label.model_name") is listed in or, when it is edited inline,
    the section of the page it is edited on."""
    slug = EDITED_INLINE.get(label)
    for section in SECTIONS:
        if label in section.models or section.slug == slug:
            return section
    return None


class KyodoAdminSite(admin.AdminSite):
    site_header = settings.ADMIN_SITE_HEADER
    site_title = settings.ADMIN_SITE_HEADER
    index_title = _("Staff admin")
    # The sections are in the header's breadcrumbs and on the index; the sidebar would repeat
    # them and take 300px from forms that need the width.
    enable_nav_sidebar = False

    @property
    def login_form(self):
        """Paused after too many failures, like the portal's sign-in (core.throttle)."""
        # Imported here: the auth forms need the app registry, which this module helps build.
        from core.forms import AdminLoginForm

        return AdminLoginForm

    @login_not_required
    def login(self, request, extra_context=None):
        from core.forms import sign_in_paused

        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if form is not None and form.is_bound and sign_in_paused(form):
            response.status_code = 429
        return response

    def get_urls(self):
        return [
            path("work/<slug:slug>/", self.admin_view(self.section_index), name="section"),
            path(
                "files/<str:app_label>/<str:model_name>/<int:object_id>/<str:field_name>/",
                self.admin_view(self.stored_file),
                name="stored_file",
            ),
            # Ahead of Django's own "view on site" address, which it replaces.
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *super().get_urls(),
        ]

    def admin_view(self, view, cacheable=False):
        """Every admin page, with a NUL in its query string answered 400.

        PostgreSQL refuses NUL in any text it is given, so a change-list filter, a search or an
        autocomplete term holding one would fail inside the database. (Forms refuse NUL in what
        is posted with a message beside the field; the public pages read it as a stray
        character.) Checked once the user is known to be staff, so others still go to sign in.
        """

        @wraps(view)
        def refusing_nul(request, *args, **kwargs):
            if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
                raise BadRequest("The query string contains a NUL character.")
            return view(request, *args, **kwargs)

        return super().admin_view(refusing_nul, cacheable)

    def view_on_site(self, request, content_type_id, object_id):
        """The public page of a record the user may see in the admin; 404 for anything else.

        Django's own view redirects for any record of any table, so a liaison officer could
        learn which records of other districts exist. The record is looked up through its
        admin's queryset, the one the change page uses, so the district scope applies.
        """
        # Here, not at the top: this module is loaded with the app registry (KyodoAdminConfig).
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            raise Http404 from None
        self.visible_record(request, model, unquote(object_id))
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def get_app_list(self, request, app_label=None):
        """The sections the user may see, each with its tables; for an app, the sections
        holding that app's tables."""
        models = {
            f"{app['app_label']}.{model['object_name'].lower()}": model
            for app in self._build_app_dict(request).values()
            for model in app["models"]
        }
        listed = []
        for section in SECTIONS:
            labels = dict(section.labels)
            rows = []
            for label in section.models:
                if label in models:
                    row = dict(models[label])
                    if label in labels:
                        row["name"] = labels[label]
                    rows.append(row)
            if not rows:
                continue
            if app_label and not any(label.startswith(f"{app_label}.") for label in section.models):
                continue
            listed.append(
                {
                    "name": section.name,
                    "app_label": section.slug,
                    "app_url": reverse("admin:section", args=[section.slug], current_app=self.name),
                    "has_module_perms": True,
                    "models": rows,
                }
            )
        return listed

    def app_index(self, request, app_label, extra_context=None):
        app_list = self.get_app_list(request, app_label)
        if not app_list:
            raise Http404("The requested admin page does not exist.")
        context = {
            **self.each_context(request),
            "title": apps.get_app_config(app_label).verbose_name,
            "subtitle": None,
            "app_list": app_list,
            "app_label": app_label,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, self.app_index_template or "admin/app_index.html", context)

    def section_index(self, request, slug):
        app_list = [app for app in self.get_app_list(request) if app["app_label"] == slug]
        if not app_list:
            raise Http404("The requested admin page does not exist.")
        context = {
            **self.each_context(request),
            "title": app_list[0]["name"],
            "subtitle": None,
            "app_list": app_list,
            "app_label": slug,
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/app_index.html", context)

    def visible_record(self, request, model, object_id: str):
        """(model admin, record) when the user may see the record in the admin, else 404: its
        admin's scoped queryset (the one its change page uses) and view permission decide."""
        model_admin = self._registry.get(model)
        if model_admin is None:
            raise Http404
        record = model_admin.get_object(request, object_id)
        if record is None or not model_admin.has_view_or_change_permission(request, record):
            raise Http404
        return model_admin, record

    def stored_file(self, request, app_label, model_name, object_id, field_name):
        """An uploaded file of a record, for staff who may see the record here: its admin's
        scoped queryset and view permission decide, and anything else answers 404.

        The admin links every file here (StoredUpload.url), never to the media folder.
        """
        try:
            model = apps.get_model(app_label, model_name)
            field = model._meta.get_field(field_name)
        except (LookupError, FieldDoesNotExist) as unknown:
            raise Http404 from unknown
        if not isinstance(field, models.FileField):
            raise Http404
        model_admin, record = self.visible_record(request, model, str(object_id))
        # Only a file the record's own admin page shows this user.
        shown = flatten_fieldsets(model_admin.get_fieldsets(request, record))
        if field_name not in shown:
            raise Http404
        return file_response(getattr(record, field_name), download_name=str(record))

    def section_link(self, opts) -> dict | None:
        """The section a model's pages sit in, for their breadcrumbs: name and address."""
        section = section_of(opts.label_lower)
        if section is None:
            return None
        try:
            url = reverse("admin:section", args=[section.slug], current_app=self.name)
        except NoReverseMatch:
            return None
        return {"name": section.name, "url": url}

    def each_context(self, request):
        context = super().each_context(request)
        context["admin_person_name_honorific"] = (
            person_name_with_honorific(request.user) if request.user.is_authenticated else ""
        )
        return context


class KyodoAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the staff's own site as ``admin.site``."""

    default_site = "core.admin_site.KyodoAdminSite"
