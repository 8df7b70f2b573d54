"""A service's refusal shown on the form that fed it."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.forms import add_service_errors


class AmountForm(forms.Form):
    amount = forms.IntegerField()


def test_errors_go_beside_the_fields_they_name_and_the_rest_to_the_top():
    form = AmountForm({"amount": "5"})
    assert form.is_valid()

    add_service_errors(
        form,
        ValidationError({"amount": "多すぎます。", "decided_on": "日付がありません。"}),
    )

    assert form.errors["amount"] == ["多すぎます。"]
    # A field the form does not have: the message is not lost, it goes above the form.
    assert form.errors[NON_FIELD_ERRORS] == ["日付がありません。"]


def test_a_refusal_without_fields_goes_to_the_top_with_its_code_and_values():
    form = AmountForm({"amount": "5"})
    assert form.is_valid()

    add_service_errors(
        form,
        ValidationError("%(count)s件が未処理です。", code="pending", params={"count": 3}),
    )

    assert form.errors[NON_FIELD_ERRORS] == ["3件が未処理です。"]
    assert form.has_error(NON_FIELD_ERRORS, code="pending")
