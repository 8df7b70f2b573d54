"""Every admin page given hostile input: refused with 400, a redirect or a message, never a 500.

On the demo city, as a superuser: every add and change form posted with values no one should
type (empty, 「abc」 in number boxes, NUL, very long text, other scripts' digits, impossible
dates, unknown keys), every change list with each of its filters and its search given such
values, and every autocomplete with such terms. Run on PostgreSQL too (CI does): NUL is an error
there in any text the database is given.
"""

import traceback
from collections import Counter

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from plans.models import Meeting
from tests.factories import SuperUserFactory
from tests.plans.factories import MeetingAttachmentFactory

pytestmark = pytest.mark.django_db

# What is typed into every box of a form, one value per box and post, turned round between
# posts so every box gets every value.
FORM_VALUES = (
    "",
    "abc",
    "\x00",
    "桜台" * 2500,
    "٣٤٥",
    "²",
    "-1",
    "9" * 30,
    "2026-02-30",
    "999999",
)
# What a change-list filter is given; a search and an autocomplete term get some text more.
QUERY_VALUES = ("\x00", "abc", "9" * 30, "٣٤٥")
TERM_VALUES = (*QUERY_VALUES, "%", "x" * 2000)
# The list's order and page.
ORDER_VALUES = ("abc", "9" * 30, "-1.x")
# Object ids in an address.
BAD_IDS = ("abc", "9" * 30, "-1", "%00")

TYPED_WIDGETS = (forms.TextInput, forms.Textarea, forms.NumberInput)


def _cause(response) -> str:
    """The exception behind a 500 and the portal's own line nearest to it."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return ""
    _type, error, trace = exc_info
    where = ""
    for frame, line in traceback.walk_tb(trace):
        if "site-packages" not in frame.f_code.co_filename:
            where = f" at {frame.f_code.co_filename.rsplit('/', 2)[-2:]}:{line}"
    return f": {type(error).__name__}: {str(error)[:120]}{where}"


class Sweep:
    """The client, and a tally of what it was answered."""

    def __init__(self, user):
        self.user = user
        self.client = Client(raise_request_exception=False)
        self.client.force_login(user)
        self.statuses: Counter = Counter()
        self.failures: list[str] = []

    def _record(self, method, url, response, note=""):
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {method} {url} {note}{_cause(response)}")
        return response

    def get(self, url, params=None):
        return self._record("GET", url, self.client.get(url, params), repr(params or ""))

    def post(self, url, data, note=""):
        return self._record("POST", url, self.client.post(url, data), note)


@pytest.fixture
def sweep(demo_city, db):
    """On the demo city, seeded once for the module: what each test posts is rolled back."""
    MeetingAttachmentFactory(meeting=Meeting.objects.order_by("pk").first())  # a file too
    return Sweep(SuperUserFactory(username="sweeper"))


def _report(sweep, what) -> None:
    """The tally, shown with pytest -s: how many requests, answered how."""
    print(
        f"\n{what}: {sum(sweep.statuses.values())} requests, {dict(sorted(sweep.statuses.items()))}"
    )


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _some_object(model, user):
    queryset = model._default_manager.order_by("pk")
    if model._meta.label == "auth.User":
        queryset = queryset.exclude(pk=user.pk)  # not the account the sweep signs in with
    return queryset.first()


def _typed_boxes(response) -> list[tuple[str, forms.Field]]:
    """(name in the post, field) of every box a person types into, on the page's forms."""
    boxes = []
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [form for form in inline.formset.forms]
    for form in forms_on_page:
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.HiddenInput) or field.disabled or name == "DELETE":
                continue
            if isinstance(field.widget, forms.MultiWidget):
                for index in range(len(field.widget.widgets)):
                    boxes.append((f"{form[name].html_name}_{index}", field))
            else:
                boxes.append((form[name].html_name, field))
    return boxes


