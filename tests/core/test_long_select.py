import re

from django import forms

from core.forms import LongSelect

CHOICES = [("", "すべて"), ("a-1", "青葉<小>"), ("b-2", "桜台 & 港南"), ("3", "三")]


def options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


def test_writes_the_same_options_as_djangos_select():
    for value in ("", "b-2", 3, None, "not-a-choice"):
        ours = LongSelect(choices=CHOICES).render("district", value, attrs={"id": "id_district"})
        django = forms.Select(choices=CHOICES).render(
            "district", value, attrs={"id": "id_district"}
        )
        assert options(ours) == options(django), value
        assert len(options(ours)) == len(CHOICES)
        assert ours.startswith('<select name="district" id="id_district">')


def test_escapes_labels_and_marks_one_selected():
    html = LongSelect(choices=CHOICES).render("district", "a-1")
    assert "青葉&lt;小&gt;" in html and "桜台 &amp; 港南" in html
    assert [value for value, selected, _ in options(html) if selected] == ["a-1"]


def test_keeps_the_attributes_a_field_passes():
    html = LongSelect(choices=CHOICES).render(
        "district", "", attrs={"aria-describedby": "id_district_error", "aria-invalid": "true"}
    )
    assert 'aria-describedby="id_district_error"' in html and 'aria-invalid="true"' in html


def test_a_filter_page_reports_a_district_not_in_the_list_and_lists_the_rest(client, db):
    from tests.factories import DistrictFactory

    DistrictFactory(name="桜台小学校区", slug="sakuradai")
    response = client.get("/meetings/?district=no-such-place")
    page = response.content.decode()
    assert response.status_code == 200
    assert "校区は一覧から選んでください。" in page
    assert '<option value="sakuradai">桜台小学校区</option>' in page
