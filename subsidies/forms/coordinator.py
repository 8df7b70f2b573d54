"""The coordinator's forms: the application's steps, a change request and the year-end report.

The forms check what one field can know (an amount, a date inside the fiscal year, a category
the grant pays for) so the message stands beside that field; the services check the rest.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import fiscal_year_range, format_fiscal_year, format_wareki_date
from core.fields import AmountField, DecimalNumberField, EmailAddressField, JapaneseDateField
from core.forms import form_helper

from .. import rules
from ..models import (
    Application,
    ApplicationVersion,
    Attachment,
    AttachmentKind,
    IncomeSource,
    Report,
    Side,
)
from ..services.applications import BASIC_FIELDS, NO_CHANGE_REASON
from . import ActionForm

PURPOSE = ApplicationVersion._meta.get_field("purpose")


def fields_only_helper():
    """The crispy pack's fields, error summary and required note; the page writes the buttons."""
    helper = form_helper(submit_label="")
    helper.inputs = []
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class GroupedAmountInput(forms.TextInput):
    """Saved amounts shown as people write them, 「12,000」; AmountField reads them back."""

    def format_value(self, value):
        if isinstance(value, int):
            return f"{value:,}"
        return super().format_value(value)


# Basic information ---------------------------------------------------------------------------


def purpose_field() -> forms.CharField:
    return forms.CharField(
        label=PURPOSE.verbose_name,
        help_text=PURPOSE.help_text,
        max_length=PURPOSE.max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": rules.NO_PURPOSE,
            "max_length": _(
                "Shorten the purpose to %(limit_value)d characters or fewer (it has "
                "%(show_value)d)."
            ),
        },
    )


