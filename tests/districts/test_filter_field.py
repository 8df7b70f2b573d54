"""The public lists' district filter: options from the cache, refreshed when districts change."""

import pytest
from django import forms
from django.utils import translation

from districts.forms import DistrictFilterField
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


class FilterForm(forms.Form):
    district = DistrictFilterField()


def test_options_are_read_once_per_change_and_the_choice_is_marked(django_assert_num_queries):
    DistrictFactory(slug="aoba", name="青葉小学校区", name_kana="あおば")
    DistrictFactory(slug="sakura", name="桜台小学校区", name_kana="さくらだい")
    with django_assert_num_queries(1):
        html = str(FilterForm()["district"])
    assert html.index('value="aoba"') < html.index('value="sakura"')
    with django_assert_num_queries(1):  # the chosen district only
        form = FilterForm({"district": "sakura"})
        assert form.is_valid()
        html = str(form["district"])
    assert '<option value="sakura" selected>桜台小学校区</option>' in html
    assert '<option value="aoba">' in html

    DistrictFactory(slug="kita", name="北小学校区", name_kana="きた")
    html = str(FilterForm()["district"])
    assert 'value="kita"' in html


def test_an_unknown_district_is_refused_with_a_message():
    DistrictFactory(slug="aoba")
    with translation.override("en"):
        form = FilterForm({"district": "<script>"})
        assert not form.is_valid()
        assert form.errors["district"] == ["Choose a district from the list."]
        assert "<script>" not in str(form["district"])


def test_the_names_are_escaped():
    DistrictFactory(slug="odd", name="<b>校区</b>")
    assert "&lt;b&gt;校区&lt;/b&gt;" in str(FilterForm()["district"])
