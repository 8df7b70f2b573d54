import re

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.cache import for_current_version
from core.english import LocalName, safe_message
from core.fields import EmailAddressField
from core.forms import LongSelect, SearchQueryField, form_helper
from core.text import fold

from . import finder
from .area_import import MAX_BYTES
from .geojson import boundary_from_file
from .models import Council, District, fact_fields
from .services import PROFILE_FIELDS


class CouncilProfileForm(forms.ModelForm):
    """The public profile a coordinator keeps: introduction and contact."""

    class Meta:
        model = Council
        fields = PROFILE_FIELDS
        field_classes = {"contact_email": EmailAddressField}
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "contact_email": {"invalid": _("Enter an e-mail address such as office@example.jp.")},
            "introduction": {
                "max_length": _(
                    "Shorten the introduction to %(limit_value)d characters or fewer "
                    "(it has %(show_value)d)."
                ),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel"}
        )
        self.fields["contact_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["contact_name"].widget.attrs.update({"autocomplete": "organization"})
        self.helper = form_helper(submit_label=_("Save the profile"))


class _DistrictChoices(BaseChoiceIterator):
    """The filter's options: the empty one, then (slug, name) of every district in 50音 order.
    Read only when DistrictSelect writes its options, once per change of the records and
    language; in English the name is the English name or the reading (core.english)."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        yield ("", self.field.empty_label)
        for slug, name, name_en, name_kana in District.objects.in_kana_order().values_list(
            "slug", "name", "name_en", "name_kana"
        ):
            yield slug, LocalName(name, name_en, name_kana).text


class DistrictSelect(LongSelect):
    """The districts' <select>: its options written once per change of the public records and
    language, the chosen one marked in the copy."""

    def options_html(self, selected: set[str]) -> str:
        options = for_current_version(
            f"district-options:{get_language()}",
            lambda: super(DistrictSelect, self).options_html(set()),
        )
        for value in selected:
            option = format_html('<option value="{}">', value)
            options = options.replace(option, option[:-1] + " selected>", 1)
        return mark_safe(options)  # noqa: S308 (written by format_html_join, values escaped)


class DistrictFilterField(forms.ModelChoiceField):
    """The district filter of the public lists: every district in 50音 order, by slug. The
    chosen district is looked up when the form is checked; the options come from the cache."""

    widget = DistrictSelect

    def __init__(self, **kwargs):
        super().__init__(
            label=_("District"),
            required=False,
            queryset=District.objects.in_kana_order().only("slug", "name", "name_en", "name_kana"),
            to_field_name="slug",
            empty_label=_("All districts"),
            error_messages={"invalid_choice": _("Choose a district from the list.")},
            **kwargs,
        )

    def _get_choices(self):
        return _DistrictChoices(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    def label_from_instance(self, obj) -> str:
        return obj.display_name.text


class AreaImportForm(forms.Form):
    """The city's 通学区域 table to check (and then import), as CSV or XLSX."""

    file = forms.FileField(
        label=_("The 通学区域 table (CSV or Excel .xlsx)"),
        help_text=_(
            "The whole table: every district's towns. Columns 小学校区, 町名, 町名かな, 丁目, "
            "番地から, 番地まで. CSV in UTF-8 or Shift_JIS; at most 5 MB. The next page shows "
            "what would change; nothing is saved until you confirm."
        ),
        error_messages={"required": _("Choose the file of the 通学区域 table.")},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class DistrictAdminForm(forms.ModelForm):
    """The district in the admin, its boundary uploaded as a GeoJSON file rather than typed."""

    boundary_file = forms.FileField(
        label=_("Boundary (GeoJSON file)"),
        required=False,
        help_text=_(
            "A Polygon or MultiPolygon (or a Feature of one) in WGS 84 longitude and latitude, "
            "2 MB or less. Uploading replaces the current boundary."
        ),
        widget=forms.FileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )
    remove_boundary = forms.BooleanField(label=_("Remove the boundary"), required=False)

    class Meta:
        model = District
        fields = ("kind", "name", "name_kana", "slug", "display_order", *fact_fields(), "summary")

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        return boundary_from_file(upload)

    def clean(self):
        cleaned = super().clean()
        geometry = cleaned.get("boundary_file")
        if geometry and cleaned.get("remove_boundary"):
            self.add_error(
                "remove_boundary",
                _("Either upload a new boundary or remove it, not both."),
            )
        return cleaned

    def _post_clean(self):
        # Set before the model's own checks run, and only on a form that is valid so far, so
        # that a refused file leaves the district as it was.
        if not self.errors:
            if self.cleaned_data.get("remove_boundary"):
                self.instance.boundary = None
            elif self.cleaned_data.get("boundary_file"):
                self.instance.boundary = self.cleaned_data["boundary_file"]
        super()._post_clean()


class FinderForm(forms.Form):
    """The finder's one field: an address, a town, a school or a reading."""

    q = SearchQueryField(
        max_length=finder.MAX_QUERY_LENGTH,
        required=True,
        label=_("Find your school district by address, town or school"),
        help_text=safe_message(
            _(
                'For example <span lang="ja">桜台二丁目5-3</span>, '
                '<span lang="ja">桜台小学校</span> or <span lang="ja">さくらだい</span>.'
            )
        ),
        error_messages={
            "required": safe_message(
                _(
                    "Enter an address, a town or a school, such as "
                    '<span lang="ja">桜台二丁目5-3</span> or <span lang="ja">桜台小学校</span>.'
                )
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "finder-%s")
        super().__init__(*args, **kwargs)

    def clean_q(self):
        text = self.cleaned_data["q"]
        if not finder.has_words(text):
            raise forms.ValidationError(
                self.fields["q"].error_messages["required"], code="no_words"
            )
        return text


class BanchiForm(forms.Form):
    """The 番地, asked for when a 丁目 is split between districts; the address typed rides along."""

    q = SearchQueryField(max_length=finder.MAX_QUERY_LENGTH, widget=forms.HiddenInput)
    banchi = forms.CharField(
        label=safe_message(_('Block number (<span lang="ja">番地</span>)')),
        help_text=safe_message(
            _(
                'The number after the <span lang="ja">丁目</span>, such as 5 for '
                '<span lang="ja">二丁目5-3</span>.'
            )
        ),
        error_messages={
            "required": safe_message(
                _('Enter the <span lang="ja">番地</span> in digits, such as 5.')
            )
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "banchi-%s")
        super().__init__(*args, **kwargs)
        self.fields["banchi"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_banchi(self):
        # 5, ５, 五, 5番地, 5-3: the first number.
        found = re.match(r"\D*?(\d{1,6})", fold(finder.clean_query(self.cleaned_data["banchi"])))
        if found is None or int(found.group(1)) == 0:
            raise forms.ValidationError(
                self.fields["banchi"].error_messages["required"], code="invalid"
            )
        return int(found.group(1))