def _post_hostile(sweep, url, admin_form_data, response, turns=None):
    """Post the page's forms once per turn, every box given a value, and check that a form
    shown again keeps what was typed in its text boxes."""
    base = admin_form_data(response)
    boxes = _typed_boxes(response)
    for turn in range(turns or len(FORM_VALUES)):
        data = dict(base)
        typed = {}
        for index, (name, field) in enumerate(boxes):
            value = FORM_VALUES[(index + turn) % len(FORM_VALUES)]
            data[name] = value
            typed[name] = (value, field)
        answer = sweep.post(url, data, note=f"turn {turn}")
        if answer.status_code != 200 or "adminform" not in (answer.context or {}):
            continue
        page = answer.content.decode()
        for name, (value, field) in typed.items():
            if (
                isinstance(field.widget, TYPED_WIDGETS)
                and not isinstance(field.widget, forms.PasswordInput)
                and value
                and "\x00" not in value
                and escape(value) not in page
            ):
                sweep.failures.append(f"POST {url} turn {turn}: {name} lost {value[:20]!r}")
    # The formsets' own bookkeeping tampered with.
    data = dict(base)
    for name in data:
        if name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS")):
            data[name] = "abc"
        elif name.endswith("-id"):
            data[name] = "\x00"
    sweep.post(url, data, note="management forms")


def test_every_admin_form_refuses_hostile_values_without_a_500(sweep, admin_form_data):
    for model in admin.site._registry:
        add_url = _admin_url(model, "add")
        response = sweep.get(add_url)
        if response.status_code == 200:
            # Fewer turns: the change form below gives the same boxes every value.
            _post_hostile(sweep, add_url, admin_form_data, response, turns=4)
        obj = _some_object(model, sweep.user)
        assert obj is not None, f"the demo city has no {model._meta.label}"
        change_url = _admin_url(model, "change", obj.pk)
        response = sweep.get(change_url)
        assert response.status_code == 200, change_url
        _post_hostile(sweep, change_url, admin_form_data, response)
        for bad_id in BAD_IDS:
            sweep.get(_admin_url(model, "change", "0").replace("/0/", f"/{bad_id}/"))
    _report(sweep, "forms")
    assert not sweep.failures, "\n".join(sweep.failures)
    assert sum(sweep.statuses.values()) > 500


def test_every_change_list_refuses_hostile_filters_and_searches_without_a_500(sweep):
    for model, model_admin in admin.site._registry.items():
        url = _admin_url(model, "changelist")
        response = sweep.get(url)
        assert response.status_code == 200, url
        changelist = response.context["cl"]
        parameters = [
            name for spec in changelist.filter_specs for name in spec.expected_parameters()
        ]
        if changelist.date_hierarchy:
            field = changelist.date_hierarchy
            parameters += [f"{field}__year", f"{field}__month", f"{field}__day"]
        asked = [(name, value) for name in parameters for value in QUERY_VALUES]
        if model_admin.search_fields:
            asked += [(SEARCH_VAR, value) for value in TERM_VALUES]
        asked += [(name, value) for name in (ORDER_VAR, PAGE_VAR) for value in ORDER_VALUES]
        for name, value in asked:
            response = sweep.get(url, {name: value})
            if "\x00" in value:
                assert response.status_code == 400, (url, name)
    _report(sweep, "change lists")
    assert not sweep.failures, "\n".join(sweep.failures)


def test_every_autocomplete_refuses_hostile_terms_without_a_500(sweep):
    fields = []
    for model, model_admin in admin.site._registry.items():
        fields += [(model, name) for name in model_admin.autocomplete_fields]
        for inline in model_admin.inlines:
            fields += [(inline.model, name) for name in inline.autocomplete_fields]
    assert fields
    url = reverse("admin:autocomplete")
    for model, field_name in fields:
        params = {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
        }
        assert sweep.get(url, {**params, "term": "桜"}).status_code == 200, params
        for value in TERM_VALUES:
            response = sweep.get(url, {**params, "term": value})
            if "\x00" in value:
                assert response.status_code == 400, params
        sweep.get(url, {**params, "page": "abc"})
        sweep.get(url, {**params, "field_name": "\x00"})
    _report(sweep, "autocompletes")
    assert not sweep.failures, "\n".join(sweep.failures)
