from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import LongSelect, form_helper

from .geojson import boundary_from_file
from .models import Council, District
from .services import PROFILE_FIELDS


class CouncilProfileForm(forms.ModelForm):
    """The public profile a coordinator keeps: introduction and contact."""

    class Meta:
        model = Council
        fields = PROFILE_FIELDS
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


class DistrictFilterField(forms.ModelChoiceField):
    """The district filter of the public lists: every district in 50音 order, by slug."""

    widget = LongSelect

    def __init__(self, **kwargs):
        super().__init__(
            label=_("District"),
            required=False,
            queryset=District.objects.in_kana_order().only("slug", "name"),
            to_field_name="slug",
            empty_label=_("All districts"),
            error_messages={"invalid_choice": _("Choose a district from the list.")},
            **kwargs,
        )

    def label_from_instance(self, obj) -> str:
        return obj.name


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
        fields = (
            "kind",
            "name",
            "name_kana",
            "slug",
            "school_name",
            "display_order",
            "hub_name",
            "hub_address",
            "hub_phone",
            "summary",
        )

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
