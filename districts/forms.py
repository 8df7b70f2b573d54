import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import LongSelect, form_helper
from core.text import fold

from . import finder
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


class FinderTextField(forms.CharField):
    """What a resident typed, cleaned as the finder reads it (finder.clean_query): control
    characters and lone surrogates removed, cut to finder.MAX_QUERY_LENGTH rather than refused.
    The form shown again carries the cleaned text too, never the raw one."""

    def to_python(self, value):
        return finder.clean_query(super().to_python(value))

    def bound_data(self, data, initial):
        return finder.clean_query(data) if isinstance(data, str) else initial


class FinderForm(forms.Form):
    """The finder's one field: an address, a town, a school or a reading."""

    q = FinderTextField(
        label=_("Find your school district by address, town or school"),
        help_text=_("For example 桜台二丁目5-3, 桜台小学校 or さくらだい."),
        error_messages={
            "required": _(
                "Enter an address, a town or a school, such as 桜台二丁目5-3 or 桜台小学校."
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

    q = FinderTextField(widget=forms.HiddenInput)
    banchi = forms.CharField(
        label=_("Block number (番地)"),
        help_text=_("The number after the 丁目, such as 5 for 二丁目5-3."),
        error_messages={"required": _("Enter the 番地 in digits, such as 5.")},
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
