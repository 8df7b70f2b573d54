"""A year's rules, formula and categories after its first decision (issue 12, point 2).

Before the first decision the year's setup is free to change; after it, a change that
contradicts what is decided, paid or filed is refused beside its field, in the admin as in the
service, and every accepted change is written to the year's history.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from core.dates import format_wareki_date
from subsidies.models import (
    Application,
    ComponentKind,
    ExpenseCategory,
    FormulaComponent,
    ProgramYear,
    ProgramYearEvent,
    RefundHandling,
    Rounding,
    State,
    UnitCount,
    YearEventAction,
)
from subsidies.services import decisions
from subsidies.services import program_year as year_rules
from tests.factories import DistrictFactory, StaffUserFactory
from tests.subsidies.factories import GrantYearFactory, application_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def officer(client):
    user = StaffUserFactory.grant_officer()
    client.force_login(user)
    return user


def decided_year(state=State.PAID, **kwargs):
    """A year with a formula, one grant of 600,000 decided (allocation 1,000,000) and, by
    default, half of it paid in advance."""
    year = GrantYearFactory()
    FormulaComponent.objects.create(
        program_year=year, kind=ComponentKind.FIXED, rate=300_000, label="均等割"
    )
    lights = FormulaComponent.objects.create(
        program_year=year,
        kind=ComponentKind.PER_UNIT,
        rate=1_000,
        unit_name="防犯灯",
        label="防犯灯加算",
    )
    UnitCount.objects.create(component=lights, district=DistrictFactory(), count=10)
    if state == State.PAID:
        kwargs = {"pay": 300_000, **kwargs}
    application, _coordinator, _staff = application_in(state, year, **kwargs)
    year.refresh_from_db()
    return year, application


def change_url(year):
    return reverse("admin:subsidies_programyear_change", args=[year.pk])


def inline_prefix(response, model) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise AssertionError(model)


def row_of(response, model, instance) -> str:
    """The inline form prefix of one saved row: 'components-1'."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            for form in inline.formset.forms:
                if form.instance.pk == instance.pk:
                    return form.prefix
    raise AssertionError(instance)


def inline_form(response, model, instance):
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            for form in inline.formset.forms:
                if form.instance.pk == instance.pk:
                    return form
    raise AssertionError(instance)


def inline_errors(response, model) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return str(inline.formset.non_form_errors()) + str(inline.formset.errors)
    raise AssertionError(model)


def refused_fields(change) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        change()
    return refused.value.message_dict


# The audit's case ------------------------------------------------------------------------------


