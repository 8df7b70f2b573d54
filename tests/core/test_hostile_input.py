"""Input the portal cannot use: refused with 400 or a message beside the field, never a 500."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from core.fields import AmountField
from core.numbers import percent
from core.text import kanji_numeral
from districts.models import DistrictStatistic
from subsidies.forms.coordinator import MeasureField
from tests.factories import DistrictFactory, DistrictStatisticFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


def test_statistic_without_aged_65_over_keeps_what_was_typed(staff_client, admin_form_data):
    statistic = DistrictStatisticFactory()
    url = reverse("admin:districts_districtstatistic_change", args=[statistic.pk])
    data = admin_form_data(staff_client.get(url))
    data.update(population="8123", aged_65_over="")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "aged_65_over" in form.errors
    assert 'value="8123"' in response.content.decode()
    statistic.refresh_from_db()
    assert statistic.population == 8000


@pytest.mark.parametrize("missing", ["aged_65_over", "population"])
def test_new_statistic_missing_a_count_keeps_what_was_typed(staff_client, missing):
    district = DistrictFactory()
    typed = {
        "district": district.pk,
        "as_of": "2026/04/01",
        "population": "8123",
        "households": "3456",
        "under_15": "901",
        "aged_65_over": "2345",
    }
    typed[missing] = ""
    response = staff_client.post(reverse("admin:districts_districtstatistic_add"), typed)
    assert response.status_code == 200
    assert missing in response.context["adminform"].form.errors
    assert 'value="3456"' in response.content.decode()
    assert DistrictStatistic.objects.count() == 0


def test_district_page_with_a_statistic_row_missing_a_count_keeps_what_was_typed(
    staff_client, admin_form_data
):
    district = DistrictFactory()
    url = reverse("admin:districts_district_change", args=[district.pk])
    data = admin_form_data(staff_client.get(url))
    prefix = "statistics"
    assert f"{prefix}-TOTAL_FORMS" in data
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-as_of": "2026/04/01",
            f"{prefix}-0-population": "8123",
            f"{prefix}-0-households": "3456",
            f"{prefix}-0-under_15": "901",
            f"{prefix}-0-aged_65_over": "",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert 'value="3456"' in response.content.decode()


@pytest.mark.parametrize("typed", ["abc", "\x00", "1.5", "-1", "9" * 30])
def test_autocomplete_field_given_a_non_id_is_refused_beside_the_field(staff_client, typed):
    url = reverse("admin:districts_districtstatistic_add")
    response = staff_client.post(
        url,
        {
            "district": typed,
            "as_of": "2026/04/01",
            "population": "10",
            "households": "5",
            "under_15": "1",
            "aged_65_over": "2",
        },
    )
    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors
    assert 'value="10"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["q=%00", "district__id__exact=%00", "as_of__year=%00", "district__id__exact=1%00"],
)
def test_nul_in_a_change_list_query_answers_400(staff_client, query):
    DistrictStatisticFactory()
    url = reverse("admin:districts_districtstatistic_changelist")
    response = staff_client.get(f"{url}?{query}")
    assert response.status_code == 400


def test_nul_in_an_autocomplete_term_answers_400(staff_client):
    response = staff_client.get(
        "/admin/autocomplete/?app_label=districts&model_name=districtstatistic"
        "&field_name=district&term=%00"
    )
    assert response.status_code == 400


def test_nul_in_an_admin_address_sends_others_to_sign_in_first():
    response = Client(raise_request_exception=False).get("/admin/auth/user/?q=%00")
    assert response.status_code == 302


UTF16 = "application/x-www-form-urlencoded; charset=utf-16"


@pytest.mark.parametrize("address", ["/accounts/login/", "/admin/login/", "/"])
def test_utf16_post_without_a_token_answers_400(address):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("login"))  # the CSRF cookie, so the check gets as far as the form
    response = client.post(address, "username=a&password=b", content_type=UTF16)
    assert response.status_code == 400
    assert "リクエストを処理できませんでした" in response.content.decode()


def test_post_without_a_token_gets_the_sites_403_page():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "フォームを送信できませんでした" in response.content.decode()


def test_csrf_failure_page_never_reads_the_posted_form(rf):
    from django.contrib.auth.models import AnonymousUser

    from kyodo_portal.views import csrf_failure

    request = rf.post("/accounts/login/", "a=b", content_type=UTF16)
    request.user = AnonymousUser()
    request.session = {}
    response = csrf_failure(request, reason="CSRF token missing.")
    assert response.status_code == 403


def test_utf16_post_with_a_valid_token_answers_400():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    page = client.get(reverse("login"))
    token = page.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&username=a&password=b"
    response = client.post(reverse("login"), body, content_type=UTF16, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400


def test_undecodable_post_answers_400():
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("login"),
        b"username=\xff\xfe\xfa",
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert response.status_code < 500


# Numbers: digits typed half- or full-width, never another script's -----------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12000", 12000), ("１２，０００円", 12000), ("¥12,000", 12000), ("12,000 円", 12000)],
)
def test_amounts_read_ascii_and_full_width_digits(typed, amount):
    assert AmountField().clean(typed) == amount


@pytest.mark.parametrize("typed", ["٣٤٥", "²", "①", "١٢,٠٠٠円", "1_000", "۱۲"])
def test_amounts_refuse_other_digits_with_the_fields_message(typed):
    with pytest.raises(ValidationError) as refused:
        AmountField().clean(typed)
    assert refused.value.code == "invalid"


@pytest.mark.parametrize("typed", ["٣٤٥", "²", "٣.٥"])
def test_measured_values_refuse_other_digits(typed):
    field = MeasureField(max_digits=12, decimal_places=2)
    assert field.clean("１２０.５") == Decimal("120.5")
    with pytest.raises(ValidationError):
        field.clean(typed)


@pytest.mark.parametrize("typed", ["٣٤٥", "²", "9" * 30])
def test_admin_number_box_refuses_other_digits_beside_the_field(staff_client, typed):
    district = DistrictFactory()
    response = staff_client.post(
        reverse("admin:districts_districtstatistic_add"),
        {
            "district": district.pk,
            "as_of": "2026/04/01",
            "population": typed,
            "households": "3456",
            "under_15": "901",
            "aged_65_over": "2345",
        },
    )
    assert response.status_code == 200
    assert "population" in response.context["adminform"].form.errors
    assert escape(typed) in response.content.decode()
    assert DistrictStatistic.objects.count() == 0


def test_admin_number_box_reads_full_width_digits(staff_client):
    district = DistrictFactory()
    response = staff_client.post(
        reverse("admin:districts_districtstatistic_add"),
        {
            "district": district.pk,
            "as_of": "2026/04/01",
            "population": "８１２３",
            "households": "3456",
            "under_15": "901",
            "aged_65_over": "2345",
        },
    )
    assert response.status_code == 302
    assert DistrictStatistic.objects.get().population == 8123


def test_many_choice_key_too_large_for_the_column_is_an_invalid_choice(staff_client):
    response = staff_client.post(
        reverse("admin:auth_group_add"), {"name": "係", "permissions": ["9" * 30]}
    )
    assert response.status_code == 200
    assert "permissions" in response.context["adminform"].form.errors


def test_date_links_refuse_a_year_no_calendar_has(staff_client):
    DistrictStatisticFactory()
    url = reverse("admin:districts_districtstatistic_changelist")
    response = staff_client.get(url, {"as_of__year": "9" * 30})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_rate_of_an_unknown_or_outsized_count():
    assert percent(None, 8000) is None
    assert percent(10**30, 10**27) == Decimal("100000.0")
    assert percent(1, 3) == Decimal("33.3")


def test_chome_beyond_what_addresses_have_is_written_in_digits():
    assert kanji_numeral(12) == "十二"
    assert kanji_numeral(12345) == "12345"
