import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.utils import translation

from core.names import person_name, person_name_with_honorific


def user(**fields):
    return get_user_model()(username=fields.pop("username", "msato"), **fields)


def test_family_name_comes_first():
    assert person_name(user(first_name="美咲", last_name="佐藤")) == "佐藤 美咲"


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"last_name": "佐藤"}, "佐藤"),
        ({"first_name": "美咲"}, "美咲"),
        ({"first_name": " 美咲 ", "last_name": " 佐藤 "}, "佐藤 美咲"),
        ({}, "msato"),
    ],
)
def test_missing_parts(fields, shown):
    assert person_name(user(**fields)) == shown


def test_no_user_is_a_dash():
    assert person_name(None) == "—"


def test_honorific_in_japanese_only():
    sato = user(first_name="美咲", last_name="佐藤")
    with translation.override("ja"):
        assert person_name_with_honorific(sato) == "佐藤 美咲さん"
    with translation.override("en"):
        assert person_name_with_honorific(sato) == "佐藤 美咲"


def test_template_filter():
    rendered = Template("{% load kyodo %}{{ u|person }}").render(
        Context({"u": user(first_name="直樹", last_name="田中")})
    )
    assert rendered == "田中 直樹"