def test_the_audits_repost_with_budget_1_and_advance_ratio_0_is_refused_beside_the_fields(
    client, officer, admin_form_data
):
    year, _application = decided_year()
    page = admin_form_data(client.get(change_url(year)))

    response = client.post(change_url(year), {**page, "budget": "1", "advance_ratio_percent": "0"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["budget"] == ["交付決定済みの合計 600,000円 を下回る予算にはできません。"]
    assert errors["advance_ratio_percent"] == [
        f"{_application.council.name}には交付決定額 600,000円 のうち 300,000円 を概算払済みのため、"
        "概算払の割合を 50% 未満にはできません。"
    ]
    html = response.content.decode()
    assert "交付決定済みの合計 600,000円 を下回る予算にはできません。" in html
    assert 'name="budget" value="1"' in html  # what was typed is kept
    year.refresh_from_db()
    assert (year.budget, year.advance_ratio_percent) == (50_000_000, 50)
    assert not ProgramYearEvent.objects.exists()


def test_the_same_values_through_the_service_are_refused_and_nothing_is_written(officer):
    year, _application = decided_year()

    refused = refused_fields(
        lambda: year_rules.change_year(
            program_year=year, by=officer, values={"budget": 1, "advance_ratio_percent": 0}
        )
    )

    assert set(refused) == {"budget", "advance_ratio_percent"}
    year.refresh_from_db()
    assert (year.budget, year.advance_ratio_percent) == (50_000_000, 50)
    assert not ProgramYearEvent.objects.exists()


# Each refusal ----------------------------------------------------------------------------------


def change(year, by, **values):
    return lambda: year_rules.change_year(program_year=year, by=by, values=values)


def test_the_budget_stays_above_what_is_granted_and_allocated(officer):
    year, _application = decided_year()

    assert refused_fields(change(year, officer, budget=599_999)) == {
        "budget": ["交付決定済みの合計 600,000円 を下回る予算にはできません。"]
    }
    # The allocations (1,000,000) can no longer be recomputed to fit a smaller budget.
    assert (
        "交付限度額の合計 1,000,000円"
        in refused_fields(change(year, officer, budget=999_999))["budget"][0]
    )
    year_rules.change_year(program_year=year, by=officer, values={"budget": 1_000_000})
    year.refresh_from_db()
    assert year.budget == 1_000_000


def test_before_a_decision_the_budget_still_covers_the_allocations(officer):
    year = GrantYearFactory()
    application_in(State.RECOMMENDED, year)  # allocation 1,000,000, nothing decided
    assert year.allocations.aggregate(total=Sum("amount"))["total"] == 1_000_000

    assert refused_fields(change(year, officer, budget=999_999)) == {
        "budget": [
            "交付限度額の合計 1,000,000円 を下回る予算にはできません。"
            "先に算定式を変えて交付限度額を計算し直してください。"
        ]
    }
    year.refresh_from_db()
    assert year.budget != 999_999
    assert not ProgramYearEvent.objects.exists()


def test_a_cancelled_grant_no_longer_holds_the_budget(officer):
    year, _application = decided_year(State.CANCELLED)

    refused = refused_fields(change(year, officer, budget=1))

    assert "交付限度額の合計" in refused["budget"][0]  # only the fixed allocations hold it now


def test_the_advance_ratio_stays_at_what_the_advances_paid_imply(officer):
    year, _application = decided_year()  # 300,000 of 600,000 paid in advance

    assert (
        "50% 未満"
        in refused_fields(change(year, officer, advance_ratio_percent=49))["advance_ratio_percent"][
            0
        ]
    )
    year_rules.change_year(program_year=year, by=officer, values={"advance_ratio_percent": 50})
    year.refresh_from_db()
    assert year.advance_ratio_percent == 50


def test_the_required_ratio_is_the_smallest_that_keeps_the_advances_within_it():
    # The services' limit is granted × ratio // 100 (whole yen, rounded down).
    for granted, advances in ((600_000, 300_000), (333_333, 100_000), (7, 1), (1_000, 1_000)):
        ratio = year_rules.required_advance_ratio(granted, advances)
        assert granted * ratio // 100 >= advances
        assert granted * (ratio - 1) // 100 < advances


def test_the_cap_stays_above_every_decided_grant_and_allocation(officer):
    year, application = decided_year()

    assert refused_fields(change(year, officer, cap_per_district=599_999)) == {
        "cap_per_district": [
            "交付決定済みの最高額 600,000円"
            f"（{application.council.name}）を下回る上限額にはできません。"
        ]
    }
    assert (
        "交付限度額の最高額 1,000,000円"
        in refused_fields(change(year, officer, cap_per_district=999_999))["cap_per_district"][0]
    )
    year_rules.change_year(program_year=year, by=officer, values={"cap_per_district": 1_000_000})


@pytest.mark.parametrize(
    "values",
    [
        {"rounding": Rounding.UP},
        {"rounding_unit": 100},
        {"fiscal_year": 2040},
    ],
)
def test_what_fixed_the_allocations_cannot_change_after_a_decision(officer, values):
    year, _application = decided_year(State.APPROVED)

    refused = refused_fields(change(year, officer, **values))

    assert refused == {
        next(iter(values)): [
            "この年度は交付決定済みで交付限度額が確定しているため、変更できません。"
        ]
    }


def test_the_report_deadline_may_be_extended_but_not_brought_forward(officer):
    year, _application = decided_year(State.APPROVED)
    deadline = year.report_due_on

    refused = refused_fields(change(year, officer, report_due_on=deadline - dt.timedelta(days=1)))
    assert "延ばすことはできますが、早めることはできません" in refused["report_due_on"][0]

    year_rules.change_year(
        program_year=year, by=officer, values={"report_due_on": deadline + dt.timedelta(days=30)}
    )
    year.refresh_from_db()
    assert year.report_due_on == deadline + dt.timedelta(days=30)


def test_filed_applications_stay_inside_the_application_period(officer):
    year = GrantYearFactory()
    application, _coordinator, _staff = application_in(State.SUBMITTED, year)
    filed_on = timezone.localdate(application.submitted_at)
    today = timezone.localdate()

    assert (
        "受付開始日をそれより後"
        in refused_fields(
            change(year, officer, application_opens_on=filed_on + dt.timedelta(days=1))
        )["application_opens_on"][0]
    )
    assert (
        "受付締切日をそれより前"
        in refused_fields(
            change(year, officer, application_closes_on=filed_on - dt.timedelta(days=1))
        )["application_closes_on"][0]
    )
    # Extending the period, or closing it today, strands nobody.
    year_rules.change_year(
        program_year=year,
        by=officer,
        values={"application_closes_on": today + dt.timedelta(days=60)},
    )
    year_rules.change_year(program_year=year, by=officer, values={"application_closes_on": today})


def test_the_handling_of_unspent_money_stays_once_a_refund_was_settled_with_it(officer):
    year, application = decided_year(State.APPROVED)
    # A settled grant with money to return, as settle() leaves it.
    Application.objects.filter(pk=application.pk).update(
        state=State.SETTLED, confirmed_amount=500_000, refund_amount=100_000
    )

    refused = refused_fields(change(year, officer, refund_handling=RefundHandling.OFFSET))

    assert "精算済み" in refused["refund_handling"][0]


# Allowed changes and the history ---------------------------------------------------------------


def test_a_raised_budget_and_a_later_deadline_are_saved_with_a_history_entry_shown_in_the_admin(
    client, officer, admin_form_data
):
    year, _application = decided_year()
    page = admin_form_data(client.get(change_url(year)))
    later = year.report_due_on + dt.timedelta(days=14)

    response = client.post(
        change_url(year),
        {**page, "budget": "60000000", "report_due_on": later.isoformat()},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    year.refresh_from_db()
    assert (year.budget, year.report_due_on) == (60_000_000, later)
    event = ProgramYearEvent.objects.get()
    assert (event.actor, event.action, event.subject) == (
        officer,
        YearEventAction.CHANGED,
        "年度の規則",
    )
    assert [(row["before"], row["after"]) for row in event.changes] == [
        ("50,000,000円", "60,000,000円"),
        (format_wareki_date(later - dt.timedelta(days=14)), format_wareki_date(later)),
    ]
    html = client.get(change_url(year)).content.decode()
    assert "50,000,000円 → 60,000,000円" in html
    assert f"{format_wareki_date(later - dt.timedelta(days=14))} → {format_wareki_date(later)}" in (
        html
    )


def test_an_unchanged_repost_writes_no_history(client, officer, admin_form_data):
    year, _application = decided_year()
    page = admin_form_data(client.get(change_url(year)))

    response = client.post(change_url(year), page)

    assert response.status_code == 302
    assert not ProgramYearEvent.objects.exists()


def test_before_any_decision_everything_is_free_to_change(client, officer, admin_form_data):
    year = GrantYearFactory()
    application_in(State.RECOMMENDED, year)  # filed and recommended, not decided
    fixed = FormulaComponent.objects.create(
        program_year=year, kind=ComponentKind.FIXED, rate=300_000, label="均等割"
    )
    supplies = year.expense_categories.get(name="消耗品費")
    response = client.get(change_url(year))
    page = admin_form_data(response)
    component_row = row_of(response, FormulaComponent, fixed)
    category_row = row_of(response, ExpenseCategory, supplies)
    data = {
        **page,
        "budget": "1000000",  # Σ allocations, the least it may be
        "advance_ratio_percent": "0",
        "rounding": Rounding.UP,
        "rounding_unit": "100",
        "cap_per_district": "1",
        f"{component_row}-rate": "250000",
        f"{category_row}-name": "消耗品・材料費",
    }
    data.pop(f"{category_row}-eligible")

    response = client.post(change_url(year), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    year.refresh_from_db()
    fixed.refresh_from_db()
    supplies.refresh_from_db()
    assert (year.budget, year.advance_ratio_percent, year.rounding_unit) == (1_000_000, 0, 100)
    assert fixed.rate == 250_000
    assert (supplies.name, supplies.eligible) == ("消耗品・材料費", False)
    assert sorted(ProgramYearEvent.objects.values_list("subject", flat=True)) == sorted(
        ["年度の規則", "算定式「均等割」", "費目「消耗品・材料費」"]
    )


# The formula and the categories in the admin's inlines -----------------------------------------


def test_a_component_rate_changed_in_the_years_inline_is_refused_beside_the_rate(
    client, officer, admin_form_data
):
    year, _application = decided_year()
    fixed = year.components.get(label="均等割")
    response = client.get(change_url(year))
    row = row_of(response, FormulaComponent, fixed)

    response = client.post(change_url(year), {**admin_form_data(response), f"{row}-rate": "1"})

    assert response.status_code == 200
    form = inline_form(response, FormulaComponent, fixed)
    assert form.errors["rate"] == [
        "この年度は交付決定済みのため、算定式（金額・単価・財源・数量）は変更できません。"
    ]
    fixed.refresh_from_db()
    assert fixed.rate == 300_000
    assert not ProgramYearEvent.objects.exists()


def test_a_component_label_may_still_be_corrected(client, officer, admin_form_data):
    year, _application = decided_year()
    fixed = year.components.get(label="均等割")
    response = client.get(change_url(year))
    row = row_of(response, FormulaComponent, fixed)

    response = client.post(
        change_url(year), {**admin_form_data(response), f"{row}-label": "均等割（基本額）"}
    )

    assert response.status_code == 302
    fixed.refresh_from_db()
    assert fixed.label == "均等割（基本額）"
    event = ProgramYearEvent.objects.get()
    assert [(row["before"], row["after"]) for row in event.changes] == [
        ("均等割", "均等割（基本額）")
    ]


def test_a_component_cannot_be_added_or_deleted_in_the_inline_after_a_decision(
    client, officer, admin_form_data
):
    year, _application = decided_year()
    fixed = year.components.get(label="均等割")
    response = client.get(change_url(year))
    page = admin_form_data(response)
    prefix = inline_prefix(response, FormulaComponent)
    total = int(page[f"{prefix}-TOTAL_FORMS"])

    added = client.post(
        change_url(year),
        {
            **page,
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-order": "9",
            f"{prefix}-{total}-kind": ComponentKind.FIXED,
            f"{prefix}-{total}-label": "特別加算",
            f"{prefix}-{total}-rate": "10000",
            f"{prefix}-{total}-program_year": str(year.pk),
        },
    )
    deleted = client.post(
        change_url(year), {**page, f"{row_of(response, FormulaComponent, fixed)}-DELETE": "on"}
    )

    for response in (added, deleted):
        assert response.status_code == 200
        assert "算定式（金額・単価・財源・数量）は変更できません" in response.content.decode()
    assert year.components.count() == 2
    assert not ProgramYearEvent.objects.exists()


def test_a_category_used_by_a_decided_budget_keeps_its_eligibility_and_name(
    client, officer, admin_form_data
):
    year, _application = decided_year()
    supplies = year.expense_categories.get(name="消耗品費")
    response = client.get(change_url(year))
    row = row_of(response, ExpenseCategory, supplies)
    page = admin_form_data(response)
    ineligible = {key: value for key, value in page.items() if key != f"{row}-eligible"}

    response = client.post(change_url(year), {**ineligible, f"{row}-name": "材料費"})

    assert response.status_code == 200
    form = inline_form(response, ExpenseCategory, supplies)
    assert form.errors["eligible"] == [
        "「消耗品費」は交付決定済みの予算または実績報告で使われているため、対象外にはできません。"
    ]
    assert "名称を変更できません" in form.errors["name"][0]
    supplies.refresh_from_db()
    assert (supplies.name, supplies.eligible) == ("消耗品費", True)
    assert not ProgramYearEvent.objects.exists()


def test_a_category_nobody_used_may_be_made_ineligible_and_its_note_changed(
    client, officer, admin_form_data
):
    year, _application = decided_year()
    unused = year.expense_categories.get(name="燃料費")
    used = year.expense_categories.get(name="消耗品費")
    response = client.get(change_url(year))
    page = admin_form_data(response)
    unused_row, used_row = (row_of(response, ExpenseCategory, c) for c in (unused, used))
    data = {key: value for key, value in page.items() if key != f"{unused_row}-eligible"}

    response = client.post(change_url(year), {**data, f"{used_row}-note": "文具・材料を含む"})

    assert response.status_code == 302
    unused.refresh_from_db()
    used.refresh_from_db()
    assert not unused.eligible
    assert used.note == "文具・材料を含む"
    assert ProgramYearEvent.objects.count() == 2


def test_a_category_used_by_a_budget_cannot_be_deleted_in_the_inline(
    client, officer, admin_form_data
):
    year, _application = decided_year()
    supplies = year.expense_categories.get(name="消耗品費")
    response = client.get(change_url(year))

    response = client.post(
        change_url(year),
        {
            **admin_form_data(response),
            f"{row_of(response, ExpenseCategory, supplies)}-DELETE": "on",
        },
    )

    assert response.status_code == 200
    assert "「消耗品費」は予算または実績報告で使われているため、削除できません。" in inline_errors(
        response, ExpenseCategory
    )
    assert ExpenseCategory.objects.filter(pk=supplies.pk).exists()


# The component's own page ----------------------------------------------------------------------


def component_url(component, action="change"):
    return reverse(f"admin:subsidies_formulacomponent_{action}", args=[component.pk])


def test_the_components_own_page_refuses_a_new_rate_and_a_new_unit_count(
    client, officer, admin_form_data
):
    year, _application = decided_year()
    lights = year.components.get(label="防犯灯加算")
    count = lights.unit_counts.get()
    response = client.get(component_url(lights))
    page = admin_form_data(response)
    count_row = row_of(response, UnitCount, count)

    rate = client.post(component_url(lights), {**page, "rate": "2000"})
    counted = client.post(component_url(lights), {**page, f"{count_row}-count": "99"})

    assert rate.status_code == 200
    assert rate.context["adminform"].form.errors["rate"]
    assert counted.status_code == 200
    assert inline_form(counted, UnitCount, count).errors["count"]
    lights.refresh_from_db()
    count.refresh_from_db()
    assert (lights.rate, count.count) == (1_000, 10)


def test_a_component_cannot_be_added_to_a_decided_year_on_its_own_page(client, officer):
    year, _application = decided_year()

    response = client.post(
        reverse("admin:subsidies_formulacomponent_add"),
        {
            "program_year": str(year.pk),
            "kind": ComponentKind.FIXED,
            "label": "特別加算",
            "rate": "10000",
            "order": "9",
            "unit_counts-TOTAL_FORMS": "0",
            "unit_counts-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "算定式（金額・単価・財源・数量）は変更できません" in response.content.decode()
    assert year.components.count() == 2


def test_a_new_year_is_set_up_with_its_formula_and_categories_in_one_post(client, officer):
    year = GrantYearFactory()
    response = client.post(
        reverse("admin:subsidies_programyear_add"),
        {
            "program": str(year.program.pk),
            "fiscal_year": str(year.fiscal_year + 1),
            "budget": "30000000",
            "rounding_unit": "1000",
            "rounding": Rounding.DOWN,
            "advance_ratio_percent": "50",
            "application_opens_on": "2030-04-01",
            "application_closes_on": "2030-05-31",
            "report_due_on": "2031-04-30",
            "refund_handling": RefundHandling.RETURN,
            "remind_after_days": "14",
            "components-TOTAL_FORMS": "1",
            "components-INITIAL_FORMS": "0",
            "components-0-order": "0",
            "components-0-kind": ComponentKind.FIXED,
            "components-0-label": "均等割",
            "components-0-rate": "300000",
            "expense_categories-TOTAL_FORMS": "1",
            "expense_categories-INITIAL_FORMS": "0",
            "expense_categories-0-order": "0",
            "expense_categories-0-name": "報償費",
            "expense_categories-0-eligible": "on",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    new_year = ProgramYear.objects.get(fiscal_year=year.fiscal_year + 1)
    assert new_year.components.get().rate == 300_000
    assert new_year.expense_categories.get().name == "報償費"
    assert set(new_year.events.values_list("subject", flat=True)) == {
        "算定式「均等割」",
        "費目「報償費」",
    }


def test_deleting_a_component_of_a_decided_year_is_refused(client, officer):
    year, _application = decided_year()
    fixed = year.components.get(label="均等割")

    page = client.get(component_url(fixed, "delete"))
    posted = client.post(component_url(fixed, "delete"), {"post": "yes"})
    action = client.post(
        reverse("admin:subsidies_formulacomponent_changelist"),
        {"action": "delete_selected", "_selected_action": [fixed.pk], "post": "yes"},
    )

    for response in (page, posted, action):
        assert response.status_code == 200
        assert "算定式（金額・単価・財源・数量）は変更できません" in response.content.decode()
    assert FormulaComponent.objects.filter(pk=fixed.pk).exists()


def test_before_a_decision_a_component_is_deleted_with_a_history_entry(client, officer):
    year = GrantYearFactory()
    fixed = FormulaComponent.objects.create(
        program_year=year, kind=ComponentKind.FIXED, rate=300_000, label="均等割"
    )

    response = client.post(component_url(fixed, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not FormulaComponent.objects.filter(pk=fixed.pk).exists()
    event = ProgramYearEvent.objects.get()
    assert (event.action, event.subject) == (YearEventAction.DELETED, "算定式「均等割」")


# The history itself ----------------------------------------------------------------------------


def test_the_history_is_append_only():
    year = GrantYearFactory()
    event = ProgramYearEvent.objects.create(
        program_year=year, actor=StaffUserFactory(), action=YearEventAction.CHANGED, subject="x"
    )

    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        ProgramYearEvent.objects.all().delete()
    # A year still being set up may be deleted, its history with it.
    year.expense_categories.all().delete()
    ProgramYear.objects.filter(pk=year.pk).delete()
    assert not ProgramYearEvent.objects.exists()


def test_a_budget_holding_a_category_made_ineligible_after_filing_cannot_be_approved(officer):
    """Before any decision a category may be made ineligible; a recommended application whose
    budget uses it is then refused at approval (read under the year's lock), not granted."""
    year = GrantYearFactory()
    application, _coordinator, staff = application_in(State.RECOMMENDED, year)
    supplies = year.expense_categories.get(name="消耗品費")
    assert application.versions.get().budget_lines.filter(category=supplies).exists()
    year_rules.save_category(category=_with(supplies, eligible=False), by=officer)

    with pytest.raises(ValidationError) as refused:
        decisions.approve(
            application=application,
            by=staff.approver,
            granted_amount=600_000,
            decision_number="み協推第1号",
            decided_on=timezone.localdate(),
        )

    assert "「消耗品費」は交付金の対象外です" in " ".join(refused.value.message_dict["__all__"])
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    assert application.granted_amount is None


def _with(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    return instance
