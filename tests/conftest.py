"""Fixtures shared by the whole suite. Factories live in tests/factories.py."""

import pytest
from django import forms
from django.core.cache import cache

from core import roles
from tests.factories import StaffUserFactory, SuperUserFactory, UserFactory


@pytest.fixture
def superuser(db):
    return SuperUserFactory(username="admin")


@pytest.fixture
def liaison_user(db):
    """A liaison officer with no assignment yet: give one with LiaisonAssignmentFactory."""
    return StaffUserFactory(username="liaison", groups=[roles.LIAISON])


@pytest.fixture
def grant_officer(db):
    return StaffUserFactory.grant_officer(username="grant-officer")


@pytest.fixture
def coordinator(db):
    """A signed-in coordinator: not staff."""
    return UserFactory(username="coordinator", groups=[roles.COORDINATORS])


def _form_values(form, data: dict) -> None:
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(field, forms.FileField) or value is None:
            continue
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            # value() is already prepared for the widget (primary keys, JSON text).
            data[bound.html_name] = str(value)


@pytest.fixture
def admin_form_data():
    """Turn an admin add/change page response into the POST data that would resubmit it.

    Covers the main form and every inline formset (management forms included), so a test
    changes only the values it is about: ``data = admin_form_data(client.get(url))``.
    """

    def build(response) -> dict:
        data: dict = {}
        _form_values(response.context["adminform"].form, data)
        for inline in response.context["inline_admin_formsets"]:
            formset = inline.formset
            _form_values(formset.management_form, data)
            for form in formset.forms:
                _form_values(form, data)
        return data

    return build


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so no test is served a page another one cached."""
    cache.clear()
