"""Fixtures shared by the whole suite. Factories live in tests/factories.py."""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from django import forms
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

from core import roles
from tests.factories import StaffUserFactory, SuperUserFactory, UserFactory

COMMITTING_FIXTURES = {"transactional_db", "live_server"}
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark `serial` every test that commits to the database (transaction=True, a live server).

    Such a test empties the database when it ends (content types, the role groups, everything
    migrate wrote), so it must come after the tests that expect those rows. One pytest process
    orders it last; `make test` runs the tests in parallel without it, then it one at a time.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        commits = marker is not None and marker.kwargs.get("transaction", False)
        if commits or COMMITTING_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.serial)


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


# Tests create many accounts; the production hasher is deliberately slow.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


class DemoCity(NamedTuple):
    output: str  # what `manage.py seed_demo` printed
    media: Path  # MEDIA_ROOT, where its grant attachments are


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[DemoCity]:
    """The demo city of `manage.py seed_demo`, seeded once for the whole module that asks for it.

    Each test that uses it runs in its own transaction (with `db`) rolled back at its end, so a
    test that writes leaves the next one the city as it was seeded; the city itself is rolled
    back at the module's end. A test that needs an empty database belongs in another module.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield DemoCity(out.getvalue(), media)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language (Japanese), whatever an earlier test activated."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so no test is served a page another one cached."""
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def tasks_run_at_once():
    """Background tasks (core.tasks) run as they are queued, so a test sees their e-mail in
    mail.outbox. tests/core/test_tasks.py runs them through the database queue and its worker."""
    with override_settings(TASKS={"default": {"BACKEND": IMMEDIATE_TASKS}}):
        yield
