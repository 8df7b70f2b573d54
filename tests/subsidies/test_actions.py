"""The registry of how pages take each workflow action (subsidies.actions)."""

from subsidies import workflow
from subsidies.actions import ACTIONS, taken_by_councils

# The rows that only open an editing page; no form posts them.
EDITING = {"edit", "edit_change", "edit_report"}


def test_every_action_of_the_workflow_is_taken_through_the_registry():
    assert set(ACTIONS) == workflow.ACTIONS - EDITING


def test_each_action_belongs_to_one_audiences_pages():
    for action in ACTIONS:
        roles = {row.role for row in workflow.TRANSITIONS if row.action == action}
        assert (workflow.COORDINATOR in roles) == taken_by_councils(action)
        # No action is shared by a council and the grant staff: one page takes it.
        assert roles == {workflow.COORDINATOR} or workflow.COORDINATOR not in roles
    assert {a for a in ACTIONS if taken_by_councils(a)} == {
        "submit",
        "withdraw",
        "request_change",
        "submit_report",
    }
