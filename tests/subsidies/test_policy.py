"""The grant policy: one declaration of the roles says who acts, who sees, who is written to."""

import pytest

from core import roles
from subsidies import policy, workflow
from subsidies.models import State
from subsidies.services import decisions
from tests.factories import StaffUserFactory, SuperUserFactory, UserFactory
from tests.subsidies.factories import GrantYearFactory, Staff, application_in, make_applicant

pytestmark = pytest.mark.django_db


def test_every_role_of_the_workflow_is_declared_once_with_a_group_of_core():
    used = {row.role for row in workflow.TRANSITIONS}
    assert used == set(policy.ROLES)
    groups = {role.group for role in policy.ROLES.values()}
    assert groups <= {roles.COORDINATORS, roles.GRANT_OFFICERS, roles.GRANT_APPROVERS}
    assert len(groups) == len(policy.ROLES)
    assert policy.COUNCIL_ROLES == (policy.COORDINATOR,)
    assert policy.STAFF_ROLES == (policy.OFFICER, policy.APPROVER)


class TestActsAs:
    def test_coordinator_acts_for_their_own_council_only(self):
        year = GrantYearFactory()
        application, coordinator, staff = application_in(State.DRAFT, year)
        _, other_coordinator = make_applicant(year)
        assert policy.acts_as(coordinator, policy.COORDINATOR, application)
        assert not policy.acts_as(other_coordinator, policy.COORDINATOR, application)
        assert not policy.acts_as(staff.officer, policy.COORDINATOR, application)

    def test_a_link_to_the_council_without_the_role_is_not_enough(self):
        application, _, _ = application_in(State.DRAFT)
        linked = UserFactory()
        application.council.coordinators.add(linked)
        assert not policy.acts_as(linked, policy.COORDINATOR, application)

    def test_staff_act_in_the_roles_of_their_groups(self):
        application, _, staff = application_in(State.SUBMITTED)
        both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
        assert policy.staff_roles(staff.officer) == [policy.OFFICER]
        assert policy.staff_roles(staff.approver) == [policy.APPROVER]
        assert policy.staff_roles(both) == [policy.OFFICER, policy.APPROVER]
        assert policy.acts_as(staff.officer, policy.OFFICER, application)
        assert not policy.acts_as(staff.officer, policy.APPROVER, application)

    def test_superusers_act_in_every_staff_role_and_inactive_users_in_none(self):
        application, _, _ = application_in(State.SUBMITTED)
        assert policy.staff_roles(SuperUserFactory()) == list(policy.STAFF_ROLES)
        inactive = StaffUserFactory.grant_officer(is_active=False)
        assert policy.staff_roles(inactive) == []
        assert not policy.acts_as(inactive, policy.OFFICER, application)


class TestScope:
    def test_coordinators_see_their_councils_applications(self):
        year = GrantYearFactory()
        application, coordinator, staff = application_in(State.DRAFT, year)
        _, other_coordinator = make_applicant(year)
        assert list(policy.councils_applications(coordinator)) == [application]
        assert not policy.councils_applications(other_coordinator).exists()
        assert not policy.councils_applications(staff.officer).exists()

    def test_liaison_officers_see_their_districts_and_grant_staff_every_district(self):
        year = GrantYearFactory()
        application, _, staff = application_in(State.SUBMITTED, year)
        elsewhere, _, _ = application_in(State.SUBMITTED, year)
        liaison = StaffUserFactory.liaison(application.council.district)
        assert policy.may_review(liaison)
        assert list(policy.reviewable_applications(liaison)) == [application]
        assert set(policy.reviewable_applications(staff.approver)) == {application, elsewhere}

    def test_coordinators_do_not_review(self):
        application, coordinator, _ = application_in(State.SUBMITTED)
        assert not policy.may_review(coordinator)
        assert not policy.reviewable_applications(coordinator).exists()


class TestHolders:
    """Whoever `holders` names is who `acts_as` lets act, so the e-mail reaches the next actor."""

    def test_holders_are_exactly_the_active_users_acting_in_the_role(self):
        year = GrantYearFactory()
        application, coordinator, staff = application_in(State.SUBMITTED, year)
        make_applicant(year)  # another council's coordinator
        linked_without_role = UserFactory()
        application.council.coordinators.add(linked_without_role)
        StaffUserFactory.grant_officer(is_active=False)
        StaffUserFactory.liaison(application.council.district)
        SuperUserFactory()
        users = type(coordinator).objects.all()
        for role in policy.ROLES:
            acting = {
                user
                for user in users
                if policy.acts_as(user, role, application) and not user.is_superuser
            }
            assert set(policy.holders(role, application)) == acting, role
        assert set(policy.holders(policy.COORDINATOR, application)) == {coordinator}
        assert set(policy.holders(policy.OFFICER, application)) == {staff.officer}

    def test_addresses_leave_out_the_actor_and_users_without_an_address(self):
        application, _, staff = application_in(State.SUBMITTED)
        other = StaffUserFactory.grant_officer()
        StaffUserFactory.grant_officer(email="")
        assert policy.addresses(policy.OFFICER, application, besides=staff.officer.pk) == [
            other.email
        ]
        assert policy.addresses(policy.OFFICER, application) == sorted(
            [staff.officer.email, other.email]
        )


class TestFourEyes:
    def test_the_recommender_who_also_approves_is_told_why_not(self):
        both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
        application, _, _ = application_in(State.SUBMITTED)
        decisions.recommend(application=application, by=both)
        application.refresh_from_db()
        assert workflow.four_eyes_refusal(application, both) is not None
        assert workflow.four_eyes_refusal(application, Staff().approver) is None

    def test_it_applies_only_where_the_decision_waits_on_the_user(self):
        both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
        application, _, _ = application_in(State.SUBMITTED)
        decisions.recommend(application=application, by=both)
        application.refresh_from_db()
        officer_only = StaffUserFactory.grant_officer()
        assert workflow.four_eyes_refusal(application, officer_only) is None
        decisions.return_for_correction(
            application=application, by=Staff().approver, reasons={"budget": "直してください。"}
        )
        application.refresh_from_db()
        assert workflow.four_eyes_refusal(application, both) is None

    def test_a_decision_with_its_own_condition_keeps_the_four_eyes_rule(self, monkeypatch):
        both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
        application, _, _ = application_in(State.SUBMITTED)
        decisions.recommend(application=application, by=both)
        application.refresh_from_db()
        above = workflow.FourEyes(also=lambda application, user: "上位の決裁が必要です。")
        assert above(application, both) == workflow.not_the_recommender(application, both)
        assert above(application, Staff().approver) == "上位の決裁が必要です。"
        row = workflow.Transition(
            "approve", (State.RECOMMENDED,), State.APPROVED, policy.APPROVER, "Approve", above
        )
        others = [r for r in workflow.TRANSITIONS if State.RECOMMENDED not in r.sources]
        monkeypatch.setattr(workflow, "TRANSITIONS", (*others, row))
        assert workflow.waiting_on(policy.APPROVER)[State.RECOMMENDED] is True
        assert workflow.four_eyes_refusal(application, both) is not None
