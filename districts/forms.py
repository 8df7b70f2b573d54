from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import form_helper

from .models import Council
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
