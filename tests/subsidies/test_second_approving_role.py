"""A second approving role is declared in two places, policy.ROLES and the workflow's rows: its
group is created after migrate, and the policy, the buttons, the review queue, who acts next and
the e-mail all follow from that declaration.

The role here is the deputy mayor (副市長決裁), who decides any recommended application, while
the grant approvers decide only up to ¥500,000.
"""

import dataclasses

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from core import permissions_data, roles
from districts.admin_scope import districts_in_scope
from kyodo_portal.account_views import landing_url
from subsidies import apps as subsidies_apps
from subsidies import notifications, policy, workflow
from subsidies.models import ApplicationEvent, State
from subsidies.selectors.application import COUNCIL, STAFF, waiting_labels
from subsidies.selectors.review import review_queue, staff_actions
from subsidies.services import decisions
from tests.factories import DistrictFactory, StaffUserFactory
from tests.subsidies.factories import GrantYearFactory, Staff, application_in

pytestmark = pytest.mark.django_db

DEPUTY_MAYOR = "deputy_mayor"
APPROVER_LIMIT = 500_000


def within_the_approvers_limit(application, user) -> str | None:
    if application.requested_amount > APPROVER_LIMIT:
        return "50万円を超える申請は副市長が決裁します。"
    return None


@pytest.fixture
def deputy_mayor_role(monkeypatch):
    """The role as a city would declare it: a row of policy.ROLES and the workflow's rows."""
    role = policy.Role(
        group="deputy_mayors",
        label="副市長",
        council_label="市（副市長）",
        page="grants:review_application",
        permissions=permissions_data.GRANT_STAFF_READ,
    )
    monkeypatch.setattr(policy, "ROLES", {**policy.ROLES, DEPUTY_MAYOR: role})
    monkeypatch.setattr(policy, "STAFF_ROLES", (*policy.STAFF_ROLES, DEPUTY_MAYOR))
    rows = []
    for row in workflow.TRANSITIONS:
        if row.action == "approve" and row.role == policy.APPROVER:
            rows.append(
                dataclasses.replace(row, guard=workflow.FourEyes(also=within_the_approvers_limit))
            )
            rows.append(dataclasses.replace(row, role=DEPUTY_MAYOR, guard=workflow.FOUR_EYES))
        else:
            rows.append(row)
    monkeypatch.setattr(workflow, "TRANSITIONS", tuple(rows))
    # What loading the app and migrating do with the declaration (subsidies/apps.py).
    monkeypatch.setattr(roles, "_declared_city_wide", set(roles._declared_city_wide))
    policy.declare_city_wide_roles()
    subsidies_apps.create_role_groups(sender=apps.get_app_config("subsidies"))
    return role


def test_the_group_is_created_with_the_declared_permissions(deputy_mayor_role):
    group = Group.objects.get(name="deputy_mayors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_application", "view_district", "view_allocation", "view_plan"} <= codenames
    assert not {"change_application", "change_allocation", "add_payment"} & codenames


def test_the_policy_lets_the_deputy_mayor_act_and_see_every_district(deputy_mayor_role):
    deputy = StaffUserFactory(groups=["deputy_mayors"])
    application, _, staff = application_in(State.RECOMMENDED)
    other_district = DistrictFactory()
    assert policy.staff_roles(deputy) == [DEPUTY_MAYOR]
    assert policy.acts_as(deputy, DEPUTY_MAYOR, application)
    assert not policy.acts_as(staff.approver, DEPUTY_MAYOR, application)
    assert policy.may_review(deputy)
    assert list(policy.reviewable_applications(deputy)) == [application]
    assert other_district in districts_in_scope(deputy)
    assert landing_url(deputy) == "/grants/review/"
    assert list(policy.holders(DEPUTY_MAYOR, application)) == [deputy]


def test_above_the_limit_only_the_deputy_mayor_approves(deputy_mayor_role):
    year = GrantYearFactory()
    staff = Staff()
    deputy = StaffUserFactory(groups=["deputy_mayors"])
    large, _, _ = application_in(State.RECOMMENDED, year, staff=staff, grant=600_000)
    small, _, _ = application_in(State.RECOMMENDED, year, staff=staff, grant=400_000)

    assert [row.action for row in staff_actions(large, staff.approver)] == ["return", "reject"]
    assert "approve" in [row.action for row in staff_actions(large, deputy)]
    assert "approve" in [row.action for row in staff_actions(small, staff.approver)]
    with pytest.raises(workflow.ActionNotAllowed, match="副市長"):
        workflow.transition_for("approve", large, staff.approver)

    decisions.approve(
        application=large,
        by=deputy,
        granted_amount=600_000,
        decision_number="み協第1号",
        decided_on=timezone.localdate(),
    )
    large.refresh_from_db()
    assert (large.state, large.decided_by) == (State.APPROVED, deputy)


def test_the_queue_and_who_acts_next_name_the_deputy_mayor(deputy_mayor_role):
    year = GrantYearFactory()
    deputy = StaffUserFactory(groups=["deputy_mayors"])
    application, _, _ = application_in(State.RECOMMENDED, year)
    application_in(State.SUBMITTED, year)  # waits on the grant officers

    queue = review_queue(deputy, fiscal_year=year.fiscal_year)
    assert queue.mine == 1
    assert list(queue.applications) == [application]

    assert waiting_labels(State.RECOMMENDED, audience=STAFF) == ["決裁者", "副市長"]
    assert waiting_labels(State.RECOMMENDED, audience=COUNCIL) == ["市（決裁者）", "市（副市長）"]


def test_the_deputy_mayor_hears_of_a_recommendation_but_not_of_their_own(
    deputy_mayor_role, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deputy = StaffUserFactory(groups=["deputy_mayors", roles.GRANT_OFFICERS])
    other_deputy = StaffUserFactory(groups=["deputy_mayors"])
    application, _, staff = application_in(State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.recommend(application=application, by=deputy)

    event = ApplicationEvent.objects.get(application=application, action="recommend")
    assert notifications.recipient_roles(event) == (policy.APPROVER, DEPUTY_MAYOR)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [staff.approver.email, other_deputy.email]
    )
    # Four eyes: whoever recommended it is not asked to decide it, and may not.
    application.refresh_from_db()
    assert workflow.four_eyes_refusal(application, deputy) is not None
    assert review_queue(deputy, fiscal_year=application.fiscal_year).mine == 0