class BasicsForm(forms.ModelForm):
    """The applicant (様式第1号): representative, address, person in charge, and the purpose."""

    purpose = purpose_field()

    class Meta:
        model = Application
        fields = BASIC_FIELDS
        field_classes = {"contact_email": EmailAddressField}
        error_messages = {
            "representative_title": {"required": _("Enter the representative's title.")},
            "representative_name": {"required": _("Enter the representative's name.")},
            "address": {"required": _("Enter the council's address.")},
            "contact_name": {"required": _("Enter the person in charge.")},
            "contact_phone": {"required": _("Enter a phone number for the person in charge.")},
            "contact_email": {"invalid": _("Enter an e-mail address such as office@example.jp.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel"}
        )
        self.fields["contact_email"].widget.attrs.update({"autocomplete": "email"})
        self.helper = fields_only_helper()

    def basics(self) -> dict:
        return {name: self.cleaned_data[name] for name in BASIC_FIELDS}


class PurposeForm(forms.Form):
    """During a change request only the purpose of the proposed version changes."""

    purpose = purpose_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()


class ChangeReasonForm(forms.Form):
    change_reason = forms.CharField(
        label=ApplicationVersion._meta.get_field("change_reason").verbose_name,
        help_text=_("What changes in the plan or the budget, and why."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": NO_CHANGE_REASON},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit_label=_("Start the change request"))


# Rows: the business plan and the budgets ---------------------------------------------------


class RowFormSet(forms.BaseFormSet):
    """Rows saved as a whole: blank new rows are ignored, saved rows can be removed."""

    deletion_label = _("Remove this row")

    def _construct_form(self, i, **kwargs):
        # A new row is compared with blank, not with a saved row that happens to share its
        # index, so a typed row equal to a saved one is not taken for an untouched blank row.
        if self.is_bound and i >= self.initial_form_count():
            kwargs.setdefault("initial", {})
        return super()._construct_form(i, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = self.deletion_label

    def kept(self) -> list[forms.Form]:
        """The filled-in rows that are not marked for removal, in order."""
        return [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get(DELETION_FIELD_NAME)
        ]

    def entered(self) -> list[dict]:
        """What was typed so far (valid fields only), for totals shown beside a refused form."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get(DELETION_FIELD_NAME):
                rows.append(data)
        return rows


def row_formset(form_class, *, deletion_label, extra_rows: int, data=None, **kwargs):
    formset_class = forms.formset_factory(
        form_class,
        formset=RowFormSet,
        extra=extra_rows,
        can_delete=True,
        can_delete_extra=False,
        max_num=200,
        validate_max=True,
    )
    formset_class.deletion_label = deletion_label
    return formset_class(data, **kwargs)


class InitiativeChoiceField(forms.MultipleChoiceField):
    """Initiatives of the district's plans, read once for every row of the page."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, initiatives, **kwargs):
        self.by_pk = {str(initiative.pk): initiative for initiative in initiatives}
        several_plans = len({initiative.plan_id for initiative in initiatives}) > 1
        choices = [
            (
                str(initiative.pk),
                f"{initiative.title}（{initiative.plan.title}）"
                if several_plans
                else initiative.title,
            )
            for initiative in initiatives
        ]
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        return [self.by_pk[pk] for pk in super().clean(value)]


class PlanRowForm(forms.Form):
    """One activity of the business plan (事業計画書)."""

    activity = forms.CharField(
        label=_("Activity"),
        max_length=200,
        error_messages={"required": _("Enter the activity.")},
    )
    schedule = forms.CharField(
        label=_("Schedule"),
        max_length=100,
        help_text=_("When: 「5月〜翌3月」「8月 第1土曜日」."),
        error_messages={"required": _("Enter when the activity takes place.")},
    )
    expected_effect = forms.CharField(
        label=_("Expected effect"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the effect you expect.")},
    )
    cost = AmountField(
        label=_("Cost (yen)"),
        widget=GroupedAmountInput,
        error_messages={"required": _("Enter the cost of the activity in yen.")},
    )

    def __init__(self, *args, initiatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        if initiatives:
            self.fields["initiatives"] = InitiativeChoiceField(
                initiatives,
                label=_("District plan initiatives"),
                help_text=_("The initiatives of the district plan this activity carries out."),
                required=False,
                error_messages={
                    "invalid_choice": _("Choose from the initiatives of the district plan.")
                },
            )
            self.order_fields(["activity", "initiatives"])

    def row(self) -> dict:
        data = self.cleaned_data
        return {
            "activity": data["activity"],
            "initiatives": data.get("initiatives", []),
            "schedule": data["schedule"],
            "expected_effect": data["expected_effect"],
            "cost": data["cost"],
        }


def plan_formset(data=None, *, rows=(), initiatives=(), extra_rows: int = 0):
    initial = [
        {
            "activity": row.activity,
            "initiatives": [str(initiative.pk) for initiative in row.initiatives.all()],
            "schedule": row.schedule,
            "expected_effect": row.expected_effect,
            "cost": row.cost,
        }
        for row in rows
    ]
    return row_formset(
        PlanRowForm,
        deletion_label=_("Remove this activity"),
        extra_rows=extra_rows if initial else max(extra_rows, 1),
        data=data,
        initial=initial,
        prefix="plan",
        form_kwargs={"initiatives": initiatives},
    )


def income_source_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("Choose the source")), *IncomeSource.choices],
        error_messages={"required": _("Choose where the income comes from.")},
    )


def description_field() -> forms.CharField:
    return forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("For example 「会費」「講師謝礼」."),
    )


def line_amount_field() -> AmountField:
    return AmountField(
        label=_("Amount (yen)"),
        widget=GroupedAmountInput,
        error_messages={"required": _("Enter the amount in yen.")},
    )


class IncomeLineForm(forms.Form):
    income_source = income_source_field()
    description = description_field()
    amount = line_amount_field()

    def __init__(self, *args, program_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["data-budget-amount"] = "income"

    def line(self) -> dict:
        return {
            "side": Side.INCOME,
            "income_source": self.cleaned_data["income_source"],
            "category": None,
            "description": self.cleaned_data["description"],
            "amount": self.cleaned_data["amount"],
        }


def category_label(category) -> str:
    if category.eligible:
        return category.name
    return gettext("%(name)s (not eligible: %(note)s)") % {
        "name": category.name,
        "note": category.note or gettext("not eligible"),
    }


class ExpenseLineForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Expense category"),
        error_messages={
            "required": _("Choose the expense category."),
            "invalid_choice": _("Choose one of this year's expense categories."),
        },
    )
    description = description_field()
    amount = line_amount_field()

    def __init__(self, *args, categories=(), program_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program_year = program_year
        self.fields["amount"].widget.attrs["data-budget-amount"] = "expense"
        self.categories = {str(category.pk): category for category in categories}
        self.fields["category"].choices = [
            ("", _("Choose the category")),
            *((str(category.pk), category_label(category)) for category in categories),
        ]

    def clean_category(self):
        category = self.categories[self.cleaned_data["category"]]
        problems = rules.category_problems(
            [{"side": Side.EXPENSE, "category": category}], program_year=self.program_year
        )
        if problems:
            raise ValidationError(problems, code="ineligible")
        return category

    def line(self) -> dict:
        return {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": self.cleaned_data["category"],
            "description": self.cleaned_data["description"],
            "amount": self.cleaned_data["amount"],
        }


class BudgetForms:
    """The two sides of a budget, each a formset of lines, checked and saved together."""

    income_form = IncomeLineForm
    expense_form = ExpenseLineForm

    def __init__(
        self,
        data=None,
        *,
        lines=(),
        categories=(),
        program_year,
        allocation=None,
        add: str = "",
    ):
        self.allocation = allocation
        self.page_errors: list[str] = []
        income = [line for line in lines if line.side == Side.INCOME]
        expenses = [line for line in lines if line.side == Side.EXPENSE]
        kwargs = {"program_year": program_year}
        self.income = row_formset(
            self.income_form,
            deletion_label=_("Remove this line"),
            extra_rows=int(add == "income") or int(not income),
            data=data,
            initial=[self.initial_line(line) for line in income],
            prefix="income",
            form_kwargs=kwargs,
        )
        self.expenses = row_formset(
            self.expense_form,
            deletion_label=_("Remove this line"),
            extra_rows=int(add == "expense") or int(not expenses),
            data=data,
            initial=[self.initial_line(line) for line in expenses],
            prefix="expense",
            form_kwargs={**kwargs, "categories": categories},
        )

    @staticmethod
    def initial_line(line) -> dict:
        if line.side == Side.INCOME:
            return {
                "income_source": line.income_source,
                "description": line.description,
                "amount": line.amount,
            }
        return {
            "category": str(line.category_id),
            "description": line.description,
            "amount": line.amount,
        }

    @property
    def formsets(self):
        return (self.income, self.expenses)

    def is_valid(self) -> bool:
        valid = all([formset.is_valid() for formset in self.formsets])
        if valid and self.allocation is not None:
            valid = self._request_within_allocation()
        return valid

    def _request_within_allocation(self) -> bool:
        grant_forms = [
            form
            for form in self.income.kept()
            if form.cleaned_data["income_source"] == IncomeSource.GRANT
        ]
        requested = sum(form.cleaned_data["amount"] for form in grant_forms)
        if grant_forms and requested > self.allocation.amount:
            for problem in rules.request_problems(requested, self.allocation):
                grant_forms[-1].add_error("amount", problem)
            return False
        return True

    def lines(self) -> list[dict]:
        return [form.line() for form in self.income.kept()] + [
            form.line() for form in self.expenses.kept()
        ]

    def entered_totals(self) -> rules.Totals:
        """Totals of what the page shows: the amounts typed, or the saved lines."""
        lines = []
        for side, formset in ((Side.INCOME, self.income), (Side.EXPENSE, self.expenses)):
            if formset.is_bound:
                rows = formset.entered()
            else:
                rows = [form.initial for form in formset.forms]
            for row in rows:
                amount = row.get("amount")
                if isinstance(amount, int):
                    lines.append(
                        {
                            "side": side,
                            "income_source": row.get("income_source", ""),
                            "amount": amount,
                        }
                    )
        return rules.totals(lines)

    def groups(self):
        """(prefix, forms) for the error summary."""
        return [
            (_("Income line %(number)s"), self.income),
            (_("Expense line %(number)s"), self.expenses),
        ]


# The report ------------------------------------------------------------------------------------


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["summary", "outcomes"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 8}),
            "outcomes": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "summary": {
                "max_length": _(
                    "Shorten this to %(limit_value)d characters or fewer (it has %(show_value)d)."
                )
            },
            "outcomes": {
                "max_length": _(
                    "Shorten this to %(limit_value)d characters or fewer (it has %(show_value)d)."
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()


class ReportIncomeForm(IncomeLineForm):
    def line(self) -> dict:
        return {**super().line(), "spent_on": None}


class ReportExpenseForm(ExpenseLineForm):
    # Typed, not the browser's date picker: receipts are often dated in 和暦, and a date the
    # picker holds half-typed would be sent as nothing, and lost with its message.
    spent_on = JapaneseDateField(
        label=_("Date paid"),
        error_messages={"required": _("Enter the date this expense was paid.")},
    )

    def clean_spent_on(self):
        day = self.cleaned_data["spent_on"]
        first, last = fiscal_year_range(self.program_year.fiscal_year)
        if not first <= day <= last:
            raise ValidationError(
                _("Enter a date inside the fiscal year, from %(first)s to %(last)s."),
                code="outside_fiscal_year",
                params={"first": format_wareki_date(first), "last": format_wareki_date(last)},
            )
        return day

    def line(self) -> dict:
        return {**super().line(), "spent_on": self.cleaned_data["spent_on"]}


class ReportBudgetForms(BudgetForms):
    """The actual budget (収支決算書): the same lines, expenses with the date paid."""

    income_form = ReportIncomeForm
    expense_form = ReportExpenseForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, allocation=None, **kwargs)

    @staticmethod
    def initial_line(line) -> dict:
        initial = BudgetForms.initial_line(line)
        if line.side == Side.EXPENSE:
            initial["spent_on"] = getattr(line, "spent_on", None)
        return initial


class MeasureField(DecimalNumberField):
    """A measured value as typed: full-width digits and commas are accepted."""

    def read_typed(self, value):
        return value.replace(",", "").replace("、", "")


class IndicatorResultForm(forms.Form):
    """The year's value of one indicator of the initiatives the plan carried out."""

    actual_value = MeasureField(
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter a number, such as 120 or 85.5.")},
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, prefix=f"indicator-{indicator.pk}", **kwargs)
        self.indicator = indicator
        self.fields["actual_value"].label = _("Result for the year (%(unit)s)") % {
            "unit": indicator.unit
        }
        self.fields["actual_value"].help_text = _(
            "Target: %(target)s %(unit)s by %(year)s. Leave empty if not measured."
        ) % {
            "target": _plain_number(indicator.target_value),
            "unit": indicator.unit,
            "year": format_fiscal_year(indicator.target_fy),
        }

    def result(self) -> dict | None:
        value = self.cleaned_data.get("actual_value")
        if value is None:
            return None
        return {
            "indicator": self.indicator,
            "actual_value": value,
            "note": self.cleaned_data["note"],
        }


def _plain_number(value: Decimal) -> str:
    try:
        return f"{value.normalize():f}"
    except InvalidOperation:
        return str(value)


def indicator_forms(data=None, *, indicators, saved=()) -> list[IndicatorResultForm]:
    by_indicator = {row.indicator_id: row for row in saved}
    forms_ = []
    for indicator in indicators:
        row = by_indicator.get(indicator.pk)
        initial = {"actual_value": row.actual_value, "note": row.note} if row else {}
        forms_.append(IndicatorResultForm(data, indicator=indicator, initial=initial))
    return forms_


# Attachments -----------------------------------------------------------------------------------


class AttachmentForm(forms.ModelForm):
    """A file filed with the application (minutes, quotes) or the report (receipts)."""

    class Meta:
        model = Attachment
        fields = ["kind", "title", "file"]
        error_messages = {
            "kind": {"required": _("Choose what kind of document this is.")},
            "title": {"required": _("Enter a title for the file, such as 「総会議事録」.")},
            "file": {"required": _("Choose a file to attach.")},
        }

    def __init__(self, *args, for_report: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_report:
            del self.fields["kind"]
            self.instance.kind = AttachmentKind.RECEIPT
        else:
            self.fields["kind"].choices = [
                ("", _("Choose the kind")),
                *(
                    (value, label)
                    for value, label in AttachmentKind.choices
                    if value != AttachmentKind.RECEIPT
                ),
            ]
        self.fields["file"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg"
        self.helper = fields_only_helper()

    def is_empty(self) -> bool:
        """Nothing chosen or typed: the page's buttons then just move on."""
        return not self.files.get(self.add_prefix("file")) and not any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in ("title", "kind")
        )

    def attachment(self) -> dict:
        return {
            "kind": self.cleaned_data.get("kind") or self.instance.kind,
            "title": self.cleaned_data["title"],
            "file": self.cleaned_data["file"],
        }


# The error summary of pages with several forms ----------------------------------------------


def error_summary(*, forms_=(), groups=(), page_errors=()) -> list[tuple[str, str]]:
    """(link target, text) for every error on a page of several forms, top to bottom."""
    items = [("", str(message)) for message in page_errors]
    for form in forms_:
        items += _form_errors(form, "")
    for title, formset in groups:
        items += [("", str(message)) for message in formset.non_form_errors()]
        for number, form in enumerate(formset.forms, start=1):
            items += _form_errors(form, str(title) % {"number": number} + " – ")
    return items


def _form_errors(form, prefix: str) -> list[tuple[str, str]]:
    items = [("", prefix + str(message)) for message in form.non_field_errors()]
    for bound in form:
        for message in bound.errors:
            items.append((bound.auto_id, f"{prefix}{bound.label}: {message}"))
    return items


class FilingForm(ActionForm):
    """Submit, request the change or submit the report: one button, nothing to fill in.

    The service's refusals (what stops the filing) come back at the form's top.
    """


class WithdrawForm(ActionForm):
    """The confirmation step before an application is withdrawn."""

    confirm = forms.CharField(widget=forms.HiddenInput, initial="yes")
    comment = forms.CharField(
        label=_("Reason for withdrawing (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()

    def arguments(self) -> dict:
        return {"comment": self.cleaned_data["comment"]}
