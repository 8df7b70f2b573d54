from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import LongSelect, form_helper

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
