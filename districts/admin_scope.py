"""District scope in the admin (DESIGN.md section 4).

Superusers and city-wide roles see every district's records. Everyone else — in practice the
liaison officers — sees and edits only the records of the districts they are currently assigned
to. The rule is applied once, here: to the admin's querysets (change lists, change pages,
autocomplete results, bulk actions), to the choices of its forms and list filters, and to its
object permissions. A record outside the scope answers 404, so its existence is not revealed.
"""

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from core.admin_input import TypedInputAdminMixin
from core.admin_search import KanaSearchMixin
from core.admin_widgets import LabelledAutocompleteMixin
from core.roles import sees_all_districts
from districts.models import District, LiaisonAssignment


def districts_in_scope(user: AbstractBaseUser | AnonymousUser) -> QuerySet:
    """The districts whose records the user may see and edit in the admin.

    Every district for superusers and city-wide roles; otherwise the districts of the user's
    current liaison assignments, so a staff account without a role sees nothing, not everything.
    """
    if sees_all_districts(user):
        return District.objects.all()
    if not user.is_authenticated or not user.is_active:
        return District.objects.none()
    assigned = LiaisonAssignment.objects.current().filter(user=user).values("district_id")
    return District.objects.filter(pk__in=assigned)


def _path_is_multivalued(model: type[Model], path: str) -> bool:
    """Whether following the lookup path can match one row more than once."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def scope_queryset(queryset: QuerySet, user, district_paths: tuple[str, ...]) -> QuerySet:
    """The rows of the queryset that belong to a district in the user's scope.

    A row is in scope when any of the lookup paths (for example ``"district"`` or
    ``"council__district"``) leads to one of the user's districts.
    """
    if sees_all_districts(user):
        return queryset
    if not district_paths:
        raise ValueError("A district-scoped queryset needs at least one district path.")
    districts = districts_in_scope(user).values("pk")
    model = queryset.model
    # A pk__in subquery rather than distinct() where a row could match twice: no duplicate
    # rows, and the change list's own ordering, search and annotations keep working unchanged.
    if len(district_paths) > 1:
        # Each path's rows on their own, united. One condition ORing the paths needs all their
        # joins at once, which PostgreSQL answers by joining every row of the table (officers
        # of a group or of a council: 60,000 rows, 160 ms); each path alone walks its foreign-key
        # index from the user's few districts (1.5 ms).
        parts = [
            model._default_manager.filter(**{f"{path}__in": districts}).order_by().values("pk")
            for path in district_paths
        ]
        return queryset.filter(pk__in=parts[0].union(*parts[1:]))
    (path,) = district_paths
    condition = Q(**{f"{path}__in": districts})
    if _path_is_multivalued(model, path):
        return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


class DistrictScopeMixin(TypedInputAdminMixin, LabelledAutocompleteMixin):
    """Scope for a ModelAdmin or an InlineModelAdmin: its rows and its form choices.

    ``district_paths`` names the lookups from the admin's model to District, for example
    ``("id",)`` for District itself or ``("organization__districts", "council__district")``
    for officers of a group or of a council.

    Foreign-key and many-to-many choices pointing at a model whose registered admin is also
    scoped (District, Council, Organization) are limited to the user's scope, so an
    out-of-scope id posted by hand fails validation. Autocomplete results are scoped too,
    because Django builds them from the target admin's ``get_queryset``.
    """

    district_paths: tuple[str, ...] = ()

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, self.district_paths)

    def scoped_choices(self, db_field, request) -> QuerySet | None:
        """The choices of a relation field limited to the scope, or None when unrestricted."""
        if sees_all_districts(request.user):
            return None
        related_model = db_field.remote_field.model
        related_admin = self.admin_site._registry.get(related_model)
        if not isinstance(related_admin, DistrictScopeMixin):
            return None
        queryset = related_model._default_manager.all()
        ordering = related_admin.get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return scope_queryset(queryset, request.user, related_admin.district_paths)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            choices = self.scoped_choices(db_field, request)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            choices = self.scoped_choices(db_field, request)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class DistrictScopedAdmin(KanaSearchMixin, DistrictScopeMixin):
    """Scope for a ModelAdmin: also object permissions, 404s and many-to-many saving.

    Use as ``class DistrictAdmin(DistrictScopedAdmin, admin.ModelAdmin)``.
    """

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not sees_all_districts(request.user):
            # Django redirects to the index with "doesn't exist" by default; a scoped user gets
            # the same 404 for a missing record and for another district's record.
            raise Http404
        return obj

    def is_in_scope(self, request, obj) -> bool:
        """Whether the object belongs to one of the user's districts (cached per request)."""
        if obj is None or obj.pk is None or sees_all_districts(request.user):
            return True
        cache = request.__dict__.setdefault("_district_scope_cache", {})
        key = (obj._meta.label, obj.pk)
        if key not in cache:
            cache[key] = self.get_queryset(request).filter(pk=obj.pk).exists()
        return cache[key]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.is_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.is_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.is_in_scope(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if sees_all_districts(request.user):
            return form_class
        scoped_names = [
            field.name
            for field in self.model._meta.many_to_many
            if isinstance(self.admin_site._registry.get(field.related_model), DistrictScopeMixin)
        ]
        if not scoped_names:
            return form_class

        class ScopedInitialForm(form_class):
            """Starts from the in-scope links only, as the scoped widget shows them.

            Without this the form would count the hidden links as removed: has_changed()
            and the admin's change message would report a change nobody made.
            """

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name in scoped_names:
                    if name in self.fields and self.initial.get(name):
                        pks = [getattr(item, "pk", item) for item in self.initial[name]]
                        self.initial[name] = list(self.fields[name].queryset.filter(pk__in=pks))

        ScopedInitialForm.__name__ = form_class.__name__
        return ScopedInitialForm

    def save_related(self, request, form, formsets, change):
        # The form offers only in-scope choices, so saving it would silently drop the links to
        # other districts' records (a group that also works next door). Put them back.
        kept = self._out_of_scope_links(request, form) if change else {}
        super().save_related(request, form, formsets, change)
        for name, pks in kept.items():
            if pks:
                getattr(form.instance, name).add(*pks)

    def _out_of_scope_links(self, request, form) -> dict[str, list]:
        kept = {}
        for name in form.fields:
            try:
                db_field = self.model._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field
                continue
            if not db_field.many_to_many:
                continue
            choices = self.scoped_choices(db_field, request)
            if choices is None:
                continue
            related = getattr(form.instance, name)
            kept[name] = list(
                related.exclude(pk__in=choices.values("pk")).values_list("pk", flat=True)
            )
        return kept


class ScopedRelatedListFilter(admin.RelatedFieldListFilter):
    """A filter by a related record offering the records of the user's district scope.

    A liaison officer sees their districts (or councils …) only; city-wide staff see them all.
    The choices come from the related table — a few hundred districts or councils — instead of
    from a scan of the list's own rows, so choices without rows yet are offered too. It replaces
    Django's RelatedOnlyFieldListFilter on large change lists (core/admin_paging.py): that filter
    finds its choices with a SELECT DISTINCT over every row of the list on each page load.
    """

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        related_model = field.remote_field.model
        related_admin = model_admin.admin_site._registry.get(related_model)
        if not isinstance(related_admin, DistrictScopeMixin) or sees_all_districts(request.user):
            return field.get_choices(include_blank=False, ordering=ordering)
        in_scope = scope_queryset(
            related_model._default_manager.all(), request.user, related_admin.district_paths
        )
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"pk__in": in_scope.values("pk")},
            ordering=ordering,
        )
